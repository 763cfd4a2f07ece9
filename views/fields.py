"""Field-level permissions: hidden fields vanish everywhere, read-only fields show disabled and are never saved.

Masked means unprovable: a field the role sees hidden or masked (admin_app/permissions.py) is also closed to
every way of testing a guess against it: the search box, `flt` filters, `sort`, and the form's ajax lookups.
Which columns are closed is decided once per request and view (`closed`).
"""
import functools
import operator

import peewee as pw
from flask import has_request_context, request
from flask_admin.contrib.peewee.ajax import QueryAjaxModelLoader
from flask_admin.form import rules

from admin_app.permissions import decided, field_access, sees_unmasked
from views import role_cache
from views.form_rules import section_rules

ALWAYS_EDITABLE = ("row_version", "submit_token", "csrf_token", "list_form_pk")


def _ignore_on_save(obj, name):
    """Stand-in for Field.populate_obj: a read-only field never writes to the record."""


def _escaped(text):
    """Return text for a LIKE pattern with ESCAPE '\\': % and _ typed by the user are plain characters."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class LiteralSearch:
    """A searchable column whose `**` (LIKE) treats % and _ typed by the user as plain characters."""

    def __init__(self, field):
        self.field = field

    def __getattr__(self, name):
        return getattr(self.field, name)

    def __pow__(self, pattern):
        # Flask-Admin wraps the typed text as %text% (or text% after ^, exact after =): escape only the text
        head = "%" if pattern.startswith("%") else ""
        tail = "%" if pattern.endswith("%") and len(pattern) > len(head) else ""
        text = _escaped(pattern[len(head):len(pattern) - len(tail)])
        escaped = pw.NodeList((pw.Value(head + text + tail), pw.SQL("ESCAPE '\\'")))
        return pw.Expression(self.field, pw.OP.ILIKE, escaped)


class KeySearch(LiteralSearch):
    """The search key column (pinyin_key.py): matched by the typed word's spellings (simplified, 恒yuan -> hengyuan).

    The LIKE path of the key, as the SQLite index path (services/lists/search.py) matches it: on PostgreSQL
    through its trigram index, and on SQLite when the full-text index is not in use.
    """

    def __pow__(self, pattern):
        from admin_app.services.lists.pinyin_key import term_variants

        head = "%" if pattern.startswith("%") else ""
        tail = "%" if pattern.endswith("%") and len(pattern) > len(head) else ""
        spellings = term_variants(pattern[len(head):len(pattern) - len(tail)])
        if not spellings or not head or not tail:
            return pw.Expression(pw.Value(1), pw.OP.EQ, pw.Value(0))  # =exact and ^prefix mean the fields
        # as the index: one or two characters only in the key's short part (after "|"), see pinyin_key.py
        found = [LiteralSearch.__pow__(self, f"%{spelling}%") if len(spelling) >= 3 else
                 pw.Expression(self.field, pw.OP.ILIKE, pw.NodeList((pw.Value(f"%|%{_escaped(spelling)}%"),
                                                                     pw.SQL("ESCAPE '\\'"))))
                 for spelling in spellings]
        return functools.reduce(operator.or_, found)


#: derived columns and the fields they are made from: closed when any of those is (never more searchable)
DERIVED_FROM = {"search_key": ("name",)}


class MaskAwareAjaxLoader(QueryAjaxModelLoader):
    """A form's lookup of related records that never searches a field the user sees masked (phone ...)."""

    @property
    def _cached_fields(self):
        stored = self.__dict__.get("_all_fields", [])
        if not has_request_context():
            return stored
        return [LiteralSearch(f) for f in stored if sees_unmasked(getattr(f, "name", ""))]

    @_cached_fields.setter
    def _cached_fields(self, value):
        self.__dict__["_all_fields"] = value

    def get_list(self, term, offset=0, limit=10):
        if term and not self._cached_fields:
            return []  # every searchable field is masked: answer nothing rather than everything
        return super().get_list(term, offset, limit)


class FieldAccessMixin:
    """Applies the panel's per-role field rules (hidden / read / edit) to lists, details, exports and forms."""

    def field_access(self, name):
        """Return "hidden", "read" or "edit" for one field and the current user."""
        if name in ALWAYS_EDITABLE or not has_request_context():
            return "edit"  # at start-up Flask-Admin builds its caches from the full field list
        if name in DERIVED_FROM:  # never typed; hidden wherever a field it is made from is
            return "hidden" if any(self.field_access(s) == "hidden" for s in DERIVED_FROM[name]) else "read"
        return field_access(self.endpoint, name)

    def closed(self, name):
        """Tell whether a field may not be searched, filtered, sorted or matched on: hidden or masked.

        Decided once per request and view for each name; False outside a request (start-up caches).
        """
        if not has_request_context() or not name:
            return False
        cache = request.__dict__.setdefault("_closed_columns", {}).setdefault(self.endpoint, {})
        if name not in cache:
            cache[name] = self.field_access(name) == "hidden" or not sees_unmasked(name) \
                or any(self.closed(source) for source in DERIVED_FROM.get(name, ()))
        return cache[name]

    def _create_ajax_loader(self, name, options):
        loader = super()._create_ajax_loader(name, options)
        if type(loader) is QueryAjaxModelLoader:
            loader.__class__ = MaskAwareAjaxLoader
            loader._cached_fields = loader.__dict__.pop("_cached_fields", [])
        return loader

    def _visible(self, columns):
        return [c for c in columns if self.field_access(c[0] if isinstance(c, tuple) else c) != "hidden"]

    def per_request(self, name, compute):
        """Return compute() once per request and user for this view: column decisions do not change mid-request."""
        return decided((name, id(self)), compute)

    # Flask-Admin caches these column lists on the instance at start-up; filter them per request instead
    def _per_request(attr):  # noqa: N805 - a property factory used in the class body
        def get(self):
            stored = self.__dict__.setdefault(attr, [])
            if not has_request_context() or not stored:
                return stored
            return self.per_request(attr, lambda: self._visible(stored))

        def set_(self, value):
            self.__dict__[attr] = value

        return property(get, set_)

    _list_columns = _per_request("_all_list_columns")
    _details_columns = _per_request("_all_details_columns")
    _export_columns = _per_request("_all_export_columns")

    @property
    def _search_fields(self):
        stored = self.__dict__.setdefault("_all_search_fields", [])  # Flask-Admin appends to it at start-up
        if not has_request_context():
            return stored
        return self.per_request("_search_fields", lambda: [
            (KeySearch if getattr(f, "name", None) in DERIVED_FROM else LiteralSearch)(f)
            for f in stored if not self.closed(getattr(f, "name", str(f)))])

    @_search_fields.setter
    def _search_fields(self, value):
        self.__dict__["_all_search_fields"] = value

    @property
    def _sortable_columns(self):
        stored = self.__dict__.setdefault("_all_sortable", {})
        if not has_request_context():
            return stored
        return self.per_request("_sortable_columns", lambda: {
            k: v for k, v in stored.items() if not self.closed(k) and not self.closed(getattr(v, "name", ""))})

    @_sortable_columns.setter
    def _sortable_columns(self, value):
        self.__dict__["_all_sortable"] = value

    # a filter on a hidden field would let a user probe its values one guess at a time
    def _filter_field(self, flt):
        """Return the name of this view's field a filter reads (the relation's field for a related column)."""
        column = getattr(flt, "column", None)
        model = getattr(column, "model", None)
        if model is None or model is self.model:
            return getattr(column, "name", None)
        return next((f.name for f in self.model._meta.refs if f.rel_model is model), None)

    @property
    def _filter_args(self):
        stored = self.__dict__.get("_all_filter_args")
        if not has_request_context() or not stored:
            return stored
        # the same for every user of a role: kept per role, rules and custom fields (views/role_cache.py)
        return self.per_request("_filter_args", lambda: role_cache.shared(
            "filter_args", (id(self), id(stored)), lambda: {
                key: (idx, flt) for key, (idx, flt) in stored.items()
                if not self.closed(self._filter_field(flt) or "")
                and not self.closed(getattr(getattr(flt, "column", None), "name", ""))}))

    @_filter_args.setter
    def _filter_args(self, value):
        self.__dict__["_all_filter_args"] = value

    def _get_filter_groups(self):
        if not has_request_context():
            return super()._get_filter_groups()
        # the same for every user of a role (views/role_cache.py); the owner filter's users are put in fresh
        # afterwards (views/owner_filter.py); a refresh of the custom fields gives the view new filter groups
        return role_cache.shared("filter_groups", (id(self), id(self.__dict__.get("_filter_groups"))),
                                 self._visible_filter_groups)

    def _visible_filter_groups(self):
        groups = super()._get_filter_groups()
        if not groups:
            return groups
        visible = set(self._filter_args or ())
        kept = ((name, [item for item in items if item["arg"] in visible]) for name, items in groups.items())
        return type(groups)((name, items) for name, items in kept if items)

    def _get_column_by_idx(self, idx):
        # stock Flask-Admin fails with a 500 on ?sort=<index of an unsortable column>: treat it as no sort
        column = super()._get_column_by_idx(idx)
        return column if column is not None and column[0] in self._sortable_columns else None

    def export_column_names(self):
        """Return the exported columns without the fields hidden from this role."""
        return [n for n in super().export_column_names() if self.field_access(n) != "hidden"]

    # --- forms -------------------------------------------------------------------------------------
    def _restrict(self, form, obj=None):
        for field in list(form):
            access = self.field_access(field.name)
            if access == "hidden":
                del form[field.name]
            elif access == "read":
                field.render_kw = {**(field.render_kw or {}), "disabled": True}
                field.populate_obj = _ignore_on_save
                if request.method == "POST" and obj is not None:
                    field.data = getattr(obj, field.name, None)  # show and validate the stored value
        return form

    def create_form(self, obj=None):
        return self._restrict(super().create_form(obj))

    def edit_form(self, obj=None):
        return self._restrict(super().edit_form(obj), obj)

    def list_form(self, obj=None):
        form = super().list_form(obj)
        for field in list(form):
            if self.field_access(field.name) != "edit":
                del form[field.name]  # inline editing of a hidden or read-only field is refused
        return form

    def _rules_without_hidden(self, attr):
        base = self.__dict__.get(attr)
        sections = getattr(self, "form_sections", ())
        hidden = {name for _h, names in sections for name in names if self.field_access(name) == "hidden"}
        if base is None or not hidden:
            return base
        return rules.RuleSet(self, section_rules(sections, hidden))

    def _rules_per_request(attr):  # noqa: N805 - a property factory used in the class body
        return property(lambda self: self._rules_without_hidden(attr),
                        lambda self, value: self.__dict__.__setitem__(attr, value))

    _form_create_rules = _rules_per_request("_all_form_create_rules")
    _form_edit_rules = _rules_per_request("_all_form_edit_rules")

    def visible_changes(self, entry):
        """Return an entry's {field: [old, new]} without hidden fields and with personal values masked."""
        from admin_app.permissions import mask, sees_unmasked

        shown = {}
        for name, pair in entry.changed().items():
            if self.field_access(name) == "hidden":
                continue
            shown[name] = pair if sees_unmasked(name) else [mask(name, v) for v in pair]
        return shown
