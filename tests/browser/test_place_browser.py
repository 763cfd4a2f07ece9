"""Never lose your place and lists that fit, in the browser: marked rows after an action, the column chooser,
whole-row links on My work, region and owner cells on one line. Screenshots go to $SHOTS_DIR when it is set."""
import os
import re

import pytest

from models import Complaint, Customer

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("SHOTS_DIR")


def _shot(page, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"))


def test_designating_a_b_returns_to_the_filtered_list_with_the_rows_marked(page, browser_user, log_in,
                                                                           make_customer):
    chosen = [make_customer(name=f"苏州恒远精密机械{n}") for n in range(2)]
    make_customer(name="无锡别家公司")
    log_in(browser_user("supervisor"))
    page.goto("/admin/customer/?search=%E6%81%92%E8%BF%9C&page_size=50")
    for customer in chosen:
        page.check(f"input.action-checkbox[value='{customer.id}']")
    page.click("text=选中的")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("a.dropdown-item:has-text('指定A/B级')")
    page.wait_for_url(re.compile(r"/grading/designate"))
    page.check("input[name=value][value=A]")
    page.fill("[name=remark]", "行业一流")
    page.click("#confirm-designate")
    page.wait_for_url(re.compile(r"/admin/customer/\?.*highlight="))
    assert "search=%E6%81%92%E8%BF%9C" in page.url and "page_size=50" in page.url
    assert page.locator("tr.row-touched").count() == 2
    message = page.locator(".alert-success").inner_text()
    assert all(c.name in message for c in chosen)
    _shot(page, "designate-returned-zh-1440")
    assert {Customer.get_by_id(c.id).designation for c in chosen} == {"A"}


@pytest.mark.parametrize("width", [1440, 390])
def test_the_column_chooser_keeps_a_users_columns(page, browser_user, log_in, make_record, width):
    make_record(Complaint, content="显示列测试")
    page.set_viewport_size({"width": width, "height": 900})
    log_in(browser_user("clerk"))
    page.goto("/admin/complaint/")
    page.click("li.column-chooser summary")
    boxes = page.locator(".column-chooser-menu input[type=checkbox]")
    assert boxes.count() > 4
    _shot(page, f"column-chooser-zh-{width}")
    for n in range(boxes.count()):
        if boxes.nth(n).get_attribute("value") not in ("customer", "status"):
            boxes.nth(n).uncheck()
    page.click(".column-chooser-menu button[type=submit]")
    page.wait_for_load_state()
    page.goto("/admin/complaint/")
    headers = page.locator("table.model-list thead th.column-header")
    if width > 576:
        assert [h.inner_text().strip() for h in headers.all()] == ["顾客", "状态"]
    else:  # a phone shows cards: the chosen columns are the only cells
        cells = page.locator("table.model-list tbody tr").first.locator("td[class*=col-]")
        assert {c.get_attribute("class").split()[0] for c in cells.all()} == {"col-customer", "col-status"}


def test_region_and_owner_stay_on_one_line_and_show_the_whole_text_on_hover(page, browser_user, log_in,
                                                                           make_customer):
    owner = browser_user("clerk")
    owner.display_name = "欧阳建国（华东大区客户经理）"
    owner.save()
    make_customer(name="苏州恒远精密机械有限公司", region="江苏省苏州市工业园区星湖街", owner=owner.id)
    make_customer(name="无地区顾客", region=None, owner=owner.id)
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(owner)
    page.goto("/admin/customer/")
    for column in ("region", "owner"):
        cell = page.locator(f"table.model-list tbody td.col-{column}").first
        header = page.locator(f"table.model-list thead th.col-{column}")
        line = cell.evaluate("td => parseFloat(getComputedStyle(td).lineHeight) || 24")
        assert cell.bounding_box()["height"] < 2.5 * line  # one line, not a character per line
        assert header.bounding_box()["height"] < 3 * line
    # the in-place editor shows the owner's name (not "--------") and an empty cell a dash (not "Empty")
    assert page.locator("table.model-list tbody td.col-owner").first.inner_text().strip() == owner.display_name
    page.goto("/admin/customer/?search=%E6%97%A0%E5%9C%B0%E5%8C%BA")
    assert page.locator("table.model-list tbody td.col-region").first.inner_text().strip() == "—"
    page.goto("/admin/customer/")
    _shot(page, "customer-list-zh-1440")


def test_a_click_anywhere_on_a_my_work_row_opens_the_record(page, browser_user, log_in, make_record):
    clerk = browser_user("clerk")
    complaint = make_record(Complaint, owner=clerk.id, content="我的工作整行可点")
    log_in(clerk)
    page.goto("/admin/mywork/")
    _shot(page, "my-work-zh-1440")
    page.locator("#my-work tr.row-link td").nth(2).click()  # the customer cell, not the link
    page.wait_for_url(re.compile(rf"/admin/complaint/details/\?id={complaint.id}\b"))
    assert "我的工作整行可点" in page.inner_text("body")  # the complaint's own page opened


def test_a_new_record_outside_the_search_is_named_and_the_list_says_where_it_is(page, browser_user, log_in,
                                                                              make_customer):
    make_customer(name="华东老顾客")
    log_in(browser_user("clerk"))
    page.goto("/admin/customer/?search=%E5%8D%8E%E4%B8%9C")
    assert page.locator("#highlight-missing").is_hidden()
    page.click("a.nav-link:has-text('创建')")
    page.fill("input#name", "苏州恒远精密机械")
    page.select_option("select#customer_type", "company")
    page.fill("input#phone", "13812345678")
    page.locator("input[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/customer/\?search=.*highlight="))
    assert page.locator("#highlight-missing").is_visible()  # the search still hides it: the list says so
    message = page.locator(".alert-success")
    assert "苏州恒远精密机械" in message.inner_text()
    _shot(page, "created-outside-search-zh-1440")
    message.locator("a").click()
    page.wait_for_url(re.compile(r"/admin/customer/details/"))
    assert page.locator("#highlight-missing").count() == 0
