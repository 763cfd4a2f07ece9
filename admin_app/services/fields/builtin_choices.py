"""The built-in choice lists the office edits (issue 12, item 5): labels (zh/en), order, added and retired options.

The lists of models/choices.py are shared by the model fields, forms, filters, exports and imports, so each is
rebuilt in place when the schema number moves. Stored values never change: a retired option stays on the list
(records, filters and exports keep showing it, marked retired) but forms no longer offer it (`offered`). An
option the office adds gets a new value ("o1", "o2", …). Lists whose every option a rule reads (statuses,
natures, decisions, satisfaction levels) take labels and order only; in the other lists the options code refers
to (PROTECTED: grading reads 商店/公司, surveys file complaints by phone/online, …) cannot be retired.
"""
from flask_babel import LazyString, force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from admin_app.services.fields.labels import language
from models import ChoiceLabel
from models import choices as c

#: list name -> (title, rules depend on every option: relabel and reorder only)
LISTS = {
    "CHANNELS": (_l("Channels"), False), "FEEDBACK_CATEGORIES": (_l("Feedback categories"), False),
    "ARCHIVE_KINDS": (_l("Archive entry kinds"), False), "COMPLAINT_TYPES": (_l("Complaint types"), False),
    "SEVERITIES": (_l("Severities"), False), "SATISFACTION": (_l("Satisfaction"), True),
    "RESPONSIBILITIES": (_l("Responsibility"), False), "NO_ACTION_REASONS": (_l("Reasons for no action"), False),
    "CONSENT_CHANNELS": (_l("Consent channels"), False), "CUSTOMER_TYPES": (_l("Customer types"), False),
    "SHIP_METHODS": (_l("Shipping methods"), False), "WARRANTY_STATUSES": (_l("Warranty"), True),
    "FOLLOWUP_METHODS": (_l("Follow-up methods"), False), "RETURN_DECISIONS": (_l("Return decisions"), True),
    "FEEDBACK_NATURES": (_l("Feedback nature"), True), "COMPLAINT_NATURES": (_l("Complaint nature"), True),
    "FEEDBACK_STATUSES": (_l("Feedback statuses"), True), "COMPLAINT_STATUSES": (_l("Complaint statuses"), True),
    "REPAIR_STATUSES": (_l("Repair statuses"), True), "RETURN_STATUSES": (_l("Return statuses"), True),
}
#: options of the other lists that code reads or fills in (a default, a grading fact, a survey's complaint)
PROTECTED = {
    "CUSTOMER_TYPES": {"individual", "company", "store"}, "CHANNELS": {"phone", "online"},
    "FEEDBACK_CATEGORIES": {"product_quality", "customer_service"}, "ARCHIVE_KINDS": {"visit"},
    "COMPLAINT_TYPES": {"product_quality", "service_quality"}, "SEVERITIES": {"medium"},
    "FOLLOWUP_METHODS": {"phone", "on_site"},
}
RETIRED_WORDS = ("retired", "停用", "已停用", "x")
_ORIGINAL = {name: list(getattr(c, name)) for name in LISTS}
#: id of a live list object -> its retired values (the lists are changed in place, so their ids stay)
_RETIRED = {}


class ChoiceListError(ValueError):
    """A refused change of a built-in list; str() is the translated message."""


def fixed(name, value):
    """Return True when rules depend on an option: it can be relabelled and moved, not retired."""
    return LISTS[name][1] or value in PROTECTED.get(name, ())


def fixed_labels(name):
    """Return the current labels of a list's options that rules depend on (shown beside the list)."""
    return [str(label) for value, label in getattr(c, name) if fixed(name, value)]


def _label(original, row):
    zh, en, retired = row.label_zh, row.label_en, row.retired

    def text():
        # a language left empty keeps the built-in translation of that language
        shown = (en if language() == "en" else zh) or zh or en or str(original or "")
        return _("%(label)s (retired)", label=shown) if retired else shown
    return LazyString(text)


def apply(rows=None):
    """Rebuild every built-in list in place from the stored options (all originals when rows=())."""
    rows = list(ChoiceLabel.select()) if rows is None else rows
    by_list = {}
    for row in rows:
        by_list.setdefault(row.list_name, {})[row.value] = row
    for name, original in _ORIGINAL.items():
        stored = by_list.get(name, {})
        built_in = dict(original)
        items = [(index * 10, value, label) for index, (value, label) in enumerate(original)]
        items += [(row.position, value, None) for value, row in stored.items() if value not in built_in]
        items.sort(key=lambda item: (stored[item[1]].position if item[1] in stored else item[0], item[0]))
        live = getattr(c, name)
        live[:] = [(value, _label(label, stored[value]) if value in stored else label) for _p, value, label in items]
        _RETIRED[id(live)] = {v for v, row in stored.items() if row.retired and not fixed(name, v)}


def offered(choices, keep=None):
    """Return the options of a choice list a form offers: all but the retired ones (except `keep`, the stored one)."""
    retired = _RETIRED.get(id(choices), ())
    return [(value, label) for value, label in choices if value not in retired or value == keep]


def as_text(name):
    """Return a list's editable text: one "value | 中文 | English [| retired]" line per option, in the current order."""
    stored = {r.value: r for r in ChoiceLabel.select().where(ChoiceLabel.list_name == name)}
    built_in = dict(_ORIGINAL[name])
    lines = []
    for value, _label_now in getattr(c, name):
        row = stored.get(value)
        with force_locale("zh_Hans_CN"):
            zh = (row.label_zh if row else "") or str(built_in.get(value, ""))
        with force_locale("en"):
            en = (row.label_en if row else "") or str(built_in.get(value, ""))
        lines.append(" | ".join([value, zh, en] + (["retired"] if row is not None and row.retired else [])))
    return "\n".join(lines)


def _new_value(known, counter):
    while f"o{counter}" in known:
        counter += 1
    return f"o{counter}", counter


def parse(name, text):
    """Return the rows of a list from lines "value | 中文 | English [| retired]" and new lines "中文 | English".

    Raise ChoiceListError (translated) when an option is missing or listed twice, a label repeats, a new option
    has no Chinese label, or an option rules depend on is retired or added to a list rules depend on.
    """
    if name not in LISTS:
        raise ChoiceListError(_("Unknown list."))
    stored = {r.value: r for r in ChoiceLabel.select().where(ChoiceLabel.list_name == name)}
    known = [value for value, _label in _ORIGINAL[name]] + [v for v in stored if v not in dict(_ORIGINAL[name])]
    rows, seen, labels, counter = [], set(), set(), 0
    for position, line in enumerate(p for p in (text or "").splitlines() if p.strip()):
        cells = [cell.strip() for cell in line.split("|")]
        if cells[0] in known:
            value = cells[0]
            zh, en = (cells[1] if len(cells) > 1 else ""), (cells[2] if len(cells) > 2 else "")
            retired = len(cells) > 3 and cells[3].lower() in RETIRED_WORDS
        else:
            _check_new(name, cells)
            value, counter = _new_value(known + [r["value"] for r in rows], counter + 1)
            zh, en, retired = cells[0], (cells[1] if len(cells) > 1 else ""), False
        if not zh and value not in dict(_ORIGINAL[name]):
            raise ChoiceListError(_("A new option needs a Chinese label (“中文 | English”)."))
        _check_option(name, value, zh, retired, seen, labels)
        rows.append({"list_name": name, "value": value, "label_zh": zh, "label_en": en,
                     "position": (position + 1) * 10, "retired": retired})
    missing = [v for v in known if v not in seen]
    if missing:
        raise ChoiceListError(_("Every option must stay on the list (missing: %(values)s); stored records keep "
                                "their values: retire an option instead.", values=", ".join(missing)))
    return rows


def _check_new(name, cells):
    if LISTS[name][1]:
        raise ChoiceListError(_("“%(value)s” is not an option of this list; rules depend on this list, so it "
                                "takes new labels and order only.", value=cells[0]))
    if len(cells) > 2:
        raise ChoiceListError(_("“%(value)s” is not an option of this list; write a new option as "
                                "“中文 | English”.", value=cells[0]))


def _check_option(name, value, zh, retired, seen, labels):
    if value in seen:
        raise ChoiceListError(_("The option “%(value)s” is listed twice.", value=value))
    if retired and fixed(name, value):
        raise ChoiceListError(_("The option “%(value)s” cannot be retired: rules depend on it.", value=value))
    if zh and zh in labels:
        raise ChoiceListError(_("The option “%(label)s” is listed twice.", label=zh))
    seen.add(value)
    labels.add(zh)


def save(name, text):
    """Store a list's labels, order, new and retired options (see `parse`); every worker applies it next request."""
    rows = parse(name, text)
    from admin_app.db import write_transaction
    from admin_app.services.fields import schema

    with write_transaction():
        ChoiceLabel.delete().where(ChoiceLabel.list_name == name).execute()
        ChoiceLabel.insert_many(rows).execute()
        schema.bump()
    return rows


def reset():
    """Give every list back its built-in labels and order (a new app, before reading the database)."""
    for name, original in _ORIGINAL.items():
        getattr(c, name)[:] = original
        _RETIRED[id(getattr(c, name))] = set()
