"""The follow-up register (回访登记): every follow-up due and done across complaints, repairs, surveys, visits.

Sources and their rules:
- complaint: after the customer is informed, a follow-up visit by phone or on site records the customer's
  satisfaction (001; 004 第12篇 5.6.1). Due on the planned follow-up date, else FOLLOWUP_WORKDAYS working days
  after the customer was informed (house rule); done once the follow-up is recorded.
- repair: 接件员…及時與報修人員聯系,做好回訪 (002 第四篇 5), a phone call after the customer confirmed the work.
  Due on the follow-up date, else FOLLOWUP_WORKDAYS working days after confirmation.
- survey: a phone-call list batch puts each customer on the register until the batch expires; answers a clerk
  entered from a phone call or a paper questionnaire are done follow-ups.
- visit: a dossier entry of kind visit (拜訪, 004 第12篇 5.8.2 c) is an on-site follow-up done on its date.
"""
import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from admin_app.services.workflow import workdays
from models import ArchiveRecord, Complaint, Customer, Invitation, Repair, Response, SurveyBatch, User
from models.choices import SATISFACTION
from models.choices import label as choice_label
from models.workflow import TransitionLog

FOLLOWUP_WORKDAYS = 3
KINDS = {"complaint": _l("Complaint"), "repair": _l("Repair"), "survey": _l("Survey"), "visit": _l("Customer visit")}
#: the view whose read permission a source needs
KIND_ENDPOINTS = {"complaint": "complaint", "repair": "repair", "survey": "surveyresponse", "visit": "archiverecord"}
STATES = {"open": _l("Open"), "overdue": _l("Overdue"), "done": _l("Done")}
#: the follow-up methods in the register's words ("On site" alone reads as the repair status 已到现场)
METHODS = {"phone": _l("Phone"), "on_site": _l("On-site visit")}


@dataclass
class FollowUp:
    """One line of the register; `endpoint`/`record_id` name the record it belongs to."""

    kind: str
    endpoint: str
    record_id: int
    customer: str
    due: dt.date
    owner_id: int | None
    owner: str
    method: str | None
    done_on: dt.date | None = None
    outcome: object = ""  # the translated satisfaction label (lazy until shown)

    def state(self, today):
        """Return done, overdue (due before today and not done) or open."""
        if self.done_on is not None:
            return "done"
        return "overdue" if self.due < today else "open"

    @property
    def kind_label(self):
        return str(KINDS[self.kind])

    @property
    def method_label(self):
        return str(METHODS.get(self.method, "")) if self.method else ""


def _day(value):
    return value.date() if isinstance(value, dt.datetime) else value


def _names(ids):
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {u.id: str(u) for u in User.select().where(User.id.in_(list(ids)))}


def _customers(ids):
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return dict(Customer.select(Customer.id, Customer.name).where(Customer.id.in_(list(ids))).tuples())


def _informed_at(ids):
    """Return {complaint id: when it was last moved to customer_informed}."""
    if not ids:
        return {}
    query = (TransitionLog.select(TransitionLog.record_id, TransitionLog.at)
             .where(TransitionLog.table == "complaint", TransitionLog.to_status == "customer_informed",
                    TransitionLog.record_id.in_(list(ids))).order_by(TransitionLog.at).tuples())
    return dict(query)


def complaint_rows(owner=None, calendar=None):
    """Return the follow-ups of complaints whose customer was informed or whose follow-up is planned."""
    query = Complaint.select().where(
        Complaint.status.in_(["customer_informed", "followed_up", "closed"]) | Complaint.followup_date.is_null(False))
    if owner:
        query = query.where(Complaint.owner == owner)
    records = list(query)
    informed = _informed_at([r.id for r in records if r.followup_date is None])
    rows = []
    for rec in records:
        done = rec.status in ("followed_up", "closed")
        start = _day(informed.get(rec.id) or rec.updated_at)
        due = rec.followup_date or workdays.add_workdays(start, FOLLOWUP_WORKDAYS, calendar)
        rows.append(FollowUp("complaint", "complaint", rec.id, rec.customer_id, due, rec.owner_id, "",
                             rec.followup_method, (rec.followup_date or due) if done else None,
                             choice_label(SATISFACTION, rec.followup_satisfaction)))
    return rows


def repair_rows(owner=None, calendar=None):
    """Return the follow-up calls of repairs the customer confirmed (or with a follow-up date)."""
    query = Repair.select().where(Repair.status.in_(["confirmed", "followed_up"]) | Repair.followup_date.is_null(False))
    if owner:
        query = query.where(Repair.owner == owner)
    rows = []
    for rec in query:
        start = _day(rec.customer_confirmed_at or rec.updated_at)
        due = rec.followup_date or workdays.add_workdays(start, FOLLOWUP_WORKDAYS, calendar)
        done = rec.status == "followed_up"
        rows.append(FollowUp("repair", "repair", rec.id, rec.customer_id, due, rec.owner_id, "", "phone",
                             (rec.followup_date or due) if done else None,
                             choice_label(SATISFACTION, rec.followup_evaluation)))
    return rows


def survey_rows(owner=None):
    """Return phone-list invitations (due until the batch expires) and answers staff entered by hand."""
    rows = []
    calls = (Invitation.select(Invitation, SurveyBatch).join(SurveyBatch)
             .where(SurveyBatch.channel == "phone"))
    if owner:
        calls = calls.where(SurveyBatch.created_by == owner)
    answered = {}
    invitations = list(calls)
    if invitations:
        answered = {r.invitation_id: r for r in Response.select().where(
            Response.invitation.in_([i.id for i in invitations]))}
    for inv in invitations:
        response = answered.get(inv.id)
        rows.append(FollowUp("survey", "surveybatch", inv.batch_id, inv.customer_id, inv.batch.expires_on,
                             inv.batch.created_by_id, "", "phone", _day(inv.answered_at),
                             choice_label(SATISFACTION, response.overall) if response else ""))
    entered = Response.select().where(Response.source != "online", Response.invitation.is_null())
    if owner:
        entered = entered.where(Response.entered_by == owner)
    for resp in entered:
        method = "on_site" if resp.source == "paper" else "phone"
        day = _day(resp.submitted_at)
        rows.append(FollowUp("survey", "surveyresponse", resp.id, resp.customer_id, day, resp.entered_by_id, "",
                             method, day, choice_label(SATISFACTION, resp.overall)))
    return rows


def visit_rows(owner=None):
    """Return the dossier's visit entries as on-site follow-ups done on their date."""
    query = ArchiveRecord.select().where(ArchiveRecord.kind == "visit")
    if owner:
        query = query.where(ArchiveRecord.owner == owner)
    return [FollowUp("visit", "archiverecord", rec.id, rec.customer_id, rec.entry_date, rec.owner_id, "",
                     "on_site", rec.entry_date, choice_label(SATISFACTION, rec.satisfaction))
            for rec in query]


def register(kinds=tuple(KINDS), owner=None, method=None, state=None, due_from=None, due_to=None, today=None):
    """Return the register's lines (FollowUp), open ones by due date first, then done ones newest first.

    kinds: the sources to include (those the viewer may read); owner: a user id; method: phone / on_site;
    state: open / overdue / done; due_from, due_to: dates, both inclusive.
    """
    today = today or dt.date.today()
    sources = {"complaint": lambda: complaint_rows(owner), "repair": lambda: repair_rows(owner),
               "survey": lambda: survey_rows(owner), "visit": lambda: visit_rows(owner)}
    rows = [row for kind in KINDS if kind in kinds for row in sources[kind]()]
    rows = [r for r in rows if (not method or r.method == method) and (not state or r.state(today) == state)
            and (not due_from or r.due >= due_from) and (not due_to or r.due <= due_to)]
    names, customers = _names(r.owner_id for r in rows), _customers(r.customer for r in rows)
    for row in rows:
        row.owner, row.customer = names.get(row.owner_id, ""), customers.get(row.customer, "")
    rows.sort(key=lambda r: (r.done_on is not None, r.due if r.done_on is None else -r.done_on.toordinal(),
                             r.kind, r.record_id))
    return rows
