"""Import conflicts and readable history in a real browser, Chinese and English, wide and narrow (issue 13 items 9, 4).

Set SHOTS_DIR to keep the screenshots.
"""
import datetime as dt
import io
import os
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from admin_app.services.trust import history
from models import AccessLog, Customer, Repair
from tests.browser.conftest import PASSWORD
from tests.conftest import login
from tests.test_import_conflicts import change

SHOTS = os.environ.get("SHOTS_DIR")
VIEWS = [("zh_Hans_CN", 1440), ("zh_Hans_CN", 390), ("en", 1440), ("en", 390)]


def user_in(make_user, role, lang):
    user = make_user(role, language=lang)
    user.set_password(PASSWORD)
    user.save()
    return user


def shoot(page, name, lang, width):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{'zh' if lang != 'en' else 'en'}-{width}.png"),
                        full_page=True)


@pytest.mark.parametrize(("lang", "width"), VIEWS)
def test_a_clerk_takes_the_files_value_on_one_conflict(page, app, client, make_user, make_customer, log_in,
                                                       tmp_path, lang, width):
    """The preview names both records and shows three values; ticking one row writes that row only."""
    clerk = user_in(make_user, "clerk", lang)
    first = make_customer(name="苏州恒远精密机械", region="华东", receivable=Decimal("120"))
    second = make_customer(name="杭州青山商贸", region="华东")
    login(client, clerk, PASSWORD)
    book = openpyxl.load_workbook(io.BytesIO(client.get(
        "/admin/customer/export/xlsx/?columns=name,customer_type,region,receivable").data))
    sheet = book.active
    headers = [c.value for c in sheet[3]]
    rows = {sheet.cell(r, 1).value: r for r in range(4, sheet.max_row + 1)}
    region = headers.index("地区" if lang != "en" else "Region") + 1
    sheet.cell(rows[first.id], region).value = "西南"
    sheet.cell(rows[first.id], len(headers) - 1).value = 380
    sheet.cell(rows[second.id], region).value = "东北"
    book.save(tmp_path / "customers.xlsx")
    change(first, region="华中", receivable=Decimal("450.5"))
    change(second, region="华北")

    log_in(clerk)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/admin/import/customer/")
    page.set_input_files("input[type=file]", str(tmp_path / "customers.xlsx"))
    page.click("#import-upload button[type=submit]")
    page.wait_for_selector(f"#conflict-{rows[first.id]}")
    text = page.inner_text(f"#conflict-{rows[first.id]}")
    assert "苏州恒远精密机械" in text and "西南" in text and "华中" in text and "华东" in text and "450.50" in text
    shoot(page, "import-conflicts", lang, width)
    page.check(f"#take-{rows[first.id]}")
    page.wait_for_selector("#import-commit[data-job-ready]", state="attached")
    page.click("#import-commit button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert Customer.get_by_id(first.id).region == "西南" and Customer.get_by_id(second.id).region == "华北"


@pytest.mark.parametrize(("lang", "width"), VIEWS)
def test_history_and_logs_read_in_words(page, make_user, make_record, make_customer, log_in, lang, width):
    """A repair's history, the change log and the access register show names, labels, 380.00 and local times."""
    manager = user_in(make_user, "manager", lang)
    tech = make_user("technician", display_name="赵师傅")
    customer = make_customer(name="苏州恒远精密机械")
    repair = make_record(Repair, customer=customer, parts_cost=Decimal("120"), fault_reported="电源无法开机")
    history.record(repair, "create", snap=history.snapshot(repair))
    change(repair, parts_cost=Decimal("380"), technician=tech, warranty_status="out_of_warranty",
           arrived_at=dt.datetime(2026, 11, 3, 15, 30))
    AccessLog.create(user=manager.id, username=manager.username, action="reveal", table="repair",
                     record_id=repair.id, customer_id=customer.id, purpose="回访核对", detail="联系电话")
    log_in(manager)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/admin/repair/details/?id={repair.id}")
    history_text = page.inner_text("table.history")
    assert "380.00" in history_text and "赵师傅" in history_text and "2026-11-03 15:30" in history_text
    shoot(page, "repair-history", lang, width)
    if SHOTS:  # the history alone, readable at the phone's width
        page.locator("table.history").screenshot(
            path=str(Path(SHOTS) / f"repair-history-table-{'zh' if lang != 'en' else 'en'}-{width}.png"))
    page.goto("/admin/changelog/")
    assert "电源无法开机" in page.inner_text("body") and "380.00" in page.inner_text("body")
    shoot(page, "change-log", lang, width)
    page.goto("/admin/accesslog/")
    rows = page.inner_text("body")
    assert "苏州恒远精密机械" in rows and "电源无法开机" in rows and "回访核对" in rows
    shoot(page, "access-log", lang, width)
