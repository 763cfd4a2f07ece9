"""Rule settings (规则参数): the values an administrator edits, their change log, and logged recomputations."""
import peewee as pw

from models.base import BaseModel, now
from models.user import User


class RuleSetting(BaseModel):
    """The stored value of one rule setting (absent: the seed's default applies)."""

    key = pw.CharField(max_length=48, unique=True)
    value = pw.CharField(max_length=64)

    class Meta:
        table_name = "rule_setting"


class RuleSettingChange(BaseModel):
    """One change of one rule setting: who, when, old and new value."""

    key = pw.CharField(max_length=48, index=True)
    old_value = pw.CharField(max_length=64)
    new_value = pw.CharField(max_length=64)
    user = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    username = pw.CharField(max_length=64, default="")
    at = pw.DateTimeField(default=now, index=True)

    class Meta:
        table_name = "rule_setting_change"


class HolidayYear(BaseModel):
    """A year whose official holiday schedule is in the calendar: from the package or entered by an admin."""

    year = pw.IntegerField(unique=True)
    source = pw.CharField(max_length=16, default="package")
    username = pw.CharField(max_length=64, default="")

    class Meta:
        table_name = "holiday_year"


class RecomputeLog(BaseModel):
    """One recomputation of open records' due dates: why, by whom, when and how many changed."""

    reason = pw.CharField(max_length=16, index=True)
    detail = pw.CharField(max_length=255, default="")
    changed = pw.IntegerField(default=0)
    user = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    username = pw.CharField(max_length=64, default="")
    at = pw.DateTimeField(default=now, index=True)

    class Meta:
        table_name = "recompute_log"
