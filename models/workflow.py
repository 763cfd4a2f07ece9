"""Workflow bookkeeping: status transitions, reassignments, the holiday calendar and core areas."""
import peewee as pw
from flask_babel import lazy_gettext as _l

from models.base import BaseModel, now
from models.user import User

HOLIDAY_KINDS = [("holiday", _l("Holiday (no work)")), ("workday", _l("Adjusted working day"))]


class TransitionLog(BaseModel):
    """One status change of a workflow record: who moved it, from where to where, when."""

    table = pw.CharField(max_length=64, index=True)
    record_id = pw.IntegerField(index=True)
    transition = pw.CharField(max_length=32)
    from_status = pw.CharField(max_length=24)
    to_status = pw.CharField(max_length=24)
    user = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    username = pw.CharField(max_length=64, default="")
    at = pw.DateTimeField(default=now, index=True)
    note = pw.TextField(null=True)

    class Meta:
        table_name = "transition_log"
        indexes = ((("table", "record_id"), False),)

    @classmethod
    def for_record(cls, table, record_id):
        """Return the transitions of one record, oldest first."""
        return cls.select().where(cls.table == table, cls.record_id == record_id).order_by(cls.at, cls.id)


class AssignmentLog(BaseModel):
    """One change of a record's owner (or a repair's technician)."""

    table = pw.CharField(max_length=64, index=True)
    record_id = pw.IntegerField(index=True)
    field = pw.CharField(max_length=16, default="owner")
    from_user = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    to_user = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    by_user = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    username = pw.CharField(max_length=64, default="")
    at = pw.DateTimeField(default=now, index=True)
    note = pw.TextField(null=True)

    class Meta:
        table_name = "assignment_log"
        indexes = ((("table", "record_id"), False),)


class Holiday(BaseModel):
    """A calendar exception: a weekday off (holiday) or a weekend worked (调休 workday)."""

    day = pw.DateField(unique=True)
    kind = pw.CharField(max_length=10, choices=HOLIDAY_KINDS, default="holiday", index=True)
    name = pw.CharField(max_length=64, default="")

    class Meta:
        table_name = "holiday"

    def __str__(self):
        return f"{self.day} {self.name}"


class CoreArea(BaseModel):
    """A region whose customers get the 12-hour repair response promise."""

    region = pw.CharField(max_length=64, unique=True)
    note = pw.CharField(max_length=255, default="")

    class Meta:
        table_name = "core_area"

    def __str__(self):
        return self.region
