"""The dashboard's year-long figures kept in the database, so no page waits for a year of records to be read.

The queue worker computes them at its start and whenever they are older than DASHBOARD_CACHE_SECONDS (checked
every minute, admin_app/services/jobs/tasks.py); every web process reads the one row of the period. A figure
shown from here carries the time it is as of. Shapes: see dashboard.year_figures().
"""
import datetime as dt
import json
import time

from models import DashboardSnapshot, db

#: keys whose values are tuples (JSON gives lists back)
TUPLES = ("resolution", "complaint_rate", "responses", "coverage")


def encode(figures):
    """Return the year figures as JSON text."""
    return json.dumps(figures, ensure_ascii=False)


def decode(text):
    """Return year figures from JSON text, tuples where the dashboard unpacks tuples."""
    figures = json.loads(text)
    for key in TUPLES:
        if figures.get(key) is not None:
            figures[key] = tuple(figures[key])
    if figures.get("satisfaction") is not None:
        figures["satisfaction"] = [tuple(month) for month in figures["satisfaction"]]
    return figures


def load(key):
    """Return (figures, as_of datetime) kept for a period key, or None."""
    row = (DashboardSnapshot.select(DashboardSnapshot.figures, DashboardSnapshot.as_of)
           .where(DashboardSnapshot.period == key).first())
    return (decode(row.figures), row.as_of) if row else None


def save(key, compute):
    """Compute the figures with `compute()` and keep them as the period's only row; return (figures, as_of)."""
    started, as_of = time.monotonic(), dt.datetime.now().replace(microsecond=0)
    figures = compute()
    text, seconds = encode(figures), time.monotonic() - started
    with db.atomic():
        DashboardSnapshot.delete().where(DashboardSnapshot.period != key).execute()
        (DashboardSnapshot.insert(period=key, as_of=as_of, seconds=seconds, figures=text)
         .on_conflict(conflict_target=[DashboardSnapshot.period],
                      update={DashboardSnapshot.as_of: as_of, DashboardSnapshot.seconds: seconds,
                              DashboardSnapshot.figures: text, DashboardSnapshot.updated_at: as_of})
         .execute())
    return decode(text), as_of


def age(key):
    """Return how many seconds old the period's figures are, or None when there are none."""
    row = DashboardSnapshot.select(DashboardSnapshot.as_of).where(DashboardSnapshot.period == key).first()
    return None if row is None else (dt.datetime.now() - row.as_of).total_seconds()


def forget():
    """Drop every kept period (the next refresh computes them again)."""
    DashboardSnapshot.delete().execute()
