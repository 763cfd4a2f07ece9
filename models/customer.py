"""Customers (顾客) and their credit-grade bookkeeping."""
import datetime as dt

import peewee as pw

from models.base import BaseModel, bounded
from models.choices import CONSENT_CHANNELS, CUSTOMER_TYPES, DESIGNATIONS, GENDERS, GRADES
from models.user import User

MONEY = {"max_digits": 14, "decimal_places": 2, "auto_round": True}
LIST_EQUALITY_FILTERS = ("customer_type", "grade", "designation", "gender", "region", "is_wholesaler",
                         "prior_incident", "bad_reputation", "staff_count", "consent_channel")


class Customer(BaseModel):
    """An individual, company or store the service desk deals with."""

    name = pw.CharField(max_length=100, index=True)
    customer_type = pw.CharField(max_length=16, choices=CUSTOMER_TYPES, default="individual", index=True)
    gender = pw.CharField(max_length=8, choices=GENDERS, null=True)
    birth_date = pw.DateField(null=True, index=True)
    age = bounded(pw.IntegerField(null=True), min_value=0, max_value=150)
    occupation = pw.CharField(max_length=64, null=True)
    contact_person = pw.CharField(max_length=64, null=True)
    phone = pw.CharField(max_length=32, null=True, index=True)
    email = pw.CharField(max_length=128, null=True)
    address = pw.CharField(max_length=255, null=True)
    region = pw.CharField(max_length=64, null=True, index=True)
    id_card = pw.CharField(max_length=18, null=True)
    staff_count = bounded(pw.IntegerField(null=True), min_value=0)
    is_wholesaler = pw.BooleanField(default=False, index=True)
    receivable = pw.DecimalField(default=0, index=True, **MONEY)
    trade_volume_12m = pw.DecimalField(default=0, index=True, **MONEY)
    first_trade_date = pw.DateField(null=True, index=True)
    prior_incident = pw.BooleanField(default=False)
    bad_reputation = pw.BooleanField(default=False)
    designation = pw.CharField(max_length=1, choices=DESIGNATIONS, null=True)
    grade = pw.CharField(max_length=1, choices=GRADES, default="C", index=True)
    grade_reasons = pw.CharField(max_length=255, default="not_designated")
    graded_at = pw.DateTimeField(null=True)
    next_report_due = pw.DateField(null=True, index=True)
    urgent = pw.BooleanField(default=False, index=True)
    special_needs = pw.TextField(null=True)
    consent_date = pw.DateField(null=True, index=True)
    consent_channel = pw.CharField(max_length=16, choices=CONSENT_CHANNELS, null=True)
    owner = pw.ForeignKeyField(User, null=True, backref="customers", on_delete="SET NULL")
    notes = pw.TextField(null=True)

    class Meta:
        # Every filtered or sorted list column has an index (views/fastlist.py). The list's default order is
        # urgent first, then newest: (column, urgent) + the implicit id lets an equality filter read its first
        # page in order instead of sorting every match.
        indexes = ((("grade", "name"), False), (("updated_at",), False),
                   *(((column, "urgent"), False) for column in LIST_EQUALITY_FILTERS))

    def __str__(self):
        return self.name

    @property
    def computed_age(self):
        """Return the age from the birth date, or the recorded age."""
        if self.birth_date:
            today = dt.date.today()
            before = (today.month, today.day) < (self.birth_date.month, self.birth_date.day)
            return today.year - self.birth_date.year - before
        return self.age

    def facts(self):
        """Return the mapping that the grading rules read."""
        return {
            "customer_type": self.customer_type,
            "is_wholesaler": self.is_wholesaler,
            "receivable": self.receivable,
            "trade_volume_12m": self.trade_volume_12m,
            "staff_count": self.staff_count,
            "prior_incident": self.prior_incident,
            "bad_reputation": self.bad_reputation,
            "first_trade_date": self.first_trade_date,
            "designation": self.designation,
        }
