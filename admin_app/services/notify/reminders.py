"""Daily reminders: owners hear what is due the next working day or overdue; managers get the overdue digest.

"Tomorrow" is the next working day (admin_app/services/workflow/workdays.py), so on a Friday a record due on
Monday is due tomorrow. Each reminder is sent once: keyed by record and due day (due tomorrow) or by record
(overdue), so the sweep can run again the same day without repeating itself.
"""
import datetime as dt

import peewee as pw

from admin_app.services.notify.inbox import notify
from admin_app.services.workflow import deadlines, workdays
from models import User


def next_workday(today):
    """Return the first working day after `today`."""
    return workdays.add_workdays(today, 1)


def _owned(model, condition):
    """Return (id, owner id) of a model's records matching a condition that have an owner."""
    query = model.select(model.id, model.owner).where(condition, model.owner.is_null(False))
    return [(record_id, owner_id) for record_id, owner_id in query.tuples()]


def due_tomorrow(today=None):
    """Notify owners of records due the next working day; return how many notifications were made."""
    today = today or dt.date.today()
    day = next_workday(today)
    made = 0
    for model in deadlines.WORKFLOW_MODELS:
        condition = deadlines.due_today_condition(model, today=day, moment=dt.datetime.combine(day, dt.time()))
        for record_id, owner_id in _owned(model, condition):
            key = f"due:{model._meta.table_name}:{record_id}:{day}"
            made += bool(notify(owner_id, "due_tomorrow", (model, record_id), key=key, due=day.isoformat()))
    return made


def overdue(today=None, moment=None):
    """Notify owners of records that have become overdue (once per record); return how many were made."""
    today, moment = today or dt.date.today(), moment or dt.datetime.now()
    made = 0
    for model in deadlines.WORKFLOW_MODELS:
        for record_id, owner_id in _owned(model, deadlines.overdue_condition(model, today, moment)):
            key = f"overdue:{model._meta.table_name}:{record_id}"
            record = model.get_by_id(record_id)
            due = deadlines.due_of(record)
            made += bool(notify(owner_id, "overdue", (model, record_id), key=key,
                                due=due.strftime("%Y-%m-%d") if due else ""))
    return made


def overdue_by_owner(today=None, moment=None):
    """Return [{"owner": name, "count": n}] of overdue records per owner, most first (unowned as "—")."""
    counts = {}
    for model in deadlines.WORKFLOW_MODELS:
        query = (model.select(model.owner, pw.fn.COUNT(model.id).alias("n"))
                 .where(deadlines.overdue_condition(model, today, moment)).group_by(model.owner))
        for row in query.tuples():
            counts[row[0]] = counts.get(row[0], 0) + row[1]
    names = {u.id: str(u) for u in User.select().where(User.id.in_([k for k in counts if k]))}
    rows = [{"owner": names.get(owner, "—"), "count": n} for owner, n in counts.items()]
    return sorted(rows, key=lambda row: (-row["count"], row["owner"]))


def manager_digest(today=None, moment=None):
    """Send every active manager the day's overdue work by owner (once a day); return how many were sent."""
    today = today or dt.date.today()
    rows = overdue_by_owner(today, moment)
    if not rows:
        return 0
    total = sum(row["count"] for row in rows)
    managers = User.select(User.id).where(User.role == "manager", User.active)
    return sum(bool(notify(m.id, "digest", key=f"digest:{today}", total=total, rows=rows)) for m in managers)


def run_daily(today=None, moment=None):
    """Run the morning reminders on working days; return the counts made."""
    today = today or dt.date.today()
    if not workdays.is_workday(today, workdays.load_calendar(today, today)):
        return {"due_tomorrow": 0, "overdue": 0, "digest": 0}
    return {"due_tomorrow": due_tomorrow(today), "overdue": overdue(today, moment),
            "digest": manager_digest(today, moment)}
