"""The customer's records: archive entries, feedback, complaints, repairs, returns."""
import datetime as dt

import peewee as pw
from dateutil.relativedelta import relativedelta

from models import choices as c
from models.base import BaseModel, bounded
from models.customer import MONEY, Customer
from models.user import User


class CaseModel(BaseModel):
    """A record that belongs to one customer and has an owner."""

    customer = pw.ForeignKeyField(Customer, on_delete="RESTRICT", index=True)
    owner = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", index=True)
    closed_at = pw.DateTimeField(null=True)

    #: the date the dossier timeline sorts this record by
    timeline_field = "created_at"
    #: the field whose text the timeline shows
    summary_field = "content"

    @classmethod
    def for_customer(cls, customer_id):
        """Return this customer's records, newest first."""
        when = getattr(cls, cls.timeline_field)
        return cls.select().where(cls.customer == customer_id).order_by(when.desc(), cls.id.desc())

    def timeline_date(self):
        """Return the date this record stands at on the dossier timeline."""
        value = getattr(self, self.timeline_field)
        return value.date() if isinstance(value, dt.datetime) else value

    def __str__(self):
        # a record is named by its number and the start of its text, never by a bare id (issue 13)
        return f"#{self.id} {self.summary(24)}".strip() if self.id else self.summary(24)

    def summary(self, length=60):
        """Return a short text for lists and the timeline."""
        text = (getattr(self, self.summary_field) or "").strip()
        return text if len(text) <= length else text[: length - 1] + "…"


class ArchiveRecord(CaseModel):
    """One dated entry in a customer's dossier (客史档案)."""

    kind = pw.CharField(max_length=20, choices=c.ARCHIVE_KINDS, index=True)
    entry_date = pw.DateField(default=dt.date.today, index=True)
    amount = pw.DecimalField(null=True, **MONEY)
    items = pw.CharField(max_length=255, null=True)
    satisfaction = pw.CharField(max_length=20, choices=c.SATISFACTION, null=True)
    staff = pw.CharField(max_length=64, null=True)
    content = pw.TextField()
    document_no = pw.CharField(max_length=64, null=True)
    last_checked = pw.DateField(null=True)
    retention_until = pw.DateField(null=True, index=True)

    timeline_field = "entry_date"

    class Meta:
        table_name = "archive_record"


class Feedback(CaseModel):
    """Customer feedback as the seed's feedback register records it (顾客反馈)."""

    product_name = pw.CharField(max_length=100, null=True)
    specification = pw.CharField(max_length=100, null=True)
    model_no = pw.CharField(max_length=64, null=True)
    manufacture_date = pw.DateField(null=True)
    serial_no = pw.CharField(max_length=64, null=True)
    feedback_date = pw.DateField(default=dt.date.today, index=True)
    reporter = pw.CharField(max_length=64)
    reporter_org = pw.CharField(max_length=100, null=True)
    reporter_phone = pw.CharField(max_length=32, null=True)
    channel = pw.CharField(max_length=16, choices=c.CHANNELS, index=True)
    category = pw.CharField(max_length=20, choices=c.FEEDBACK_CATEGORIES, index=True)
    content = pw.TextField()
    nature = pw.CharField(max_length=16, choices=c.FEEDBACK_NATURES, null=True, index=True)
    responsibility = pw.CharField(max_length=16, choices=c.RESPONSIBILITIES, null=True, index=True)
    corrective_action = pw.BooleanField(null=True)
    action_plan = pw.TextField(null=True)
    no_action_reason = pw.CharField(max_length=24, choices=c.NO_ACTION_REASONS, null=True)
    reply = pw.TextField(null=True)
    replied_at = pw.DateTimeField(null=True)
    result_tracking = pw.TextField(null=True)
    completed_at = pw.DateTimeField(null=True)
    recorder = pw.CharField(max_length=64, null=True)
    status = pw.CharField(max_length=16, choices=c.FEEDBACK_STATUSES, default="new", index=True)
    # routing by nature (000 §4.4.5): the technical department's person answering a usage consultation,
    # and the quality department's assessment of a suggestion or requirement
    technician = pw.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL", index=True)
    assessment = pw.CharField(max_length=16, choices=c.ASSESSMENTS, null=True)
    assessed_by = pw.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    assessed_at = pw.DateTimeField(null=True)

    timeline_field = "feedback_date"

    class Meta:
        indexes = ((("status", "feedback_date"), False),)  # open and overdue counts (migration 0009)


class Complaint(CaseModel):
    """A complaint and its handling (投诉处理)."""

    feedback = pw.ForeignKeyField(Feedback, null=True, backref="complaints", on_delete="SET NULL")
    complainant = pw.CharField(max_length=64)
    contact_phone = pw.CharField(max_length=32, null=True)
    received_at = pw.DateTimeField(index=True)
    channel = pw.CharField(max_length=16, choices=c.CHANNELS, index=True)
    complaint_type = pw.CharField(max_length=20, choices=c.COMPLAINT_TYPES, index=True)
    nature = pw.CharField(max_length=16, choices=c.COMPLAINT_NATURES, default="valid", index=True)
    severity = pw.CharField(max_length=10, choices=c.SEVERITIES, default="medium", index=True)
    product_name = pw.CharField(max_length=100, null=True)
    batch_no = pw.CharField(max_length=64, null=True)
    purchase_date = pw.DateField(null=True)
    purchase_place = pw.CharField(max_length=100, null=True)
    content = pw.TextField()
    customer_request = pw.TextField(null=True)
    investigation_due = pw.DateField(null=True, index=True)
    findings = pw.TextField(null=True)
    root_cause = pw.TextField(null=True)
    responsible_dept = pw.CharField(max_length=64, null=True, index=True)
    resolution = pw.TextField(null=True)
    corrective_action = pw.BooleanField(null=True)
    corrective_preventive = pw.TextField(null=True)
    no_action_reason = pw.CharField(max_length=24, choices=c.NO_ACTION_REASONS, null=True)
    mgmt_rep_approved = pw.BooleanField(default=False)
    involves_return = pw.BooleanField(default=False)
    involves_compensation = pw.BooleanField(default=False)
    involves_legal = pw.BooleanField(default=False)
    # legal escalation (001: 涉及法律诉讼的要及时与公司法务人员沟通): the contact, when told, their sign-off
    legal_contact = pw.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL", index=False)
    legal_notified_at = pw.DateTimeField(null=True)
    legal_signoff_at = pw.DateTimeField(null=True)
    legal_signoff_note = pw.TextField(null=True)
    followup_method = pw.CharField(max_length=10, choices=c.FOLLOWUP_METHODS, null=True)
    followup_date = pw.DateField(null=True)
    followup_satisfaction = pw.CharField(max_length=20, choices=c.SATISFACTION, null=True)
    status = pw.CharField(max_length=24, choices=c.COMPLAINT_STATUSES, default="received", index=True)

    timeline_field = "received_at"

    class Meta:
        # the overdue list and badge: open statuses whose investigation is past due, read by one index range;
        # a legal contact's open escalations (mine_condition) from the index alone: with its column mostly empty,
        # SQLite's statistics would otherwise make the plain index look useless and scan every complaint
        indexes = ((("status", "investigation_due"), False), (("legal_contact", "legal_signoff_at"), False))

    @classmethod
    def overdue(cls, today=None):
        """Return open complaints whose investigation is past its due date."""
        today = today or dt.date.today()
        return cls.select().where(
            cls.investigation_due < today, cls.status.in_(["received", "investigating"])
        )


class Repair(CaseModel):
    """A repair request (报修) and its handling."""

    feedback = pw.ForeignKeyField(Feedback, null=True, backref="repairs", on_delete="SET NULL")
    reporter = pw.CharField(max_length=64)
    contact_phone = pw.CharField(max_length=32, null=True)
    product_name = pw.CharField(max_length=100)
    model_no = pw.CharField(max_length=64, null=True)
    serial_no = pw.CharField(max_length=64, null=True)
    fault_reported = pw.TextField()
    received_at = pw.DateTimeField(index=True)
    response_due = pw.DateTimeField(null=True, index=True)
    technician = pw.ForeignKeyField(User, null=True, backref="repairs", on_delete="SET NULL")
    arrived_at = pw.DateTimeField(null=True)
    fault_found = pw.TextField(null=True)
    handling_method = pw.TextField(null=True)
    warranty_status = pw.CharField(max_length=16, choices=c.WARRANTY_STATUSES, default="in_warranty", index=True)
    main_component = pw.BooleanField(default=False)
    quote_amount = pw.DecimalField(null=True, **MONEY)
    customer_consent_at = pw.DateTimeField(null=True)
    parts_cost = pw.DecimalField(default=0, **MONEY)
    labour_cost = pw.DecimalField(default=0, **MONEY)
    returned_to_factory = pw.BooleanField(default=False)
    inspection_passed = pw.BooleanField(default=False)
    inspected_at = pw.DateTimeField(null=True)
    shipped_at = pw.DateField(null=True)
    ship_quantity = bounded(pw.IntegerField(null=True), min_value=0)
    ship_method = pw.CharField(max_length=16, choices=c.SHIP_METHODS, null=True)
    customer_confirmed_at = pw.DateTimeField(null=True)
    followup_date = pw.DateField(null=True)
    followup_evaluation = pw.CharField(max_length=20, choices=c.SATISFACTION, null=True)
    status = pw.CharField(max_length=24, choices=c.REPAIR_STATUSES, default="received", index=True)

    timeline_field = "received_at"
    summary_field = "fault_reported"

    class Meta:
        indexes = ((("status", "response_due"), False),)  # open and overdue counts (migration 0009)


class ReturnExchange(CaseModel):
    """A return or exchange request (退换货)."""

    product_name = pw.CharField(max_length=100)
    model_no = pw.CharField(max_length=64, null=True)
    purchase_date = pw.DateField(index=True)
    #: the shipment (factory) date the return window runs from (004 §12 5.1.4: 三个月内出厂)
    factory_date = pw.DateField(null=True, index=True)
    quantity = bounded(pw.IntegerField(default=1), min_value=0)
    amount = pw.DecimalField(null=True, **MONEY)
    reason = pw.TextField()
    proof_checked = pw.BooleanField(default=False)
    quality_problem = pw.BooleanField(default=False, index=True)
    inspection_report = pw.TextField(null=True)
    responsibility = pw.CharField(max_length=16, choices=c.RESPONSIBILITIES, null=True)
    non_returnable = pw.BooleanField(default=False)
    decision = pw.CharField(max_length=10, choices=c.RETURN_DECISIONS, null=True, index=True)
    exception_reason = pw.TextField(null=True)
    approver = pw.ForeignKeyField(User, null=True, backref="approved_returns", on_delete="SET NULL")
    finance_handled = pw.BooleanField(default=False)
    goods_received_at = pw.DateField(null=True)
    shipped_at = pw.DateField(null=True)
    status = pw.CharField(max_length=16, choices=c.RETURN_STATUSES, default="requested", index=True)

    timeline_field = "created_at"
    summary_field = "reason"

    class Meta:
        table_name = "return_exchange"
        indexes = ((("status", "created_at"), False),)  # open and overdue counts (migration 0009)

    def window_start(self):
        """Return (date, basis): the shipment date when known, else the purchase date ("factory"/"purchase")."""
        if self.factory_date:
            return self.factory_date, "factory"
        return self.purchase_date, "purchase"

    def within_window(self, months=3, today=None):
        """Tell whether the request falls within the return window after shipment (else purchase)."""
        today = today or dt.date.today()
        start, _basis = self.window_start()
        return start is not None and today <= start + relativedelta(months=months)
