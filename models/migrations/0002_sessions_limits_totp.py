# ruff: noqa: F403, F405, E501, I001
"""Issue 16: server-side login sessions, shared rate-limit counters, the TOTP second factor."""
from peewee import *
from models.base import RecordIdField


def up(migrator, db):
    class User(Model):
        id = RecordIdField()
        class Meta:
            database = db
            table_name = 'users'

    class RateLimitCounter(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        key = CharField(unique=True)
        count = IntegerField(default=0)
        expires_at = FloatField(index=True)
        class Meta:
            database = db
            table_name = 'rate_limit_counter'
    db.create_tables([RateLimitCounter])

    class TwoFactorPolicy(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        role = CharField(unique=True, max_length=16)
        required = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'two_factor_policy'
    db.create_tables([TwoFactorPolicy])

    class UserSession(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        user = ForeignKeyField(User, on_delete='CASCADE')
        key_hash = CharField(unique=True, max_length=64)
        last_seen = DateTimeField()
        address = CharField(max_length=64, default='')
        user_agent = CharField(default='')
        ended_at = DateTimeField(null=True)
        end_reason = CharField(max_length=16, default='')
        class Meta:
            database = db
            table_name = 'user_session'
            indexes = ((('user', 'ended_at'), False),)
    db.create_tables([UserSession])

    migrator.migrate(migrator.add_column('users', 'totp_secret', CharField(null=True, max_length=64)))
    migrator.migrate(migrator.add_column('users', 'totp_last_step', BigIntegerField(default=0)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('users', 'totp_last_step'))
    migrator.migrate(migrator.drop_column('users', 'totp_secret'))
    migrator.migrate(migrator.drop_table('user_session'))
    migrator.migrate(migrator.drop_table('two_factor_policy'))
    migrator.migrate(migrator.drop_table('rate_limit_counter'))
