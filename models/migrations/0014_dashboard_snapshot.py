# ruff: noqa: F403, F405, E501, I001
"""The dashboard's year-long figures kept per period, computed by the queue worker (issue 15)."""
from peewee import *
from models.base import RecordIdField


def up(migrator, db):
    class DashboardSnapshot(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        period = CharField(max_length=32, unique=True)
        as_of = DateTimeField()
        seconds = FloatField(default=0)
        figures = TextField()
        class Meta:
            database = db
            table_name = 'dashboard_snapshot'
    db.create_tables([DashboardSnapshot])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('dashboard_snapshot'))
