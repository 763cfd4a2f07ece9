"""Report workbooks as sheets for the streaming writer: monthly summary, grade roster, a customer's dossier."""
import peewee as pw
from flask_babel import gettext as _

from admin_app.permissions import UNMASKED, mask, sees_unmasked
from admin_app.services.exchange import xlsx_export as xw
from admin_app.services.settings import kpi
from admin_app.services.settings import store as settings_store
from admin_app.services.workflow import dashboard
from models import Complaint, Customer, Feedback, Repair
from models.choices import label as choice_label


def _pairs_sheet(name, title, header, rows, kinds=("text", "number")):
    columns = [xw.Column(f"c{i}", head, kind, width=40 if i == 0 else 14)
               for i, (head, kind) in enumerate(zip(header, kinds, strict=True))]
    return xw.Sheet(name, columns, rows, title)


def _counts(model, column, date_column, first, last):
    start, end = dashboard.span(first, last)
    bounds = (start, end) if isinstance(date_column, pw.DateTimeField) else (first, last)
    query = (model.select(column, pw.fn.COUNT(model.id)).where(date_column.between(*bounds))
             .group_by(column).tuples())
    counts = dict(query)
    choices = column.choices or [(value, value) for value in sorted(counts, key=lambda v: (v is None, v or ""))]
    rows = [(str(label) if value is not None else _("(not set)"), counts.get(value, 0)) for value, label in choices]
    if None in counts and column.choices:
        rows.append((_("(not set)"), counts[None]))
    return rows


def monthly_sheets(first):
    """Return the sheets of the monthly feedback and complaint summary for the month starting at `first`."""
    last = dashboard.month_end(first)
    period = _("%(first)s to %(last)s", first=first.isoformat(), last=last.isoformat())
    closed, received, _rate = dashboard.resolution(first, last)
    rate = closed / received if received else None
    feedback_total = sum(n for _label, n in _counts(Feedback, Feedback.category, Feedback.feedback_date, first, last))
    summary = [(_("Feedback received"), feedback_total), (_("Complaints received"), received),
               (_("Complaints closed"), closed), *repair_summary(first, last)]
    target = settings_store.get("target_resolution")
    figures = [(_("Resolution rate"), rate), (_("Target"), float(target) / 100)]
    satisfaction = dashboard.satisfaction_by_month([first])
    if satisfaction:
        satisfied, returned, _pct = satisfaction[0]
        figures.append((_("Satisfaction rate (returned questionnaires)"), satisfied / returned if returned else None))
    # exact: 79.99% does not meet ≥ 80% (001 (4) ①: 办结率不得低于80%)
    verdict = _("Target met") if kpi.meets(closed, received, target, "≥") else _("Target not met")
    title = [_("Monthly feedback and complaint summary"), period]
    head = (_("Figure"), _("Count"))
    return [
        _pairs_sheet(_("Summary"), title, head, summary),
        _pairs_sheet(_("Rates"), [*title, verdict if received else _("No complaints received")],
                     (_("Figure"), _("Rate")), figures, kinds=("text", "percent")),
        *(_pairs_sheet(sheet, title, (column, _("Count")), _counts(model, field, when, first, last))
          for sheet, column, model, field, when in _count_sheets()),
    ]


def _count_sheets():
    """Return (sheet name, column header, model, counted field, date field) of the monthly count sheets."""
    return [
        (_("Feedback by category"), _("Category"), Feedback, Feedback.category, Feedback.feedback_date),
        (_("Feedback by responsibility"), _("Responsibility"), Feedback, Feedback.responsibility,
         Feedback.feedback_date),
        (_("Complaints by type"), _("Complaint type"), Complaint, Complaint.complaint_type, Complaint.received_at),
        (_("Complaints by nature"), _("Nature"), Complaint, Complaint.nature, Complaint.received_at),
        (_("Complaints by department"), _("Responsible department"), Complaint, Complaint.responsible_dept,
         Complaint.received_at),
        (_("Repairs by status"), _("Status"), Repair, Repair.status, Repair.received_at),
        (_("Repairs by warranty"), _("Warranty"), Repair, Repair.warranty_status, Repair.received_at),
    ]


def repair_summary(first, last):
    """Return the month's repair figures (004 第12篇 3.1.3: 統計每月維修機的數量及制作相應的月報表).

    Repairs received in the month, those returned to the factory, and the repaired units shipped back in it.
    """
    start, end = dashboard.span(first, last)
    received = Repair.select().where(Repair.received_at.between(start, end))
    shipped = (Repair.select(pw.fn.COALESCE(pw.fn.SUM(Repair.ship_quantity), 0))
               .where(Repair.shipped_at.between(first, last)).scalar())
    return [(_("Repairs received"), received.count()),
            (_("Repairs returned to the factory"), received.where(Repair.returned_to_factory == True).count()),  # noqa: E712
            (_("Repaired units shipped back"), int(shipped or 0))]


def roster_sheet(view, who):
    """Return the grade roster: every customer by grade and report due date, through the list's export columns."""
    names = [n for n in ("id", "name", "grade", "grade_reasons", "designation", "next_report_due", "urgent",
                         "owner", "region", "version") if n in Customer._meta.fields]
    columns, fields, lookups = view.export_columns(names)
    query = view.get_query().order_by(Customer.grade, Customer.next_report_due, Customer.name, Customer.id)
    title = [_("Grade roster with report due dates"), who]
    return xw.Sheet(_("Grade roster"), columns, xw.stream_rows(query, fields, lookups), title)


def customer_sheet(view, customer, who):
    """Return one customer's facts as field / value rows, personal fields masked by role."""
    rows = []
    for fld in Customer._meta.sorted_fields:
        value = customer.__data__.get(fld.name)
        if isinstance(fld, pw.ForeignKeyField):
            value = str(getattr(customer, fld.name) or "")
        elif fld.name in UNMASKED and not sees_unmasked(fld.name):
            value = mask(fld.name, value)
        elif fld.choices:
            value = choice_label(fld.choices, value)
        elif isinstance(fld, pw.BooleanField):
            value = _("Yes") if value else _("No")
        rows.append((str(view.get_column_name(fld.name)), "" if value is None else str(value)))
    return _pairs_sheet(_("Customer"), [str(customer), who], (_("Field"), _("Value")), rows,
                        kinds=("text", "text"))


def dossier_sheets(customer_view, record_views, customer, who):
    """Return the customer sheet and one sheet per record kind the user may see."""
    sheets = [customer_sheet(customer_view, customer, who)]
    for view in record_views:
        names = view.export_column_names()
        columns, fields, lookups = view.export_columns([n for n in names if n != "customer"])
        query = view.model.for_customer(customer.id)
        sheets.append(xw.Sheet(str(view.name), columns, xw.stream_rows(query, fields, lookups),
                               [f"{customer} — {view.name}", who]))
    return sheets
