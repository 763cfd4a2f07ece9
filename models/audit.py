"""Append-only logs: record history and access to personal data."""
import json

import peewee as pw

from models import choices as c
from models.base import BaseModel, now
from models.user import User


class ChangeLog(BaseModel):
    """One create, update, delete or restore of a record, with the changed values."""

    table = pw.CharField(max_length=64, index=True)
    record_id = pw.IntegerField(index=True)
    action = pw.CharField(max_length=16, index=True)
    user = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    username = pw.CharField(max_length=64, default="")
    at = pw.DateTimeField(default=now, index=True)
    changes = pw.TextField(default="{}")
    snapshot = pw.TextField(null=True)

    class Meta:
        table_name = "change_log"
        indexes = ((("table", "record_id"), False),)

    def changed(self):
        """Return {field: [old, new]} for this change."""
        return json.loads(self.changes or "{}")

    @classmethod
    def for_record(cls, table, record_id):
        """Return the history of one record, newest first."""
        return (
            cls.select()
            .where(cls.table == table, cls.record_id == record_id)
            .order_by(cls.at.desc(), cls.id.desc())
        )


class AccessLog(BaseModel):
    """Who looked at or revealed which personal data, and when (查阅登记)."""

    user = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    username = pw.CharField(max_length=64, default="")
    at = pw.DateTimeField(default=now, index=True)
    action = pw.CharField(max_length=24, index=True, choices=c.ACCESS_ACTIONS)
    table = pw.CharField(max_length=64, default="")
    record_id = pw.IntegerField(null=True)
    customer_id = pw.IntegerField(null=True, index=True)
    detail = pw.CharField(max_length=255, default="")
    #: why a dossier was consulted (查阅理由), asked of whoever has no need to know by their work
    purpose = pw.CharField(max_length=255, default="")

    class Meta:
        table_name = "access_log"
