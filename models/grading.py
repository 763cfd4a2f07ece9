"""Credit grading: grade history and urgent events (004 §13/§14); the thresholds are rule settings."""
import peewee as pw
from flask_babel import lazy_gettext as _l

from models.base import BaseModel, now
from models.choices import GRADES
from models.customer import Customer
from models.user import User

GRADE_SOURCES = [("recompute", _l("Recompute")), ("designation", _l("Designation")), ("edit", _l("Record edited")),
                 ("cli", _l("Command line"))]
URGENT_KINDS = [("bounced_cheque", _l("Bounced cheque")), ("cheque_deferral", _l("Request to defer a cheque")),
                ("other", _l("Other urgent credit event"))]


class GradeHistory(BaseModel):
    """One change of a customer's grade or reasons, by a recompute, a designation or an edit."""

    customer = pw.ForeignKeyField(Customer, backref="grade_changes", on_delete="CASCADE")
    old_grade = pw.CharField(max_length=1, choices=GRADES, null=True, index=True)
    new_grade = pw.CharField(max_length=1, choices=GRADES, index=True)
    reasons = pw.CharField(max_length=255, default="")
    source = pw.CharField(max_length=16, choices=GRADE_SOURCES, default="recompute", index=True)
    designation = pw.CharField(max_length=1, null=True)
    remark = pw.TextField(null=True)
    user = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    username = pw.CharField(max_length=64, default="")
    at = pw.DateTimeField(default=now, index=True)

    class Meta:
        table_name = "grade_history"

    def __str__(self):
        return f"{self.old_grade or '-'} → {self.new_grade}"

    @classmethod
    def for_customer(cls, customer_id):
        """Return one customer's grade changes, newest first."""
        return cls.select().where(cls.customer == customer_id).order_by(cls.at.desc(), cls.id.desc())


class UrgentEvent(BaseModel):
    """An urgent credit event reported at once (紧急报告): bounced cheque, request to defer a cheque."""

    customer = pw.ForeignKeyField(Customer, backref="urgent_events", on_delete="CASCADE")
    kind = pw.CharField(max_length=16, choices=URGENT_KINDS, default="bounced_cheque", index=True)
    occurred_on = pw.DateField(index=True)
    amount = pw.DecimalField(max_digits=14, decimal_places=2, null=True, auto_round=True)
    description = pw.TextField(null=True)
    reported_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    resolved = pw.BooleanField(default=False, index=True)
    resolved_at = pw.DateTimeField(null=True)

    class Meta:
        table_name = "urgent_event"

    def __str__(self):
        return f"{self.occurred_on} {dict(URGENT_KINDS).get(self.kind, self.kind)}"

    @classmethod
    def open_for(cls, customer_ids):
        """Return the unresolved events of some customers."""
        return cls.select().where(cls.customer.in_(customer_ids), cls.resolved == False)  # noqa: E712
