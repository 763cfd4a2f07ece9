"""Spreadsheet-like editing: common fields edited in place in the list, one field set on many rows at once."""
import peewee as pw
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.model.widgets import XEditableWidget
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import Form, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from admin_app.db import write_transaction
from admin_app.permissions import allowed
from admin_app.services import history
from models import now

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


class _NoVersion:
    """The list form has no row_version; an in-place edit is checked against the version just read."""

    data = None


class GridEditMixin:
    """Adds in-place editing of INLINE_COLUMNS and the "Edit a field of the selected rows" action."""

    def __init__(self, model, *args, **kwargs):
        if not self.column_editable_list:
            listed = set(self.column_list or ())
            self.column_editable_list = [n for n in INLINE_COLUMNS.get(kwargs.get("endpoint") or "", ())
                                         if n in listed]
        super().__init__(model, *args, **kwargs)

    def scaffold_list_form(self, widget=None, validators=None):
        # in-place editors are plain drop-downs: x-editable cannot drive the AJAX look-ups of the edit form
        refs, self._form_ajax_refs = getattr(self, "_form_ajax_refs", None), {}
        try:
            form_class = super().scaffold_list_form(widget, validators)
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
        form = super().list_form(obj)
        for field in form:
            fld = self.model._meta.fields.get(field.name)
            if isinstance(field, SelectField) and fld is not None and fld.choices:
                field.choices = [(value, str(label)) for value, label in fld.choices]
        return form

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
        return super().ajax_update()

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
        return redirect(url_for(".bulk_edit_view", ids=list(ids)))

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
            field = SelectField(label, choices=[(v, str(t)) for v, t in fld.choices],
                                validators=[InputRequired()] + checks)
        else:
            field = StringField(label, validators=[Optional(), Length(max=fld.max_length or 255)] + checks)
        form = type("BulkEditForm", (Form,), {name: field})(request.form if request.method == "POST" else None)
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
        ready = request.method == "POST" and field is not None and field.validate(form)
        previewed = request.form.get("previewed") == f"{name}={request.form.get(name, '')}"
        if ready and request.form.get("confirm") == "1" and previewed:
            return self._apply_bulk(rows, name, field.data)
        return self.render("admin/exchange/bulk_edit.html", rows=rows[:PREVIEW_ROWS], count=len(rows),
                           ids=ids, name=name, field=field, ready=ready, fields=self.bulk_fields(),
                           new_value=self._shown(name, field.data) if ready else None)

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
        flash(ngettext("%(num)d record was changed.", "%(num)d records were changed.", len(rows)), "success")
        return redirect(url_for(".index_view"))
