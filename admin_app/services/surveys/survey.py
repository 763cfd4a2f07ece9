"""Survey rules: who receives a dispatch, the sample, the batch, a response and its complaint."""
import datetime as dt
import json
import math
import random
import secrets
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import peewee as pw
from flask_babel import gettext as _

from admin_app.db import is_sqlite, write_transaction
from admin_app.services.trust import history
from admin_app.services.workflow.workdays import investigation_due
from models import Complaint, Customer, User, db, now
from models.survey import Answer, Invitation, OutboxMessage, QuestionItem, Questionnaire, Response, SurveyBatch

#: the customer field a channel needs to reach someone
CONTACT_FIELDS = {"email": "email", "sms": "phone", "phone": "phone", "letter": "address"}
EXCLUSION_REASONS = ("no_consent", "no_contact", "recently_surveyed")
TOKEN_BYTES = 24  # 192 bits, above the 128 the issue asks for
CHUNK = 10000  # rows handed to executemany at once
REFERENCE_FILE = Path(__file__).resolve().parents[3] / "seeds" / "reference" / "questionnaire_standard.json"


class AlreadyAnswered(Exception):
    """The invitation was answered before."""


@dataclass
class DispatchPlan:
    """What a dispatch would do: the eligible customers, the exclusions by reason and the sample."""

    matched: int = 0
    excluded: Counter = field(default_factory=Counter)
    eligible: list = field(default_factory=list)
    complainers: set = field(default_factory=set)
    percent: int = 100

    @property
    def excluded_total(self):
        return sum(self.excluded.values())

    @property
    def always_count(self):
        """Return how many eligible customers complained in the last 12 months."""
        return sum(1 for cid in self.eligible if cid in self.complainers)

    @property
    def sample_size(self):
        """Return how many receive it: all complainers plus N% of the others."""
        always = self.always_count
        return always + others_quota(len(self.eligible) - always, self.percent)


def new_token():
    """Return an unguessable URL-safe token of 192 random bits."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def others_quota(count, percent):
    """Return how many of `count` customers an N% sample takes (rounded up, so 1% of 1 is 1)."""
    return count if percent >= 100 else math.ceil(count * max(percent, 0) / 100)


def complainer_ids(today=None):
    """Return the ids of customers who complained in the last 12 months (seed: always surveyed)."""
    today = today or dt.date.today()
    since = dt.datetime.combine(today - dt.timedelta(days=365), dt.time.min)
    query = Complaint.select(Complaint.customer).where(Complaint.received_at >= since).distinct()
    return {row[0] for row in query.tuples()}


def recently_surveyed_ids(days, today=None):
    """Return the ids of customers invited within the last `days` days."""
    if not days:
        return set()
    since = dt.datetime.combine((today or dt.date.today()) - dt.timedelta(days=days), dt.time.min)
    query = (Invitation.select(Invitation.customer).join(SurveyBatch)
             .where(SurveyBatch.created_at >= since).distinct())
    return {row[0] for row in query.tuples()}


def exclusion_reason(row, channel, recent):
    """Return why a (id, email, phone, address, consent_date) row is excluded, or None."""
    cid, email, phone, address, consent = row
    contact = {"email": email, "phone": phone, "address": address}[CONTACT_FIELDS[channel]]
    if consent is None:
        return "no_consent"
    if not (contact or "").strip():
        return "no_contact"
    if cid in recent:
        return "recently_surveyed"
    return None


def plan_dispatch(customers, channel, percent=100, exclude_days=0, today=None):
    """Return the DispatchPlan for a customer query and the chosen options."""
    query = customers.select(Customer.id, Customer.email, Customer.phone, Customer.address,
                             Customer.consent_date).order_by(Customer.id)
    recent = recently_surveyed_ids(exclude_days, today)
    plan = DispatchPlan(percent=percent, complainers=complainer_ids(today))
    for row in query.tuples().iterator():
        plan.matched += 1
        reason = exclusion_reason(row, channel, recent)
        if reason:
            plan.excluded[reason] += 1
        else:
            plan.eligible.append(row[0])
    return plan


def draw_sample(eligible, percent, always, rng=None):
    """Return the sampled ids: every id in `always`, plus a random N% of the others."""
    rng = rng or random.SystemRandom()
    must = [cid for cid in eligible if cid in always]
    others = [cid for cid in eligible if cid not in always]
    return must + rng.sample(others, others_quota(len(others), percent))


def create_batch(plan, questionnaire, channel, expires_on, user=None, selection="", message=None, rng=None):
    """Create the batch, its invitations and (email) its outbox rows in one transaction; return the batch."""
    chosen = draw_sample(plan.eligible, plan.percent, plan.complainers, rng)
    with write_transaction():
        batch = SurveyBatch.create(
            questionnaire=questionnaire, channel=channel, created_by=user, expires_on=expires_on,
            sample_percent=plan.percent, selection=selection[:2000], matched_count=plan.matched,
            excluded_count=plan.excluded_total + len(plan.eligible) - len(chosen), sent_count=len(chosen))
        rows = [(batch.id, cid, new_token()) for cid in chosen]
        insert_rows(Invitation, ["batch", "customer", "token"], rows)
        if channel == "email" and message:
            enqueue_batch_mail(batch, *message)
        history.record(batch, "create", snap=history.snapshot(batch))
    return batch


def _db_default(field):
    value = field.default() if callable(field.default) else field.default
    return str(value) if isinstance(value, dt.datetime) and is_sqlite() else value


def insert_rows(model, names, rows):
    """Insert many rows with one prepared INSERT run by executemany: set-based, without per-row SQL building."""
    # peewee defaults live in Python, not in the schema: add them once for every row
    extra = [f for f in model._meta.sorted_fields if f.name not in names and f.default is not None]
    defaults = tuple(_db_default(f) for f in extra)
    rows = [tuple(row) + defaults for row in rows] if extra else rows
    fields = [model._meta.fields[name] for name in names] + extra
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join([db.obj.param] * len(fields))
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
    cursor = db.cursor()
    for start in range(0, len(rows), CHUNK):
        cursor.executemany(sql, rows[start:start + CHUNK])


def enqueue_batch_mail(batch, subject, body_head, link_base, body_tail):
    """Queue one email per invitation with INSERT…SELECT: body = head + link + token + tail."""
    body = pw.Value(body_head).concat(pw.Value(link_base)).concat(Invitation.token).concat(pw.Value(body_tail))
    stamp = Invitation.created_at  # the invitation's own time: a typed column on SQLite and PostgreSQL alike
    source = (Invitation.select(Customer.email, pw.Value(subject), body, Invitation.id, pw.Value("pending"),
                                pw.Value(0), stamp, stamp, stamp, pw.Value(1))
              .join(Customer).where(Invitation.batch == batch.id))
    OutboxMessage.insert_from(source, [
        OutboxMessage.recipient, OutboxMessage.subject, OutboxMessage.body, OutboxMessage.invitation,
        OutboxMessage.status, OutboxMessage.attempts, OutboxMessage.next_attempt_at,
        OutboxMessage.created_at, OutboxMessage.updated_at, OutboxMessage.version]).execute()


# --- responses ------------------------------------------------------------------------------------
def invitation_state(invitation, today=None):
    """Return 'open', 'expired' or 'used' for an invitation."""
    if invitation.answered_at is not None:
        return "used"
    return "expired" if invitation.batch.expired(today) else "open"


def record_response(questionnaire, customer, overall, answers, comment=None, invitation=None,
                    source="online", entered_by=None, reference=None):
    """Store a response and its answers ({item_id: (level, remark)}); open a complaint on 不满意."""
    with write_transaction():
        if invitation is not None:
            claimed = (Invitation.update(answered_at=now())
                       .where(Invitation.id == invitation.id, Invitation.answered_at.is_null()).execute())
            if not claimed:
                raise AlreadyAnswered()
        response = Response.create(questionnaire=questionnaire, customer=customer, overall=overall,
                                   comment=(comment or "").strip() or None, invitation=invitation,
                                   source=source, entered_by=entered_by, reference=reference or None)
        Answer.insert_many([(response.id, item_id, level, (remark or "").strip() or None)
                            for item_id, (level, remark) in answers.items()],
                           fields=[Answer.response, Answer.item, Answer.level, Answer.remark]).execute()
        if overall == "very_unsatisfied" or any(lv == "very_unsatisfied" for lv, _r in answers.values()):
            response.complaint = open_complaint(response, answers)
            response.save(only=[Response.complaint])
    return response


def quality_owner():
    """Return the first active quality-department user, who receives survey complaints."""
    return (User.select().where(User.role == "quality", User.active == True)  # noqa: E712
            .order_by(User.id).first())


def open_complaint(response, answers):
    """Open a complaint for a 不满意 answer, owned by the quality department (seed 5.9.2)."""
    items = {item.id: item for item in QuestionItem.select().where(QuestionItem.id.in_(list(answers)))}
    low = [items[iid] for iid, (level, _r) in answers.items() if level == "very_unsatisfied" and iid in items]
    service_low = any("service" in item.code for item in low)
    lines = [_("Satisfaction survey answer #%(id)s rated \"Dissatisfied\".", id=response.id)]
    lines += [f"- {item.text}: {(answers[item.id][1] or '').strip()}" for item in low]
    if response.overall == "very_unsatisfied":
        lines.append(_("Overall rating: Dissatisfied."))
    if response.comment:
        lines.append(_("Comment: %(text)s", text=response.comment))
    customer = response.customer
    received = now()
    complaint = Complaint.create(
        customer=customer, owner=quality_owner(), complainant=customer.contact_person or customer.name,
        contact_phone=customer.phone, received_at=received,
        channel="phone" if response.source == "phone_followup" else "online",
        complaint_type="service_quality" if service_low else "product_quality",
        content="\n".join(lines), investigation_due=investigation_due(received))
    history.record(complaint, "create", snap=history.snapshot(complaint))
    return complaint


# --- questionnaires ------------------------------------------------------------------------------------
def new_revision(questionnaire):
    """Copy a questionnaire and its items into the next revision and retire the old one; return the copy."""
    with write_transaction():
        top = (Questionnaire.select(pw.fn.MAX(Questionnaire.revision))
               .where(Questionnaire.code == questionnaire.code).scalar())
        copy = Questionnaire.create(code=questionnaire.code, revision=top + 1, title=questionnaire.title,
                                    title_en=questionnaire.title_en, intro=questionnaire.intro,
                                    intro_en=questionnaire.intro_en, active=True)
        for item in questionnaire.ordered_items():
            QuestionItem.create(questionnaire=copy, position=item.position, code=item.code, text=item.text,
                                text_en=item.text_en, hint=item.hint, hint_en=item.hint_en)
        Questionnaire.update(active=False).where(Questionnaire.id == questionnaire.id).execute()
        history.record(copy, "create", snap=history.snapshot(copy))
    return copy


def load_reference_questionnaire(path=REFERENCE_FILE):
    """Load the seed's standard questionnaire unless its code exists; return it."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    with db.atomic():
        found = Questionnaire.select().where(Questionnaire.code == data["code"]).order_by(
            Questionnaire.revision.desc()).first()
        if found:
            return found
        items = data.pop("items")
        questionnaire = Questionnaire.create(**data)
        for position, item in enumerate(items, start=1):
            QuestionItem.create(questionnaire=questionnaire, position=position, **item)
    return questionnaire
