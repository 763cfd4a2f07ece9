"""The six-monthly archive check: dossiers due, the check form (档案资料检查表) and each dossier's history."""
import datetime as dt

from flask import request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from admin_app import validators as v
from admin_app.permissions import allowed
from admin_app.services.trust import archive_checks
from models import ArchiveCheck, Customer, User
from views.base import SecureModelView
from views.refs import CUSTOMER_REF

USER_REF = {"fields": ("username", "display_name"), "page_size": 10}
CHECK_LABELS = {"findings": _l("Findings"), "last_check": _l("Last check"), "check_due": _l("Check due since")}


class ArchiveCheckView(SecureModelView):
    """Checks of customers' dossiers: items checked, findings, corrections, checker, date."""

    column_list = ("customer", "checked_on", "checker", "items_checked", "findings", "corrections")
    column_filters = ("checked_on", Customer.name, User.username)
    column_searchable_list = ("items_checked", "findings", "corrections", Customer.name, Customer.search_key)
    column_sortable_list = ("checked_on", "created_at")
    column_default_sort = ("checked_on", True)
    column_labels = {**SecureModelView.column_labels, **CHECK_LABELS}
    form_ajax_refs = {"customer": CUSTOMER_REF, "checker": USER_REF}
    form_args = {"checked_on": {"validators": [v.not_future]}, "findings": {"label": CHECK_LABELS["findings"]}}
    form_sections = ((_l("Archive check"), ["customer", "checked_on", "checker", "items_checked", "findings",
                                            "corrections"]),)

    def create_form(self, obj=None):
        form = super().create_form(obj)
        if request.method == "GET" and form.checker.data is None:
            form.checker.data = current_user._get_current_object()  # usually the person filling in the form
        return form

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        if model.checker_id is None:
            model.checker = current_user.id  # the person filling in the form checked, unless named

    def after_model_change(self, form, model, is_created):
        super().after_model_change(form, model, is_created)
        archive_checks.mark_entries_checked(model)


def _last_check(view, context, row, name):
    return view.page_checks().get(row.id) or ""


def _check_due(view, context, row, name):
    due = archive_checks.next_due(view.page_checks().get(row.id))
    return due or Markup('<span class="badge badge-warning">{}</span>').format(_l("Never checked"))


def _check_link(view, context, row, name):
    if not allowed("archivecheck", "create"):
        return row.name
    url = url_for("archivecheck.create_view", customer=row.id, url=url_for(".index_view"))
    return Markup('{} <a class="btn btn-sm btn-outline-primary ml-1 check-now" href="{}">{}</a>').format(
        row.name, url, _l("Check now"))


class ArchiveCheckDueView(SecureModelView):
    """Dossiers due for their six-monthly check: no check in the last six months."""

    column_list = ("name", "owner", "last_check", "check_due", "region")
    column_searchable_list = ("name",)
    column_filters = ("region", "customer_type", User.username)
    column_sortable_list = ("name",)
    column_default_sort = ("name", False)
    column_labels = {**SecureModelView.column_labels, **CHECK_LABELS}
    column_formatters = {"last_check": _last_check, "check_due": _check_due, "name": _check_link}
    can_view_details = False

    @property
    def can_create(self):
        return False

    @property
    def can_edit(self):
        return False

    @property
    def can_delete(self):
        return False

    def get_query(self):
        return super().get_query().where(archive_checks.due_condition(dt.date.today()))

    def get_list(self, *args, **kwargs):
        count, rows = super().get_list(*args, **kwargs)
        if isinstance(rows, list):
            self._checks = archive_checks.last_checks(row.id for row in rows)
        return count, rows

    def page_checks(self):
        """Return {customer id: last check date} of the rows on the current page."""
        return getattr(self, "_checks", {})


class ArchiveCheckHistoryMixin:
    """The dossier page's history of archive checks."""

    def archive_checks(self, customer):
        """Return the customer's archive checks, newest first (empty when the role may not see them)."""
        return list(ArchiveCheck.for_customer(customer.id)) if allowed("archivecheck", "view") else []

    def may_record_check(self):
        """Tell whether the user may record an archive check from the dossier."""
        return allowed("archivecheck", "create")
