"""The dashboard's figures, each computed with the same conditions as the list behind it.

Definitions (the seeds name the targets, not the formulas):
- resolution rate (办结率) = complaints received in the period that are closed ÷ complaints received in the period;
- satisfaction rate = returned questionnaires whose overall rating is "fairly satisfied" or better ÷ all returned
  questionnaires, per month of return (seed 004 §12 5.10);
- complaint rate = complaints received in the period ÷ customers with activity in the period, where activity is
  any feedback, complaint, repair, return/exchange or dossier entry dated in the period (or, by the rule setting
  "complaint_rate_denominator", all customers on file).
Targets are rule settings; whether a figure meets its target is decided exactly in admin_app/services/settings/kpi.py.
The period is the last 12 calendar months including the current one.

Speed at a million customers: the open and overdue counts and the reports due are live, each answered by an
index over just the rows it counts (status, deadline). The year-long figures (complaints per month, the two
rates, satisfaction, grades, survey response and coverage counts) read a year of records (44 s at a million
customers), so the queue worker computes them together at its start and again once they are older than
DASHBOARD_CACHE_SECONDS, and keeps them in the dashboard_snapshot table; the page shows the time they are as of.
"""
import datetime as dt
import time

import peewee as pw
from dateutil.relativedelta import relativedelta

from admin_app.services.jobs import liveness
from admin_app.services.settings import kpi
from admin_app.services.workflow import snapshot
from admin_app.services.workflow.deadlines import WORKFLOW_MODELS, open_condition, overdue_condition
from models import ArchiveRecord, Complaint, Customer, Feedback, Repair, ReturnExchange
from models.choices import COMPLAINT_TYPES, GRADES

#: the seeds' defaults; the targets in force are rule settings (views use admin_app/services/settings/kpi.py)
TARGETS = {"resolution": 80.0, "satisfaction": 90.0, "complaint_rate": 2.0}
SATISFIED = ("very_satisfied", "satisfied", "fair")
#: seconds the year-long figures are reused (config DASHBOARD_CACHE_SECONDS)
CACHE_SECONDS = 300
#: the date each record type's activity is dated by
ACTIVITY_DATES = ((Feedback, "feedback_date"), (Complaint, "received_at"), (Repair, "received_at"),
                  (ReturnExchange, "created_at"), (ArchiveRecord, "entry_date"))


def months(today, count=12):
    """Return the first days of the last `count` months, oldest first, ending with today's month."""
    first = today.replace(day=1)
    return [first - relativedelta(months=n) for n in range(count - 1, -1, -1)]


def month_end(first):
    """Return the last day of the month starting at `first`."""
    return first + relativedelta(months=1) - dt.timedelta(days=1)


def span(first, last):
    """Return (start, end) datetimes covering whole days from `first` to `last`."""
    return dt.datetime.combine(first, dt.time()), dt.datetime.combine(last, dt.time(23, 59, 59))


def _percent(part, whole):
    return round(part * 100.0 / whole, 1) if whole else None


def workload():
    """Return {model: {"open": n, "overdue": n}} for every workflow record type."""
    return {model: {"open": model.select().where(open_condition(model)).count(),
                    "overdue": model.select().where(overdue_condition(model)).count()}
            for model in WORKFLOW_MODELS}


def complaints_by_month(month_starts):
    """Return {complaint type: [count per month]} of complaints received in each month."""
    start, end = span(month_starts[0], month_end(month_starts[-1]))
    month_of = _month_of(Complaint.received_at)
    rows = (Complaint.select(month_of.alias("m"), Complaint.complaint_type, pw.fn.COUNT(Complaint.id).alias("n"))
            .where(Complaint.received_at.between(start, end)).group_by(month_of, Complaint.complaint_type)
            .tuples())
    found = {(m, kind): n for m, kind, n in rows}
    return {kind: [found.get((first.strftime("%Y-%m"), kind), 0) for first in month_starts]
            for kind, _label in COMPLAINT_TYPES}


def _month_of(column):
    """Return an SQL expression giving a datetime column's month as 'YYYY-MM'."""
    from admin_app.db import is_sqlite

    return pw.fn.strftime("%Y-%m", column) if is_sqlite() else pw.fn.to_char(column, "YYYY-MM")


def resolution(first, last):
    """Return (closed, received, rate %) of the complaints received in a period."""
    start, end = span(first, last)
    received = Complaint.select().where(Complaint.received_at.between(start, end))
    closed = received.where(Complaint.status == "closed").count()
    total = received.count()
    return closed, total, _percent(closed, total)


def active_customers(first, last):
    """Return how many distinct customers have any activity dated in a period."""
    start, end = span(first, last)
    queries = []
    for model, name in ACTIVITY_DATES:
        column = getattr(model, name)
        bounds = (start, end) if isinstance(column, pw.DateTimeField) else (first, last)
        queries.append(model.select(model.customer.alias("cid")).where(column.between(*bounds)))
    union = queries[0]
    for query in queries[1:]:
        union = union | query  # UNION removes duplicates
    return union.count()  # every record's customer exists (foreign key), so the distinct ids are the customers


def complaint_rate(first, last):
    """Return (complaints, active customers, rate %) for a period."""
    start, end = span(first, last)
    complaints = Complaint.select().where(Complaint.received_at.between(start, end)).count()
    customers = kpi.complaint_rate_customers(first, last, lambda: active_customers(first, last))
    return complaints, customers, _percent(complaints, customers)


def satisfaction_by_month(month_starts):
    """Return [(satisfied, returned, rate %)] per month, or None when surveys are not installed."""
    try:
        from models.survey import Response
    except ImportError:
        return None
    start, end = span(month_starts[0], month_end(month_starts[-1]))
    month_of = _month_of(Response.submitted_at)
    satisfied = pw.fn.SUM(pw.Case(None, [(Response.overall.in_(list(SATISFIED)), 1)], 0))
    rows = (Response.select(month_of, satisfied, pw.fn.COUNT(Response.id))
            .where(Response.submitted_at.between(start, end)).group_by(month_of).tuples())
    found = {month: (int(happy or 0), total) for month, happy, total in rows}
    result = []
    for first in month_starts:
        happy, total = found.get(first.strftime("%Y-%m"), (0, 0))
        result.append((happy, total, _percent(happy, total)))
    return result


def grade_distribution():
    """Return {grade: number of customers}."""
    counts = dict(Customer.select(Customer.grade, pw.fn.COUNT(Customer.id)).group_by(Customer.grade).tuples())
    return {grade: counts.get(grade, 0) for grade, _label in GRADES}


def reports_due(today):
    """Return how many customers have a grade report due in today's month."""
    first = today.replace(day=1)
    return Customer.select().where(Customer.next_report_due.between(first, month_end(first))).count()


def year_figures(month_starts, today=None):
    """Return the figures that read a year of records (or every customer), keyed as in figures().

    Also the survey KPIs' counts: "responses" (answered, sent) and "coverage" (surveyed, regular customers).
    """
    first, last = month_starts[0], month_end(month_starts[-1])
    return {"complaints_by_month": complaints_by_month(month_starts), "resolution": resolution(first, last),
            "complaint_rate": complaint_rate(first, last), "satisfaction": satisfaction_by_month(month_starts),
            "grades": grade_distribution(), "responses": tuple(kpi.response_counts(first, last)),
            "coverage": kpi.survey_coverage(today)}


def period_key(month_starts, today=None):
    """Return the snapshot key: the period, and the rule settings the figures depend on."""
    from admin_app.services.settings import store

    today = today or dt.date.today()
    return (f"{month_starts[0]:%Y-%m}..{today:%Y-%m-%d}|{store.get('complaint_rate_denominator')}"
            f"|{store.get('regular_customer_months')}")


def cached_year_figures(month_starts, today=None):
    """Return (year_figures(), datetime they are as of), or (None, None) while the worker first computes them.

    Kept in the database (admin_app/services/workflow/snapshot.py) and recomputed by the queue worker once
    older than DASHBOARD_CACHE_SECONDS; a page reads a year of records itself only when no worker is alive.
    0 seconds (or no app) computes them on every request.
    """
    from flask import current_app, has_app_context

    seconds = current_app.config.get("DASHBOARD_CACHE_SECONDS", CACHE_SECONDS) if has_app_context() else 0
    if seconds <= 0:
        return year_figures(month_starts, today), dt.datetime.now()
    key = period_key(month_starts, today)
    found = snapshot.load(key)
    if found is None:
        request_refresh()  # in immediate mode (tests) it has run when this returns
        found = snapshot.load(key)
    if found is None and not liveness.worker_alive():
        found = _computed_here(key, year_figures(month_starts, today))
    return found or (None, None)


def _computed_here(key, figures):
    """Keep figures this page computed because no worker would (none started); return (figures, as_of).

    A database that refuses the write (read-only, locked by another writer) still gets the figures shown.
    """
    try:
        return snapshot.save(key, lambda: figures)
    except pw.DatabaseError:
        return figures, dt.datetime.now().replace(microsecond=0)


def request_refresh():
    """Ask the queue worker to compute the figures of the current period (at most once a minute per process)."""
    global _asked
    from admin_app.services.jobs import queue, tasks

    if time.monotonic() - _asked < 60 and not queue.huey.immediate:
        return
    _asked = time.monotonic()
    tasks.refresh_dashboard()


_asked = -60.0


def refresh(today=None, older_than=0):
    """Compute and keep the current period's year figures unless they are younger than `older_than` seconds.

    Returns True when computed. Run by the queue worker (admin_app/services/jobs/tasks.py).
    """
    month_starts = months(today or dt.date.today())
    key = period_key(month_starts, today)
    current = snapshot.age(key)
    if current is not None and current < older_than:
        return False
    snapshot.save(key, lambda: year_figures(month_starts, today))
    return True


def forget():
    """Drop the kept year-long figures (the next dashboard asks the worker for new ones)."""
    global _asked
    _asked = -60.0
    snapshot.forget()


def figures(today=None):
    """Return every dashboard figure for the period ending in today's month.

    "as_of" is when the year-long figures were computed; the workload and reports due are always current.
    "pending" is True (and the year-long figures absent) while the queue worker computes them the first time.
    """
    today = today or dt.date.today()
    month_starts = months(today)
    first, last = month_starts[0], month_end(month_starts[-1])
    year, as_of = cached_year_figures(month_starts, today)
    return {"today": today, "months": month_starts, "first": first, "last": last, "workload": workload(),
            "reports_due": reports_due(today), "targets": TARGETS, "as_of": as_of, "pending": year is None,
            **(year or {})}
