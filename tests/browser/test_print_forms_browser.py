"""The paper forms in Chromium: on screen at 1440 and 390 px, and through Print / Save as PDF on A4.

Seeds: 004 第12篇 10.0 附件 (the five service forms), 002 第三篇 第八条 (换货登记台账), 004 第6篇 6.5.1.2 b
(档案资料检查表), 004 第12篇 5.8.3 (顾客满意度调查表) and 3.1.3 (月报表). Screenshots and the PDF pages rendered to
PNG are kept in SHOTS_DIR (default /tmp/shots-forms) to be looked at.
"""
import datetime as dt
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from admin_app.services.surveys.survey import load_reference_questionnaire
from admin_app.services.trust import access
from models import ArchiveRecord, Complaint, Repair, ReturnExchange

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots-forms"))
A4_WIDTH_PX = 794  # 210 mm at 96 dpi


@pytest.fixture(autouse=True)
def need_to_know(monkeypatch):
    """Print as someone working on the customer (the purpose asked of others is tested in test_regs_need_to_know)."""
    monkeypatch.setattr(access, "has_need_to_know", lambda user_id, customer_id: True)


@pytest.fixture()
def filled(make_record, make_customer, make_user):
    """A customer with a complaint, a factory repair out of warranty, an exchange and dossier entries."""
    clerk = make_user("clerk", display_name="王丽")
    customer = make_customer(name="苏州恒远精密机械有限公司", phone="13912345678",
                             address="江苏省苏州市工业园区星湖街328号")
    complaint = make_record(
        Complaint, customer=customer, owner=clerk, contact_phone="13912345678", product_name="空气净化器 KJ-500",
        batch_no="B20260815", purchase_date=dt.date(2026, 8, 20), purchase_place="苏州观前街门店",
        content="使用两个月后滤网报警灯常亮，更换滤网后仍不熄灭，客户要求上门检查。" * 2,
        customer_request="上门检修或换货", findings="传感器接插件虚焊", root_cause="供应商焊接工艺不良",
        responsible_dept="品管部", resolution="免费更换传感器模块并回访",
        corrective_preventive="对供应商进行来料抽检加严")
    repair = make_record(
        Repair, customer=customer, owner=clerk, contact_phone="13912345678", model_no="KJ-500", serial_no="SN-778812",
        warranty_status="out_of_warranty", main_component=True, quote_amount=Decimal("380"),
        parts_cost=Decimal("300"), labour_cost=Decimal("80"), returned_to_factory=True, inspection_passed=True,
        inspected_at=dt.datetime(2026, 11, 18, 10), shipped_at=dt.date(2026, 11, 20), ship_quantity=1,
        ship_method="courier", fault_found="主板电容击穿", handling_method="更换主板并老化测试 4 小时")
    make_record(ReturnExchange, customer=customer, owner=clerk, decision="exchange", status="shipped",
                reason="内胆涂层脱落", goods_received_at=dt.date.today(), shipped_at=dt.date.today())
    make_record(ArchiveRecord, customer=customer, kind="document", document_no="HT-2026-001", content="购销合同")
    make_record(ArchiveRecord, customer=customer, kind="visit", content="上门拜访，顾客满意", owner=clerk)
    load_reference_questionnaire()
    return {"customer": customer, "complaint": complaint, "repair": repair}


def _pages(filled):
    c, r = filled["customer"].id, filled["repair"].id
    month = dt.date.today().strftime("%Y-%m")
    return {"complaint": f"/admin/print/complaint/{filled['complaint'].id}/",
            "repair-report": f"/admin/print/repair_report/{r}/", "repair-charge": f"/admin/print/repair_charge/{r}/",
            "return-feedback": f"/admin/print/return_feedback/{r}/",
            "factory-shipment": f"/admin/print/factory_shipment/{r}/", "ledger": "/admin/print/ledger/",
            "archive-check": f"/admin/print/archive-check/{c}/", "survey": f"/admin/print/survey/{c}/",
            "monthly": f"/admin/print/monthly/?month={month}"}


def _pdf_pages(page, name):
    """Print the page to an A4 PDF as Chromium's Save as PDF does; return its page count (PNGs kept if possible)."""
    pdf = SHOTS / f"{name}.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(SHOTS / f"{name}-pdf")], check=True)
    page.emulate_media(media="screen")
    return pdf.read_bytes().count(b"/Type /Page\n") + pdf.read_bytes().count(b"/Type /Page\r") + \
        pdf.read_bytes().count(b"/Type /Page>>") + pdf.read_bytes().count(b"/Type /Page ")


def test_print_forms_on_screen_and_on_a4(page, browser_user, log_in, filled):
    """Every form opens from its record's page, fits an A4 sheet, hides the toolbar in print and gives a PDF."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    log_in(browser_user("manager"))
    page.goto(f"/admin/repair/details/?id={filled['repair'].id}")
    assert page.locator("#print-forms a.print-form").count() == 4
    for name, url in _pages(filled).items():
        page.set_viewport_size({"width": 1440, "height": 900})
        page.goto(url)
        assert page.locator("#print-company").inner_text() == "本公司"
        page.screenshot(path=str(SHOTS / f"{name}-zh-1440.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(SHOTS / f"{name}-zh-390.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1, f"{name} overflows a phone"
        page.emulate_media(media="print")
        assert not page.locator("#print-button").is_visible()
        page.set_viewport_size({"width": 1440, "height": 900})
        pages = _pdf_pages(page, f"{name}-zh")
        assert pages >= 1
        if name in ("complaint", "repair-report", "repair-charge", "return-feedback", "factory-shipment"):
            assert pages == 1, f"{name} should print on one A4 page, printed {pages}"


def test_print_forms_in_english(page, browser_user, log_in, filled):
    """The English interface prints English labels on the same forms."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    user = browser_user("manager")
    user.language = "en"
    user.save()
    log_in(user)
    page.set_viewport_size({"width": 1440, "height": 900})
    for name in ("complaint", "ledger", "survey"):
        page.goto(_pages(filled)[name])
        assert page.locator("#print-company").inner_text() == "Our company"
        page.screenshot(path=str(SHOTS / f"{name}-en-1440.png"), full_page=True)
    page.goto(_pages(filled)["complaint"])
    assert page.locator("h1").inner_text() == "Customer complaint handling form"
    _pdf_pages(page, "complaint-en")


@pytest.mark.parametrize("language", ["zh_Hans_CN", "en"])
def test_follow_up_register_and_readable_history(page, browser_user, log_in, filled, language):
    """The follow-up register filters in the browser; a repair's history reads in words and offers Put back."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    from admin_app.services.trust import history

    repair = filled["repair"]
    before = history.snapshot(repair)
    repair.parts_cost, repair.version = Decimal("450"), repair.version + 1
    repair.save()
    history.record(repair, "update", history.diff(before, history.snapshot(repair)))
    user = browser_user("manager")
    user.language = language
    user.save()
    log_in(user)
    tag = "zh" if language.startswith("zh") else "en"
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/admin/followups/?method=on_site")
        assert page.locator("#followup-table tbody tr").count() == 1  # the dossier visit
        page.screenshot(path=str(SHOTS / f"followups-{tag}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"/admin/repair/details/?id={repair.id}")
    page.locator("table.history").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"history-{tag}-1440.png"), full_page=True)
    with page.expect_navigation():
        page.click("button[data-revert-field=parts_cost]")
    assert Repair.get_by_id(repair.id).parts_cost == Decimal("300")
