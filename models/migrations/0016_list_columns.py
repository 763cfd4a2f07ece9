"""Each user's chosen list columns, one row per user and list (issue 13, lists that fit)."""
import peewee as pw

from models.base import RecordIdField, now


def up(migrator, db):
    class Meta:
        database = db
        table_name = "list_columns"
        indexes = ((("user", "endpoint"), True),)

    user = type("User", (pw.Model,), {"id": RecordIdField(), "Meta": type("Meta", (), {"database": db,
                                                                                        "table_name": "users"})})
    table = type("ListColumns", (pw.Model,), {
        "id": RecordIdField(), "created_at": pw.DateTimeField(index=True, default=now),
        "updated_at": pw.DateTimeField(default=now), "version": pw.IntegerField(default=1),
        "user": pw.ForeignKeyField(user, on_delete="CASCADE"), "endpoint": pw.CharField(max_length=64),
        "columns": pw.TextField(default="[]"), "Meta": Meta})
    db.create_tables([table])


def down(migrator, db):
    db.execute_sql('DROP TABLE IF EXISTS "list_columns"')
