"""Workflow settings and registers: the exchange ledger, the holiday calendar, the core areas."""
import datetime as dt

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from admin_app.permissions import allowed
from admin_app.services.workflow import calendar_years, recompute
from models import ReturnExchange
from views.base import CUSTOMER_FILTERS, SecureModelView

LEDGER_STATUSES = ("approved", "goods_received", "shipped", "closed")


class ExchangeLedgerView(SecureModelView):
    """The exchange ledger (换货登记台账): every approved exchange, read-only."""

    can_create = can_edit = can_delete = False
    column_list = ("id", "customer", "product_name", "model_no", "quantity", "purchase_date", "reason",
                   "approver", "goods_received_at", "shipped_at", "status")
    column_filters = ("status", "purchase_date", "goods_received_at", "shipped_at", *CUSTOMER_FILTERS)
    column_searchable_list = ("product_name", "model_no", "reason")
    column_sortable_list = ("id", "purchase_date", "goods_received_at", "shipped_at", "status")
    column_default_sort = ("id", True)
    column_details_exclude_list = ("version",)

    @staticmethod
    def ledger_condition():
        """Return the condition selecting approved exchanges."""
        return (ReturnExchange.decision == "exchange") & ReturnExchange.status.in_(list(LEDGER_STATUSES))

    def get_query(self):
        return super().get_query().where(self.ledger_condition())

    def get_count_query(self):
        return super().get_count_query().where(self.ledger_condition())

    def get_one(self, record_id):
        return self.get_query().where(ReturnExchange.id == record_id).first()


class HolidayView(SecureModelView):
    """The working-day calendar: holidays and adjusted working weekends (调休)."""

    column_list = ("day", "kind", "name")
    column_filters = ("day", "kind")
    column_searchable_list = ("name",)
    column_sortable_list = ("day", "kind")
    column_default_sort = ("day", False)
    form_columns = ("day", "kind", "name", "row_version")
    column_descriptions = {"kind": _l("A holiday takes a weekday off; an adjusted working day makes a weekend "
                                      "day a working day.")}

    def list_tools(self):
        tools = list(super().list_tools())
        if allowed(self.endpoint, "edit"):
            tools.append((_("Enter a year's schedule"), url_for(".enter_year")))
        return tools

    def after_model_change(self, form, model, is_created):
        super().after_model_change(form, model, is_created)
        self._recompute(model)

    def after_model_delete(self, model):
        super().after_model_delete(model)
        self._recompute(model)

    @staticmethod
    def _recompute(model):
        # a changed calendar moves the working-day deadlines of records still open
        changed = recompute.recompute_open("day", model.day.isoformat(),
                                           (current_user.id, current_user.username))
        if changed:
            flash(ngettext("%(num)d open record got a new due date.", "%(num)d open records got a new due date.",
                           changed), "info")

    @expose("/year/", methods=("GET", "POST"))
    def enter_year(self):
        if not allowed(self.endpoint, "edit"):
            abort(403)
        year = request.values.get("year", type=int) or dt.date.today().year + 1
        if not 2000 <= year <= 2100:
            abort(400)
        holidays_text, workdays_text = calendar_years.year_text(year)
        errors = []
        if request.method == "POST":
            holidays_text, workdays_text = request.form.get("holidays", ""), request.form.get("workdays", "")
            errors = self._save_year(year, holidays_text, workdays_text)
            if not errors:
                return redirect(url_for(".enter_year", year=year))
        return self.render("admin/settings/holiday_year.html", year=year, holidays=holidays_text,
                           workdays=workdays_text, errors=errors, official=year in calendar_years.official_years())

    @staticmethod
    def _save_year(year, holidays_text, workdays_text):
        """Validate and store a year's schedule; return the translated errors (empty when saved)."""
        holidays, errors = calendar_years.parse_days(holidays_text, "holiday", year)
        working, more = calendar_years.parse_days(workdays_text, "workday", year)
        errors += more
        both = sorted({d for d, _n in holidays} & {d for d, _n in working})
        if both:
            errors.append(_("A day cannot be both a holiday and a working day: %(days)s.",
                            days=", ".join(d.isoformat() for d in both[:5])))
        if errors:
            return errors
        changed = calendar_years.enter_year(year, holidays, working, (current_user.id, current_user.username))
        flash(_("Holiday calendar %(year)d saved: %(holidays)d holidays, %(workdays)d adjusted working days; "
                "%(changed)d open records got a new due date.", year=year, holidays=len({d for d, _n in holidays}),
                workdays=len({d for d, _n in working}), changed=changed), "success")
        return []


class CoreAreaView(SecureModelView):
    """Regions whose customers get the 12-hour repair response."""

    column_list = ("region", "note")
    column_searchable_list = ("region", "note")
    column_sortable_list = ("region",)
    form_columns = ("region", "note", "row_version")
