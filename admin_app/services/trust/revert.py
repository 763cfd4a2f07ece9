"""Put a record, or one field of it, back to an earlier value from its history; the revert is itself recorded."""
import datetime as dt
import json
from decimal import Decimal

import peewee as pw

from admin_app.db import write_transaction
from admin_app.services.trust import history
from models import ChangeLog, now


class RevertConflict(Exception):
    """The record changed since the page showing its history was opened."""


def _later_entries(table, record_id, entry):
    """Return the changes made after `entry`, newest first."""
    later = (ChangeLog.at > entry.at) | ((ChangeLog.at == entry.at) & (ChangeLog.id > entry.id))
    return (ChangeLog.select().where(ChangeLog.table == table, ChangeLog.record_id == record_id, later)
            .order_by(ChangeLog.at.desc(), ChangeLog.id.desc()))


def state_after(record, entry):
    """Return the record's values just after a history entry: today's values with every later change undone."""
    state = history.snapshot(record)
    for later in _later_entries(record._meta.table_name, record.id, entry):
        for name, pair in json.loads(later.changes or "{}").items():
            if name in state:
                state[name] = pair[0]
    return state


def python_value(field, value):
    """Return a history value (JSON: ISO dates, decimal strings, ids) as the field's Python value."""
    if value is None:
        return None
    if isinstance(field, pw.DateTimeField) and isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    if isinstance(field, pw.DateField) and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if isinstance(field, pw.DecimalField):
        return Decimal(str(value))
    return value


def revert(record, wanted, expected_version, prepare=None):
    """Set fields of a record to earlier values ({name: history value}) under the optimistic lock.

    `prepare(instance)` recomputes what an edit would (a customer's grade) before the save. Returns the
    recorded {field: [old, new]} (empty when nothing differs). Raises RevertConflict when the record's
    version is no longer `expected_version`. Runs in one transaction.
    """
    model = type(record)
    before = history.snapshot(record)
    wanted = {name: value for name, value in wanted.items() if before.get(name) != value}
    if not wanted:
        return {}
    with write_transaction():
        for name, value in wanted.items():
            setattr(record, name, python_value(model._meta.fields[name], value))
        if prepare is not None:
            prepare(record)  # inside the transaction: whatever it logs is undone with a conflict
        changes = history.diff(before, history.snapshot(record))
        values = {model._meta.fields[name]: getattr(record, name) for name in changes}
        done = (model.update({**values, model.version: expected_version + 1, model.updated_at: now()})
                .where(model.id == record.id, model.version == expected_version).execute())
        if not done:
            raise RevertConflict()
        history.record(model.get_by_id(record.id), "revert", changes)
    return changes
