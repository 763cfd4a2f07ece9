"""Spreadsheet-like editing: common fields edited in place in the list, one field set on many rows at once."""
from functools import partial

import peewee as pw
from flask import Response, abort, flash, g, has_request_context, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.model.widgets import XEditableWidget
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from markupsafe import Markup, escape
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from admin_app.db import write_transaction
from admin_app.permissions import allowed
from admin_app.services.fields.builtin_choices import offered
from admin_app.services.trust import history
from models import now
from views.value_form import value_form_for

#: endpoint -> fields edited in place in the list (status changes still pass the view's workflow checks)
INLINE_COLUMNS = {
    "customer": ("region", "owner"),
    "archiverecord": ("staff", "owner"),
    "feedback": ("status", "owner", "nature"),
    "complaint": ("status", "owner", "severity", "responsible_dept"),
    "repair": ("status", "technician", "warranty_status"),
    "returnexchange": ("status", "decision", "owner"),
}
#: endpoint -> fields that may be set on many rows at once (no lifecycle fields: those have their own buttons)
BULK_COLUMNS = {
    "customer": ("owner", "region"),
    "archiverecord": ("owner", "staff"),
    "feedback": ("owner", "category", "responsibility"),
    "complaint": ("owner", "severity", "responsible_dept"),
    "repair": ("owner", "technician", "warranty_status"),
    "returnexchange": ("owner", "responsibility"),
}
PREVIEW_ROWS = 50
RELATION_TYPES = ("ModelSelectField", "QuerySelectField", "AjaxSelectField")
CHOICE_TYPES = ("SelectField", "Select2Field")


class LookupXEditableWidget(XEditableWidget):
    """The stock in-place editor, plus a drop-down that looks records up as you type (static/js/ref_fields.js).

    A user or customer field picks from thousands of rows: its editor asks the view's AJAX look-up (the edit form's)
    instead of listing every row in the page.
    """

    def get_kwargs(self, field, kwargs):
        if field.type != "AjaxSelectField":
            return super().get_kwargs(field, kwargs)
        kwargs.update({"data-type": "select2", "data-role": "x-editable-ref",
                       "data-lookup": url_for(".ajax_lookup", name=field.name),
                       "data-value": "" if field.data is None else str(getattr(field.data, "id", field.data))})
        return kwargs


class _NoVersion:
    """The list form has no row_version; an in-place edit is checked against the version just read."""

    data = None


class PageEditors:
    """Draws the in-place editors of every row from one list form, its attributes worked out once per column.

    Flask-Admin builds a whole form per row and renders each editor through WTForms; on a 20-row page that cost
    more than the rest of the page. The markup is the same x-editable anchor, so the stock script drives it.
    """

    def __init__(self, form):
        self.form = form
        self.csrf_token = getattr(form, "csrf_token", None)
        self._attrs = {}

    def attrs(self, name):
        """Return the escaped attributes every row's editor of a column shares."""
        return self._shared(name)[0]

    def _shared(self, name):
        """Return (escaped shared attributes, field type) of a column's editor, worked out once per page."""
        if name not in self._attrs:
            field = self.form[name]
            editor = field.widget if isinstance(field.widget, XEditableWidget) else LookupXEditableWidget()
            shared = {"data-role": "x-editable", "data-url": "./ajax/update/", "href": "#", "id": name,
                      "name": name, **editor.get_kwargs(field, {})}
            shared.pop("data-value", None)
            self._attrs[name] = (" ".join(f'{key}="{escape(value)}"' for key, value in shared.items()), field.type)
        return self._attrs[name]

    def render(self, name, row, pk, display_value="", csrf=""):
        """Return one row's editor anchor for a column."""
        if name not in self._attrs and name not in self.form:
            return display_value  # not editable for this user after all: show the value only
        attrs, kind = self._shared(name)
        value = self.value(kind, name, row, display_value)
        return Markup(f'<a {attrs} data-pk="{escape(pk)}" data-csrf="{escape(csrf)}" '
                      f'data-value="{escape(value)}">{escape(display_value)}</a>')

    @staticmethod
    def value(kind, name, row, display_value):
        """Return what the editor starts from: the stored key or choice, not the label shown."""
        stored = row.__data__.get(name)
        if kind in RELATION_TYPES:
            return "__None" if stored is None else str(stored)
        if kind in CHOICE_TYPES:
            return "" if stored is None else str(stored)
        if kind == "BooleanField":
            return "1" if stored else ""
        return display_value


class RowEditors:
    """Stands in for one row's list form in the list template: `form[name](pk=..., display_value=...)`."""

    def __init__(self, editors, row):
        self.editors, self.row = editors, row
        self.csrf_token = editors.csrf_token

    def __iter__(self):
        return iter(())  # the page's form was restricted and prepared once; there is no per-row form to adjust

    def __getitem__(self, name):
        return partial(self.editors.render, name, self.row)


class GridEditMixin:
    """Adds in-place editing of INLINE_COLUMNS and the "Edit a field of the selected rows" action."""

    def __init__(self, model, *args, **kwargs):
        if not self.column_editable_list:
            listed = set(self.column_list or ())
            self.column_editable_list = [n for n in INLINE_COLUMNS.get(kwargs.get("endpoint") or "", ())
                                         if n in listed]
        super().__init__(model, *args, **kwargs)

    def scaffold_list_form(self, widget=None, validators=None):
        # in-place editors are plain drop-downs, but for the columns named in column_editable_ajax (custom user and
        # customer fields), which keep the edit form's AJAX look-up (LookupXEditableWidget)
        refs = getattr(self, "_form_ajax_refs", None)
        self._form_ajax_refs = {k: v for k, v in (refs or {}).items() if k in getattr(self, "column_editable_ajax", ())}
        try:
            form_class = super().scaffold_list_form(widget or LookupXEditableWidget(), validators)
        finally:
            self._form_ajax_refs = refs
        for name in self.column_editable_list or ():
            fld = self.model._meta.fields.get(name)
            if fld is not None and fld.choices:
                # x-editable knows SelectField, not wtf-peewee's choice field; labels are set per request
                checks = [InputRequired(), *(validators or {}).get(name, {}).get("validators", ())]
                setattr(form_class, name, SelectField(self.get_column_name(name), choices=[], validators=checks,
                                                      widget=XEditableWidget()))
        return form_class

    def list_form(self, obj=None):
        if obj is not None and has_request_context():
            return RowEditors(self.page_editors(), obj)  # a list row: share the page's editors
        form = super().list_form(obj)
        for field in form:
            fld = self.model._meta.fields.get(field.name)
            if isinstance(field, SelectField) and fld is not None and fld.choices:
                field.choices = [(value, str(label)) for value, label in offered(fld.choices)]
        return form

    def page_editors(self):
        """Return this request's in-place editors, built from one list form."""
        cache = g.setdefault("_page_editors", {})
        if self.endpoint not in cache:
            cache[self.endpoint] = PageEditors(self.list_form())
        return cache[self.endpoint]

    def get_list_form(self):
        form_class = super().get_list_form()
        return type(form_class.__name__, (form_class,), {"row_version": _NoVersion()})

    def is_editable(self, name):
        access = getattr(self, "field_access", None)
        return (name in (self.column_editable_list or ()) and allowed(self.endpoint, "edit")
                and (access is None or access(name) == "edit"))

    @expose("/ajax/update/", methods=("POST",))
    def ajax_update(self):
        names = [n for n in request.form if n in (self.column_editable_list or ())]
        if len(names) != 1 or not self.is_editable(names[0]):
            return _("You may not change this field."), 403
        try:
            result = super().ajax_update()
        except pw.DoesNotExist:  # the look-up's loader reads a picked id with .get(): gone or made up
            return Response(_("Not a valid choice."), 400, mimetype="text/plain")
        if isinstance(result, tuple) and result[1] == 500:
            # Flask-Admin answers a refused edit with 500; it is the user's to fix, and the editor shows the text
            return Response(str(result[0]), 400, mimetype="text/plain")
        return result

    # --- bulk edit -----------------------------------------------------------------------------
    def bulk_fields(self):
        """Return the fields the current user may set on many rows."""
        access = getattr(self, "field_access", None)
        return [n for n in BULK_COLUMNS.get(self.endpoint, ())
                if n in self.model._meta.fields and (access is None or access(n) == "edit")]

    def is_action_allowed(self, name):
        if name == "bulk_edit":
            return allowed(self.endpoint, "edit") and bool(self.bulk_fields())
        return super().is_action_allowed(name)

    @action("bulk_edit", _l("Edit a field of the selected rows"))
    def action_bulk_edit(self, ids):
        return redirect(url_for(".bulk_edit_view", ids=list(ids), url=self.came_from()))

    def _bulk_form(self, name):
        fld = self.model._meta.fields[name]
        label = self.get_column_name(name)
        checks = [*(self.form_args or {}).get(name, {}).get("validators", ())]
        if isinstance(fld, pw.ForeignKeyField):
            target = fld.rel_model
            options = [("", _("(none)"))] + [(str(r.id), str(r)) for r in target.select().order_by(target.id)
                                              .limit(500)]
            field = SelectField(label, choices=options, validators=checks)
        elif fld.choices:
            field = SelectField(label, choices=[(v, str(t)) for v, t in offered(fld.choices)],
                                validators=[InputRequired()] + checks)
        else:
            field = StringField(label, validators=[Optional(), Length(max=fld.max_length or 255)] + checks)
        base = value_form_for(self.model)  # the same normalisation and bounds as the record's own form
        form = type("BulkEditForm", (base,), {name: field})(request.form if request.method == "POST" else None)
        return form, form[name]

    @expose("/bulk-edit/", methods=("GET", "POST"))
    def bulk_edit_view(self):
        if not (allowed(self.endpoint, "edit") and self.bulk_fields()):
            abort(403)
        ids = request.values.getlist("ids", type=int)
        name = request.values.get("field") or self.bulk_fields()[0]
        if name not in self.bulk_fields() or not ids:
            abort(400)
        form, field = self._bulk_form(name)
        rows = list(self.get_query().where(self.model.id.in_(ids)))
        ready = request.method == "POST" and field is not None and form.validate()  # with the field's bounds
        previewed = request.form.get("previewed") == f"{name}={request.form.get(name, '')}"
        if ready and request.form.get("confirm") == "1" and previewed:
            return self._apply_bulk(rows, name, field.data)
        return self.render("admin/exchange/bulk_edit.html", rows=rows[:PREVIEW_ROWS], count=len(rows),
                           ids=ids, name=name, field=field, ready=ready, fields=self.bulk_fields(),
                           new_value=self._shown(name, field.data) if ready else None)

    def after_bulk_change(self, rows, name, value):
        """Do a view's own bookkeeping for rows (read before the change) whose field was set to value."""

    def _shown(self, name, value):
        fld = self.model._meta.fields[name]
        if isinstance(fld, pw.ForeignKeyField):
            found = fld.rel_model.get_or_none(fld.rel_model.id == value) if value else None
            return str(found) if found else ""
        if fld.choices:
            return dict(fld.choices).get(value, value)
        return "" if value is None else str(value)

    def _apply_bulk(self, rows, name, value):
        fld = self.model._meta.fields[name]
        stored = (int(value) if value else None) if isinstance(fld, pw.ForeignKeyField) else (value or None)
        stamp = now()
        with write_transaction():
            before = {row.id: history.snapshot(row) for row in rows}
            ids = list(before)
            self.model.update({name: stored, "updated_at": stamp, "version": self.model.version + 1}) \
                .where(self.model.id.in_(ids)).execute()
            for row in rows:
                old = before[row.id].get(name)
                new = history.snapshot(self.model(**{name: stored})).get(name)
                if old != new:
                    history.record(row, "update", {name: [old, new]})
            self.after_bulk_change(rows, name, stored)
        flash(ngettext("%(num)d record was changed.", "%(num)d records were changed.", len(rows)), "success")
        return redirect(self.return_to_list([row.id for row in rows]))
