# ruff: noqa: F403, F405, E501, I001
"""Job heartbeats (a stale one means the worker died) and claims of periodic runs (once across workers)."""
from peewee import *
from models.base import RecordIdField


def up(migrator, db):
    migrator.migrate(migrator.add_column('job', 'heartbeat_at', DateTimeField(null=True)))

    class PeriodicClaim(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        name = CharField(max_length=64)
        slot = CharField(max_length=32)
        class Meta:
            database = db
            table_name = 'periodic_claim'
            indexes = ((('name', 'slot'), True),)
    db.create_tables([PeriodicClaim])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('periodic_claim'))
    migrator.migrate(migrator.drop_column('job', 'heartbeat_at'))
