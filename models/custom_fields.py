"""Fields the office adds at run time (自定义字段): their definitions and the schema version every worker checks."""
import json

import peewee as pw

from models.base import BaseModel, now
from models.prepared import Prepared
from models.user import User

#: list endpoint -> table that takes custom fields
FIELD_TABLES = {"customer": "customer", "archiverecord": "archive_record", "feedback": "feedback",
                "complaint": "complaint", "repair": "repair", "returnexchange": "returnexchange"}
KINDS = ("text", "textarea", "integer", "decimal", "money", "date", "datetime", "boolean", "choice",
         "multichoice", "user", "customer")


class CustomField(BaseModel):
    """One custom field of a list: labels, type, form placement and list behaviour; `code` never changes."""

    endpoint = pw.CharField(max_length=32, index=True)
    code = pw.CharField(max_length=40)
    label_zh = pw.CharField(max_length=64)
    label_en = pw.CharField(max_length=64, default="")
    kind = pw.CharField(max_length=16)
    decimals = pw.IntegerField(default=2)
    #: JSON list of {"value", "zh", "en", "retired"} for choice and multichoice fields
    choices = pw.TextField(default="[]")
    required = pw.BooleanField(default=False)
    default = pw.CharField(max_length=255, default="")
    help_zh = pw.CharField(max_length=255, default="")
    help_en = pw.CharField(max_length=255, default="")
    section = pw.CharField(max_length=64, default="")
    position = pw.IntegerField(default=0)
    in_list = pw.BooleanField(default=True)
    filterable = pw.BooleanField(default=True)
    searchable = pw.BooleanField(default=False)
    sortable = pw.BooleanField(default=True)
    exported = pw.BooleanField(default=True)
    personal = pw.BooleanField(default=False)
    retired = pw.BooleanField(default=False)
    created_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")

    class Meta:
        table_name = "custom_field"
        indexes = ((("endpoint", "code"), True),)

    @property
    def column(self):
        """Return the column (and model field) name: cf_<code>."""
        return f"cf_{self.code}"

    def options(self):
        """Return the choice options as a list of dicts."""
        try:
            return list(json.loads(self.choices or "[]"))
        except ValueError:
            return []

    def label(self, language="zh"):
        """Return the label in a language (zh or en), the Chinese one when no English is given."""
        return (self.label_en if language == "en" else self.label_zh) or self.label_zh

    @classmethod
    def of(cls, endpoint):
        """Return the live (not purged) fields of a list in form order."""
        return cls.select().where(cls.endpoint == endpoint).order_by(cls.position, cls.id)


class FieldSchemaVersion(BaseModel):
    """A single row whose number goes up on every custom-field change; each worker compares it per request."""

    number = pw.IntegerField(default=0)

    class Meta:
        table_name = "field_schema_version"

    @classmethod
    def current(cls):
        """Return the schema number (0 before the first custom field); one indexed one-row read."""
        number = _CURRENT.scalar()  # asked on every request (views/custom_fields.py): SQL built once
        return number or 0

    @classmethod
    def bump(cls):
        """Raise the number by one (creating the row on first use)."""
        if not cls.update(number=cls.number + 1, updated_at=now()).where(cls.id == 1).execute():
            cls.insert(id=1, number=1).execute()


class ChoiceLabel(BaseModel):
    """The office's own label, place and state of one option of a built-in choice list (models/choices.py).

    A value that is not one of the built-in list's is an option the office added; `retired` keeps it off new input.
    """

    list_name = pw.CharField(max_length=40)
    value = pw.CharField(max_length=40)
    label_zh = pw.CharField(max_length=100, default="")
    label_en = pw.CharField(max_length=100, default="")
    position = pw.IntegerField(default=0)
    retired = pw.BooleanField(default=False)

    class Meta:
        table_name = "choice_label"
        indexes = ((("list_name", "value"), True),)


_CURRENT = Prepared(lambda: FieldSchemaVersion.select(FieldSchemaVersion.number)
                    .where(FieldSchemaVersion.id == 1).limit(1), 0)
