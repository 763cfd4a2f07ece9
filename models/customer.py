"""Customers (顾客) and their credit-grade bookkeeping."""
import datetime as dt

import peewee as pw

from models.base import BaseModel, bounded
from models.choices import CONSENT_CHANNELS, CUSTOMER_TYPES, DESIGNATIONS, GENDERS, GRADES
from models.user import User

MONEY = {"max_digits": 14, "decimal_places": 2, "auto_round": True}
LIST_EQUALITY_FILTERS = ("customer_type", "grade", "designation", "gender", "region", "is_wholesaler",
                         "prior_incident", "bad_reputation", "staff_count", "consent_channel")
#: range-filtered list columns whose only index is (column, urgent): it serves the filter and holds the order
LIST_RANGE_FILTERS = ("birth_date", "receivable", "trade_volume_12m", "first_trade_date", "next_report_due",
                      "consent_date")


def _named(key):
    """Return the field name of a data key (a name or a Field; never compare Fields with ==, that builds SQL)."""
    return key if isinstance(key, str) else getattr(key, "name", None)


def _key(name):
    """Return the search key of a name (admin_app.services.lists.pinyin_key), imported when first written."""
    from admin_app.services.lists.pinyin_key import search_key

    return search_key(name)


class SearchKeyed:
    """Keeps `search_key` derived from `name` on every write peewee can make: save, insert, insert_many (and
    bulk_create / replace built on them), update and BaseModel.insert_rows. No trigger: the key needs pypinyin.

    A write that sets the name from SQL (an expression, INSERT ... SELECT) cannot be keyed and is refused.
    """

    @classmethod
    def _normalize_data(cls, data, kwargs):
        normalized = super()._normalize_data(data, kwargs)
        if not isinstance(normalized, dict):
            return normalized
        if cls.search_key in normalized and cls.name not in normalized:
            del normalized[cls.search_key]  # a key is only ever written with the name it comes from
        if cls.name in normalized:
            name = normalized[cls.name]
            if name is not None and not isinstance(name, str):
                raise ValueError("customer names are written as values so that their search key follows")
            normalized[cls.search_key] = _key(name)
        return normalized

    @classmethod
    def insert_many(cls, rows, fields=None):
        if fields is None:
            return super().insert_many([cls.keyed_row(row) for row in rows])
        names = [_named(f) for f in fields]
        if "name" not in names:
            return super().insert_many(rows, fields=fields)
        at, keep = names.index("name"), [i for i, n in enumerate(names) if n != "search_key"]
        kept = [fields[i] for i in keep]
        return super().insert_many([(*(row[i] for i in keep), _key(row[at])) for row in rows],
                                   fields=[*kept, cls.search_key])

    @classmethod
    def keyed_row(cls, row):
        if not isinstance(row, dict):
            raise ValueError("customer rows without field names cannot be keyed")
        name = next((value for key, value in row.items() if _named(key) == "name"), None)
        return {**{k: v for k, v in row.items() if _named(k) != "search_key"}, "search_key": _key(name)}

    @classmethod
    def insert_from(cls, query, fields):
        if "name" in map(_named, fields):
            raise ValueError("customer names are written as values so that their search key follows")
        return super().insert_from(query, fields)

    @classmethod
    def insert_rows(cls, fields, rows, returning=True):
        names = [_named(f) for f in fields]
        if "name" not in names:
            return super().insert_rows(fields, rows, returning)
        at, keep = names.index("name"), [i for i, n in enumerate(names) if n != "search_key"]
        return super().insert_rows([*(fields[i] for i in keep), cls.search_key],
                                   [(*(row[i] for i in keep), _key(row[at])) for row in rows], returning)

    def save(self, *args, **kwargs):
        self.search_key = _key(self.name)  # the instance reads what was written
        return super().save(*args, **kwargs)


class Customer(SearchKeyed, BaseModel):
    """An individual, company or store the service desk deals with."""

    name = pw.CharField(max_length=100, index=True)
    customer_type = pw.CharField(max_length=16, choices=CUSTOMER_TYPES, default="individual", index=True)
    gender = pw.CharField(max_length=8, choices=GENDERS, null=True)
    birth_date = pw.DateField(null=True)
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
    receivable = pw.DecimalField(default=0, **MONEY)
    trade_volume_12m = pw.DecimalField(default=0, **MONEY)
    first_trade_date = pw.DateField(null=True)
    prior_incident = pw.BooleanField(default=False)
    bad_reputation = pw.BooleanField(default=False)
    designation = pw.CharField(max_length=1, choices=DESIGNATIONS, null=True)
    grade = pw.CharField(max_length=1, choices=GRADES, default="C", index=True)
    grade_reasons = pw.CharField(max_length=255, default="not_designated")
    graded_at = pw.DateTimeField(null=True)
    next_report_due = pw.DateField(null=True)
    urgent = pw.BooleanField(default=False, index=True)
    special_needs = pw.TextField(null=True)
    consent_date = pw.DateField(null=True)
    consent_channel = pw.CharField(max_length=16, choices=CONSENT_CHANNELS, null=True)
    owner = pw.ForeignKeyField(User, null=True, backref="customers", on_delete="SET NULL")
    notes = pw.TextField(null=True)
    #: the name as typed in simplified characters, pinyin and initials: derived (SearchKeyed), never shown
    search_key = pw.TextField(null=True)

    class Meta:
        # Every filtered or sorted list column has an index (views/fastlist.py). The list's default order is
        # urgent first, then newest: (column, urgent) + the implicit id lets an equality filter read its first
        # page in order instead of sorting every match, and a range filter sort its matches from the index alone.
        indexes = ((("grade", "name"), False), (("updated_at",), False),
                   *(((column, "urgent"), False) for column in (*LIST_EQUALITY_FILTERS, *LIST_RANGE_FILTERS)))

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
