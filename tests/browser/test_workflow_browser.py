"""Lifecycles in a real browser: a complaint from receipt to closed, a repair through consent and inspection."""
import datetime as dt
from decimal import Decimal

import pytest

from models import Complaint, Repair
from models.workflow import TransitionLog

pytestmark = pytest.mark.browser

SAVE = "input[type=submit].btn-primary"


def step(page, name):
    """Press a transition button on the record's page and wait for the page it leads back to."""
    with page.expect_navigation():
        page.click(f"button[data-step={name}]")


def edit(page, endpoint, record_id, fill=(), select=(), check=()):
    """Fill some fields of a record's edit form and save it."""
    page.goto(f"/admin/{endpoint}/edit/?id={record_id}")
    for selector, value in fill:
        page.fill(selector, value)
        page.keyboard.press("Escape")
        page.keyboard.press("Tab")  # focus leaves the field: its date picker closes (it may cover the buttons)
    for selector, value in select:
        page.select_option(selector, value)
    for selector in check:
        page.check(selector)
    with page.expect_navigation():
        page.click(SAVE)


def status(model, record_id):
    return model.get_by_id(record_id).status


def test_complaint_from_receipt_to_closed(page, browser_user, log_in, make_record):
    log_in(browser_user("manager"))
    complaint = make_record(Complaint, received_at=dt.datetime(2026, 11, 2, 9, 30))
    details = f"/admin/complaint/details/?id={complaint.id}"
    page.goto(details)
    step(page, "investigate")
    assert status(Complaint, complaint.id) == "investigating"

    assert page.locator("form.wf-step:has(button[data-step=propose]) .wf-blocked").count() >= 1
    step(page, "propose")  # refused: no findings yet
    assert status(Complaint, complaint.id) == "investigating"

    gate_fields = [("#findings", "密封圈批次不良"), ("#root_cause", "供应商换料未通知"),
                   ("#resolution", "免费更换整机"), ("#corrective_preventive", "来料检验加严")]
    edit(page, "complaint", complaint.id, fill=gate_fields, check=["#corrective_action"])
    page.goto(details)
    step(page, "propose")
    step(page, "inform")
    edit(page, "complaint", complaint.id, fill=[("#followup_date", "2026-11-10")],
         select=[("#followup_method", "phone"), ("#followup_satisfaction", "satisfied")])
    page.goto(details)
    step(page, "follow_up")
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
    details = f"/admin/repair/details/?id={repair.id}"
    page.goto(details)
    step(page, "to_factory")
    step(page, "repaired")  # refused: the customer has not consented to the quote
    assert status(Repair, repair.id) == "returned_to_factory"
    assert page.locator(".alert").count() >= 1

    step(page, "quote")
    step(page, "consent")  # refused: the written consent's date is missing
    assert status(Repair, repair.id) == "quoted"
    edit(page, "repair", repair.id, fill=[("#customer_consent_at", "2026-11-05 10:00:00")])
    page.goto(details)
    step(page, "consent")
    step(page, "repaired")
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
