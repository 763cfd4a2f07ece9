"""Grading lists: grade history, reports due this month per owner, urgent credit events."""
import datetime as dt

from flask import flash
from flask_admin.actions import action
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from peewee import fn

from admin_app.db import write_transaction
from admin_app.permissions import allowed
from admin_app.services.grading import rules
from models import Customer, UrgentEvent, User, now
from views.base import CUSTOMER_FILTERS, SecureModelView
from views.grading import reasons_formatter, urgent_formatter
from views.refs import CUSTOMER_REF

URGENT_LABELS = {"kind": _l("Event"), "amount": _l("Amount (yuan)")}
HISTORY_LABELS = {"designation": _l("Designation"), "username": _l("By")}


class GradeHistoryView(SecureModelView):
    """Every change of a customer's grade: recompute, designation or edit; filterable and exportable."""

    column_list = ("at", "customer", "old_grade", "new_grade", "reasons", "source", "designation", "remark",
                   "username")
    column_filters = ("at", "old_grade", "new_grade", "source", "designation", "username", *CUSTOMER_FILTERS)
    column_searchable_list = ("username", "remark")
    column_sortable_list = ("at", "old_grade", "new_grade", "source")
    column_default_sort = ("id", True)
    column_formatters = {"reasons": reasons_formatter}
    column_labels = {**SecureModelView.column_labels, **HISTORY_LABELS}
    page_size = 50

    def _export_converter(self, fld):
        if fld.name == "reasons":
            return rules.reasons_text
        return super()._export_converter(fld)


def due_grades(today=None):
    """Return the grades whose report is due in today's month."""
    today = today or dt.date.today()
    return rules.grades_due_in(today.year, today.month)


class ReportsDueView(SecureModelView):
    """报告到期: customers whose periodic credit report is due this month (A: Mar/Sep, B: quarterly, C: monthly)."""

    list_template = "admin/grading/reports_due.html"
    column_list = ("owner", "name", "grade", "grade_reasons", "next_report_due", "urgent", "region")
    column_filters = (User.display_name, User.username, "grade", "urgent", "region", "customer_type")
    column_searchable_list = ("name",)
    column_sortable_list = ("name", "grade", "next_report_due", ("owner", Customer.owner))
    column_default_sort = [("urgent", True), ("owner", False), ("name", False)]
    column_formatters = {"grade_reasons": reasons_formatter, "urgent": urgent_formatter}
    can_view_details = False

    def get_query(self):
        return Customer.select().where(Customer.grade.in_(due_grades()))

    def per_owner(self):
        """Return [(owner name, count)] of reports due this month."""
        rows = (self.get_query().select(Customer.owner, fn.COUNT(Customer.id).alias("n"))
                .group_by(Customer.owner).order_by(fn.COUNT(Customer.id).desc()).tuples())
        users = {u.id: str(u) for u in User.select()}
        return [(users.get(owner_id, _l("No owner")), count) for owner_id, count in rows]

    def due_date(self):
        """Return the last day of this month, when this month's reports are due."""
        today = dt.date.today()
        return rules.month_end(today.year, today.month)

    def _export_converter(self, fld):
        if fld.name == "grade_reasons":
            return rules.reasons_text
        return super()._export_converter(fld)


class UrgentEventView(SecureModelView):
    """紧急报告: bounced cheques and requests to defer a cheque; logging one flags the customer as urgent."""

    column_list = ("resolved", "occurred_on", "customer", "kind", "amount", "description", "reported_by")
    column_filters = ("resolved", "kind", "occurred_on", "amount", *CUSTOMER_FILTERS)
    column_searchable_list = ("description",)
    column_sortable_list = ("occurred_on", "kind", "amount", "resolved")
    column_default_sort = [("resolved", False), ("occurred_on", True), ("id", True)]
    column_labels = {**SecureModelView.column_labels, **URGENT_LABELS}
    form_columns = ("customer", "kind", "occurred_on", "amount", "description")
    form_ajax_refs = {"customer": CUSTOMER_REF}

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        if model.occurred_on and model.occurred_on > dt.date.today():
            raise ValueError(_l("The date of the event cannot be in the future."))
        if is_created:
            model.reported_by = current_user.id
        if not model.resolved:
            # same transaction as the event: the customer is flagged for the supervisor at once
            Customer.update(urgent=True).where(Customer.id == model.customer_id).execute()

    @action("resolve", _l("Mark resolved"))
    def action_resolve(self, ids):
        ids = [int(i) for i in ids]
        with write_transaction():
            count = (UrgentEvent.update(resolved=True, resolved_at=now(), version=UrgentEvent.version + 1)
                     .where(UrgentEvent.id.in_(ids), UrgentEvent.resolved == False).execute())  # noqa: E712
            customers = UrgentEvent.select(UrgentEvent.customer).where(UrgentEvent.id.in_(ids))
            still_open = UrgentEvent.select(UrgentEvent.customer).where(UrgentEvent.resolved == False)  # noqa: E712
            Customer.update(urgent=False).where(Customer.id.in_(customers), Customer.id.not_in(still_open)).execute()
        flash(ngettext("%(num)d event marked resolved.", "%(num)d events marked resolved.", count), "success")

    def is_action_allowed(self, name):
        if name == "resolve":
            return allowed(self.endpoint, "edit")
        return super().is_action_allowed(name)
