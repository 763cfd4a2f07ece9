"""Lists that fit: cards on a phone, one-line cells on a wide screen, the row just saved marked."""
import re

import pytest

from models import Complaint

pytestmark = pytest.mark.browser


def test_complaint_list_on_a_phone_shows_cards_of_key_fields(page, browser_user, log_in, make_record):
    complaint = make_record(Complaint, content="手机上看投诉卡片")
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(browser_user("clerk"))
    page.goto("/admin/complaint/")
    row = page.locator("table.model-list tbody tr").first
    assert page.locator("table.model-list thead").is_hidden()
    status = row.locator("td.col-status")
    assert status.is_visible() and status.get_attribute("data-label") == "状态"
    assert row.locator("td.col-owner").is_hidden()  # not a key field: left for the details page
    assert row.locator("td.col-customer").evaluate("td => getComputedStyle(td).fontWeight") in ("600", "bold")
    box = row.bounding_box()
    assert box["width"] <= 390  # the card fits the screen: no sideways scrolling
    row.locator(f"a[href*='details/?id={complaint.id}']").first.click()
    page.wait_for_url(re.compile(rf"/details/\?id={complaint.id}\b"))


def test_a_wide_screen_keeps_the_table_and_cuts_long_text_with_the_whole_on_hover(page, browser_user, log_in,
                                                                                   make_record):
    make_record(Complaint, content="顾客反映" + "热水器出水忽冷忽热，" * 12)
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(browser_user("clerk"))
    page.goto("/admin/complaint/")
    assert page.locator("table.model-list thead").is_visible()
    cell = page.locator("table.model-list tbody tr td.col-content").first
    assert cell.evaluate("td => td.scrollWidth > td.clientWidth")  # cut to one line
    assert cell.get_attribute("title").startswith("顾客反映热水器")


def test_the_row_just_saved_is_marked_where_the_list_was_left(page, browser_user, log_in, make_record):
    complaints = [make_record(Complaint, content=f"第{n}条投诉") for n in range(3)]
    log_in(browser_user("clerk"))
    page.goto(f"/admin/complaint/edit/?id={complaints[1].id}&url=/admin/complaint/%3Fsearch%3D%E6%8A%95%E8%AF%89")
    page.fill("textarea#content", "第1条投诉，已补充")
    page.locator("input[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/complaint/\?search=.*highlight="))
    marked = page.locator("tr.row-touched")
    assert marked.count() == 1
    assert marked.locator("input.action-checkbox").get_attribute("value") == str(complaints[1].id)
    assert "已保存" in page.locator(".alert-success").inner_text()
