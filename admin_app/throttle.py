"""Login throttling per client address, kept in the database so every worker process sees it."""
import datetime as dt

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from models import AccessLog, now

_DUMMY_HASH = None


def _window_start():
    return now() - dt.timedelta(minutes=current_app.config.get("LOGIN_LOCK_MINUTES", 15))


def address_blocked(address):
    """Tell whether an address failed to log in too often within the lock window."""
    limit = current_app.config.get("LOGIN_MAX_FAILURES_PER_ADDRESS", 20)
    failures = AccessLog.select().where(AccessLog.action == "login_failed", AccessLog.detail == (address or ""),
                                        AccessLog.at >= _window_start())
    return failures.count() >= limit


def record_failure(address, username):
    """Log one failed login from an address (the attempted name, not the password)."""
    AccessLog.create(action="login_failed", table="users", username=(username or "")[:64], detail=address or "")


def spend_hash_time(password):
    """Check a password against a dummy hash, so an unknown user costs as much time as a known one."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = generate_password_hash("not-a-password", method="scrypt")
    check_password_hash(_DUMMY_HASH, password or "")
