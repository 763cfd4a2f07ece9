"""Report workbooks: monthly feedback and complaint summary, grade roster, one customer's whole dossier."""
import datetime as dt
import tempfile

from flask import abort, redirect, request, send_file, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_login import current_user

from admin_app.permissions import allowed
from admin_app.services.exchange import xlsx_export as xw
from admin_app.services.forms.values import minute
from admin_app.services.workflow import reports
from models import Customer, ExportLog, now
from views.access import RoleCheckedView, find_view
from views.dossier import dossier_access, log_dossier

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOSSIER_KINDS = ("archiverecord", "feedback", "complaint", "repair", "returnexchange")


def monthly_report_month():
    """Return the first day of the monthly report's month (?month=YYYY-MM, else this month); 403 or 400 abort."""
    if not (allowed("complaint", "export") and allowed("feedback", "export")):
        abort(403)
    try:
        return dt.datetime.strptime(request.args.get("month") or f"{dt.date.today():%Y-%m}", "%Y-%m").date()
    except ValueError:
        abort(400)


class XlsxReportsView(RoleCheckedView):
    """Download report workbooks; each is permission-checked like the lists it reads and logged."""

    def is_visible(self):
        return False

    def role_may_open(self):
        return allowed("customer", "view")

    def _view(self, endpoint):
        return find_view(self.admin, endpoint)

    def _who(self):
        who = current_user.display_name or current_user.username
        return _("Exported %(when)s by %(who)s", when=minute(now()), who=who)

    def _send(self, sheets, name, what):
        handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - send_file closes it when sent
        counts = xw.write_workbook(handle, sheets)
        handle.seek(0)
        ExportLog.create(user=current_user.id, username=current_user.username, endpoint=self.endpoint,
                         kind="report", filters=what[:2000], columns=name, row_count=sum(counts))
        return send_file(handle, mimetype=XLSX, as_attachment=True, max_age=0,
                         download_name=f"{name}-{now():%Y%m%d-%H%M%S}.xlsx")

    @expose("/")
    def index(self):
        return redirect(url_for("customer.index_view"))

    @expose("/monthly.xlsx")
    def monthly(self):
        first = monthly_report_month()
        return self._send(reports.monthly_sheets(first), f"monthly-summary-{first:%Y-%m}", f"{first:%Y-%m}")

    @expose("/roster.xlsx")
    def roster(self):
        if not allowed("customer", "export"):
            abort(403)
        return self._send([reports.roster_sheet(self._view("customer"), self._who())], "grade-roster",
                          _("Grade roster with report due dates"))

    @expose("/dossier/<int:customer_id>.xlsx")
    def dossier(self, customer_id):
        if not allowed("customer", "export"):
            abort(403)
        customer = Customer.get_or_none(Customer.id == customer_id) or abort(404)
        known, purpose = dossier_access(customer_id)
        if not known and purpose is None:  # need-to-know: the dossier page asks the purpose first
            return redirect(url_for("customer.details_view", id=customer_id))
        log_dossier("export_dossier", customer, customer_id, known, purpose)
        views = [self._view(e) for e in DOSSIER_KINDS if allowed(e, "export")]
        sheets = reports.dossier_sheets(self._view("customer"), views, customer, self._who())
        return self._send(sheets, f"dossier-{customer_id}", f"{customer_id} {customer}")
