"""Accounts and roles."""
import peewee as pw
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from models.base import BaseModel, now
from models.choices import LANGUAGES, ROLES


class User(UserMixin, BaseModel):
    """A person who logs in; one role decides what they may see and do."""

    username = pw.CharField(max_length=64, unique=True)
    display_name = pw.CharField(max_length=64, default="")
    password_hash = pw.CharField(max_length=256)
    role = pw.CharField(max_length=16, choices=ROLES, default="clerk", index=True)
    language = pw.CharField(max_length=16, choices=LANGUAGES, default="zh_Hans_CN")
    active = pw.BooleanField(default=True)
    failed_logins = pw.IntegerField(default=0)
    locked_until = pw.DateTimeField(null=True)
    last_login = pw.DateTimeField(null=True)
    #: base32 TOTP secret once the second factor is enrolled; the last time step used (a code works once)
    totp_secret = pw.CharField(max_length=64, null=True)
    totp_last_step = pw.BigIntegerField(default=0)

    class Meta:
        table_name = "users"

    def __str__(self):
        return self.display_name or self.username

    @property
    def role_label(self):
        """Return the translated name of the role."""
        return dict(ROLES).get(self.role, self.role)

    @property
    def is_active(self):
        return self.active

    def set_password(self, password):
        """Store a salted scrypt hash of the password."""
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password):
        """Tell whether the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def touch_login(self):
        """Record a successful login."""
        self.failed_logins = 0
        self.locked_until = None
        self.last_login = now()
        self.save(only=[User.failed_logins, User.locked_until, User.last_login])

    @classmethod
    def by_name(cls, username):
        """Return the user with this name, or None."""
        return cls.get_or_none(cls.username == (username or "").strip())
