"""Background jobs and the notifications people receive about their work."""
import peewee as pw

from models.base import BaseModel, now
from models.prepared import Prepared
from models.user import User

JOB_STATUSES = ("queued", "running", "done", "failed", "cancelled")
FINISHED = ("done", "failed", "cancelled")


class Job(BaseModel):
    """One piece of long work run by the queue worker: who started it, how far it got, what it produced."""

    owner = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", index=True)
    kind = pw.CharField(max_length=32, index=True)
    title = pw.CharField(max_length=255, default="")
    params = pw.TextField(default="{}")
    status = pw.CharField(max_length=16, default="queued", index=True)
    done = pw.IntegerField(default=0)
    total = pw.IntegerField(null=True)
    rate = pw.FloatField(null=True)  # units (rows) per second
    started_at = pw.DateTimeField(null=True)
    finished_at = pw.DateTimeField(null=True)
    result_path = pw.CharField(max_length=255, null=True)
    result_name = pw.CharField(max_length=255, null=True)
    summary = pw.TextField(null=True)
    error = pw.TextField(null=True)
    cancel_requested = pw.BooleanField(default=False)
    heartbeat_at = pw.DateTimeField(null=True)  # last sign of life from the worker running it

    class Meta:
        table_name = "job"

    @classmethod
    def of(cls, user_id):
        """Return a user's jobs, newest first."""
        return cls.select().where(cls.owner == user_id).order_by(cls.id.desc())

    @property
    def finished(self):
        """Tell whether the job has ended (done, failed or cancelled)."""
        return self.status in FINISHED


class PeriodicClaim(BaseModel):
    """One run of a periodic task in one time slot, claimed by the first worker: the others skip it."""

    name = pw.CharField(max_length=64)
    slot = pw.CharField(max_length=32)  # e.g. "2026-12-01T08:00" (each minute) or "2026-12-01" (daily)

    class Meta:
        table_name = "periodic_claim"
        indexes = ((("name", "slot"), True),)


class Notification(BaseModel):
    """A message to one person: what happened, about which record; read or not."""

    user = pw.ForeignKeyField(User, on_delete="CASCADE")
    kind = pw.CharField(max_length=32)
    params = pw.TextField(default="{}")
    table = pw.CharField(max_length=64, null=True)
    record_id = pw.IntegerField(null=True)
    key = pw.CharField(max_length=128, null=True)  # one notification per key and user (reminders)
    read_at = pw.DateTimeField(null=True)
    at = pw.DateTimeField(default=now)

    class Meta:
        table_name = "notification"
        indexes = ((("user", "read_at"), False), (("user", "key"), True))

    @classmethod
    def unread(cls, user_id):
        """Return a user's unread notifications."""
        return cls.select().where(cls.user == user_id, cls.read_at.is_null())

    @classmethod
    def unread_count(cls, user_id):
        """Return how many notifications a user has not read (the bell on every page: SQL built once)."""
        return _UNREAD_COUNT.scalar(user_id)


class NotifySettings(BaseModel):
    """Per user: the address e-mail notifications go to and which kinds also come by e-mail."""

    user = pw.ForeignKeyField(User, unique=True, on_delete="CASCADE")
    email = pw.CharField(max_length=128, default="")
    email_kinds = pw.CharField(max_length=255, default="")  # comma-separated notification kinds

    class Meta:
        table_name = "notify_settings"

    @property
    def kinds(self):
        """Return the set of kinds that also come by e-mail."""
        return {k for k in self.email_kinds.split(",") if k}


_UNREAD_COUNT = Prepared(lambda user: Notification.select(pw.fn.COUNT(Notification.id)).where(
    Notification.user == Prepared.value(user), Notification.read_at.is_null()), 1)
