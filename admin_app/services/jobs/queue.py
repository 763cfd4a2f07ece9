"""The Huey instance every task is registered on, and the app its worker runs tasks in.

Storage is chosen once from the environment when this module is imported: REDIS_URL set means RedisHuey (several
machines share one queue), otherwise SqliteHuey in HUEY_PATH (default instance/queue.db), which needs no server.
Live progress and cancel flags are kept in the queue's own key-value store, not the app database: a job writing
in one long transaction could not otherwise publish progress (nobody sees uncommitted rows, and SQLite has
one writer).
"""
import contextlib
import os

from flask import current_app, has_app_context
from huey import RedisHuey, SqliteHuey

from admin_app.config import INSTANCE
from models import db

NAME = "backoffice"


def make_huey(redis_url=None, path=None, immediate=False):
    """Return a RedisHuey for a redis:// URL, else a SqliteHuey on a file."""
    if redis_url:
        return RedisHuey(NAME, url=redis_url, immediate=immediate, utc=False)
    path = path or str(INSTANCE / "queue.db")
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    return SqliteHuey(NAME, filename=path, immediate=immediate, utc=False)


huey = make_huey(os.environ.get("REDIS_URL"), os.environ.get("HUEY_PATH"))
_bound = {"app": None}


def init_app(app):
    """Remember the app tasks run in; immediate mode (tasks run at once, in-process) for tests or when asked."""
    from admin_app.services.jobs import tasks  # noqa: F401 - registers the tasks on the queue

    _bound["app"] = app
    immediate = app.config.get("HUEY_IMMEDIATE")
    huey.immediate = app.testing if immediate is None else bool(immediate)


@contextlib.contextmanager
def app_context():
    """Run a task inside an app context and a database connection of its own thread."""
    if has_app_context():
        ctx = contextlib.nullcontext(current_app._get_current_object())
    else:
        ctx = _bound["app"].app_context()
    with ctx:
        opened = db.is_closed()
        if opened:
            db.connect()
        try:
            yield
        finally:
            if opened and not db.is_closed():
                db.close()


def put(key, value):
    """Store a small value in the queue's key-value store."""
    huey.put(key, value)


def peek(key):
    """Return a value from the queue's key-value store without removing it, or None."""
    return huey.get(key, peek=True)


def forget(key):
    """Remove a value from the queue's key-value store."""
    huey.delete(key)
