# ruff: noqa: F403, F405, E501, I001
"""Issue 14 (regs): feedback routing, legal sign-off, shipment date, dossier purposes, archive checks, destruction lists."""
from peewee import *
from models.base import RecordIdField
import datetime


def up(migrator, db):
    class Customer(Model):
        id = RecordIdField()
        class Meta:
            database = db
            table_name = 'customer'

    class User(Model):
        id = RecordIdField()
        class Meta:
            database = db
            table_name = 'users'

    class ArchiveCheck(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        customer = ForeignKeyField(Customer, on_delete='RESTRICT')
        checked_on = DateField(index=True, default=datetime.date.today)
        checker = ForeignKeyField(User, null=True, on_delete='SET NULL')
        items_checked = TextField()
        findings = TextField(null=True)
        corrections = TextField(null=True)
        class Meta:
            database = db
            table_name = 'archive_check'
            indexes = ((('customer', 'checked_on'), False),)
    db.create_tables([ArchiveCheck])

    class DestructionList(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        proposed_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        proposed_at = DateTimeField()
        status = CharField(index=True, max_length=10, default='proposed')
        reviewed_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        reviewed_at = DateTimeField(null=True)
        note = TextField(null=True)
        class Meta:
            database = db
            table_name = 'destruction_list'
    db.create_tables([DestructionList])

    class DestructionItem(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        batch = ForeignKeyField(DestructionList, on_delete='CASCADE')
        table = CharField(max_length=64)
        record_id = IntegerField()
        customer_id = IntegerField(index=True, null=True)
        summary = CharField(default='')
        rule = CharField(max_length=16)
        due_on = DateField()
        destroyed_at = DateTimeField(index=True, null=True)
        destroyed_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'destruction_item'
            indexes = ((('table', 'record_id'), False),)
    db.create_tables([DestructionItem])

    migrator.migrate(migrator.add_column('access_log', 'purpose', CharField(default='')))
    migrator.migrate(migrator.add_column('feedback', 'technician_id', ForeignKeyField(User, field=User.id, null=True, on_delete='SET NULL')))
    migrator.migrate(migrator.add_column('feedback', 'assessment', CharField(null=True, max_length=16)))
    migrator.migrate(migrator.add_column('feedback', 'assessed_by_id', ForeignKeyField(User, field=User.id, null=True, on_delete='SET NULL')))
    migrator.migrate(migrator.add_column('feedback', 'assessed_at', DateTimeField(null=True)))
    migrator.migrate(migrator.add_column('complaint', 'legal_contact_id', ForeignKeyField(User, field=User.id, null=True, on_delete='SET NULL')))
    migrator.migrate(migrator.add_column('complaint', 'legal_notified_at', DateTimeField(null=True)))
    migrator.migrate(migrator.add_column('complaint', 'legal_signoff_at', DateTimeField(null=True)))
    migrator.migrate(migrator.add_column('complaint', 'legal_signoff_note', TextField(null=True)))
    migrator.migrate(migrator.add_column('return_exchange', 'factory_date', DateField(index=True, null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('return_exchange', 'return_exchange_factory_date'))
    migrator.migrate(migrator.drop_index('complaint', 'complaint_legal_contact_id'))
    migrator.migrate(migrator.drop_index('feedback', 'feedback_technician_id'))
    migrator.migrate(migrator.drop_index('feedback', 'feedback_assessed_by_id'))
    migrator.migrate(migrator.drop_column('return_exchange', 'factory_date'))
    migrator.migrate(migrator.drop_column('complaint', 'legal_signoff_note'))
    migrator.migrate(migrator.drop_column('complaint', 'legal_signoff_at'))
    migrator.migrate(migrator.drop_column('complaint', 'legal_notified_at'))
    migrator.migrate(migrator.drop_column('complaint', 'legal_contact_id'))
    migrator.migrate(migrator.drop_column('feedback', 'assessed_at'))
    migrator.migrate(migrator.drop_column('feedback', 'assessed_by_id'))
    migrator.migrate(migrator.drop_column('feedback', 'assessment'))
    migrator.migrate(migrator.drop_column('feedback', 'technician_id'))
    migrator.migrate(migrator.drop_column('access_log', 'purpose'))
    migrator.migrate(migrator.drop_table('destruction_item'))
    migrator.migrate(migrator.drop_table('destruction_list'))
    migrator.migrate(migrator.drop_table('archive_check'))
