# ruff: noqa: F403, F405, E501, I001
"""Per-user defaults of new records' forms: owner, recorder, channel (issue 13 item 5)."""
from peewee import *
from models.base import RecordIdField


def up(migrator, db):
    class User(Model):
        id = RecordIdField()
        class Meta:
            database = db
            table_name = 'users'

    class FormDefaults(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        user = ForeignKeyField(User, unique=True, on_delete='CASCADE')
        owner = CharField(max_length=8, default='me')
        recorder = CharField(max_length=8, default='me')
        channel = CharField(max_length=16, default='auto')
        class Meta:
            database = db
            table_name = 'form_defaults'
    db.create_tables([FormDefaults])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('form_defaults'))
