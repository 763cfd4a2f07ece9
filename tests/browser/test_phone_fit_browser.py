"""Pages that fit a phone (issue 13 item 8): at 390 px nothing runs off the screen; wide tables scroll in place."""
import datetime as dt
import os

import pytest

from models import Complaint, GradeHistory

SHOTS = os.environ.get("PHONE_SHOTS_DIR", "/tmp/shots-phone")


@pytest.fixture()
def busy_office(make_customer, make_record):
    """A customer with a long grade history row, complaints every month, and enough customers for 9 pages."""
    customer = make_customer(name="苏州恒远精密机械有限公司")
    GradeHistory.create(customer=customer, old_grade="B", new_grade="C", source="recompute", username="system",
                        reasons="prior_incident", remark="客户上月有退票记录，按规定降为 C 级并在下月复核")
    for month in range(1, 13):
        make_record(Complaint, customer=customer, received_at=dt.datetime(dt.date.today().year, month, 3, 9))
    for _ in range(170):
        make_customer()
    return customer


@pytest.mark.parametrize("language", ["zh_Hans_CN", "en"])
def test_dashboard_record_page_and_list_fit_a_phone(page, log_in, browser_user, busy_office, language):
    manager = browser_user("manager")
    manager.language = language
    manager.save()
    busy_office.owner = manager  # the owner opens the dossier without stating a purpose
    busy_office.save()
    page.set_viewport_size({"width": 390, "height": 900})
    log_in(manager)
    os.makedirs(SHOTS, exist_ok=True)
    for name, url in (("dashboard", "/admin/"), ("customer", f"/admin/customer/details/?id={busy_office.id}"),
                      ("customers", "/admin/customer/")):
        page.goto(url)
        page.wait_for_load_state("load")
        page.screenshot(path=f"{SHOTS}/{name}-{language[:2]}-390.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, f"{name} runs off a phone's screen"
    assert page.goto(f"/admin/customer/details/?id={busy_office.id}") and page.locator(".grade-history").count() == 1
    page.goto("/admin/")
    chart = page.locator("#complaints-chart").bounding_box()
    assert chart["height"] >= 150, "the monthly complaints chart stays readable, not a thin strip"
    table = page.locator("#complaints-table")
    assert table.evaluate("t => t.scrollWidth > t.parentElement.clientWidth")  # twelve months scroll in place
