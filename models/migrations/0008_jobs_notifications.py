# ruff: noqa: F403, F405, E501, I001
"""Jobs run by the queue worker, notifications and the per-user e-mail choices (issue 15)."""
from peewee import *
from models.base import RecordIdField


def up(migrator, db):
    class User(Model):
        id = RecordIdField()
        class Meta:
            database = db
            table_name = 'users'

    class Job(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        owner = ForeignKeyField(User, null=True, on_delete='SET NULL')
        kind = CharField(index=True, max_length=32)
        title = CharField(default='')
        params = TextField(default='{}')
        status = CharField(index=True, max_length=16, default='queued')
        done = IntegerField(default=0)
        total = IntegerField(null=True)
        rate = FloatField(null=True)
        started_at = DateTimeField(null=True)
        finished_at = DateTimeField(null=True)
        result_path = CharField(null=True)
        result_name = CharField(null=True)
        summary = TextField(null=True)
        error = TextField(null=True)
        cancel_requested = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'job'
    db.create_tables([Job])

    class Notification(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        user = ForeignKeyField(User, on_delete='CASCADE')
        kind = CharField(max_length=32)
        params = TextField(default='{}')
        table = CharField(null=True, max_length=64)
        record_id = IntegerField(null=True)
        key = CharField(null=True, max_length=128)
        read_at = DateTimeField(null=True)
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'notification'
            indexes = ((('user', 'read_at'), False), (('user', 'key'), True))
    db.create_tables([Notification])

    class NotifySettings(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        user = ForeignKeyField(User, unique=True, on_delete='CASCADE')
        email = CharField(max_length=128, default='')
        email_kinds = CharField(default='')
        class Meta:
            database = db
            table_name = 'notify_settings'
    db.create_tables([NotifySettings])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('notify_settings'))
    migrator.migrate(migrator.drop_table('notification'))
    migrator.migrate(migrator.drop_table('job'))
