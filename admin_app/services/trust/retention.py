"""Retention (004 第12篇 8.0: 記錄本程序中所要求的所有記錄至少保存3年): when records fall due for destruction.

- An archive entry's keep-until date may not be earlier than its date + the period (至少 = at least).
- An archive entry without a keep-until date falls due the period after its own date or after the customer's
  last activity, whichever is later; with one, the day after it (never before date + period).
- Other records fall due the period after they were closed.
Destruction erases the personal fields and keeps the statistics (see destruction.py for the approved lists).
"""
import datetime as dt
import json
from dataclasses import dataclass

import peewee as pw
from dateutil.relativedelta import relativedelta
from flask import current_app
from flask_babel import gettext as _

from admin_app.db import write_transaction
from admin_app.services.settings import store as settings_store
from admin_app.services.trust.history import _actor
from models import RECORD_MODELS, ArchiveRecord, ChangeLog, now

DEFAULT_YEARS = 3
#: free-text fields kept on destruction because statistics need them and they name no person
KEEP = frozenset({"product_name", "specification", "model_no", "batch_no", "responsible_dept", "document_no"})
#: per record kind, the dates that count as the customer's activity
ACTIVITY_FIELDS = {"archive_record": ("entry_date",), "feedback": ("feedback_date", "closed_at"),
                   "complaint": ("received_at", "closed_at"), "repair": ("received_at", "closed_at"),
                   "return_exchange": ("created_at", "closed_at")}


@dataclass(frozen=True)
class Due:
    """A record past retention: the record, the rule it fell due under, the first day it may be destroyed."""

    record: object
    rule: str
    due_on: dt.date


def configured_years():
    """Return the retention period in years: RETENTION_YEARS when configured, else the "retention_years" setting."""
    configured = current_app.config.get("RETENTION_YEARS")
    return int(configured) if configured else int(settings_store.get("retention_years"))


def personal_fields(model):
    """Return the fields erased on destruction: free text that can name or describe a person."""
    return [f for f in model._meta.sorted_fields
            if isinstance(f, pw.CharField | pw.TextField) and not f.choices and f.name not in KEEP]


def earliest_keep_until(entry_date, years=DEFAULT_YEARS):
    """Return the earliest keep-until date allowed for an entry of this date (date + years)."""
    return entry_date + relativedelta(years=years)


def keep_until_error(entry_date, keep_until, years=DEFAULT_YEARS):
    """Return the translated reason a keep-until date is refused, or None (至少保存3年)."""
    if not entry_date or not keep_until:
        return None
    earliest = earliest_keep_until(entry_date, years)
    if keep_until >= earliest:
        return None
    return _("Records are kept at least %(years)d years: the keep-until date cannot be earlier than %(date)s.",
             years=years, date=earliest.isoformat())


def cutoff(years=DEFAULT_YEARS, today=None):
    """Return the moment before which a closed record is past retention."""
    today = today or dt.date.today()
    return dt.datetime.combine(today - relativedelta(years=years), dt.time.min)


def _as_date(value):
    return value.date() if isinstance(value, dt.datetime) else value


def last_activity(customer_ids):
    """Return {customer id: date of the customer's latest record date or closing}."""
    latest = {}
    ids = list(customer_ids)
    for model in RECORD_MODELS:
        for name in ACTIVITY_FIELDS[model._meta.table_name]:
            column = getattr(model, name)
            rows = (model.select(model.customer, pw.fn.MAX(column).alias("last"))
                    .where(model.customer.in_(ids)).group_by(model.customer).tuples())
            for customer_id, last in rows:
                last = _as_date(last if not isinstance(last, str) else dt.date.fromisoformat(last[:10]))
                if last and (customer_id not in latest or last > latest[customer_id]):
                    latest[customer_id] = last
    return latest


def _destroyed_ids(model):
    table = model._meta.table_name
    return ChangeLog.select(ChangeLog.record_id).where(ChangeLog.table == table, ChangeLog.action == "destroy")


def _archive_due(years, today, limit, ids=None):
    """Return [Due] of archive entries whose own rule has passed."""
    m = ArchiveRecord
    own = m.retention_until.is_null(False) & (m.retention_until < today)
    rough = m.retention_until.is_null() & (m.entry_date <= today - relativedelta(years=years))
    query = m.select().where(own | rough, m.id.not_in(_destroyed_ids(m))).order_by(m.entry_date, m.id)
    rows = list(query.where(m.id.in_(list(ids))) if ids is not None else query.limit(limit * 4))
    activity = last_activity({r.customer_id for r in rows})
    found = []
    for row in rows:
        floor = earliest_keep_until(row.entry_date, years)
        if row.retention_until:
            rule, day = "keep_until", max(row.retention_until + dt.timedelta(days=1), floor)
        else:
            last = max(row.entry_date, activity.get(row.customer_id) or row.entry_date)
            rule = "last_activity" if last > row.entry_date else "entry_date"
            day = earliest_keep_until(last, years)
        if day <= today:
            found.append(Due(row, rule, day))
    return found[:limit]


def due_entries(model, years=DEFAULT_YEARS, today=None, limit=500, ids=None):
    """Return [Due] of a model's records past retention and not destroyed yet, oldest first."""
    today = today or dt.date.today()
    if model is ArchiveRecord:
        return _archive_due(years, today, limit, ids)
    query = model.select().where(model.closed_at.is_null(False), model.closed_at < cutoff(years, today),
                                 model.id.not_in(_destroyed_ids(model))).order_by(model.closed_at, model.id)
    query = query.where(model.id.in_(list(ids))) if ids is not None else query.limit(limit)
    return [Due(row, "closed", earliest_keep_until(row.closed_at.date(), years)) for row in query]


def due(model, years=DEFAULT_YEARS, today=None):
    """Return the records of a model past retention and not destroyed yet, oldest first."""
    return [entry.record for entry in due_entries(model, years, today)]


def due_by_model(years=DEFAULT_YEARS, today=None, limit=500):
    """Return [(model, [Due])] for every record kind with records past retention."""
    result = []
    for model in RECORD_MODELS:
        rows = due_entries(model, years, today, limit)
        if rows:
            result.append((model, rows))
    return result


def destroy(model, ids, years=DEFAULT_YEARS, today=None):
    """Erase the personal fields of the given records still past retention, in one transaction; log each.

    Return the ids actually destroyed (records no longer due, e.g. after new activity, are left alone).
    """
    with write_transaction():
        chosen = [entry.record.id for entry in due_entries(model, years, today, ids=ids)]
        if not chosen:
            return []
        fields = personal_fields(model)
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
    return chosen


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
