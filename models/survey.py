"""Satisfaction surveys: questionnaires, batches, invitations, responses and the mail outbox."""
import datetime as dt

import peewee as pw
from flask_babel import lazy_gettext as _l

from models.base import BaseModel, now
from models.choices import SATISFACTION
from models.customer import Customer
from models.records import Complaint
from models.user import User

SURVEY_CHANNELS = [
    ("email", _l("Email")), ("sms", _l("SMS text")),
    ("phone", _l("Phone-call list")), ("letter", _l("Printed letter")),
]
RESPONSE_SOURCES = [("online", _l("Online form")), ("phone_followup", _l("Phone follow-up (entered by staff)")),
                    ("paper", _l("Paper questionnaire from a visit (entered by staff)"))]
OUTBOX_STATUSES = [("pending", _l("Pending")), ("sending", _l("Sending")), ("sent", _l("Sent")),
                   ("failed", _l("Failed"))]
#: levels counted as satisfied by the seed formula (基本满意 or better)
SATISFIED_LEVELS = ("very_satisfied", "satisfied", "fair")
LEVELS = tuple(code for code, _label in SATISFACTION)


class Questionnaire(BaseModel):
    """One revision of a questionnaire; answered revisions are frozen and superseded by a new one."""

    code = pw.CharField(max_length=32, index=True)
    revision = pw.IntegerField(default=1)
    title = pw.CharField(max_length=200)
    title_en = pw.CharField(max_length=200, null=True)
    intro = pw.TextField(null=True)
    intro_en = pw.TextField(null=True)
    active = pw.BooleanField(default=True, index=True)

    class Meta:
        indexes = ((("code", "revision"), True),)

    def __str__(self):
        return f"{self.title} (v{self.revision})"

    def has_answers(self):
        """Tell whether any response uses this revision."""
        return Response.select().where(Response.questionnaire == self.id).exists()

    def ordered_items(self):
        """Return the items in their display order."""
        return list(self.items.order_by(QuestionItem.position, QuestionItem.id))

    @classmethod
    def current(cls):
        """Return the active questionnaires, newest revision first."""
        return cls.select().where(cls.active == True).order_by(cls.code, cls.revision.desc())  # noqa: E712


class QuestionItem(BaseModel):
    """One rated item of a questionnaire, answered on the five seed levels with an optional remark."""

    questionnaire = pw.ForeignKeyField(Questionnaire, backref="items", on_delete="CASCADE")
    position = pw.IntegerField(default=0)
    code = pw.CharField(max_length=32)
    text = pw.CharField(max_length=255)
    text_en = pw.CharField(max_length=255, null=True)
    hint = pw.TextField(null=True)
    hint_en = pw.TextField(null=True)

    class Meta:
        table_name = "question_item"
        indexes = ((("questionnaire", "code"), True),)

    def __str__(self):
        return self.text


class SurveyBatch(BaseModel):
    """One dispatch: who sent which questionnaire, when, by which channel, to how many customers."""

    questionnaire = pw.ForeignKeyField(Questionnaire, backref="batches", on_delete="RESTRICT")
    channel = pw.CharField(max_length=16, choices=SURVEY_CHANNELS, index=True)
    created_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    expires_on = pw.DateField()
    sample_percent = pw.IntegerField(default=100)
    exclude_days = pw.IntegerField(default=0)
    selection = pw.TextField(null=True)
    matched_count = pw.IntegerField(default=0)
    excluded_count = pw.IntegerField(default=0)
    sent_count = pw.IntegerField(default=0)

    class Meta:
        table_name = "survey_batch"

    def __str__(self):
        return f"#{self.id} {self.created_at:%Y-%m-%d}"

    def expired(self, today=None):
        """Tell whether the batch's links no longer accept answers."""
        return (today or dt.date.today()) > self.expires_on


class Invitation(BaseModel):
    """One customer's link in a batch; the token is the only credential of the public page."""

    batch = pw.ForeignKeyField(SurveyBatch, backref="invitations", on_delete="CASCADE")
    customer = pw.ForeignKeyField(Customer, on_delete="CASCADE", index=True)
    token = pw.CharField(max_length=64, unique=True)
    answered_at = pw.DateTimeField(null=True)

    class Meta:
        indexes = ((("batch", "customer"), True),)


class Response(BaseModel):
    """A returned questionnaire, online or entered by staff after a phone follow-up (回访)."""

    questionnaire = pw.ForeignKeyField(Questionnaire, backref="responses", on_delete="RESTRICT")
    customer = pw.ForeignKeyField(Customer, on_delete="RESTRICT", index=True)
    invitation = pw.ForeignKeyField(Invitation, null=True, unique=True, on_delete="SET NULL")
    overall = pw.CharField(max_length=20, choices=SATISFACTION, index=True)
    comment = pw.TextField(null=True)
    source = pw.CharField(max_length=16, choices=RESPONSE_SOURCES, default="online", index=True)
    entered_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    reference = pw.CharField(max_length=64, null=True)
    submitted_at = pw.DateTimeField(default=now, index=True)
    #: the complaint a 不满意 answer opened (seed 5.9.2); the link lives here, Complaint is unchanged
    complaint = pw.ForeignKeyField(Complaint, null=True, backref="survey_responses", on_delete="SET NULL")

    class Meta:
        table_name = "survey_response"

    def __str__(self):
        return f"#{self.id}"


class Answer(BaseModel):
    """The level chosen for one item, with the customer's remark."""

    response = pw.ForeignKeyField(Response, backref="answers", on_delete="CASCADE")
    item = pw.ForeignKeyField(QuestionItem, on_delete="RESTRICT")
    level = pw.CharField(max_length=20, choices=SATISFACTION)
    remark = pw.TextField(null=True)

    class Meta:
        table_name = "survey_answer"
        indexes = ((("response", "item"), True),)


class OutboxMessage(BaseModel):
    """An email waiting to be sent, sent, or failed after its retries; each failure is kept."""

    recipient = pw.CharField(max_length=128)
    subject = pw.CharField(max_length=255)
    body = pw.TextField()
    invitation = pw.ForeignKeyField(Invitation, null=True, on_delete="SET NULL")
    status = pw.CharField(max_length=10, choices=OUTBOX_STATUSES, default="pending", index=True)
    attempts = pw.IntegerField(default=0)
    next_attempt_at = pw.DateTimeField(default=now, index=True)
    last_error = pw.TextField(null=True)
    errors = pw.TextField(null=True)
    sent_at = pw.DateTimeField(null=True)

    class Meta:
        table_name = "outbox_message"


SURVEY_MODELS = [Questionnaire, QuestionItem, SurveyBatch, Invitation, Response, Answer, OutboxMessage]
