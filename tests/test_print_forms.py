"""The paper forms the seeds name, ready to print (issue 14 item 10).

Seeds: 004 第12篇 10.0 附件, 002 第三篇 第八条, 004 第6篇 6.5.1.2.
"""
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from admin_app.services.forms import catalog, tables
from admin_app.services.trust import access
from models import AccessLog, ArchiveRecord, Complaint, Repair, ReturnExchange

PHONE = "13912345678"


@pytest.fixture(autouse=True)
def need_to_know(monkeypatch):
    """Print as someone working on the customers: the need-to-know gate (regs) is proven in test_regs_need_to_know."""
    monkeypatch.setattr(access, "has_need_to_know", lambda user_id, customer_id: True)


@pytest.fixture()
def records(make_record, make_customer, make_user):
    """One record for each single-record form, filled so that each form has something to print."""
    owner = make_user("clerk", display_name="张经办")
    customer = make_customer(name="苏州恒远精密机械", phone=PHONE, address="江苏省苏州市工业园区星湖街328号")
    complaint = make_record(Complaint, customer=customer, contact_phone=PHONE, owner=owner,
                            findings="外壳注塑缺陷", resolution="更换外壳")
    repair = make_record(Repair, customer=customer, contact_phone=PHONE, warranty_status="out_of_warranty",
                         main_component=True, quote_amount=Decimal("380"), parts_cost=Decimal("300"),
                         labour_cost=Decimal("80"), returned_to_factory=True, inspection_passed=True,
                         shipped_at=dt.date(2026, 11, 20), ship_quantity=2, ship_method="courier",
                         fault_found="主板电容击穿", handling_method="更换主板")
    return {"complaint": complaint, "repair": repair, "customer": customer, "owner": owner}


FORM_CASES = [
    # code, record key, text only that form prints
    ("complaint", "complaint", "外壳注塑缺陷"),
    ("repair_report", "repair", "更换主板"),
    ("repair_charge", "repair", "380.00"),
    ("return_feedback", "repair", "380.00"),
    ("factory_shipment", "repair", "2026-11-20"),
]


@pytest.mark.parametrize(("code", "key", "text"), FORM_CASES)
def test_each_record_form_prints_with_company_name_and_its_fields(app, manager_client, records, code, key, text):
    """004 第12篇 10.0 附件: 10.1《返回品信息反馈单》bs-cp0703-fm001, 10.2《维修收费单》bs-cp0703f-m002,
    10.3《返修品出库单》bs-cp0703-fm003, 10.4《顾客投诉处理单》bs-cp0703-fm004, 10.5《维修服务报告》bs-cp0703-fm005:
    each prints on A4 under the company name from the settings, with the form's number and the record's fields."""
    app.config["COMPANY_NAME"] = "恒达电器有限公司"
    form = catalog.FORMS[code]
    page = manager_client.get(f"/admin/print/{code}/{records[key].id}/").get_data(as_text=True)
    assert "恒达电器有限公司" in page
    assert form.number in page and text in page
    assert "print/forms.css" in page and 'id="print-button"' in page


@pytest.mark.parametrize(("code", "expected"), [
    ("complaint", "顾客投诉处理单"), ("repair_report", "维修服务报告"), ("repair_charge", "维修收费单"),
    ("return_feedback", "返回品信息反馈单"), ("factory_shipment", "返修品出库单")])
def test_form_titles_are_the_seed_names_in_chinese(manager_client, records, code, expected):
    """004 第12篇 10.0 附件 names the forms; the Chinese interface prints exactly those names."""
    key = "complaint" if code == "complaint" else "repair"
    page = manager_client.get(f"/admin/print/{code}/{records[key].id}/").get_data(as_text=True)
    assert f"<h1>{expected}</h1>" in page


def test_english_interface_prints_english_labels(login_as, records):
    """The forms are Chinese regulation forms, but the English interface prints English labels."""
    client = login_as("manager", language="en")
    page = client.get(f"/admin/print/complaint/{records['complaint'].id}/").get_data(as_text=True)
    assert "<h1>Customer complaint handling form</h1>" in page
    assert "Our company" in page and "Investigation findings" in page


def test_company_name_default_is_our_company(manager_client, records):
    """Without COMPANY_NAME the form head reads 本公司."""
    page = manager_client.get(f"/admin/print/complaint/{records['complaint'].id}/").get_data(as_text=True)
    assert '<div class="company" id="print-company">本公司</div>' in page


@pytest.mark.parametrize(("role", "code", "status"), [
    ("technician", "complaint", 403),  # technicians do not read complaints
    ("supervisor", "repair_report", 403),  # nor supervisors repairs
    ("quality", "complaint", 200),
    ("technician", "repair_charge", 200),
])
def test_forms_are_role_checked_like_their_record(login_as, records, role, code, status):
    """A form opens for exactly the roles that may read the record it prints."""
    key = "complaint" if code == "complaint" else "repair"
    assert login_as(role).get(f"/admin/print/{code}/{records[key].id}/").status_code == status


def test_masked_personal_data_stays_masked_in_print(login_as, records):
    """Quality sees a complaint's contact phone masked on screen, so the printed form masks it too."""
    page = login_as("quality").get(f"/admin/print/complaint/{records['complaint'].id}/").get_data(as_text=True)
    assert PHONE not in page and "139****5678" in page
    page = login_as("clerk").get(f"/admin/print/complaint/{records['complaint'].id}/").get_data(as_text=True)
    assert PHONE in page


def test_printing_is_logged(manager_client, records):
    """Printing personal data is an access like opening it: logged with who, which record and which form."""
    manager_client.get(f"/admin/print/complaint/{records['complaint'].id}/")
    entry = AccessLog.select().where(AccessLog.action == "print").get()
    assert (entry.record_id, entry.customer_id, entry.detail) == (records["complaint"].id, records["customer"].id,
                                                                  "complaint")


def test_forms_that_do_not_apply_are_refused_and_not_offered(manager_client, make_record):
    """004 第12篇 5.1.1.1 若维修品涉及到主元器件的损坏且超过保修期 … 开退回品信息反馈单; 5.1.2 返修品出库单 only for
    repairs back from the factory: an in-warranty repair on site gets neither."""
    repair = make_record(Repair)
    assert manager_client.get(f"/admin/print/return_feedback/{repair.id}/").status_code == 404
    assert manager_client.get(f"/admin/print/factory_shipment/{repair.id}/").status_code == 404
    page = manager_client.get(f"/admin/repair/details/?id={repair.id}").get_data(as_text=True)
    assert f"/admin/print/repair_report/{repair.id}/" in page
    assert "/admin/print/return_feedback/" not in page and "/admin/print/factory_shipment/" not in page


def test_details_pages_offer_their_print_buttons(manager_client, records):
    """Each form is reachable from its record's details page."""
    page = manager_client.get(f"/admin/complaint/details/?id={records['complaint'].id}").get_data(as_text=True)
    assert f"/admin/print/complaint/{records['complaint'].id}/" in page
    page = manager_client.get(f"/admin/repair/details/?id={records['repair'].id}").get_data(as_text=True)
    for code in ("repair_report", "repair_charge", "return_feedback", "factory_shipment"):
        assert f"/admin/print/{code}/{records['repair'].id}/" in page
    page = manager_client.get(f"/admin/customer/details/?id={records['customer'].id}").get_data(as_text=True)
    assert f"/admin/print/archive-check/{records['customer'].id}/" in page
    assert f"/admin/print/survey/{records['customer'].id}/" in page


def test_shipment_note_warns_before_inspection(manager_client, make_record):
    """004 第12篇 5.1.2 产品维修完毕后须经品管检验合格后,再由客服部人员开返修品出库单 … 后方可发给客户."""
    repair = make_record(Repair, returned_to_factory=True)
    page = manager_client.get(f"/admin/print/factory_shipment/{repair.id}/").get_data(as_text=True)
    assert 'id="not-inspected"' in page


def test_charge_form_totals_parts_and_labour(manager_client, records):
    """004 第12篇 5.1.1.1 (单上应注明详细及应当收取的费用): parts and labour, and their total, as money."""
    page = manager_client.get(f"/admin/print/repair_charge/{records['repair'].id}/").get_data(as_text=True)
    assert "300.00" in page and "80.00" in page and "380.00" in page


@pytest.fixture()
def exchanges(make_record, make_user):
    handler = make_user("clerk", display_name="李经办")
    approved = make_record(ReturnExchange, decision="exchange", status="goods_received", owner=handler,
                           reason="=HYPERLINK(\"http://x\")内胆脱落", goods_received_at=dt.date.today())
    make_record(ReturnExchange, decision="return", status="approved", reason="退货不入台账")
    make_record(ReturnExchange, decision="exchange", status="requested", reason="未批准不入台账")
    return approved


def test_exchange_ledger_prints_with_handler_column(manager_client, exchanges):
    """002 第三篇 第八条: 销售公司建立换货登记台账,经办人签字确认 — the ledger lists approved exchanges with the
    handler (经办人) and a column for the handler's signature."""
    page = manager_client.get("/admin/print/ledger/").get_data(as_text=True)
    assert "经办人" in page and "李经办" in page and "内胆脱落" in page
    assert "退货不入台账" not in page and "未批准不入台账" not in page


def test_exchange_ledger_excel_is_formula_safe(manager_client, exchanges):
    """The ledger as an Excel sheet: one row per exchange, a reason starting with = stays text."""
    response = manager_client.get("/admin/print/ledger.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(rows) if row[0] == "序号")
    assert "经办人" in rows[header]
    data = rows[header + 1:]
    assert len(data) == 1 and data[0][10] == "李经办"
    assert sheet.cell(header + 2, 7).data_type == "s" and data[0][6].startswith("=HYPERLINK")


def test_exchange_ledger_period_is_checked(manager_client):
    """A malformed or reversed period is refused, not guessed."""
    assert manager_client.get("/admin/print/ledger/?start=2026-13-01").status_code == 400
    assert manager_client.get("/admin/print/ledger/?start=2026-11-30&end=2026-11-01").status_code == 400


def test_archive_check_sheet_lists_dossier_items_and_blank_lines(manager_client, make_record, records):
    """004 第6篇 6.5.1.2 b) 每半年对所有档案资料检查一遍,填写《档案资料检查表》: one line per dossier entry, then
    blank lines; the check columns stay blank until a check is recorded."""
    customer = records["customer"]
    make_record(ArchiveRecord, customer=customer, kind="document", document_no="HT-2026-001", content="购销合同")
    page = manager_client.get(f"/admin/print/archive-check/{customer.id}/").get_data(as_text=True)
    assert "档案资料检查表" in page and "HT-2026-001" in page
    sheet = openpyxl.load_workbook(io.BytesIO(
        manager_client.get(f"/admin/print/archive-check/{customer.id}.xlsx").data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(values) if row[0] == "序号")
    assert len(values) - header - 1 == 1 + tables.CHECK_BLANK_LINES
    assert values[header + 1][3] == "HT-2026-001"


def test_archive_check_sheet_fills_from_the_check_recorded_on_the_check_page(login_as, make_record, records):
    """004 第6篇 6.5.1.2 b) 每半年对所有档案资料检查一遍,填写《档案资料检查表》: a check recorded on the archive
    check page fills the check columns of the entries it covered; an entry added after it stays blank."""
    client = login_as("manager", display_name="王丽")
    customer, today = records["customer"], dt.date.today()
    make_record(ArchiveRecord, customer=customer, kind="document", document_no="HT-OLD", content="购销合同",
                entry_date=today - dt.timedelta(days=30))
    client.post("/admin/archivecheck/new/", data={"customer": str(customer.id), "checked_on": str(today),
                                                  "items_checked": "合同齐全", "findings": "电话号码已变更",
                                                  "corrections": "划线更正"})
    make_record(ArchiveRecord, customer=customer, kind="document", document_no="HT-NEW", content="补充协议",
                entry_date=today)
    sheet = openpyxl.load_workbook(io.BytesIO(
        client.get(f"/admin/print/archive-check/{customer.id}.xlsx").data)).active
    values = [[c.value or "" for c in row] for row in sheet.iter_rows()]
    lines = {row[3]: row for row in values if row[3] in ("HT-OLD", "HT-NEW")}
    assert lines["HT-OLD"][5:] == ["合同齐全", "电话号码已变更", "划线更正", "王丽", today.isoformat()]
    assert lines["HT-NEW"][5:] == [""] * 5
    page = client.get(f"/admin/print/archive-check/{customer.id}/").get_data(as_text=True)
    assert "电话号码已变更" in page and "王丽" in page


def test_archive_check_rows_fill_from_recorded_checks():
    """A recorded check (004 第6篇: findings, corrections, checker, date) fills its item's line."""
    items = [("2026-01-05", "文件", "HT-1", "合同")]
    rows = tables.check_rows(items, {0: {"state": "完整", "checker": "王丽", "date": dt.date(2026, 6, 30)}}, blank=1)
    assert rows[0][5:] == ["完整", "", "", "王丽", "2026-06-30"] and rows[1] == ["2"] + [""] * 9


def test_archive_check_needs_archive_access(login_as, records):
    """Technicians read customers but not their dossiers: no archive check sheet."""
    assert login_as("technician").get(f"/admin/print/archive-check/{records['customer'].id}/").status_code == 403


def test_monthly_report_includes_repairs(manager_client, make_record):
    """004 第12篇 3.1.3 负责统计每月维修机的数量及制作相应的月报表: the printed and the Excel monthly report count
    the month's repairs and the repaired units shipped back."""
    month = dt.date(2026, 11, 1)
    make_record(Repair, received_at=dt.datetime(2026, 11, 3, 9), returned_to_factory=True,
                shipped_at=dt.date(2026, 11, 10), ship_quantity=3)
    make_record(Repair, received_at=dt.datetime(2026, 10, 31, 9))
    page = manager_client.get("/admin/print/monthly/?month=2026-11").get_data(as_text=True)
    assert "月报表" in page and "收到维修" in page
    from admin_app.services.workflow import reports
    with manager_client.application.test_request_context():
        summary = dict(reports.repair_summary(month, dt.date(2026, 11, 30)))
    assert list(summary.values()) == [1, 1, 3]
    book = openpyxl.load_workbook(io.BytesIO(manager_client.get("/admin/xlsx-reports/monthly.xlsx?month=2026-11").data))
    assert any("维修" in name for name in book.sheetnames)


@pytest.mark.parametrize("url", ["/admin/print/monthly/", "/admin/xlsx-reports/monthly.xlsx"])
def test_monthly_report_refuses_a_bad_month_and_roles_without_export(url, manager_client, technician_client):
    """Printed and Excel monthly reports read the month alike: 2026-13 is refused, a technician is refused."""
    assert manager_client.get(f"{url}?month=2026-13").status_code == 400
    assert manager_client.get(f"{url}?month=2026-11").status_code == 200
    assert technician_client.get(url).status_code == 403


def test_ledger_and_monthly_report_are_reachable_from_their_pages(manager_client, exchanges):
    """The ledger prints from the exchange ledger list and from an exchange's page; the monthly report from the
    record lists that feed it."""
    assert "/admin/print/ledger/" in manager_client.get("/admin/exchangeledger/").get_data(as_text=True)
    page = manager_client.get(f"/admin/returnexchange/details/?id={exchanges.id}").get_data(as_text=True)
    assert "/admin/print/ledger/?" in page
    for endpoint in ("complaint", "repair"):
        assert "/admin/print/monthly/" in manager_client.get(f"/admin/{endpoint}/").get_data(as_text=True)


def test_customer_heading_masks_personal_data_by_role(login_as, records):
    """The paper questionnaire's customer heading masks the phone and address for quality, as the screen does."""
    from admin_app.services.surveys.survey import load_reference_questionnaire

    load_reference_questionnaire()
    customer = records["customer"]
    page = login_as("quality").get(f"/admin/print/survey/{customer.id}/").get_data(as_text=True)
    assert PHONE not in page and customer.address not in page and "139****5678" in page
    assert PHONE in login_as("clerk").get(f"/admin/print/survey/{customer.id}/").get_data(as_text=True)
