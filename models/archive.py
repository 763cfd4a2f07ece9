"""Keeping dossiers: the six-monthly archive check and reviewed destruction lists."""
import datetime as dt

import peewee as pw
from flask_babel import lazy_gettext as _l

from models.base import BaseModel, now
from models.customer import Customer
from models.user import User

DESTRUCTION_STATUSES = [("proposed", _l("Awaiting approval")), ("approved", _l("Approved and destroyed")),
                        ("rejected", _l("Rejected"))]
#: the rule a record fell due under, for the destruction record
RETENTION_RULES = [
    ("keep_until", _l("Its keep-until date has passed")),
    ("entry_date", _l("Retention period counted from the entry date")),
    ("last_activity", _l("Retention period counted from the customer's last activity")),
    ("closed", _l("Retention period counted from closing")),
]


class ArchiveCheck(BaseModel):
    """One check of a customer's dossier (档案资料检查表, 004 第6篇 6.5.1.2 b): what, found, corrected, by whom."""

    customer = pw.ForeignKeyField(Customer, backref="archive_checks", on_delete="RESTRICT", index=True)
    checked_on = pw.DateField(default=dt.date.today, index=True)
    checker = pw.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    items_checked = pw.TextField()
    findings = pw.TextField(null=True)
    corrections = pw.TextField(null=True)

    class Meta:
        table_name = "archive_check"
        indexes = ((("customer", "checked_on"), False),)

    def __str__(self):
        return f"{self.customer} {self.checked_on}"

    @classmethod
    def for_customer(cls, customer_id):
        """Return a dossier's checks, newest first."""
        return cls.select().where(cls.customer == customer_id).order_by(cls.checked_on.desc(), cls.id.desc())


class DestructionList(BaseModel):
    """A reviewed list of records past retention, proposed by one person and approved by a manager."""

    proposed_by = pw.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    proposed_at = pw.DateTimeField(default=now)
    status = pw.CharField(max_length=10, choices=DESTRUCTION_STATUSES, default="proposed", index=True)
    reviewed_by = pw.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    reviewed_at = pw.DateTimeField(null=True)
    note = pw.TextField(null=True)

    class Meta:
        table_name = "destruction_list"


class DestructionItem(BaseModel):
    """One record on a destruction list: what, under which rule; when and by whom once destroyed."""

    batch = pw.ForeignKeyField(DestructionList, backref="items", on_delete="CASCADE", index=True)
    table = pw.CharField(max_length=64)
    record_id = pw.IntegerField()
    customer_id = pw.IntegerField(null=True, index=True)
    summary = pw.CharField(max_length=255, default="")
    rule = pw.CharField(max_length=16, choices=RETENTION_RULES)
    due_on = pw.DateField()
    destroyed_at = pw.DateTimeField(null=True, index=True)
    destroyed_by = pw.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")

    class Meta:
        table_name = "destruction_item"
        indexes = ((("table", "record_id"), False),)
