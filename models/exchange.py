"""Spreadsheet exchange bookkeeping: export log, import batches and saved list views."""
import json

import peewee as pw

from models.base import BaseModel, now
from models.prepared import Prepared
from models.user import User


class ExportLog(BaseModel):
    """Who exported which list, with which filters, and how many rows."""

    user = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    username = pw.CharField(max_length=64, default="")
    at = pw.DateTimeField(default=now, index=True)
    endpoint = pw.CharField(max_length=64, index=True)
    kind = pw.CharField(max_length=16, default="list")
    filters = pw.TextField(default="")
    columns = pw.TextField(default="")
    row_count = pw.IntegerField(default=0)

    class Meta:
        table_name = "export_log"


class ImportBatch(BaseModel):
    """One uploaded file: its preview counts and whether it was committed."""

    user = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    username = pw.CharField(max_length=64, default="")
    endpoint = pw.CharField(max_length=64, index=True)
    filename = pw.CharField(max_length=255, default="")
    stored_as = pw.CharField(max_length=255, default="")
    status = pw.CharField(max_length=16, default="preview", index=True)
    total_rows = pw.IntegerField(default=0)
    new_rows = pw.IntegerField(default=0)
    updated_rows = pw.IntegerField(default=0)
    unchanged_rows = pw.IntegerField(default=0)
    error_rows = pw.IntegerField(default=0)
    conflict_rows = pw.IntegerField(default=0)
    committed_at = pw.DateTimeField(null=True)

    class Meta:
        table_name = "import_batch"


class SavedView(BaseModel):
    """A named list state (search, filters, sort, columns) a user can reuse or share with a role."""

    user = pw.ForeignKeyField(User, on_delete="CASCADE")
    endpoint = pw.CharField(max_length=64, index=True)
    name = pw.CharField(max_length=100)
    query = pw.TextField(default="")
    columns = pw.TextField(default="[]")
    shared_role = pw.CharField(max_length=16, null=True)
    is_default = pw.BooleanField(default=False)

    class Meta:
        table_name = "saved_view"

    def column_names(self):
        """Return the saved column choice."""
        return json.loads(self.columns or "[]")

    @classmethod
    def visible_to(cls, user, endpoint):
        """Return the views of a list the user owns or that are shared with the user's role, by name.

        Asked on every list page: the SQL is built once (models/prepared.py).
        """
        return list(_VISIBLE_TO.rows(endpoint, user.id, user.role))


class ListColumns(BaseModel):
    """The columns one user chose to see on one list (issue 13: a column chooser per user)."""

    user = pw.ForeignKeyField(User, on_delete="CASCADE")
    endpoint = pw.CharField(max_length=64)
    columns = pw.TextField(default="[]")

    class Meta:
        table_name = "list_columns"
        indexes = ((("user", "endpoint"), True),)

    def column_names(self):
        """Return the chosen column names, in list order."""
        return json.loads(self.columns or "[]")

    @classmethod
    def chosen(cls, user_id, endpoint):
        """Return the columns a user chose for a list, or [] when the user never chose."""
        found = _CHOSEN.first(user_id, endpoint)  # asked on every list page: SQL built once
        return found.column_names() if found else []

    @classmethod
    def remember(cls, user_id, endpoint, columns):
        """Store a user's column choice for a list; an empty choice forgets it (all columns again)."""
        cls.delete().where(cls.user == user_id, cls.endpoint == endpoint).execute()
        if columns:
            cls.create(user=user_id, endpoint=endpoint, columns=json.dumps(list(columns)))


_VISIBLE_TO = Prepared(lambda endpoint, user, role: SavedView.select().where(
    SavedView.endpoint == Prepared.value(endpoint),
    (SavedView.user == Prepared.value(user)) | (SavedView.shared_role == Prepared.value(role)))
    .order_by(SavedView.name), 3)
_CHOSEN = Prepared(lambda user, endpoint: ListColumns.select().where(
    ListColumns.user == Prepared.value(user), ListColumns.endpoint == Prepared.value(endpoint)).limit(1), 2)
