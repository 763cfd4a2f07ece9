"""The change log and the access register as people read them: names, labels, local times, no raw ids or codes."""
import json

from flask import request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from admin_app.permissions import UNMASKED, allowed, mask, sees_unmasked
from admin_app.services.forms.values import minute
from admin_app.services.trust import readable
from models import ALL_MODELS, Customer, User
from models.choices import label as choice_label
from views.labels import LABELS, labels_for

MODELS_BY_TABLE = {model._meta.table_name: model for model in ALL_MODELS}
ACCESS_ACTIONS = [("open_dossier", _l("Opened the dossier")), ("reveal", _l("Revealed a masked value")),
                  ("print", _l("Printed a form"))]


def when(view, context, row, name):
    """Show a time as 2026-11-02 09:30."""
    value = getattr(row, name)
    return minute(value)


def actor_name(username, user_id):
    """Return who did something as stored beside it: "System" for automatic work, else the login name."""
    return _("System") if username == "system" and not user_id else username


def who(view, context, row, name):
    """Show the user's display name (the login name when the account is gone; "System" for automatic work)."""
    name = _name(view, context, User._meta.table_name, row.user_id) if row.user_id else None
    return name or actor_name(row.username, None)


def table_label(view, context, row, name):
    """Show the kind of record instead of its table name."""
    return LABELS.get(row.table, row.table)


def history_action(view, context, row, name):
    """Show a change's action in words."""
    return view.action_label(row.action)


def access_action(view, context, row, name):
    """Show an access's action in words."""
    return choice_label(ACCESS_ACTIONS, row.action)


def _page_names(view, context):
    """Return {(table, id): name} of every record the page's rows mention, read once per page (a query per table)."""
    cache = request.__dict__.setdefault("_log_record_names", {})
    if cache:
        return cache
    wanted = {}
    for row in (context.get("data") if context is not None else None) or ():
        if row.record_id and row.table in MODELS_BY_TABLE:
            wanted.setdefault(row.table, set()).add(row.record_id)
        if getattr(row, "customer_id", None):
            wanted.setdefault(Customer._meta.table_name, set()).add(row.customer_id)
        if row.user_id:
            wanted.setdefault(User._meta.table_name, set()).add(row.user_id)
    cache[None] = None  # read: an empty page does not look again
    for table, ids in wanted.items():
        model = MODELS_BY_TABLE[table]
        for record in model.select().where(model._meta.primary_key.in_(list(ids))):
            cache[(table, record.get_id())] = record_title(record)
    return cache


def _endpoint(view, table):
    """Return the endpoint of the list that shows a table's records, when the user may open it."""
    found = next((v.endpoint for v in view.admin._views
                  if getattr(getattr(v, "model", None), "_meta", None) and v.model._meta.table_name == table), None)
    return found if found and allowed(found, "view") else None


def _name(view, context, table, record_id):
    """Return the name of a record the page mentions (read with the page's batch, else alone), None if gone."""
    names = _page_names(view, context)
    if (table, record_id) not in names and table in MODELS_BY_TABLE:  # a row the page's batch did not cover
        found = MODELS_BY_TABLE[table].get_or_none(MODELS_BY_TABLE[table]._meta.primary_key == record_id)
        names[(table, record_id)] = record_title(found) if found else None
    return names.get((table, record_id))


def _record(view, context, table, record_id):
    if not record_id:
        return ""
    title = _name(view, context, table, record_id)
    if title is None:  # deleted since (the trash keeps it) or a table no list shows
        return _("#%(id)s (deleted)", id=record_id) if table in MODELS_BY_TABLE else f"#{record_id}"
    endpoint = _endpoint(view, table)
    if endpoint is None:
        return title
    return Markup('<a href="{}">{}</a>').format(url_for(f"{endpoint}.details_view", id=record_id), title)


def record_name(view, context, row, name):
    """Show the record a log line is about by its name, linked to it, instead of its id."""
    return _record(view, context, row.table, row.record_id)


def customer_name(view, context, row, name):
    """Show the customer an access was about by name, linked to the customer."""
    return _record(view, context, Customer._meta.table_name, row.customer_id)


def record_title(record, length=30):
    """Return the name people know a record by: its name, else the start of its text, else its number."""
    title = getattr(record, "name", None) or (record.summary(length) if hasattr(record, "summary") else "")
    return title or str(record)


def changes(view, context, row, name):
    """Show a change as 'label: old → new' lines, bookkeeping left out, personal values masked by role."""
    model = MODELS_BY_TABLE.get(row.table)
    data = json.loads(row.changes or "{}")
    data = {k: v if k not in UNMASKED or sees_unmasked(k) else [mask(k, x) for x in v] for k, v in data.items()}
    if model is None:
        return ", ".join(data)
    names = readable.related_names(model, [data])
    lines = readable.readable(model, data, labels_for(row.table), names)
    # one block per change, inside one block: a phone's card lays the cell out as a single value
    shown = Markup("").join(Markup('<div class="log-change">{}: <del>{}</del> → <ins>{}</ins></div>')
                            .format(label, old, new) for _name, label, old, new in lines)
    return Markup('<div class="log-changes">{}</div>').format(shown) if lines else escape("")
