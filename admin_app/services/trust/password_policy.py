"""Password policy: long enough, not the username, not all one kind of character."""
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

MIN_LENGTH = 10


def _kind(char):
    if char.isdigit():
        return "digit"
    if char.isalpha():
        return "upper" if char.isupper() else "lower" if char.islower() else "letter"
    return "other"


def problems(password, username=""):
    """Return the translated reasons a password is refused (empty when it is acceptable)."""
    password = password or ""
    found = []
    if len(password) < MIN_LENGTH:
        found.append(_l("The password needs at least %(num)d characters.", num=MIN_LENGTH))
    if username and password.strip().casefold() == username.strip().casefold():
        found.append(_l("The password must not be the username."))
    if password and len({_kind(c) for c in password}) < 2:
        found.append(_l("The password must mix at least two kinds of characters (letters, digits, symbols)."))
    return found


def validator(username_field="username"):
    """Return a WTForms validator applying the policy; the username is read from another form field."""
    def check(form, field):
        if not field.data:
            return
        username = form[username_field].data if username_field in form else ""
        reasons = problems(field.data, username or "")
        if reasons:
            raise ValidationError(" ".join(str(r) for r in reasons))
    return check
