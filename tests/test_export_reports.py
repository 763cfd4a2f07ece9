"""Report workbooks: monthly summary against the 80% target, grade roster, a customer's dossier."""
import datetime as dt
import io

import openpyxl
import pytest
from conftest import state_purpose

from admin_app.permissions import mask
from models import AccessLog, ArchiveRecord, Complaint, Customer, ExportLog, Feedback, Repair, ReturnExchange


def book_of(response):
    assert response.status_code == 200, response.status_code
    return openpyxl.load_workbook(io.BytesIO(response.data))


def values(sheet, first_data_row):
    return [list(r) for r in sheet.iter_rows(min_row=first_data_row, values_only=True)]


def test_monthly_summary_counts_and_resolution_rate(manager_client, make_record):
    for i in range(5):
        make_record(Complaint, received_at=dt.datetime(2026, 10, 3 + i, 9), status="closed" if i < 3 else "received",
                    complaint_type="product_quality" if i < 2 else "service_attitude")
    make_record(Complaint, received_at=dt.datetime(2026, 9, 30, 9), status="closed")  # other month
    make_record(Feedback, feedback_date=dt.date(2026, 10, 8), category="price")
    book = book_of(manager_client.get("/admin/xlsx-reports/monthly.xlsx?month=2026-10"))
    summary = dict((r[0], r[1]) for r in values(book.worksheets[0], 4))
    counts = list(summary.values())  # feedback, complaints received, closed; then the month's repairs (forms)
    assert sorted(counts[:3]) == [1, 3, 5] and counts[3:] == [0, 0, 0]
    rates = values(book.worksheets[1], 5)
    assert rates[0][1] == pytest.approx(0.6) and rates[1][1] == pytest.approx(0.8)
    assert book.worksheets[1].cell(5, 2).number_format == "0.0%"
    by_type = {r[0]: r[1] for r in values(book.worksheets[4], 4)}
    assert sorted(by_type.values()) == [0, 0, 2, 3]
    assert ExportLog.get().kind == "report"


def test_monthly_summary_refused_without_export_right(technician_client):
    assert technician_client.get("/admin/xlsx-reports/monthly.xlsx").status_code == 403


def test_bad_month_is_rejected(manager_client):
    assert manager_client.get("/admin/xlsx-reports/monthly.xlsx?month=2026-13").status_code == 400


def test_grade_roster_lists_every_customer_by_grade_and_due_date(manager_client, make_customer):
    make_customer(name="丙", grade="C", next_report_due=dt.date(2026, 12, 31))
    make_customer(name="甲", grade="A", next_report_due=dt.date(2027, 3, 31))
    make_customer(name="乙", grade="B", next_report_due=dt.date(2027, 1, 31))
    sheet = book_of(manager_client.get("/admin/xlsx-reports/roster.xlsx")).active
    rows = values(sheet, 4)
    assert [r[1] for r in rows] == ["甲", "乙", "丙"]
    assert isinstance(rows[0][5], dt.datetime) and rows[0][5].date() == dt.date(2027, 3, 31)


def test_dossier_has_one_sheet_per_record_kind_and_masks_by_role(login_as, make_customer, make_record):
    customer = make_customer(name="档案顾客", phone="13812345678", id_card="110101199003074514")
    make_record(ArchiveRecord, customer=customer)
    make_record(Repair, customer=customer)
    make_record(Repair, customer=make_customer())  # someone else's
    book = book_of(state_purpose(login_as("clerk"), customer.id).get(f"/admin/xlsx-reports/dossier/{customer.id}.xlsx"))
    facts = {r[0]: r[1] for r in values(book.worksheets[0], 4)}
    assert "档案顾客" in facts.values() and "13812345678" in facts.values()
    assert mask("id_card", "110101199003074514") in facts.values()  # a clerk never sees ID numbers in clear
    repairs = next(ws for ws in book.worksheets if len(values(ws, 4)) == 1 and ws.title != book.worksheets[0].title
                   and Repair.get().product_name in str(values(ws, 4)))
    assert len(values(repairs, 4)) == 1
    assert len(book.worksheets) == 6


def test_dossier_refused_for_a_role_without_customer_export(technician_client, make_customer):
    customer = make_customer()
    assert technician_client.get(f"/admin/xlsx-reports/dossier/{customer.id}.xlsx").status_code == 403


def test_dossier_workbook_needs_a_purpose_and_is_logged(clerk_client, make_customer):
    """000 客史档案 4.: 客史档案的查阅和使用应严格遵守保密规定 — the workbook is a view of the dossier too."""
    customer = make_customer()
    url = f"/admin/xlsx-reports/dossier/{customer.id}.xlsx"
    assert clerk_client.get(url).headers["Location"].endswith(f"/admin/customer/details/?id={customer.id}")
    state_purpose(clerk_client, customer.id, "导出给法务")
    assert clerk_client.get(url).status_code == 200
    log = AccessLog.get(AccessLog.action == "export_dossier")
    assert (log.customer_id, log.purpose, log.user_id) == (customer.id, "导出给法务", clerk_client.user.id)


def test_unknown_customer_dossier_is_404(manager_client):
    assert manager_client.get("/admin/xlsx-reports/dossier/999.xlsx").status_code == 404
    assert Customer.select().count() == 0


def test_english_dossier_names_each_sheet_for_excel(login_as, make_customer, make_record):
    """An English sheet label with a slash ("Returns / exchanges") still makes a workbook Excel opens."""
    customer = make_customer(name="英文档案顾客")
    make_record(ReturnExchange, customer=customer)
    client = state_purpose(login_as("manager", language="en"), customer.id)  # need-to-know (regs)
    response = client.get(f"/admin/xlsx-reports/dossier/{customer.id}.xlsx")
    assert response.status_code == 200
    titles = [ws.title for ws in book_of(response).worksheets]
    assert "Returns - exchanges" in titles and not any(set(t) & set("[]:*?/\\") for t in titles)
