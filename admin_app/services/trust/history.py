"""Record history: snapshots, field diffs and the change log."""
import datetime as dt
import json
from decimal import Decimal

from flask import has_request_context
from flask_login import current_user
from peewee import fn

from models import ChangeLog


def _plain(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    return value


def snapshot(record):
    """Return the record's column values as JSON-ready data (foreign keys as ids)."""
    return {field.name: _plain(record.__data__.get(field.name)) for field in record._meta.sorted_fields}


def diff(before, after, ignore=("updated_at", "version")):
    """Return {field: [old, new]} for the fields whose value changed."""
    return {
        key: [before.get(key), value]
        for key, value in after.items()
        if key not in ignore and before.get(key) != value
    }


def _actor():
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id, current_user.username
    return None, "system"


def record(instance, action, changes=None, snap=None):
    """Append one entry to the change log for this record."""
    user_id, username = _actor()
    return ChangeLog.create(
        table=instance._meta.table_name,
        record_id=instance.get_id(),
        action=action,
        user=user_id,
        username=username,
        changes=json.dumps(changes or {}, ensure_ascii=False),
        snapshot=json.dumps(snap, ensure_ascii=False) if snap is not None else None,
    )


def last_change(table, record_id):
    """Return the newest change-log entry of a record, or None."""
    return ChangeLog.for_record(table, record_id).first()


def record_many(table, entries, actor=None, chunk=500):
    """Append change-log entries in batched inserts: entries are (record_id, action, changes, snapshot or None).

    actor is (user id, username); None takes the logged-in user of the request, else "system".
    """
    user_id, username = actor if actor is not None else _actor()
    stamp = dt.datetime.now().replace(microsecond=0)
    fields = [ChangeLog.table, ChangeLog.record_id, ChangeLog.action, ChangeLog.user, ChangeLog.username,
              ChangeLog.at, ChangeLog.changes, ChangeLog.snapshot, ChangeLog.created_at, ChangeLog.updated_at,
              ChangeLog.version]
    encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder for every entry, not one per dumps()
    rows = [(table, record_id, action, user_id, username, stamp, encode(changes) if changes else "{}",
             encode(snap) if snap is not None else None, stamp, stamp, 1)
            for record_id, action, changes, snap in entries]
    for start in range(0, len(rows), chunk):
        ChangeLog.insert_rows(fields, rows[start:start + chunk], returning=False)
    return len(rows)


def mark():
    """Return the newest change-log id: a point in history an exported file remembers (0 when none)."""
    return ChangeLog.select(fn.MAX(ChangeLog.id)).scalar() or 0


def state_at(record, point):
    """Return the record's snapshot as it stood at a mark() point: every later logged change undone.

    Returns None when the record was created after that point.
    """
    state = snapshot(record)
    later = (ChangeLog.select().where(ChangeLog.table == record._meta.table_name, ChangeLog.record_id == record.id,
                                      ChangeLog.id > point).order_by(ChangeLog.id.desc()))
    for entry in later:
        if entry.action == "create":
            return None
        for name, pair in entry.changed().items():
            if name in state and isinstance(pair, list) and pair:
                state[name] = pair[0]
    return state
