"""Retention: records kept N years after closing are reviewed, then their personal fields are destroyed."""
import datetime as dt
import json

import peewee as pw
from dateutil.relativedelta import relativedelta

from admin_app.db import write_transaction
from admin_app.services.trust.history import _actor
from models import RECORD_MODELS, ChangeLog, now

DEFAULT_YEARS = 3
#: free-text fields kept on destruction because statistics need them and they name no person
KEEP = frozenset({"product_name", "specification", "model_no", "batch_no", "responsible_dept", "document_no"})


def personal_fields(model):
    """Return the fields erased on destruction: free text that can name or describe a person."""
    return [f for f in model._meta.sorted_fields
            if isinstance(f, pw.CharField | pw.TextField) and not f.choices and f.name not in KEEP]


def cutoff(years=DEFAULT_YEARS, today=None):
    """Return the moment before which a closed record is past retention."""
    today = today or dt.date.today()
    return dt.datetime.combine(today - relativedelta(years=years), dt.time.min)


def _destroyed_ids(model):
    table = model._meta.table_name
    return ChangeLog.select(ChangeLog.record_id).where(ChangeLog.table == table, ChangeLog.action == "destroy")


def due(model, years=DEFAULT_YEARS, today=None):
    """Return the records of a model past retention and not destroyed yet, oldest first."""
    limit = cutoff(years, today)
    condition = model.closed_at.is_null(False) & (model.closed_at < limit)
    if "retention_until" in model._meta.fields:  # an archive entry may carry its own date
        own = model.retention_until.is_null(False) & (model.retention_until < (today or dt.date.today()))
        condition = own | (model.retention_until.is_null() & condition)
    return (model.select().where(condition, model.id.not_in(_destroyed_ids(model)))
            .order_by(model.closed_at, model.id))


def due_by_model(years=DEFAULT_YEARS, today=None, limit=500):
    """Return [(model, [records])] for every record kind with records past retention."""
    result = []
    for model in RECORD_MODELS:
        rows = list(due(model, years, today).limit(limit))
        if rows:
            result.append((model, rows))
    return result


def destroy(model, ids, years=DEFAULT_YEARS, today=None):
    """Erase the personal fields of the given records still past retention; log each; return the count."""
    fields = personal_fields(model)
    with write_transaction():
        chosen = [r.id for r in due(model, years, today).where(model.id.in_(list(ids))).select(model.id)]
        if not chosen:
            return 0
        erased = {f: ("" if not f.null else None) for f in fields}
        model.update({**erased, model.updated_at: now(), model.version: model.version + 1}).where(
            model.id.in_(chosen)).execute()
        _scrub_history(model, chosen, {f.name for f in fields})
        user_id, username = _actor()
        note = json.dumps({f.name: ["*", None] for f in fields}, ensure_ascii=False)
        ChangeLog.insert_many([
            {"table": model._meta.table_name, "record_id": rid, "action": "destroy", "user": user_id,
             "username": username, "changes": note, "at": now()} for rid in chosen
        ]).execute()
    return len(chosen)


def _scrub_history(model, ids, names):
    """Remove the erased fields' old values from the records' history, keeping the rest of the trail."""
    entries = ChangeLog.select().where(ChangeLog.table == model._meta.table_name, ChangeLog.record_id.in_(ids))
    for entry in entries:
        changes = {k: v for k, v in json.loads(entry.changes or "{}").items() if k not in names}
        snap = json.loads(entry.snapshot) if entry.snapshot else None
        if snap is not None:
            snap = {k: v for k, v in snap.items() if k not in names}
        ChangeLog.update(changes=json.dumps(changes, ensure_ascii=False),
                         snapshot=json.dumps(snap, ensure_ascii=False) if snap is not None else None
                         ).where(ChangeLog.id == entry.id).execute()
