"""Rate limits shared by every worker: Flask-Limiter over Redis (REDIS_URL) or a table in our own database.

The `limits` package has no SQL storage, so DatabaseStorage implements its fixed-window Storage API over the
rate_limit_counter table (scheme `peeweedb://`); each increment is one upsert in a write transaction, so
several gunicorn workers, or several machines on one PostgreSQL database, share one count.
"""
import time

import peewee as pw
from flask import request
from flask_limiter import Limiter
from limits.storage import Storage

from models import db, now
from models.sessions import RateLimitCounter

SCHEME = "peeweedb"


def client_address():
    """Return the client's address (the real one behind TRUSTED_PROXIES, see admin_app/__init__.py)."""
    return request.remote_addr or "?"


limiter = Limiter(key_func=client_address, strategy="fixed-window")


class DatabaseStorage(Storage):
    """A `limits` storage keeping fixed-window counters in the application's database (peewee)."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri=None, wrap_exceptions=False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self):
        return pw.DatabaseError

    def incr(self, key, expiry, amount=1):
        """Add `amount` to the key's counter, starting a window of `expiry` seconds if none is open."""
        from admin_app.db import write_transaction

        db.connect(reuse_if_open=True)
        moment, stamp = time.time(), now()
        table = RateLimitCounter
        with write_transaction():
            table.delete().where(table.expires_at <= moment).execute()  # expired windows, any key
            (table.insert(key=key, count=amount, expires_at=moment + expiry, created_at=stamp, updated_at=stamp)
             .on_conflict(conflict_target=[table.key], update={table.count: table.count + amount})
             .execute())
            return table.select(table.count).where(table.key == key).scalar()

    def _open(self, key):
        db.connect(reuse_if_open=True)
        return RateLimitCounter.get_or_none(RateLimitCounter.key == key,
                                            RateLimitCounter.expires_at > time.time())

    def get(self, key):
        """Return the key's count in its open window (0 when none)."""
        row = self._open(key)
        return row.count if row else 0

    def get_expiry(self, key):
        """Return when the key's window ends (epoch seconds; now when none is open)."""
        row = self._open(key)
        return row.expires_at if row else time.time()

    def check(self):
        """Tell whether the database answers."""
        db.connect(reuse_if_open=True)
        db.execute_sql("SELECT 1")
        return True

    def reset(self):
        """Drop every counter; return how many there were."""
        db.connect(reuse_if_open=True)
        return RateLimitCounter.delete().execute()

    def clear(self, key):
        """Drop one key's counter."""
        db.connect(reuse_if_open=True)
        RateLimitCounter.delete().where(RateLimitCounter.key == key).execute()


def storage_uri(config):
    """Return the limiter storage: Redis when REDIS_URL is set, else this database."""
    return config.get("REDIS_URL") or f"{SCHEME}://"


def init_app(app):
    """Attach the limiter with the configured storage to an app."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", storage_uri(app.config))
    limiter.init_app(app)
