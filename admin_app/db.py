"""Open the database named by DATABASE_URL and bind the models to it."""
import os

import peewee as pw
import psycopg
from flask import g
from playhouse.db_url import connect
from playhouse.pool import PooledSqliteDatabase

from admin_app import migrate
from admin_app.services.lists import search
from models import db

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 15000,
    "synchronous": "normal",
    "cache_size": -64000,
}


class SqlitePool(PooledSqliteDatabase):
    """SQLite connections kept between requests; a forked process (a server or queue worker) starts with none.

    SQLite connections must not cross a fork: the child neither uses nor closes the parent's.
    """

    _pid = None  # set on the first connection

    def _forked(self):
        if self._pid is None:
            self._pid = os.getpid()
        elif self._pid != os.getpid():
            self._pid = os.getpid()
            self._connections, self._in_use = [], {}
            self._state.reset()

    def connect(self, reuse_if_open=False):
        self._forked()
        return super().connect(reuse_if_open)

    def is_closed(self):
        self._forked()
        return super().is_closed()


def open_database(url):
    """Return a peewee database for a sqlite:/// or postgresql:// URL."""
    if url.startswith("sqlite"):
        path = url.split("sqlite:///", 1)[1] if "sqlite:///" in url else ""
        if not path or path == ":memory:":
            return pw.SqliteDatabase(":memory:", pragmas=SQLITE_PRAGMAS, timeout=15)
        # a request's close() hands its connection back for the next request: opening one, with its pragmas
        # and a read of the schema, cost more than a short list query (busy_timeout comes from the pragmas)
        return SqlitePool(path, pragmas=SQLITE_PRAGMAS, max_connections=None, stale_timeout=300,
                          check_same_thread=False)
    # Client-side binding, as psycopg2 did: an expression with a parameter (to_char(x, 'YYYY-MM')) then reads the
    # same in SELECT and GROUP BY, which server-side $1/$2 placeholders would make two different expressions.
    return connect(url, cursor_factory=psycopg.ClientCursor)


def is_sqlite():
    """Tell whether the bound database is SQLite."""
    return isinstance(db.obj, pw.SqliteDatabase)


def write_transaction():
    """Return a transaction that takes the write lock up front on SQLite."""
    if is_sqlite():
        return db.atomic(lock_type="IMMEDIATE")
    return db.atomic()


def init_app(app):
    """Bind the models to the app's database and open a connection per request."""
    db.initialize(open_database(app.config["DATABASE_URL"]))

    @app.before_request
    def _connect():
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc):
        if not db.is_closed() and not app.config.get("KEEP_DB_OPEN") and not g.get("keep_db_open"):
            db.close()


def create_schema():
    """Apply the pending migrations and the search indexes; return the names of the migrations applied."""
    applied = migrate.upgrade(db)
    search.install(db.obj)  # FTS5 tables and triggers (SQLite) or pg_trgm indexes; idempotent, self-updating
    return applied
