"""The built-in choice lists the office relabels (zh/en) and reorders (issue 12, item 5).

The lists of models/choices.py are shared by the model fields, forms, filters, exports and imports, so each is
rebuilt in place when the schema number moves: same values (records never change), the office's labels and
order. Lists that rules depend on (statuses, natures) take labels and order only, like every other list here:
adding or removing built-in options would need code that knows what they mean.
"""
import json

from flask_babel import LazyString, force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from admin_app.services.fields.labels import language
from models import ChoiceLabel
from models import choices as c

#: list name -> (title, rules depend on it)
LISTS = {
    "CHANNELS": (_l("Channels"), False), "FEEDBACK_CATEGORIES": (_l("Feedback categories"), False),
    "ARCHIVE_KINDS": (_l("Archive entry kinds"), False), "COMPLAINT_TYPES": (_l("Complaint types"), False),
    "SEVERITIES": (_l("Severities"), False), "SATISFACTION": (_l("Satisfaction"), False),
    "RESPONSIBILITIES": (_l("Responsibility"), False), "NO_ACTION_REASONS": (_l("Reasons for no action"), False),
    "CONSENT_CHANNELS": (_l("Consent channels"), False), "CUSTOMER_TYPES": (_l("Customer types"), False),
    "SHIP_METHODS": (_l("Shipping methods"), False), "WARRANTY_STATUSES": (_l("Warranty"), False),
    "FOLLOWUP_METHODS": (_l("Follow-up methods"), False), "RETURN_DECISIONS": (_l("Return decisions"), True),
    "FEEDBACK_NATURES": (_l("Feedback nature"), True), "COMPLAINT_NATURES": (_l("Complaint nature"), True),
    "FEEDBACK_STATUSES": (_l("Feedback statuses"), True), "COMPLAINT_STATUSES": (_l("Complaint statuses"), True),
    "REPAIR_STATUSES": (_l("Repair statuses"), True), "RETURN_STATUSES": (_l("Return statuses"), True),
}
_ORIGINAL = {name: list(getattr(c, name)) for name in LISTS}


class ChoiceListError(ValueError):
    """A refused change of a built-in list; str() is the translated message."""


def _label(original, row):
    zh, en = row.label_zh, row.label_en
    # a language left empty keeps the built-in translation of that language
    return LazyString(lambda: (en if language() == "en" else zh) or str(original))


def apply(rows=None):
    """Rebuild every built-in list in place from the stored labels and order (all originals when rows=())."""
    rows = list(ChoiceLabel.select()) if rows is None else rows
    by_list = {}
    for row in rows:
        by_list.setdefault(row.list_name, {})[row.value] = row
    for name, original in _ORIGINAL.items():
        stored = by_list.get(name, {})
        items = [(index, value, label) for index, (value, label) in enumerate(original)]
        items.sort(key=lambda item: (stored[item[1]].position if item[1] in stored else item[0] * 10, item[0]))
        getattr(c, name)[:] = [(value, _label(label, stored[value]) if value in stored else label)
                               for _i, value, label in items]


def as_text(name):
    """Return a list's editable text: one "value | 中文 | English" line per option, in the current order."""
    stored = {r.value: r for r in ChoiceLabel.select().where(ChoiceLabel.list_name == name)}
    built_in = dict(_ORIGINAL[name])
    lines = []
    for value, _label_now in getattr(c, name):
        row = stored.get(value)
        with force_locale("zh_Hans_CN"):
            zh = (row.label_zh if row else "") or str(built_in[value])
        with force_locale("en"):
            en = (row.label_en if row else "") or str(built_in[value])
        lines.append(f"{value} | {zh} | {en}")
    return "\n".join(lines)


def save(name, text):
    """Store new labels and order of a list from lines "value | 中文 | English"; every option must stay."""
    if name not in LISTS:
        raise ChoiceListError(_("Unknown list."))
    values = [value for value, _label in _ORIGINAL[name]]
    rows, seen = [], set()
    for position, line in enumerate(p for p in (text or "").splitlines() if p.strip()):
        cells = [cell.strip() for cell in line.split("|")]
        value = cells[0]
        if value not in values:
            raise ChoiceListError(_("“%(value)s” is not an option of this list; built-in lists keep their options "
                                    "and take new labels and order only.", value=value))
        if value in seen:
            raise ChoiceListError(_("The option “%(value)s” is listed twice.", value=value))
        seen.add(value)
        rows.append({"list_name": name, "value": value, "label_zh": cells[1] if len(cells) > 1 else "",
                     "label_en": cells[2] if len(cells) > 2 else "", "position": (position + 1) * 10})
    missing = [v for v in values if v not in seen]
    if missing:
        raise ChoiceListError(_("Every option must stay on the list (missing: %(values)s); options that stored "
                                "records or rules use cannot be removed.", values=", ".join(missing)))
    from admin_app.db import write_transaction
    from admin_app.services.fields import schema

    with write_transaction():
        ChoiceLabel.delete().where(ChoiceLabel.list_name == name).execute()
        ChoiceLabel.insert_many(rows).execute()
        schema.bump()
    return json.dumps(rows, ensure_ascii=False)


def reset():
    """Give every list back its built-in labels and order (a new app, before reading the database)."""
    for name, original in _ORIGINAL.items():
        getattr(c, name)[:] = original

