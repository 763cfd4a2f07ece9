"""Which workflow records are open, due today or overdue, as SQL conditions and per record.

Complaints: the investigation is due 3 working days after receipt (stored in investigation_due) while the
complaint is received or investigating. Repairs: the response is due 24 h (12 h in core areas) after receipt
(stored in response_due) while received or assigned. Feedback: house rule, a reply is due 5 working days after
the feedback date until it is replied. Returns: house rule, a decision is due 3 working days after the request.
The figures are rule settings (admin_app/services/settings); feedback and return deadlines are not stored, so a
change of those two applies to every open record at once.
"""
import datetime as dt
from dataclasses import dataclass

from admin_app.services.settings import store
from admin_app.services.workflow import workdays
from admin_app.services.workflow.states import machine_for
from models import Complaint, Feedback, Repair, ReturnExchange


@dataclass(frozen=True)
class Deadline:
    """Where a record type keeps its deadline and while which statuses it runs."""

    model: type
    pending: tuple
    due_field: str = None
    start_field: str = None
    setting: str = None

    @property
    def workdays(self):
        """Return the working days the deadline runs (a rule setting)."""
        return store.get(self.setting) if self.setting else 0


DEADLINES = {
    Complaint: Deadline(Complaint, ("received", "investigating"), due_field="investigation_due"),
    Repair: Deadline(Repair, ("received", "assigned"), due_field="response_due"),
    Feedback: Deadline(Feedback, ("new", "analysing", "routed"), start_field="feedback_date",
                       setting="feedback_reply_workdays"),
    ReturnExchange: Deadline(ReturnExchange, ("requested",), start_field="created_at",
                             setting="return_decision_workdays"),
}
WORKFLOW_MODELS = (Feedback, Complaint, Repair, ReturnExchange)


def _midnight(day):
    return dt.datetime.combine(day, dt.time())


def _bound(model, field, day):
    """Return the value to compare a date or datetime column against for 'on or before day'."""
    column = getattr(model, field)
    return column, (_midnight(day + dt.timedelta(days=1)) if field == "created_at" else day)


def overdue_condition(model, today=None, moment=None):
    """Return the peewee condition selecting a model's overdue records."""
    today, moment = today or dt.date.today(), moment or dt.datetime.now()
    rule = DEADLINES[model]
    pending = model.status.in_(list(rule.pending))
    if rule.due_field:
        column = getattr(model, rule.due_field)
        return pending & (column < (moment if rule.due_field == "response_due" else today))
    column, bound = _bound(model, rule.start_field, workdays.latest_start(today, rule.workdays))
    return pending & (column < bound if rule.start_field == "created_at" else column <= bound)


def due_today_condition(model, today=None, moment=None):
    """Return the peewee condition selecting records due today and not yet overdue."""
    today, moment = today or dt.date.today(), moment or dt.datetime.now()
    rule = DEADLINES[model]
    pending = model.status.in_(list(rule.pending))
    if rule.due_field == "response_due":
        return pending & (model.response_due >= moment) & (model.response_due < _midnight(today + dt.timedelta(1)))
    if rule.due_field:
        return pending & (getattr(model, rule.due_field) == today)
    low = workdays.latest_start(today, rule.workdays)
    high = workdays.latest_start(today, rule.workdays, strict=False)
    column, low_bound = _bound(model, rule.start_field, low)
    _column, high_bound = _bound(model, rule.start_field, high)
    if rule.start_field == "created_at":
        return pending & (column >= low_bound) & (column < high_bound)
    return pending & (column > low_bound) & (column <= high_bound)


def open_condition(model):
    """Return the condition selecting records not yet in a terminal status.

    Named as the open statuses (IN, not NOT IN the terminal ones) so that the status index reads only open rows.
    """
    machine = machine_for(model)
    return model.status.in_([s for s in machine.statuses() if s not in machine.terminal])


def due_of(record):
    """Return the deadline of a record (date or datetime), or None when no deadline runs."""
    rule = DEADLINES.get(type(record))
    if rule is None or record.status not in rule.pending:
        return None
    if rule.due_field:
        return getattr(record, rule.due_field)
    start = getattr(record, rule.start_field)
    start = start.date() if isinstance(start, dt.datetime) else start
    return workdays.add_workdays(start, rule.workdays) if start else None


def due_state(record, today=None, moment=None):
    """Return "overdue", "due_today" or None for one record."""
    due = due_of(record)
    if due is None:
        return None
    today, moment = today or dt.date.today(), moment or dt.datetime.now()
    if isinstance(due, dt.datetime):
        return "overdue" if due < moment else ("due_today" if due.date() == today else None)
    return "overdue" if due < today else ("due_today" if due == today else None)


def mine_condition(model, user_id):
    """Return the condition selecting a user's records: owner, technician (repair, consultation), legal contact.

    Written as `id IN (one indexed lookup per role, united)`: as an OR beside the status condition, SQLite read
    every open record (the status index) to find the few of one user (282 ms at a million customers).
    """
    lookups = [model.select(model.id).where(model.owner == user_id)]
    if model in (Repair, Feedback):
        lookups.append(model.select(model.id).where(model.technician == user_id))
    if model is Complaint:  # a legal escalation is the contact's work until signed off
        lookups.append(model.select(model.id).where((Complaint.legal_contact == user_id)
                                                    & Complaint.legal_signoff_at.is_null()))
    union = lookups[0]
    for lookup in lookups[1:]:
        union = union | lookup
    return model.id.in_(union)


def overdue_count(model, user_id=None):
    """Return how many records of a model are overdue (a user's only, when given)."""
    query = model.select().where(overdue_condition(model))
    if user_id is not None:
        query = query.where(mine_condition(model, user_id))
    return query.count()


def my_work(user_id, limit=200):
    """Return (counts by model, rows) of a user's open records with their due state, most urgent first."""
    rows, counts = [], {}
    order = {"overdue": 0, "due_today": 1, None: 2}
    for model in WORKFLOW_MODELS:
        query = model.select().where(open_condition(model), mine_condition(model, user_id))
        found = list(query.order_by(model.id.desc()).limit(limit))
        states = [(record, due_state(record)) for record in found]
        counts[model] = _my_counts(model, query, found, limit)
        rows += [{"model": model, "record": r, "state": s, "due": due_of(r)} for r, s in states]
    rows.sort(key=lambda row: (order[row["state"]], -row["record"].id))
    return counts, rows


def _my_counts(model, query, found, limit):
    """Return {"open", "due_today", "overdue"} of a user's open records of a model.

    When all of them were read (fewer than `limit`), the due conditions are asked of just their ids: asked of the
    whole query, SQLite walks every overdue record of everyone (the status and date index) to find the user's.
    """
    if len(found) < limit:
        if not found:
            return {"open": 0, "due_today": 0, "overdue": 0}
        query = model.select().where(model.id.in_([record.id for record in found]))
    return {"open": len(found) if len(found) < limit else query.count(),
            "due_today": query.where(due_today_condition(model)).count(),
            "overdue": query.where(overdue_condition(model)).count()}
