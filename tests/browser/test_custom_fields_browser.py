"""Custom fields in a real browser (issue 12): an admin adds one, a clerk fills, filters, sorts, exports and
re-imports it, history shows the change, and a role with the field hidden never sees it."""
import io

import openpyxl
import pytest

from models import Customer, RolePermission
from tests.browser.conftest import PASSWORD, TIMEOUT_MS

pytestmark = pytest.mark.browser
LABEL, CODE = "会员卡号", "cf_member_card_no"


@pytest.fixture(autouse=True)
def _drop_custom_columns(no_custom_columns):
    """Leave no custom column behind (conftest.no_custom_columns)."""


def tab_for(browser, live_server, user):
    """Return a logged-in tab of a browser context of its own."""
    context = browser.new_context(base_url=live_server, locale="zh-CN", accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    tab.goto("/login")
    tab.fill("input[name=username]", user.username)
    tab.fill("input[name=password]", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_selector("#logout", state="attached")
    return tab


def sheet_of(download):
    with open(download.path(), "rb") as handle:
        book = openpyxl.load_workbook(io.BytesIO(handle.read()))
    return book, [list(row) for row in book.active.iter_rows(values_only=True)]


def test_admin_adds_a_field_the_office_uses_it_and_a_hidden_role_never_sees_it(
        browser, live_server, browser_user, make_customer, tmp_path):
    first, second = make_customer(name="浏览器甲"), make_customer(name="浏览器乙")
    admin = tab_for(browser, live_server, browser_user("admin"))
    admin.goto("/admin/customfield/new/")
    admin.fill("input[name=label_zh]", LABEL)
    admin.fill("input[name=label_en]", "Member card no")
    admin.select_option("select[name=kind]", "text")
    admin.click("input[type=submit]:not([name])")
    admin.wait_for_selector(f"text={LABEL}")

    clerk = tab_for(browser, live_server, browser_user("clerk"))
    for customer, card in ((first, "VIP-0002"), (second, "VIP-0001")):
        clerk.goto(f"/admin/customer/edit/?id={customer.id}")
        field = clerk.locator(f"input[name={CODE}]")
        if not field.is_visible():  # an optional section starts collapsed while it holds no value
            clerk.locator("details.form-section", has=field).locator("summary").click()
        field.fill(card)
        clerk.click("input[type=submit]:not([name])")
        clerk.wait_for_url("**/admin/customer/**")
    assert Customer.get_by_id(first.id).cf_member_card_no == "VIP-0002"

    clerk.goto("/admin/customer/")
    clerk.get_by_role("link", name=LABEL).click()  # sort by the column
    clerk.wait_for_load_state()
    body = clerk.content()
    assert body.index("VIP-0001") < body.index("VIP-0002")
    view = next(v for v in clerk_app(live_server).extensions["admin"][0]._views if v.endpoint == "customer")
    arg = next(k for k, (_i, f) in view.__dict__["_all_filter_args"].items()
               if f.column.name == CODE and type(f).__name__ == "FilterEqual")
    clerk.goto(f"/admin/customer/?flt0_{arg}=VIP-0001")
    assert "VIP-0001" in clerk.content() and "VIP-0002" not in clerk.content()
    assert clerk.locator(".filter-val, input[name^=flt0]").count() >= 1  # the filter shows on the page

    clerk.goto("/admin/customer/")
    with clerk.expect_download() as fetched:
        clerk.get_by_role("link", name="导出").first.click()
    book, rows = sheet_of(fetched.value)
    header = rows[2]
    column = header.index(LABEL)
    sheet_row = next(i for i, row in enumerate(rows) if "浏览器甲" in row)
    book.active.cell(row=sheet_row + 1, column=column + 1, value="VIP-0009")
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    clerk.goto("/admin/import/customer/")
    clerk.set_input_files("input[type=file]", str(edited))
    clerk.locator("#import-upload [type=submit]").click()
    clerk.locator("#import-commit [type=submit]").click()
    clerk.wait_for_url("**/admin/customer/**")
    assert Customer.get_by_id(first.id).cf_member_card_no == "VIP-0009"
    open_dossier(clerk, first.id)
    history = clerk.content()
    assert LABEL in history and "VIP-0002" in history and "VIP-0009" in history

    RolePermission.create(role="quality", endpoint="customer", operation="field", field=CODE, access="hidden")
    quality = tab_for(browser, live_server, browser_user("quality"))
    open_dossier(quality, first.id)  # the dossier itself opens, without the hidden field
    assert LABEL not in quality.content() and "VIP-0009" not in quality.content() and "浏览器甲" in quality.content()
    for url in ("/admin/customer/", "/admin/customer/?search=VIP"):
        quality.goto(url)
        assert LABEL not in quality.content() and "VIP-0009" not in quality.content(), url
    quality.goto("/admin/customer/")
    with quality.expect_download() as fetched:
        quality.get_by_role("link", name="导出").first.click()
    _book, rows = sheet_of(fetched.value)
    cells = {str(c) for row in rows for c in row}
    assert LABEL not in cells and "VIP-0009" not in cells


def open_dossier(tab, customer_id):
    """Open a customer's page, stating a purpose when asked (need-to-know, issue 14.6)."""
    tab.goto(f"/admin/customer/details/?id={customer_id}")
    if tab.locator("#dossier-purpose").count():
        tab.fill("#purpose", "核对会员卡号")
        tab.click("#dossier-purpose button[type=submit]")
        tab.wait_for_url(f"**/details/?id={customer_id}*")


def clerk_app(live_server):
    """Return the app the live server runs (the test's app)."""
    from flask import current_app

    return current_app._get_current_object()
