"""Custom fields on the record lists: each view rebuilds its columns, filters and forms when the fields change.

The views are ordinary Flask-Admin views: a custom field is a peewee field on the model, so the list column,
filters, sort, search, form, in-place editor, export, import, history and field permissions treat it as any
built-in field. `init_app` checks one schema number per request and rebuilds only when it moved.
"""
import contextlib
import functools
import operator
import re
import threading

import peewee as pw
from flask import request, url_for
from flask_babel import lazy_gettext as _l
from wtforms.validators import InputRequired

from admin_app import permissions
from admin_app.services.fields import builtin_choices, schema
from admin_app.services.fields.labels import field_label, help_text, option_label
from admin_app.services.fields.values import ValueRefused, convert
from views.form_rules import section_rules

CUSTOM_SECTION = _l("Additional fields")
#: roles that see a custom field marked as personal data in clear (as phone numbers)
PERSONAL_ROLES = frozenset({"clerk", "supervisor", "manager", "admin"})
EDITABLE_KINDS = ("text", "integer", "decimal", "money", "date", "boolean", "choice", "user", "customer")
FILTER_KINDS = ("text", "textarea", "integer", "decimal", "money", "date", "datetime", "boolean", "choice",
                "multichoice", "user", "customer")
BASE_ATTRS = ("column_list", "column_filters", "column_sortable_list", "column_searchable_list",
              "column_editable_list", "form_excluded_columns", "form_sections", "column_labels", "column_choices",
              "form_args", "column_formatters", "column_formatters_detail", "form_ajax_refs",
              "column_descriptions")
REF_LOOKUPS = {"user": {"fields": ("username", "display_name"), "page_size": 10},
               "customer": {"fields": ("name", "phone"), "page_size": 10}}
_lock = threading.RLock()
KIND_LABELS = [("text", _l("Single-line text")), ("textarea", _l("Multi-line text")), ("integer", _l("Integer")),
               ("decimal", _l("Decimal")), ("money", _l("Money (yuan)")), ("date", _l("Date")),
               ("datetime", _l("Date and time")), ("boolean", _l("Yes / no")), ("choice", _l("Single choice")),
               ("multichoice", _l("Multiple choice")), ("user", _l("A user")), ("customer", _l("A customer"))]
TABLE_LABELS = [("customer", _l("Customers")), ("archiverecord", _l("Archive records")),
                ("feedback", _l("Feedback")), ("complaint", _l("Complaints")), ("repair", _l("Repairs")),
                ("returnexchange", _l("Returns / exchanges"))]


def _multichoice_formatter(defn):
    labels = {o["value"]: o for o in defn.options()}

    def show(view, context, row, name):
        codes = [c for c in (getattr(row, name) or "").split(",") if c]
        return "、".join(str(option_label(labels[c])) if c in labels else c for c in codes)
    return show


class CustomFieldsMixin:
    """Lets a record view take the custom fields of its list (see apply_custom_fields)."""

    def custom_fields(self):
        """Return the definitions applied to this view (retired ones too)."""
        return getattr(self, "_custom_defs", [])

    def apply_custom_fields(self, defs):
        """Rebuild columns, filters, sort, search, editors and forms from the built-in ones plus `defs`."""
        base = self.__dict__.setdefault("_cf_base", {a: getattr(self, a) for a in BASE_ATTRS})
        self._custom_defs = list(defs)
        live = [d for d in defs if not d.retired]
        pick = lambda flag, kinds=None: [d.column for d in live  # noqa: E731
                                         if getattr(d, flag, True) and (kinds is None or d.kind in kinds)]
        self.column_list = [*(base["column_list"] or ()), *pick("in_list")]
        self.column_filters = [*(base["column_filters"] or ()), *pick("filterable", FILTER_KINDS)]
        self.column_sortable_list = [*(base["column_sortable_list"] or ()),
                                     *pick("sortable", (*schema.ORDERED_KINDS, "customer"))]
        self.column_searchable_list = [*(base["column_searchable_list"] or ()),
                                       *pick("searchable", ("text", "textarea"))]
        self.column_editable_list = [*(base["column_editable_list"] or ()), *pick("in_list", EDITABLE_KINDS)]
        self.column_editable_ajax = pick("in_list", tuple(REF_LOOKUPS))  # edited in place through the look-up
        self.form_excluded_columns = [*(base["form_excluded_columns"] or ()), *[d.column for d in defs
                                                                              if d.retired]]
        self.column_labels = {**(base["column_labels"] or {}), **{d.column: field_label(d) for d in defs}}
        self.column_descriptions = {**(base["column_descriptions"] or {}),
                                    **{d.column: help_text(d) for d in live if d.help_zh or d.help_en}}
        self.column_choices = {**(base["column_choices"] or {}),
                               **{d.column: schema.choice_pairs(d) for d in defs if d.kind == "choice"}}
        self.form_ajax_refs = {**(base["form_ajax_refs"] or {}),
                               **{d.column: REF_LOOKUPS[d.kind] for d in defs if d.kind in REF_LOOKUPS}}
        self.form_args = {**(base["form_args"] or {}), **{d.column: self._custom_form_args(d) for d in live}}
        self._custom_formatters(base, defs)
        self._custom_sections(base, live)
        self._refresh_cache()

    def _custom_formatters(self, base, defs):
        from views.reveal import masked_formatter

        extra = {d.column: _multichoice_formatter(d) for d in defs if d.kind == "multichoice"}
        extra.update({d.column: masked_formatter for d in defs if d.personal})
        self.column_formatters = {**(base["column_formatters"] or {}), **extra}
        self.column_formatters_detail = {**(base["column_formatters_detail"] or {}), **extra}

    @staticmethod
    def _custom_form_args(defn):
        args = {"label": field_label(defn), "description": help_text(defn) if defn.help_zh or defn.help_en else ""}
        if defn.kind in ("choice", "multichoice"):
            args["choices"] = [(o["value"], option_label(o)) for o in defn.options() if not o.get("retired")]
            if defn.kind == "choice" and not defn.required:
                args["choices"] = [("", "")] + args["choices"]
        if defn.required and defn.kind not in ("boolean",):
            args["validators"] = [InputRequired()]
        if defn.default:
            with contextlib.suppress(ValueRefused):  # a default that no longer fits leaves the box empty
                args["default"] = convert(defn, defn.default)
        return args

    def _custom_sections(self, base, live):
        sections = [(header, list(names)) for header, names in (base["form_sections"] or ())]
        extra = []
        for defn in live:
            index = int(defn.section) if defn.section.isdigit() else None
            if index is not None and index < len(sections):
                sections[index][1].append(defn.column)
            else:
                extra.append(defn.column)
        if extra:
            sections.append((CUSTOM_SECTION, extra))
        self.form_sections = tuple(sections)
        if sections:
            self.form_create_rules = self.form_edit_rules = section_rules(sections)

    def custom_summary(self, record):
        """Return [(label, text)] of a record's filled-in list custom fields the user may see (dossier timeline)."""
        from admin_app.permissions import mask, sees_unmasked

        shown = []
        for defn in self.custom_fields():
            value = record.__data__.get(defn.column)
            if defn.retired or not defn.in_list or value in (None, "") or self.field_access(defn.column) == "hidden":
                continue
            if defn.kind in ("choice", "multichoice"):
                labels = {o["value"]: o for o in defn.options()}
                value = "、".join(str(option_label(labels[v])) if v in labels else v for v in str(value).split(","))
            elif defn.kind in ("user", "customer"):
                value = getattr(record, defn.column)
            text = str(value) if sees_unmasked(defn.column) else mask(defn.column, value)
            shown.append((str(field_label(defn)), text))
        return shown

    def custom_search_columns(self):
        """Return the names of the custom fields this user's search box searches."""
        names = (getattr(field, "name", str(field)) for field in (self._search_fields or ()))
        return [name for name in names if name.startswith(schema.PREFIX) and name in self.model._meta.fields]

    def custom_search_condition(self, word):
        """Return a condition: a row's searchable custom fields contain `word` (LIKE / ILIKE), or None."""
        columns = [self.model._meta.fields[name] for name in self.custom_search_columns()]
        return functools.reduce(operator.or_, [c.contains(word) for c in columns]) if columns else None

    def with_custom_matches(self, found, word):
        """Return an id subquery: the full-text index's matches (an SQL node) plus the custom fields' matches.

        The built-in text keeps its index; the custom columns (a few short values) are read with LIKE beside it.
        """
        condition = self.custom_search_condition(word)
        if condition is None:
            return found
        sql, params = self.model.select(self.model.id).where(condition).sql()
        return pw.SQL(f"{found.sql} UNION {sql}", [*found.params, *params])

    def ref_filter_inputs(self):
        """Return {filter arg: {"url", "labels": {id: text}}} of the user / customer filters this user may use.

        ref_fields.js turns their value boxes into look-ups as you type; `labels` names the values of the active
        filters as the edit form's look-up would.
        """
        found = {}
        for arg, (_idx, flt) in (self._filter_args or {}).items():
            loader = (self._form_ajax_refs or {}).get(flt.column.name) if getattr(flt, "ref_lookup", False) else None
            if loader is not None:
                found[str(arg)] = {"url": url_for(".ajax_lookup", name=flt.column.name), "labels": {}, "ref": loader}
        for key, value in request.args.items():
            match = re.match(r"flt\d+_(.+)$", key)
            if match and match.group(1) in found and value.isdigit():
                record = found[match.group(1)]["ref"].get_one(int(value))
                if record is not None:
                    found[match.group(1)]["labels"][value] = found[match.group(1)]["ref"].format(record)[1]
        return {arg: {"url": info["url"], "labels": info["labels"]} for arg, info in found.items()}

    def create_form(self, obj=None):
        return self._offer_live_options(super().create_form(obj), None)

    def edit_form(self, obj=None):
        return self._offer_live_options(super().edit_form(obj), obj)

    def _offer_live_options(self, form, obj):
        """Leave retired options of built-in lists off the form's drop-downs, except the record's stored one."""
        for field in form:
            fld = self.model._meta.fields.get(field.name)
            if fld is not None and fld.choices and not field.name.startswith(schema.PREFIX) and hasattr(field,
                                                                                                        "choices"):
                keep = obj.__data__.get(field.name) if obj is not None else None
                field.choices = builtin_choices.offered(fld.choices, keep=keep)
        return form

    def scaffold_form(self):
        form_class = super().scaffold_form()
        for defn in self.custom_fields():
            if defn.kind == "multichoice" and not defn.retired:
                from admin_app.services.fields.forms import MultiChoiceField

                args = self._custom_form_args(defn)
                setattr(form_class, defn.column, MultiChoiceField(args["label"], choices=args["choices"],
                                                                  description=args["description"],
                                                                  validators=args.get("validators", [])))
        return form_class


def apply_personal(defs):
    """Mask the custom fields marked as personal data, for the roles that see phone numbers masked."""
    for defn in defs:
        if defn.personal and not defn.retired:
            permissions.UNMASKED[defn.column] = PERSONAL_ROLES
        else:
            permissions.UNMASKED.pop(defn.column, None)
    for name in [n for n in permissions.UNMASKED if n.startswith(schema.PREFIX)]:
        if name not in {d.column for d in defs}:
            permissions.UNMASKED.pop(name)


def refresh_views(admin, defs):
    """Apply the definitions to every record view of an admin panel."""
    apply_personal(defs)
    for view in admin._views:
        model = schema.MODELS.get(getattr(view, "endpoint", None))
        if model is not None and getattr(view, "model", None) is model and hasattr(view, "apply_custom_fields"):
            view.apply_custom_fields([d for d in defs if d.endpoint == view.endpoint])


def init_app(app, admin):
    """Start the app from the built-in fields and keep its views current with one cheap check per request."""
    state = {"key": None}

    @app.before_request
    def _custom_fields_current():
        if request.endpoint == "static" or (request.endpoint or "").endswith(".static"):
            return
        key = schema.sync_models()
        if state["key"] != key:
            with _lock:
                if state["key"] != key:
                    outside_request(refresh_views, admin, schema.applied_definitions())
                    state["key"] = key


def outside_request(function, *args):
    """Run a function in a thread of its own, where it builds the views' caches as at start-up; return its result.

    Inside a request the cached column and filter lists read through the per-role filters of views/fields.py;
    filling them there would cache one role's (or an anonymous visitor's) view of them.
    """
    failure, result = [], []

    def run():
        try:
            result.append(function(*args))
        except Exception as ex:  # noqa: BLE001 - re-raised in the request's thread below
            failure.append(ex)

    worker = threading.Thread(target=run, name="custom-fields-refresh")
    worker.start()
    worker.join()
    if failure:
        raise failure[0]
    return result[0]



