"""Lifecycles in a real browser: a complaint from receipt to closed, a repair through consent and inspection."""
import datetime as dt
from decimal import Decimal

import pytest

from models import Complaint, Repair
from models.workflow import TransitionLog

pytestmark = pytest.mark.browser

def step(page, name):
    """Press a step without fields on the record's page and wait for the page it leads back to."""
    with page.expect_navigation():
        page.click(f"button[data-step={name}]")


def dialog(page, name, fill=(), select=(), check=()):
    """Open a step's dialog on the record's page, fill what it asks for and send it (one submit)."""
    box = f"#step-{name}"
    if not page.locator(box).is_visible():  # it is open already when it came back with errors
        page.click(f"button[data-step={name}]")
    page.wait_for_selector(box, state="visible")
    page.wait_for_timeout(300)  # the dialog's fade-in
    for field, value in fill:
        page.fill(f"{box} #{name}-{field}", value)
    for field, value in select:
        page.select_option(f"{box} #{name}-{field}", value, force=True)  # select2 hides the native select
    for field in check:
        page.check(f"{box} #{name}-{field}")
    if page.locator(".daterangepicker:visible").count():  # an open date picker covers the buttons
        page.click(f"{box} .modal-title")
    with page.expect_navigation():
        page.click(f"{box} button[type=submit]")


def status(model, record_id):
    return model.get_by_id(record_id).status


def test_complaint_from_receipt_to_closed(page, browser_user, log_in, make_record):
    log_in(browser_user("manager"))
    complaint = make_record(Complaint, received_at=dt.datetime(2026, 11, 2, 9, 30))
    page.goto(f"/admin/complaint/details/?id={complaint.id}")
    step(page, "investigate")
    assert status(Complaint, complaint.id) == "investigating"

    dialog(page, "propose", fill=[("findings", "密封圈批次不良")])  # refused: the root cause is missing
    page.wait_for_selector("#step-propose", state="visible")  # the dialog opens again, on its errors
    assert "此项为必填项。" in page.inner_text("#step-propose")
    assert page.input_value("#propose-findings") == "密封圈批次不良"  # what was typed is kept
    assert status(Complaint, complaint.id) == "investigating"

    dialog(page, "propose", fill=[("root_cause", "供应商换料未通知"), ("resolution", "免费更换整机"),
                                  ("corrective_preventive", "来料检验加严")], check=["corrective_action"])
    assert status(Complaint, complaint.id) == "resolution_proposed"
    step(page, "inform")
    dialog(page, "follow_up", fill=[("followup_date", "2026-11-10")],
           select=[("followup_method", "phone"), ("followup_satisfaction", "satisfied")])
    step(page, "close")
    assert status(Complaint, complaint.id) == "closed"
    assert Complaint.get_by_id(complaint.id).closed_at is not None
    assert page.locator("table.wf-log tbody tr, table.wf-log tr:not(:first-child)").count() >= 5
    assert TransitionLog.select().where(TransitionLog.record_id == complaint.id).count() == 5


def test_repair_through_consent_and_inspection(page, browser_user, log_in, make_record, make_user):
    log_in(browser_user("manager"))
    repair = make_record(Repair, status="assigned", technician=make_user("technician"),
                         warranty_status="out_of_warranty", main_component=True, quote_amount=Decimal("850"),
                         fault_found="压缩机损坏", handling_method="更换压缩机")
    page.goto(f"/admin/repair/edit/?id={repair.id}")  # the steps are on the edit page too
    step(page, "to_factory")
    dialog(page, "repaired")  # refused: the customer has not consented to the quote
    assert status(Repair, repair.id) == "returned_to_factory"
    assert page.locator("#step-repaired .wf-dialog-error").count() >= 1
    page.click("#step-repaired .modal-footer [data-dismiss=modal]")  # the user puts the dialog away
    page.wait_for_selector("#step-repaired", state="hidden")

    dialog(page, "quote")
    dialog(page, "consent", fill=[("customer_consent_at", "2026-11-05 10:00:00")])
    dialog(page, "repaired")
    assert status(Repair, repair.id) == "repaired"

    step(page, "confirm")  # refused: a factory repair must pass inspection first
    assert status(Repair, repair.id) == "repaired"
    step(page, "inspect")
    fresh = Repair.get_by_id(repair.id)
    assert (fresh.status, fresh.inspection_passed) == ("inspected", True)


def test_dashboard_draws_its_charts_from_the_vendored_library(page, browser_user, log_in, make_record):
    make_record(Complaint, received_at=dt.datetime.now().replace(microsecond=0), complaint_type="product_quality")
    log_in(browser_user("manager"))
    page.goto("/admin/")
    page.wait_for_function("window.Chart && Chart.getChart('complaints-chart') && Chart.getChart('grades-chart')")
    drawn = page.evaluate("Chart.getChart('complaints-chart').data.datasets.map(d => d.data.reduce((a, b) => a + b))")
    assert sum(drawn) == 1
    with page.expect_navigation():
        page.click("#complaints-table a")
    assert page.locator("table.model-list tbody tr").count() == 1
