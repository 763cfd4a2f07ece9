"""Add, change, retire and purge custom fields, refusing bad input before anything is written (issue 12, item 9).

Every function takes plain data and raises FieldError (a translated, user-facing ValueError) when it refuses;
nothing is half done: definition, column and schema number change in one transaction.
"""
import json
import re
import unicodedata

from flask import has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _

from admin_app.db import write_transaction
from admin_app.services.fields import schema
from admin_app.services.fields.values import ValueRefused, convert
from admin_app.services.trust import history
from models import CustomField, db
from models.custom_fields import KINDS

MAX_FIELDS = 50
CHOICE_KINDS = ("choice", "multichoice")
FLAGS = ("required", "in_list", "filterable", "searchable", "sortable", "exported", "personal")
EDITABLE = ("label_zh", "label_en", "help_zh", "help_en", "default", "section", "position", "decimals", *FLAGS)


class FieldError(ValueError):
    """A refused custom-field change; str() is the translated message."""


def _norm(text):
    return unicodedata.normalize("NFKC", text or "").strip().casefold()


def builtin_labels(endpoint):
    """Return {normalised label: field name} of a list's built-in fields in Chinese and English."""
    from views.labels import labels_for

    model = schema.MODELS[endpoint]
    labels = labels_for(model._meta.table_name)
    found = {}
    for fld in model._meta.sorted_fields:
        if fld.name.startswith(schema.PREFIX):
            continue
        found[_norm(fld.name)] = fld.name
        for locale in ("zh_Hans_CN", "en"):
            if fld.name in labels:
                with force_locale(locale):
                    found[_norm(str(labels[fld.name]))] = fld.name
    return found


def parse_choices(text, existing=()):
    """Return options from "a,b,c" or lines "中文 | English"; a line "code | 中文 | English [| retired]" keeps a code.

    Raise FieldError on an empty list or a label given twice.
    """
    parts = [p.strip() for p in re.split(r"[\n\r]+", text or "") if p.strip()]
    if len(parts) == 1 and "|" not in parts[0]:
        parts = [p.strip() for p in re.split(r"[,，]", parts[0]) if p.strip()]
    known = {o["value"] for o in existing}
    options, seen, counter = [], set(), len(known)
    for part in parts:
        cells = [c.strip() for c in part.split("|")]
        if len(cells) >= 3 and cells[0] in known:
            value, zh, en = cells[0], cells[1], cells[2]
            retired = len(cells) > 3 and _norm(cells[3]) in ("retired", "停用", "已停用", "x")
        else:
            counter += 1
            while f"o{counter}" in known:
                counter += 1
            value, zh, en, retired = f"o{counter}", cells[0], (cells[1] if len(cells) > 1 else ""), False
        if not zh:
            continue
        if _norm(zh) in seen:
            raise FieldError(_("The option “%(label)s” is listed twice.", label=zh))
        seen.add(_norm(zh))
        options.append({"value": value, "zh": zh, "en": en, "retired": retired})
    if not [o for o in options if not o["retired"]]:
        raise FieldError(_("A choice field needs at least one option."))
    return options


def options_text(defn):
    """Return the editable text of a field's options, one "code | 中文 | English [| retired]" per line."""
    return "\n".join(" | ".join([o["value"], o.get("zh", ""), o.get("en", "")] + (["retired"] if o.get("retired")
                                                                                   else []))
                     for o in defn.options())


def _check_labels(endpoint, label_zh, label_en, own_id=None):
    if not (label_zh or "").strip():
        raise FieldError(_("Give the field a Chinese label."))
    builtins = builtin_labels(endpoint)
    others = CustomField.select().where(CustomField.endpoint == endpoint)
    if own_id:
        others = others.where(CustomField.id != own_id)
    taken = {}
    for other in others:
        taken.update({_norm(other.label_zh): other.label_zh, _norm(other.label_en): other.label_zh})
    taken.pop("", None)
    for label in (label_zh, label_en):
        if not label:
            continue
        if _norm(label) in builtins:
            raise FieldError(_("“%(label)s” is already the label of a built-in field of this list.", label=label))
        if _norm(label) in taken:
            raise FieldError(_("“%(label)s” is already the label of another custom field of this list.",
                               label=label))


def _new_code(endpoint, label_en):
    slug = re.sub(r"[^a-z0-9]+", "_", (label_en or "").lower()).strip("_")[:24]
    used = {code for (code,) in CustomField.select(CustomField.code).where(CustomField.endpoint == endpoint)
            .tuples()}
    base = slug if slug and slug[0].isalpha() else "f"
    code, n = base, 0
    while code in used or code == "f":
        n += 1
        code = f"{base}{n}" if base != "f" else f"f{n}"
    return code


def _check_default(defn):
    if defn.default:
        try:
            convert(defn, defn.default)
        except ValueRefused as ex:
            raise FieldError(_("The default “%(value)s” does not fit the type: %(reason)s.", value=defn.default,
                               reason=str(ex))) from ex


def add(endpoint, label_zh, kind, label_en="", choices="", user_id=None, **settings):
    """Create a custom field with its column and index; return the CustomField.

    `choices` is "a,b,c" or one option per line; `settings` are the other CustomField attributes.
    """
    if endpoint not in schema.MODELS:
        raise FieldError(_("Custom fields can be added to: %(names)s.", names=", ".join(schema.MODELS)))
    if kind not in KINDS:
        raise FieldError(_("Unknown field type “%(kind)s”; use one of %(kinds)s.", kind=kind, kinds=" ".join(KINDS)))
    label_zh, label_en = (label_zh or "").strip(), (label_en or "").strip()
    _check_labels(endpoint, label_zh, label_en)
    if CustomField.select().where(CustomField.endpoint == endpoint).count() >= MAX_FIELDS:
        raise FieldError(_("A list can have at most %(num)d custom fields; retire and purge one first.",
                           num=MAX_FIELDS))
    options = parse_choices(choices) if kind in CHOICE_KINDS else []
    last = CustomField.of(endpoint).order_by(CustomField.position.desc()).first()
    settings = {k: v for k, v in settings.items() if k in EDITABLE and v is not None}
    if not settings.get("position"):
        settings["position"] = (last.position + 10) if last else 10
    defn = CustomField(endpoint=endpoint, code=_new_code(endpoint, label_en), label_zh=label_zh,
                       label_en=label_en, kind=kind, choices=json.dumps(options, ensure_ascii=False),
                       created_by=user_id, **settings)
    if kind in ("textarea", "multichoice", "user", "customer"):
        defn.sortable = False if kind != "customer" else defn.sortable
    _check_default(defn)
    with write_transaction():
        defn.save(force_insert=True)
        schema.add_column(defn)
        history.record(defn, "create", snap=history.snapshot(defn))
        schema.bump()
    return defn


def update(defn, choices=None, **changes):
    """Rename, reorder or re-flag a field (its code and type stay); `choices` re-reads the option list."""
    before = history.snapshot(defn)
    label_zh = changes.get("label_zh", defn.label_zh)
    label_en = changes.get("label_en", defn.label_en)
    _check_labels(defn.endpoint, label_zh, label_en, own_id=defn.id)
    for name, value in changes.items():
        if (name in EDITABLE or name == "retired") and value is not None:
            setattr(defn, name, value.strip() if isinstance(value, str) else value)
    if choices is not None and defn.kind in CHOICE_KINDS:
        options = parse_choices(choices, defn.options())
        dropped = {o["value"] for o in defn.options()} - {o["value"] for o in options}
        if dropped and _values_in_use(defn, dropped):
            raise FieldError(_("Stored values use an option you removed; retire the option instead of deleting "
                               "it."))
        defn.choices = json.dumps(options, ensure_ascii=False)
    _check_default(defn)
    with write_transaction():
        defn.version += 1
        defn.save()
        schema.ensure_index(defn)
        history.record(defn, "update", history.diff(before, history.snapshot(defn)))
        schema.bump()
    return defn


def _values_in_use(defn, values):
    table = schema.MODELS[defn.endpoint]._meta.table_name
    marks = ", ".join([db.obj.param] * len(values))
    sql = f'SELECT 1 FROM "{table}" WHERE "{defn.column}" IN ({marks}) LIMIT 1'
    return db.execute_sql(sql, list(values)).fetchone() is not None


def set_retired(defn, retired=True):
    """Retire (take out of forms and lists, keep values) or bring a field back."""
    return update(defn, retired=retired)


def purge(defn):
    """Delete a retired field's values and column for good; the definition is logged in the history."""
    if not defn.retired:
        raise FieldError(_("Retire the field before purging its values."))
    with write_transaction():
        history.record(defn, "delete", {"purged": [defn.column, None]}, snap=history.snapshot(defn))
        defn.delete_instance()
        schema.drop_column(defn)
        schema.bump()


def change_type(defn, kind, examples=5):
    """Change a field's type when every stored value converts; else refuse, counting and showing failures."""
    if kind not in KINDS or kind in ("user", "customer") or defn.kind in ("user", "customer"):
        raise FieldError(_("This type change is not possible."))
    model = schema.MODELS[defn.endpoint]
    table = model._meta.table_name
    target = CustomField(**{**defn.__data__, "kind": kind})
    rows = db.execute_sql(f'SELECT "{defn.column}", COUNT(*) FROM "{table}" WHERE "{defn.column}" IS NOT NULL '
                          f'GROUP BY "{defn.column}"').fetchall()
    mapping, failed, count = {}, [], 0
    for raw, number in rows:
        try:
            mapping[raw] = convert(target, raw)
        except ValueRefused:
            count += number
            failed.append(str(raw))
    if count:
        raise FieldError(_("%(num)d stored values cannot become the new type, for example: %(examples)s.",
                           num=count, examples="、".join(failed[:examples])))
    _rewrite_column(defn, target, mapping)
    return defn


def _rewrite_column(defn, target, mapping):
    from playhouse import migrate as pm

    model = schema.MODELS[defn.endpoint]
    table, temp = model._meta.table_name, f"{defn.column}__new"
    new_field = schema.build_field(target, for_column=True)
    with write_transaction():
        migrator = pm.SchemaMigrator.from_database(db.obj)
        pm.migrate(migrator.add_column(table, temp, new_field))
        for raw, value in mapping.items():
            db.execute_sql(f'UPDATE "{table}" SET "{temp}" = {db.obj.param} WHERE "{defn.column}" = {db.obj.param}',
                           (new_field.db_value(value), raw))
        db.execute_sql(f'DROP INDEX IF EXISTS "{schema.index_name(defn)}"')
        pm.migrate(migrator.drop_column(table, defn.column), migrator.rename_column(table, temp, defn.column))
        before = history.snapshot(defn)
        defn.kind, defn.version = target.kind, defn.version + 1
        defn.save()
        schema.ensure_index(defn)
        history.record(defn, "update", history.diff(before, history.snapshot(defn)))
        schema.bump()


def actor_id():
    """Return the logged-in user's id, or None."""
    if has_request_context():
        from flask_login import current_user

        return current_user.id if current_user.is_authenticated else None
    return None
