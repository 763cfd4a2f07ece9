"""Names instead of ids on every link: a related record shows as its number and text, linked to its page."""
from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from models import CaseModel, Feedback


def record_label(record):
    """Return how a user knows a related record: a feedback by its text and customer, others by number and text."""
    if isinstance(record, Feedback):
        customer = record.customer if record.customer_id else None
        text = record.summary(24) or f"#{record.id}"
        return _("%(title)s (%(customer)s)", title=text, customer=customer) if customer else text
    return str(record)


def related_link(view, context, row, name):
    """Format a column holding a related record as a link to that record's page, named as the user knows it."""
    record = getattr(row, name, None)
    if record is None:
        return ""
    label = record_label(record)
    endpoint = type(record).__name__.lower()
    try:
        url = url_for(f"{endpoint}.details_view", id=record.id)
    except Exception:  # noqa: BLE001 - a table without a page of its own: the name alone
        return label
    return Markup(f'<a href="{escape(url)}">{escape(label)}</a>')


def related_link_formatters(model):
    """Return {field name: related_link} for the model's references to records (feedback, complaint ...)."""
    return {field.name: related_link for field in model._meta.refs if issubclass(field.rel_model, CaseModel)}
