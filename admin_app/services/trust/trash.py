"""Deleted records: find them in the change log and put them back with their original id."""
import datetime as dt
import json
from decimal import Decimal

import peewee as pw

from admin_app.db import write_transaction
from admin_app.services.trust import history
from models import ALL_MODELS, ChangeLog

#: tables whose deleted rows can be restored (the logs themselves are never deleted from the panel)
RESTORABLE = {m._meta.table_name: m for m in ALL_MODELS if m._meta.table_name not in ("change_log", "access_log")}


class RestoreError(Exception):
    """The record cannot be restored; the message says why."""


def deleted_entries():
    """Return the delete entries whose record does not exist now, newest first."""
    entries = (ChangeLog.select()
               .where(ChangeLog.action == "delete", ChangeLog.table.in_(list(RESTORABLE)),
                      ChangeLog.snapshot.is_null(False))
               .order_by(ChangeLog.at.desc(), ChangeLog.id.desc()))
    result, seen = [], set()
    for entry in entries:
        key = (entry.table, entry.record_id)
        if key in seen:
            continue
        seen.add(key)
        model = RESTORABLE[entry.table]
        if not model.select().where(model.id == entry.record_id).exists():
            result.append(entry)
    return result


def _python(field, value):
    """Turn a snapshot's JSON value back into what the column stores."""
    if value is None:
        return None
    if isinstance(field, pw.DateTimeField):
        return dt.datetime.fromisoformat(value)
    if isinstance(field, pw.DateField):
        return dt.date.fromisoformat(value)
    if isinstance(field, pw.DecimalField):
        return Decimal(str(value))
    return value


def row_from_snapshot(model, snap):
    """Return {field: value} for the columns of the model present in a snapshot."""
    fields = model._meta.fields
    return {fields[name]: _python(fields[name], value) for name, value in snap.items() if name in fields}


def _missing_parents(model, values):
    missing = []
    for field in model._meta.refs:
        target_id = values.get(field)
        if target_id is not None and not field.rel_model.select().where(field.rel_model.id == target_id).exists():
            if field.null:
                values[field] = None  # the owner account is gone: restore unowned rather than refuse
            else:
                missing.append(field.rel_model._meta.table_name)
    return missing


def restore(entry_id):
    """Re-insert the row a delete entry snapshotted, with its id, and log "restore"; return the instance."""
    entry = ChangeLog.get_or_none(ChangeLog.id == entry_id, ChangeLog.action == "delete")
    if entry is None or entry.table not in RESTORABLE or not entry.snapshot:
        raise RestoreError("unknown")
    model = RESTORABLE[entry.table]
    with write_transaction():
        if model.select().where(model.id == entry.record_id).exists():
            raise RestoreError("exists")
        values = row_from_snapshot(model, json.loads(entry.snapshot))
        if _missing_parents(model, values):
            raise RestoreError("parent")
        values[model.id] = entry.record_id
        values[model.version] = int(values.get(model.version) or 1) + 1
        model.insert(values).execute()
        instance = model.get_by_id(entry.record_id)
        history.record(instance, "restore", snap=history.snapshot(instance))
    return instance
