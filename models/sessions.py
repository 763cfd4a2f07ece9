"""Server-side login sessions, rate-limit counters and the second-factor policy."""
import hashlib

import peewee as pw

from models.base import BaseModel, now
from models.prepared import Prepared
from models.user import User

#: roles that may (and can be required to) use a second factor
TWO_FACTOR_ROLES = ("admin", "manager")


def session_key_hash(key):
    """Return the stored form of a session key (sha256 hex); the cookie's key is never stored as is."""
    return hashlib.sha256((key or "").encode()).hexdigest()


class UserSession(BaseModel):
    """One login: the cookie names it by a random key, and every request checks it is still open."""

    user = pw.ForeignKeyField(User, backref="sessions", on_delete="CASCADE")
    key_hash = pw.CharField(max_length=64, unique=True)
    last_seen = pw.DateTimeField(default=now)
    address = pw.CharField(max_length=64, default="")
    user_agent = pw.CharField(max_length=255, default="")
    ended_at = pw.DateTimeField(null=True)
    end_reason = pw.CharField(max_length=16, default="")

    class Meta:
        table_name = "user_session"
        indexes = ((("user", "ended_at"), False),)

    @classmethod
    def open_for(cls, user_id):
        """Return the user's sessions that have not ended, most recently seen first."""
        return (cls.select().where(cls.user == user_id, cls.ended_at.is_null())
                .order_by(cls.last_seen.desc(), cls.id.desc()))


class RateLimitCounter(BaseModel):
    """A fixed-window counter of the rate limiter (admin_app/ratelimit.py): one row per key and window."""

    key = pw.CharField(max_length=255, unique=True)
    count = pw.IntegerField(default=0)
    expires_at = pw.DoubleField(index=True)  # epoch seconds: a 4-byte real would be off by minutes

    class Meta:
        table_name = "rate_limit_counter"


class TwoFactorPolicy(BaseModel):
    """Whether a role must log in with a second factor; the administrator sets it."""

    role = pw.CharField(max_length=16, unique=True)
    required = pw.BooleanField(default=False)

    class Meta:
        table_name = "two_factor_policy"

    @classmethod
    def required_for(cls, role):
        """Tell whether the role must use a second factor."""
        if role not in TWO_FACTOR_ROLES:
            return False
        return _REQUIRED.scalar(role) is not None


#: asked on every request of a role that may enrol (admin_app/auth.py); SQL built once
_REQUIRED = Prepared(lambda role: TwoFactorPolicy.select(pw.SQL("1")).where(
    TwoFactorPolicy.role == Prepared.value(role), TwoFactorPolicy.required == True).limit(1), 1)  # noqa: E712
