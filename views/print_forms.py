"""Print-ready paper forms (A4, the browser's Print / Save as PDF) and their Excel sheets where the form is a table.

Every form is checked like the record it prints: the role must be allowed to read that view, the record is
read through that view (so its row rules apply), hidden fields print blank and masked fields stay masked.
"""
import datetime as dt
import tempfile

from flask import abort, current_app, redirect, request, send_file, url_for
from flask_admin import expose
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from admin_app.permissions import UNMASKED, allowed, mask, sees_unmasked
from admin_app.services.exchange import xlsx_export as xw
from admin_app.services.forms import catalog, sheets, tables
from admin_app.services.forms.values import minute
from admin_app.services.trust.access import log_access
from admin_app.services.workflow import dashboard, reports
from models import ExportLog, Questionnaire, now
from views.access import RoleCheckedView, find_view
from views.dossier import dossier_access
from views.labels import LABELS
from views.reports_xlsx import monthly_report_month

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def reading_policy(view):
    """Return policy(name, text) for a view: hidden fields blank, personal fields masked for this role."""
    def policy(name, value):
        if view.field_access(name) == "hidden":
            return ""
        if name in UNMASKED and value and not sees_unmasked(name):
            return mask(name, value)
        return value
    return policy


def print_links(endpoint, record):
    """Return [(label, url)] of the forms a record's page offers to print, for the current role."""
    if not current_user.is_authenticated or not allowed(endpoint, "view"):
        return []
    links = [(form.title, url_for("printforms.record", code=form.code, record_id=record.id))
             for form in catalog.forms_for(endpoint, record)]
    if endpoint == "customer" and allowed("archiverecord", "view"):
        links.append((_("Archive check sheet"), url_for("printforms.archive_check", customer_id=record.id)))
    if endpoint == "customer" and allowed("surveyresponse", "create"):
        links.append((_("Satisfaction questionnaire (paper, for a visit)"),
                      url_for("printforms.survey", customer_id=record.id)))
    if endpoint in ("returnexchange", "exchangeledger") and record.decision == "exchange" \
            and allowed("exchangeledger", "view"):
        first = record.created_at.date().replace(day=1)
        links.append((_("Exchange ledger"), url_for("printforms.ledger", start=first.isoformat(),
                                                   end=dashboard.month_end(first).isoformat())))
    return links


def send_sheet(endpoint, sheet, name):
    """Send one sheet as an .xlsx download and log the export."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - send_file closes it when sent
    count = xw.write_workbook(handle, [sheet])
    handle.seek(0)
    ExportLog.create(user=current_user.id, username=current_user.username, endpoint=endpoint,
                     kind="form", filters=name[:2000], columns=name, row_count=sum(count))
    return send_file(handle, mimetype=XLSX, as_attachment=True, max_age=0,
                     download_name=f"{name}-{now():%Y%m%d-%H%M%S}.xlsx")


def _date_arg(name, default):
    value = request.args.get(name) or ""
    if not value:
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        abort(400)


class PrintFormsView(RoleCheckedView):
    """The paper forms of the seeds; not in the menu, reached from each record's page."""

    def is_visible(self):
        return False

    def role_may_open(self):
        return True  # each form checks the view of the record it prints

    @staticmethod
    def label(name):
        """Return a field's translated label."""
        return LABELS.get(name, name)

    def _page(self, template, title, number, **context):
        company = current_app.config.get("COMPANY_NAME") or _("Our company")
        who = current_user.display_name or current_user.username
        return self.render(template, title=title, number=number, company=company, printed_by=who,
                           printed_at=minute(now()), back_url=request.referrer or
                           url_for("admin.index"), english=not str(get_locale()).startswith("zh"), **context)

    def _source(self, endpoint, record_id):
        """Return (view, record) read through a record's own view, or refuse."""
        if not allowed(endpoint, "view"):
            abort(403)
        view = find_view(self.admin, endpoint)
        record = view.get_one(record_id) if view else None
        if record is None:
            abort(404)
        customer_id = record.id if endpoint == "customer" else record.customer_id
        known, purpose = dossier_access(customer_id)
        if not known and purpose is None:  # a printout is the dossier too: ask the purpose as its page does
            abort(redirect(url_for("customer.details_view", id=customer_id, next=request.full_path.rstrip("?"))))
        return view, record

    @expose("/")
    def index(self):
        abort(404)

    @expose("/<code>/<int:record_id>/")
    def record(self, code, record_id):
        """Print one record's form: 顾客投诉处理单, 维修服务报告, 维修收费单, 返回品信息反馈单, 返修品出库单."""
        form = catalog.FORMS.get(code) or abort(404)
        view, record = self._source(form.endpoint, record_id)
        if not form.applies(record):
            abort(404)
        log_access("print", record, record.customer_id, detail=form.code)
        filled = catalog.build(form, record, reading_policy(view))
        return self._page(form.template, form.title, form.number, form=form, record=record, filled=filled,
                          serial=filled["number"])

    def _customer(self, customer_id, also):
        if not allowed(*also):  # the role first: no purpose is asked of someone who may not print this at all
            abort(403)
        view, customer = self._source("customer", customer_id)
        log_access("print", customer, customer.id, detail=request.endpoint)
        return view, customer

    def _check_data(self, customer_id):
        view, customer = self._customer(customer_id, ("archiverecord", "view"))
        rows = tables.check_rows(tables.check_items(customer.id), tables.recorded_checks(customer.id))
        return view, customer, rows

    @expose("/archive-check/<int:customer_id>/")
    def archive_check(self, customer_id):
        """Print the six-monthly archive check sheet (档案资料检查表) of one dossier."""
        view, customer, rows = self._check_data(customer_id)
        return self._page("admin/print/archive_check.html", _("Archive check sheet"), "qr-c", customer=customer,
                          heading=tables.customer_lines(customer, reading_policy(view)), rows=rows,
                          header=sheets.CHECK_HEADER, serial=f"{customer.id:06d}",
                          xlsx_url=url_for(".archive_check_xlsx", customer_id=customer.id))

    @expose("/archive-check/<int:customer_id>.xlsx")
    def archive_check_xlsx(self, customer_id):
        if not allowed("archiverecord", "export"):
            abort(403)
        _view, customer, rows = self._check_data(customer_id)
        title = [_("Archive check sheet"), f"{customer} (#{customer.id})"]
        return send_sheet(self.endpoint, sheets.check_sheet(rows, title), f"archive-check-{customer.id}")

    @expose("/survey/<int:customer_id>/")
    def survey(self, customer_id):
        """Print a blank satisfaction questionnaire (顾客满意度调查表) to take on a visit."""
        view, customer = self._customer(customer_id, ("surveyresponse", "create"))
        current = Questionnaire.current()
        wanted = request.args.get("questionnaire", type=int)
        questionnaire = (current.where(Questionnaire.id == wanted) if wanted else current).first() or abort(404)
        reference = f"V{customer.id}-{now():%Y%m%d}"
        entry_url = url_for("surveyresponse.followup", customer_id=customer.id, questionnaire_id=questionnaire.id,
                            reference=reference, source="paper")
        english = not str(get_locale()).startswith("zh")
        return self._page("admin/print/survey.html", _("Customer satisfaction questionnaire"), None,
                          customer=customer, heading=tables.customer_lines(customer, reading_policy(view)),
                          questionnaire=questionnaire, items=tables.questionnaire_rows(questionnaire, english),
                          levels=tables.levels(), serial=reference, entry_url=entry_url, questionnaires=current)

    def _ledger_data(self):
        if not allowed("exchangeledger", "view"):
            abort(403)
        first = dt.date.today().replace(day=1)
        start, end = _date_arg("start", first), _date_arg("end", dashboard.month_end(first))
        if end < start:
            abort(400)
        return start, end, tables.ledger_rows(tables.ledger_query(start, end))

    @expose("/ledger/")
    def ledger(self):
        """Print the exchange ledger (换货登记台账) of a period with the handler (经办人) column."""
        start, end, rows = self._ledger_data()
        return self._page("admin/print/ledger.html", _("Exchange ledger"), None, rows=rows, start=start,
                          end=end, header=sheets.LEDGER_HEADER, serial=f"{start:%Y%m}",
                          xlsx_url=url_for(".ledger_xlsx", start=start.isoformat(), end=end.isoformat()))

    @expose("/ledger.xlsx")
    def ledger_xlsx(self):
        if not allowed("exchangeledger", "export"):
            abort(403)
        start, end, rows = self._ledger_data()
        title = [_("Exchange ledger"), f"{start.isoformat()} – {end.isoformat()}"]
        return send_sheet(self.endpoint, sheets.ledger_sheet(rows, title), f"exchange-ledger-{start:%Y%m%d}")

    @expose("/monthly/")
    def monthly(self):
        """Print the monthly report (月报表): feedback, complaints and repairs of one month."""
        first = monthly_report_month()
        return self._page("admin/print/monthly.html", _("Monthly report"), None, month=first,
                          sheets=reports.monthly_sheets(first), serial=f"{first:%Y-%m}",
                          xlsx_url=url_for("xlsxreports.monthly", month=f"{first:%Y-%m}"))


def percent(value):
    """Return a rate as 79.99% (two decimals, never rounded up to a target)."""
    return "" if value is None else f"{value * 100:.2f}%"


def init_print(admin):
    """Register the print view and the template helpers the record pages use."""
    admin.add_view(PrintFormsView(name=_l("Print forms"), endpoint="printforms", url="/admin/print"))
    admin.app.add_template_global(print_links, "print_links")
    admin.app.add_template_filter(percent, "percent")
