"""Checking a login's credentials in the same time whatever is wrong with them."""
from werkzeug.security import check_password_hash, generate_password_hash

_dummy = []


def dummy_hash():
    """Return a scrypt hash of no real password, made once per process with the same cost as real ones."""
    if not _dummy:
        _dummy.append(generate_password_hash("no-account-has-this-password", method="scrypt"))
    return _dummy[0]


def locked(user, at):
    """Tell whether the account is locked at time `at` after too many failures."""
    return user.locked_until is not None and user.locked_until > at


def check_credentials(user, password, at):
    """Return the user when the password is right and the account usable, else None.

    Exactly one password hash check runs in every case (unknown name, inactive, locked, wrong password), against
    a dummy hash when there is no account, so the answer takes the same time and tells nothing.
    """
    matches = check_password_hash(user.password_hash if user is not None else dummy_hash(), password or "")
    usable = user is not None and user.active and not locked(user, at)
    return user if matches and usable else None
