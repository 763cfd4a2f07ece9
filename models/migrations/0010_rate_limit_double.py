"""Rate-limit window ends as double precision (issue 16): PostgreSQL stores a FloatField as 4-byte `real`.

At today's epoch seconds a `real` is only accurate to about two minutes, so a one-minute window could not be
told apart from the next. SQLite's REAL is already 8 bytes: nothing to change there.
"""
import peewee


def up(migrator, db):
    if not isinstance(db, peewee.SqliteDatabase):
        db.execute_sql('ALTER TABLE "rate_limit_counter" ALTER COLUMN "expires_at" TYPE double precision')


def down(migrator, db):
    if not isinstance(db, peewee.SqliteDatabase):
        db.execute_sql('ALTER TABLE "rate_limit_counter" ALTER COLUMN "expires_at" TYPE real')
