"""Record history as people read it: field labels, choice labels, 380.00, local dates, names instead of ids."""
import datetime as dt
from decimal import Decimal, InvalidOperation

import peewee as pw
from flask_babel import gettext as _

from admin_app.services.forms.values import minute
from models.choices import label as choice_label

#: system bookkeeping a reader never needs to see in a record's history
BOOKKEEPING = frozenset({"version", "updated_at", "created_at", "graded_at", "grade_reasons", "next_report_due",
                         "row_version", "submit_token", "search_key"})


def _date_text(value, with_time):
    try:
        parsed = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return str(value)
    if isinstance(parsed, dt.datetime):
        return minute(parsed) if with_time else parsed.strftime("%Y-%m-%d")
    return parsed.isoformat() if isinstance(parsed, dt.date) else str(parsed)


def _money_text(value):
    try:
        return f"{Decimal(str(value)):,.2f}"
    except (InvalidOperation, ValueError):
        return str(value)


def value_text(field, value, names=None):
    """Return one stored history value as text: a choice label, 380.00, 2026-11-02 09:30, a user's name.

    `names` maps (related table, id) to a display name for foreign keys; an unknown id reads "#id".
    """
    if value is None or value == "":
        return ""
    if field is None:
        return str(value)
    if isinstance(field, pw.ForeignKeyField):
        return (names or {}).get((field.rel_model._meta.table_name, str(value)), f"#{value}")
    if field.choices:
        return str(choice_label(field.choices, value))
    if isinstance(field, pw.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(field, pw.DecimalField):
        return _money_text(value)
    if isinstance(field, pw.DateTimeField):
        return _date_text(value, True)
    if isinstance(field, pw.DateField):
        return _date_text(value, False)
    return str(value)


def related_names(model, entries):
    """Return {(table, id): name} for every foreign-key id the entries' changes mention (one query per table)."""
    wanted = {}
    for changes in entries:
        for name, pair in changes.items():
            field = model._meta.fields.get(name)
            if isinstance(field, pw.ForeignKeyField):
                wanted.setdefault(field.rel_model, set()).update(v for v in pair if isinstance(v, int))
    names = {}
    for rel, ids in wanted.items():
        for row in rel.select().where(rel._meta.primary_key.in_(list(ids))):
            names[(rel._meta.table_name, str(row.get_id()))] = str(row)
    return names


def readable(model, changes, labels, names=None):
    """Return [(field name, label, old text, new text)] for one change, bookkeeping left out."""
    rows = []
    for name, pair in changes.items():
        if name in BOOKKEEPING:
            continue
        field = model._meta.fields.get(name)
        old, new = (list(pair) + [None, None])[:2]
        rows.append((name, labels.get(name, name), value_text(field, old, names), value_text(field, new, names)))
    return rows
