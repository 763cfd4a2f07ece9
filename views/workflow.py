"""Workflow on the record views: transition buttons, deadlines, overdue filter and badge, reassignment, routing."""
import time

from flask import abort, current_app, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.contrib.peewee.filters import BasePeeweeFilter
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape

from admin_app.permissions import allowed
from admin_app.services.forms.values import minute
from admin_app.services.workflow import calendar_years, deadlines, legal
from admin_app.services.workflow import workflow_ops as ops
from models import Complaint, Repair, ReturnExchange, User
from models.choices import label as choice_label
from models.workflow import AssignmentLog, TransitionLog
from views.access import RoleCheckedView
from views.role_cache import badge_mark
from views.steps import StepDialogsMixin

STATE_LABELS = {"overdue": _l("Overdue"), "due_today": _l("Due today"), "open": _l("Open")}
STATE_CLASSES = {"overdue": "badge badge-danger wf-overdue", "due_today": "badge badge-warning wf-due-today"}


class OverdueFilter(BasePeeweeFilter):
    """Filter a workflow list to its overdue or due-today records."""

    def __init__(self, model):
        super().__init__(model.status, _l("Deadline"),
                         options=lambda: list(STATE_LABELS.items()))
        self.model = model

    def apply(self, query, value):
        if value == "due_today":
            return query.where(deadlines.due_today_condition(self.model))
        if value == "open":
            return query.where(deadlines.open_condition(self.model))
        return query.where(deadlines.overdue_condition(self.model))

    def operation(self):
        return _l("is")


def cached_count(key, compute):
    """Return a menu count, recomputed at most every WORKFLOW_BADGE_TTL seconds (every page shows the menu)."""
    cache = current_app.extensions.setdefault("workflow_badges", {})
    ttl = current_app.config.get("WORKFLOW_BADGE_TTL", 30)
    stamp, value = cache.get(key, (0, None))
    if value is None or time.monotonic() - stamp > ttl:
        value = compute()
        cache[key] = (time.monotonic(), value)
    return value


def forget_counts():
    """Drop the cached menu counts after a workflow change, so the saving user sees the new figures."""
    current_app.extensions.get("workflow_badges", {}).clear()


class BadgeName:
    """A menu label that shows the current user's count of overdue records beside the view's name."""

    def __init__(self, name, count):
        self.name, self.count = name, count

    def __str__(self):
        return str(self.name)

    def __html__(self):
        # the cached menu (views/role_cache.py) keeps a mark in place of the badge and fills it in per page
        return str(escape(str(self.name))) + (badge_mark(self) or self.badge_html())

    def badge_html(self):
        """Return the current user's badge markup ('' for no overdue records)."""
        number = self.count() if current_user.is_authenticated else 0
        return f' <span class="badge badge-danger wf-menu-badge">{int(number)}</span>' if number else ""


def state_badge(state):
    """Return the escaped badge of a due state, or an empty string."""
    if not state:
        return ""
    return Markup('<span class="{}">{}</span>').format(STATE_CLASSES[state], STATE_LABELS[state])


def _status_formatter(view, context, row, name):
    text = choice_label(row._meta.fields["status"].choices, row.status)
    badge = state_badge(deadlines.due_state(row))
    return Markup("{} {}").format(text, badge) if badge else text


def _due_formatter(view, context, row, name):
    """Show a stored due date, marked as estimated when its year has no official holiday calendar."""
    value = getattr(row, name)
    if value is None:
        return ""
    text = minute(value) if hasattr(value, "hour") else value.isoformat()
    if not calendar_years.is_estimated(value):
        return text
    return Markup('{} <span class="badge badge-warning due-estimated" title="{}">{}</span>').format(
        text, _("No official holiday calendar for this year yet"), _("estimated"))


class BadgeMenuMixin:
    """Show `badge_count()` beside the view's menu item, which Admin.add_view() assigns to `menu`."""

    @property
    def menu(self):
        return self.__dict__.get("_menu")

    @menu.setter
    def menu(self, item):
        if item is not None:
            item.name = BadgeName(item.name, self.badge_count)
        self.__dict__["_menu"] = item


class WorkflowMixin(StepDialogsMixin, BadgeMenuMixin):
    """Put a record view's lifecycle on it: buttons, deadlines, overdue filter and menu badge."""

    list_template = "admin/workflow_list.html"
    details_template = "admin/workflow_details.html"

    def __init__(self, model, *args, **kwargs):
        self.column_filters = (*(self.column_filters or ()), OverdueFilter(model))
        self.column_formatters = {**(self.column_formatters or {}), "status": _status_formatter,
                                  "investigation_due": _due_formatter}
        super().__init__(model, *args, **kwargs)

    def badge_count(self):
        """Return the overdue count shown beside the menu item."""
        return cached_count((self.endpoint, None), lambda: deadlines.overdue_count(self.model))

    # --- saving through the form -------------------------------------------------
    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        forget_counts()
        before = None if is_created else type(model).get_by_id(model.id)
        ops.guard_fields(before, model, current_user.role)
        ops.status_edit(before, model, current_user._get_current_object())
        if isinstance(model, ReturnExchange):
            ops.check_return_dates(model)
        if isinstance(model, Complaint) and legal.escalate(before, model, current_user):
            model._notify_legal = (before.legal_contact_id if before else None,)  # told once it is saved
        if is_created:
            model.owner = model.owner or current_user.id  # every workflow record has an owner
            ops.fill_deadlines(model)
            return
        if before.owner_id != model.owner_id and not self.may_reassign(before):
            raise ops.WorkflowError(_("Only the record's owner, a sales supervisor or a manager may hand it to "
                                      "someone else."))
        ops.log_reassignment(self.model, model.id, before.owner_id, model.owner_id, current_user)
        if isinstance(model, Repair):
            ops.log_reassignment(self.model, model.id, before.technician_id, model.technician_id, current_user,
                             field="technician")
        if isinstance(model, Complaint) and before.received_at != model.received_at:
            model.investigation_due = None
            ops.fill_deadlines(model)

    def after_model_change(self, form, model, is_created):
        super().after_model_change(form, model, is_created)
        self._tell_legal_contact(model)

    def after_revert_save(self, instance):
        super().after_revert_save(instance)
        self._tell_legal_contact(instance)  # putting back a legal escalation escalates as the edit did

    @staticmethod
    def _tell_legal_contact(model):
        if getattr(model, "_notify_legal", None):
            legal.notify_contact(model, current_user._get_current_object(), model._notify_legal[0])

    def withheld_fields(self):
        """Add technicians (handed on like owners when many rows change at once) and the fields only a manager
        approves (workflow_ops.APPROVAL_FIELDS, which the form refuses too)."""
        withheld = set(super().withheld_fields())
        if not allowed(self.endpoint, "reassign"):
            withheld |= set(ops.ASSIGNED_FIELDS)
        return frozenset(withheld | {name for name, roles in ops.APPROVAL_FIELDS.items()
                                     if current_user.role not in roles})

    def after_import(self, ids):
        """Complete imported records inside the import's transaction (owner, deadlines)."""
        ops.complete_imported(self.model, ids, current_user.id)

    # --- bulk edits: a new owner is a reassignment (withheld_fields leaves it to those who may) ------
    def after_bulk_change(self, rows, name, value):
        super().after_bulk_change(rows, name, value)
        if name in ops.ASSIGNED_FIELDS:
            forget_counts()
            for row in rows:
                ops.log_reassignment(self.model, row.id, getattr(row, f"{name}_id"), value, current_user,
                                     field=name)

    # --- the detail page's panel --------------------------------------------------
    def workflow_panel(self, record):
        """Return what the detail page shows besides its steps (step_dialogs): logs, due state, reassignment."""
        table = self.model._meta.table_name
        return {
            "state": deadlines.due_state(record), "due": deadlines.due_of(record),
            "transitions": list(TransitionLog.for_record(table, record.id)),
            "assignments": list(AssignmentLog.select().where(AssignmentLog.table == table,
                                                             AssignmentLog.record_id == record.id)
                                .order_by(AssignmentLog.at, AssignmentLog.id)),
            "can_reassign": self.may_reassign(record),
            "users": list(User.select().where(User.active).order_by(User.username)),
            "status_label": lambda value: choice_label(self.model._meta.fields["status"].choices, value),
        }

    def may_reassign(self, record):
        """Tell whether the current user may hand this record to someone else."""
        return allowed(self.endpoint, "reassign") or (record.owner_id == current_user.id
                                                      and allowed(self.endpoint, "edit"))

    def _record_or_404(self, record_id):
        if not allowed(self.endpoint, "view"):
            abort(403)
        record = self.model.get_or_none(self.model.id == record_id)
        return record or abort(404)

    @staticmethod
    def _forget():
        forget_counts()

    def _back(self, record):
        forget_counts()
        return redirect(url_for(".details_view", id=record.id))

    @expose("/transition/<int:record_id>", methods=("POST",))
    def transition_view(self, record_id):
        record = self._record_or_404(record_id)
        name = request.form.get("transition", "")
        try:
            fresh = ops.apply_transition(record, name, current_user, request.form.get("note"))
        except ops.WorkflowError as ex:
            flash(str(ex), "error")
            return self._back(record)
        flash(_("Status changed to %(status)s.",
                status=choice_label(self.model._meta.fields["status"].choices, fresh.status)), "success")
        return self._back(record)

    @expose("/reassign/<int:record_id>", methods=("POST",))
    def reassign_view(self, record_id):
        record = self._record_or_404(record_id)
        if not self.may_reassign(record):
            abort(403)
        try:
            ops.reassign(record, request.form.get("owner", type=int), current_user, request.form.get("note"))
        except ops.WorkflowError as ex:
            flash(str(ex), "error")
            return self._back(record)
        flash(_("The record was reassigned."), "success")
        return self._back(record)


class FeedbackRoutingMixin:
    """Buttons on a feedback that create the repair or complaint it becomes."""

    def routes(self, record):
        """Return [(kind, label)] of the records the current user may create from this feedback."""
        if record.status == "closed" or not allowed(self.endpoint, "edit"):
            return []
        # 000 §4.4.5: a product fault becomes a repair, a complaint or adverse event a complaint
        options = {"fault": ("repair", _l("Create repair")), "complaint": ("complaint", _l("Create complaint"))}
        kind, label = options.get(record.nature, (None, None))
        return [(kind, label)] if kind and allowed(kind, "create") else []

    def linked(self, record):
        """Return [(endpoint, record)] of the complaints and repairs created from this feedback."""
        return [("complaint", c) for c in record.complaints] + [("repair", r) for r in record.repairs]

    @expose("/route/<int:record_id>/<kind>", methods=("POST",))
    def route_view(self, record_id, kind):
        record = self._record_or_404(record_id)
        if kind not in dict(self.routes(record)):
            abort(403)
        try:
            created = ops.route_feedback(record, kind, current_user)
        except ops.WorkflowError as ex:
            flash(str(ex), "error")
            return self._back(record)
        forget_counts()
        flash(_("The linked record was created; complete it now."), "success")
        return redirect(url_for(f"{kind}.edit_view", id=created.id))


class MyWorkView(BadgeMenuMixin, RoleCheckedView):
    """The current user's open records across record types, most urgent first."""

    def badge_count(self):
        """Return the current user's overdue count shown beside the menu item."""
        return self.my_overdue()

    @staticmethod
    def my_overdue():
        """Return how many of the current user's records are overdue."""
        return cached_count(("mywork", current_user.id), lambda: sum(
            deadlines.overdue_count(m, current_user.id) for m in deadlines.WORKFLOW_MODELS))

    @expose("/")
    def index(self):
        counts, rows = deadlines.my_work(current_user.id)
        from views.customer import RECORD_ENDPOINTS

        endpoints = {m: RECORD_ENDPOINTS[m][0] for m in deadlines.WORKFLOW_MODELS}
        names = {m: RECORD_ENDPOINTS[m][1] for m in deadlines.WORKFLOW_MODELS}
        return self.render("admin/my_work.html", counts=counts, rows=rows, endpoints=endpoints, names=names,
                           badge=state_badge, allowed=allowed, label=choice_label,
                           estimated=calendar_years.is_estimated)
