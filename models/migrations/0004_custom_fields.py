# ruff: noqa: F403, F405, E501, I001
"""Custom fields, the one-row schema version workers check per request, labels of built-in options (issue 12)."""
from peewee import *
from models.base import RecordIdField


def up(migrator, db):
    class User(Model):
        id = RecordIdField()
        class Meta:
            database = db
            table_name = 'users'

    class CustomField(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        endpoint = CharField(index=True, max_length=32)
        code = CharField(max_length=40)
        label_zh = CharField(max_length=64)
        label_en = CharField(max_length=64, default='')
        kind = CharField(max_length=16)
        decimals = IntegerField(default=2)
        choices = TextField(default='[]')
        required = BooleanField(default=False)
        default = CharField(max_length=255, default='')
        help_zh = CharField(max_length=255, default='')
        help_en = CharField(max_length=255, default='')
        section = CharField(max_length=64, default='')
        position = IntegerField(default=0)
        in_list = BooleanField(default=True)
        filterable = BooleanField(default=True)
        searchable = BooleanField(default=False)
        sortable = BooleanField(default=True)
        exported = BooleanField(default=True)
        personal = BooleanField(default=False)
        retired = BooleanField(default=False)
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'custom_field'
            indexes = ((('endpoint', 'code'), True),)

    class FieldSchemaVersion(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        number = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'field_schema_version'

    class ChoiceLabel(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        list_name = CharField(max_length=40)
        value = CharField(max_length=40)
        label_zh = CharField(max_length=100, default='')
        label_en = CharField(max_length=100, default='')
        position = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'choice_label'
            indexes = ((('list_name', 'value'), True),)
    db.create_tables([CustomField, FieldSchemaVersion, ChoiceLabel])
