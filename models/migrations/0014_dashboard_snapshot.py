# ruff: noqa: F403, F405, E501, I001
"""The dashboard's year-long figures kept per period, computed by the queue worker (issue 15).

On SQLite also a narrow index on the id of each listed table: a deep page (views/fastlist.py: deferred_page)
steps over ids in it instead of over whole rows in the table. PostgreSQL's primary-key index already serves.
"""
from peewee import *
from models.base import RecordIdField


ID_ORDER_TABLES = ("customer", "archive_record", "feedback", "complaint", "repair", "return_exchange")


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
    if isinstance(db, SqliteDatabase):
        for table in ID_ORDER_TABLES:
            db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{table}_id_order" ON "{table}" ("id")')


def down(migrator, db):
    migrator.migrate(migrator.drop_table('dashboard_snapshot'))
    if isinstance(db, SqliteDatabase):
        for table in ID_ORDER_TABLES:
            db.execute_sql(f'DROP INDEX IF EXISTS "{table}_id_order"')
