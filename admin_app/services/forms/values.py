"""How a record's field reads on a printed form: labels for choices, 380.00 for money, local dates."""
import datetime as dt
from decimal import Decimal

import peewee as pw
from flask_babel import gettext as _

from models.choices import label as choice_label

#: how a moment reads everywhere (lists, pages, history, exports, prints): to the minute, as people write it
MINUTE = "%Y-%m-%d %H:%M"


def minute(value):
    """Return a datetime as 2026-11-03 15:30 ("" for None): also the templates' `minute` filter."""
    return value.strftime(MINUTE) if value else ""


def text(value):
    """Return a value as printed text: dates as 2026-11-02, times to the minute, money with two decimals."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return minute(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


def field_text(record, name):
    """Return one field of a record as printed text (choice labels, related records by name)."""
    fld = record._meta.fields.get(name)
    if isinstance(fld, pw.ForeignKeyField):
        return text(getattr(record, name))
    value = getattr(record, name)
    if fld is not None and fld.choices:
        return str(choice_label(fld.choices, value)) if value else ""
    return text(value)


def identity(name, value):
    """A reading policy that shows every value as stored (tests and trusted callers)."""
    return value
