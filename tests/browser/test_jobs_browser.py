"""A 20,000-row export from the list's own button: the inline bar moves, then the result downloads."""
import time
from decimal import Decimal

import pytest

from models import Customer, Job, db
from tests.jobs_helpers import data_rows, real_queue, workbook  # noqa: F401 - real_queue is a fixture

ROWS = 20_000


def many_customers(count):
    rows = [{"name": f"批量顾客{i:05d}", "customer_type": "company", "phone": f"135{i:08d}", "staff_count": 10,
             "receivable": Decimal("0"), "trade_volume_12m": Decimal("1000")} for i in range(count)]
    with db.atomic():
        for start in range(0, count, 500):
            Customer.insert_many(rows[start:start + 500]).execute()


def watch_bar(page, seconds=120):
    """Sample the inline bar until the job ends; return the percentages seen, in order."""
    seen, deadline = [], time.monotonic() + seconds
    card = page.locator(".job-inline")
    while time.monotonic() < deadline:
        status = card.get_attribute("data-status")  # read before the bar: a bar read first may predate the end
        value = int(card.locator(".progress-bar").get_attribute("aria-valuenow") or 0)
        if not seen or seen[-1] != value:
            seen.append(value)
        if status in ("done", "failed", "cancelled"):
            return seen, status
        time.sleep(0.05)
    raise AssertionError(f"the job did not end; bar at {seen}")


@pytest.mark.usefixtures("real_queue")
def test_export_of_20k_rows_shows_progress_inline_and_downloads(app, page, browser_user, log_in, tmp_path):
    many_customers(ROWS)
    log_in(browser_user("clerk"))
    page.goto("/admin/customer/")
    page.wait_for_selector('a[href*="/export/xlsx/"][data-job-ready]', state="attached")  # the page's script ran
    page.locator('a[href*="/export/xlsx/"]').first.click()
    page.wait_for_selector(".job-inline")
    seen, status = watch_bar(page)
    assert status == "done", page.locator(".job-inline").inner_text()
    assert seen == sorted(seen) and seen[-1] == 100
    assert any(0 < value < 100 for value in seen), seen  # the bar moved while the job ran
    text = page.locator(".job-inline").inner_text()
    assert "20,000 / 20,000" in text and "每秒" in text
    with page.expect_download() as download:
        page.locator(".job-inline .job-download").click()
    path = tmp_path / "export.xlsx"
    download.value.save_as(path)
    rows = data_rows(path.read_bytes())
    assert len(rows) == ROWS and rows[0]["名称"].startswith("批量顾客")
    job = Job.get()
    assert (job.status, job.done, job.total) == ("done", ROWS, ROWS)


@pytest.mark.usefixtures("real_queue")
def test_a_large_import_commits_in_the_background_with_its_progress_under_the_button(app, page, browser_user,
                                                                                     log_in, tmp_path):
    app.config["IMPORT_JOB_ROWS"] = 100
    rows = [["名称", "电话", "地区"]] + [[f"后台导入{i}", f"134{i:08d}", "华东"] for i in range(300)]
    sheet = tmp_path / "customers.xlsx"
    sheet.write_bytes(workbook(rows))
    log_in(browser_user("clerk"))
    page.goto("/admin/import/customer/")
    page.set_input_files("#import-upload input[type=file]", str(sheet))
    page.click("#import-upload button[type=submit]")
    page.wait_for_selector("#import-commit[data-job-ready]", state="attached")  # the page's script ran
    page.click("#import-commit button[type=submit]")
    page.wait_for_selector(".job-inline[data-status=done]", timeout=60000)
    assert "300 / 300" in page.locator(".job-inline").inner_text()
    assert Customer.select().where(Customer.name.startswith("后台导入")).count() == 300
