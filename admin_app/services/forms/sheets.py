"""The table forms as Excel sheets (formula-safe through the streaming writer): ledger, archive check, register."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from admin_app.services.exchange import xlsx_export as xw

LEDGER_HEADER = (_l("No."), _l("Date"), _l("Customer"), _l("Product"), _l("Model"), _l("Quantity"),
                 _l("Reason for exchange"), _l("Approved by"), _l("Returned goods received on"),
                 _l("Replacement shipped on"), _l("Handled by"), _l("Handler's signature"))
CHECK_HEADER = (_l("No."), _l("Entry date"), _l("Kind"), _l("Document number"), _l("Dossier item"),
                _l("Complete / missing"), _l("Finding"), _l("Correction made"), _l("Checked by"), _l("Check date"))
REGISTER_HEADER = (_l("Kind"), _l("Record"), _l("Customer"), _l("Due"), _l("Owner"), _l("Method"), _l("State"),
                   _l("Done on"), _l("Outcome"))


def _sheet(name, header, rows, title):
    columns = [xw.Column(f"c{i}", str(head), "text", width=xw.column_width(str(head), "text", 60))
               for i, head in enumerate(header)]
    return xw.Sheet(name, columns, rows, [str(line) for line in title])


def ledger_sheet(rows, title):
    """Return the exchange ledger (换货登记台账) sheet; rows from tables.ledger_rows."""
    return _sheet(_("Exchange ledger"), LEDGER_HEADER, rows, title)


def check_sheet(rows, title):
    """Return the archive check sheet (档案资料检查表); rows from tables.check_rows."""
    return _sheet(_("Archive check"), CHECK_HEADER, rows, title)


def register_sheet(lines, today, title):
    """Return the follow-up register (回访登记) sheet; lines are followups.FollowUp."""
    states = {"open": _("Open"), "overdue": _("Overdue"), "done": _("Done")}
    rows = [[line.kind_label, f"#{line.record_id}", line.customer, line.due.isoformat(), line.owner,
             line.method_label, states[line.state(today)], line.done_on.isoformat() if line.done_on else "",
             str(line.outcome)] for line in lines]
    return _sheet(_("Follow-up register"), REGISTER_HEADER, rows, title)
