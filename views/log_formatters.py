"""The change log and the access register as people read them: names, labels, local times, no raw ids or codes."""
import json

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from admin_app.permissions import UNMASKED, mask, sees_unmasked
from admin_app.services.trust import readable
from models import ALL_MODELS, Customer
from models.choices import label as choice_label
from views.labels import LABELS

MODELS_BY_TABLE = {model._meta.table_name: model for model in ALL_MODELS}
ACCESS_ACTIONS = [("open_dossier", _l("Opened the dossier")), ("reveal", _l("Revealed a masked value")),
                  ("print", _l("Printed a form"))]


def when(view, context, row, name):
    """Show a time as 2026-11-02 09:30."""
    value = getattr(row, name)
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def who(view, context, row, name):
    """Show the user's display name (the login name when the account is gone)."""
    return str(row.user) if row.user_id and row.user else row.username


def table_label(view, context, row, name):
    """Show the kind of record instead of its table name."""
    return LABELS.get(row.table, row.table)


def history_action(view, context, row, name):
    """Show a change's action in words."""
    return view.action_label(row.action)


def access_action(view, context, row, name):
    """Show an access's action in words."""
    return choice_label(ACCESS_ACTIONS, row.action)


def customer_name(view, context, row, name):
    """Show the customer an access was about by name."""
    customer = Customer.get_or_none(Customer.id == row.customer_id) if row.customer_id else None
    return str(customer) if customer else ("" if not row.customer_id else f"#{row.customer_id}")


def changes(view, context, row, name):
    """Show a change as 'label: old → new' lines, bookkeeping left out, personal values masked by role."""
    model = MODELS_BY_TABLE.get(row.table)
    data = json.loads(row.changes or "{}")
    data = {k: v if k not in UNMASKED or sees_unmasked(k) else [mask(k, x) for x in v] for k, v in data.items()}
    if model is None:
        return ", ".join(data)
    names = readable.related_names(model, [data])
    lines = readable.readable(model, data, LABELS, names)
    return Markup("<br>").join(Markup("{}: <del>{}</del> → <ins>{}</ins>").format(label, old, new)
                               for _name, label, old, new in lines) or escape("")
