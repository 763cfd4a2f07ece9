"""Recompute the stored due dates of open records after a rule setting or the holiday calendar changed.

Set-based: one UPDATE per distinct new investigation date (complaints) and one per repair response rule
(core area or not). Only records whose deadline still runs are touched; every run is logged (RecomputeLog).
"""
import datetime as dt

import peewee as pw

from admin_app.db import is_sqlite, write_transaction
from admin_app.services.settings import store
from admin_app.services.workflow import workdays
from models import Complaint, Customer, Repair, now
from models.settings import RecomputeLog
from models.workflow import CoreArea

#: why a recomputation ran: rule settings page, package calendar loaded, a year entered, one calendar day edited
REASONS = ("settings", "package", "year", "day")
COMPLAINT_PENDING = ("received", "investigating")
REPAIR_PENDING = ("received", "assigned")


def _as_date(value):
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value.date() if isinstance(value, dt.datetime) else value


def _midnight(day):
    return dt.datetime.combine(day, dt.time())


def complaint_groups():
    """Return [(first receipt day, last receipt day, due date)] covering the open complaints' receipt days."""
    day = pw.fn.DATE(Complaint.received_at)
    days = sorted({_as_date(row[0]) for row in Complaint.select(day).where(
        Complaint.status.in_(COMPLAINT_PENDING), Complaint.received_at.is_null(False)).distinct().tuples()})
    if not days:
        return []
    count = store.get("complaint_investigation_workdays")
    calendar = workdays.load_calendar(days[0], days[-1] + dt.timedelta(days=count * 7 + workdays.MAX_SPAN))
    groups = []
    for received in days:
        due = workdays.add_workdays(received, count, calendar)
        if groups and groups[-1][2] == due:
            groups[-1][1] = received
        else:
            groups.append([received, received, due])
    return [tuple(group) for group in groups]


def recompute_complaints():
    """Set the investigation due date of every open complaint from the current rule and calendar; return the count."""
    changed = 0
    for first, last, due in complaint_groups():
        changed += Complaint.update(investigation_due=due, updated_at=now()).where(
            Complaint.status.in_(COMPLAINT_PENDING),
            Complaint.received_at >= _midnight(first), Complaint.received_at < _midnight(last + dt.timedelta(1)),
            Complaint.investigation_due.is_null() | (Complaint.investigation_due != due)).execute()
    return changed


def _plus_hours(column, hours):
    if is_sqlite():
        return pw.fn.datetime(column, f"+{int(hours)} hours")
    return column + pw.SQL(f"interval '{int(hours)} hours'")


def recompute_repairs():
    """Set the response due time of every open repair from the current rule; return the count."""
    core = Customer.select(Customer.id).where(pw.fn.TRIM(Customer.region).in_(CoreArea.select(CoreArea.region)))
    changed = 0
    for in_core, key in ((True, "repair_response_core_hours"), (False, "repair_response_hours")):
        due = _plus_hours(Repair.received_at, store.get(key))
        where = Repair.customer.in_(core) if in_core else (Repair.customer.not_in(core) | Repair.customer.is_null())
        changed += Repair.update(response_due=due, updated_at=now()).where(
            where, Repair.status.in_(REPAIR_PENDING), Repair.received_at.is_null(False),
            Repair.response_due.is_null() | (Repair.response_due != due)).execute()
    return changed


def recompute_open(reason, detail="", actor=(None, "system")):
    """Recompute the due dates of open complaints and repairs in one transaction, log it; return the count.

    reason: one of REASONS; detail: what changed, as data (a date, a year, a span of years).
    """
    with write_transaction():
        changed = recompute_complaints() + recompute_repairs()
        RecomputeLog.create(reason=reason, detail=detail[:255], changed=changed, user=actor[0], username=actor[1])
    return changed


def history(limit=50):
    """Return the latest recomputations, newest first."""
    return list(RecomputeLog.select().order_by(RecomputeLog.at.desc(), RecomputeLog.id.desc()).limit(limit))
