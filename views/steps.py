"""Workflow steps on a record's own details and edit pages: a dialog per step, one submit, whom it waits for."""
from flask import abort, flash, g, redirect, request, url_for
from flask_admin import expose
from flask_admin.helpers import is_safe_url
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.validators import InputRequired

from admin_app.permissions import allowed
from admin_app.services.workflow import states as workflow
from admin_app.services.workflow import steps
from admin_app.services.workflow import workflow_ops as ops
from models import Feedback
from models.choices import label as choice_label

ROUTE_LABEL = _l("Route by nature")


class Dialog:
    """One step offered on a page: its button, the form of the fields it asks for, and what blocks it."""

    def __init__(self, name, label, form, errors=(), is_open=False):
        self.name, self.label, self.form, self.errors, self.is_open = name, label, form, list(errors), is_open

    @property
    def field_names(self):
        return ",".join(field.name for field in self.form) if self.form is not None else ""


class StepDialogsMixin:
    """Offer every workflow step of the current user's role on the record's details and edit pages.

    The host view (WorkflowMixin) provides _record_or_404(id) and _forget() (drop the cached menu counts).
    """

    edit_template = "admin/workflow_edit.html"

    def step_form(self, record, name, posted=False):
        """Return the view's own edit form cut down to the step's fields (their validators, labels and access).

        posted: read the request's form (the step being sent); else show the record's stored values.
        """
        asked, required = steps.fields_of(record, name)
        if not asked:
            return None
        form = self.edit_form(obj=record) if posted else self._restrict(self._edit_form_class(None, obj=record),
                                                                        record)
        for field in list(form):
            if field.name not in asked:
                del form[field.name]
        for field in form:
            field.id = field.label.field_id = f"{name}-{field.name}"
            if field.name in required:  # first, before a nullable column's Optional() ends the checks
                field.validators = [InputRequired(message=_("This field is required.")), *field.validators]
                field.flags.required = True
        return form

    def _route_offered(self, record):
        return (isinstance(record, Feedback) and not record.nature and record.status != "closed"
                and allowed(self.endpoint, "edit"))

    def step_dialogs(self, record):
        """Return the Dialogs of the steps the current user may take on this record now."""
        shown = g.get("step_dialog")
        dialogs = []
        if self._route_offered(record):
            dialogs.append(Dialog("route", ROUTE_LABEL, self.step_form(record, "route")))
        for t in workflow.available(record, current_user.role):
            form = self.step_form(record, t.name)
            errors = [] if form is not None else workflow.check(record, t.name, current_user.role)
            dialogs.append(Dialog(t.name, t.label, form, errors))
        if shown is not None:  # the dialog the user just sent, with its errors, opened again
            dialogs = [shown if d.name == shown.name else d for d in dialogs]
        return dialogs

    def waiting_note(self, record):
        """Return the sentence saying whom the record waits for, or None."""
        wait = steps.waiting_for(record, current_user.role)
        return steps.waiting_sentence(wait) if wait else None

    @expose("/step/<int:record_id>", methods=("POST",))
    def step_view(self, record_id):
        record = self._record_or_404(record_id)
        name = request.form.get("step", "")
        if name == "route" and self._route_offered(record):
            return self._route(record)
        transition = workflow.machine_for(record).get(name)
        if transition is None or current_user.role not in transition.roles:
            abort(403)  # never offered to this role: a forged or stale request
        form = self.step_form(record, name, posted=True)
        if form is not None and not allowed(self.endpoint, "edit"):
            abort(403)
        values = self._validated(form, record)
        if values is None:
            return self._again(record, name, form)
        try:
            fresh = steps.take_step(record, name, values, current_user._get_current_object(),
                                    request.form.get("version", type=int), request.form.get("note"))
        except ops.WorkflowError as ex:
            if form is None:
                flash(str(ex), "error")
                return self._after_step(record)
            return self._again(record, name, form, [str(ex)])
        flash(_("Status changed to %(status)s.", status=self._status(fresh)), "success")
        return self._after_step(fresh)

    def _route(self, record):
        form = self.step_form(record, "route", posted=True)
        values = self._validated(form, record)
        if values is None:
            return self._again(record, "route", form)
        try:
            created = steps.route_by_nature(record, values["nature"], current_user._get_current_object(),
                                            request.form.get("version", type=int))
        except ops.WorkflowError as ex:
            return self._again(record, "route", form, [str(ex)])
        if created is None:
            flash(_("The nature was recorded."), "success")
            return self._after_step(record)
        self._forget()
        kind = type(created)._meta.table_name
        flash(_("%(kind)s #%(id)d was created from this feedback.", kind=self.field_label(kind), id=created.id),
              "success")
        return redirect(url_for(f"{kind}.details_view", id=created.id))

    @staticmethod
    def _validated(form, record):
        """Return {field: value} of a valid step form ({} for a step without fields), or None."""
        if form is None:
            return {}
        valid = form.validate()
        for field in form:
            blank = field.data is None or (isinstance(field.data, str) and not field.data.strip())
            if field.flags.required and blank and not field.errors:
                field.errors = [*field.errors, _("This field is required.")]
                valid = False
        if not valid:
            return None
        return {field.name: field.data for field in form if getattr(field, "populate_obj", None) is None
                or not getattr(field.populate_obj, "__name__", "").startswith("_ignore")}

    def _again(self, record, name, form, errors=()):
        """Show the page again with the step's dialog open on its errors; nothing was saved."""
        label = ROUTE_LABEL if name == "route" else workflow.machine_for(record).get(name).label
        g.step_dialog = Dialog(name, label, form, errors, is_open=True)
        return self.render(self.details_template, model=record, details_columns=self._details_columns,
                           get_value=self.get_detail_value, return_url=self._next_url(record))

    def _next_url(self, record):
        wanted = request.form.get("next", "")
        return wanted if wanted and is_safe_url(wanted) else url_for(".details_view", id=record.id)

    def _after_step(self, record):
        self._forget()
        return redirect(self._next_url(record))

    def _status(self, record):
        return choice_label(self.model._meta.fields["status"].choices, record.status)
