"""User / customer custom fields and built-in choice lists in a real browser (issue 12): the list filter and the
in-place editor look records up as you type; an option the admin retires leaves the new-record form."""
import os

import pytest
from playwright.sync_api import expect

from admin_app.services.fields import builtin_choices, catalog, schema
from models import Customer
from tests.browser.test_custom_fields_browser import tab_for

pytestmark = pytest.mark.browser
SHOTS = "/tmp/shots-lowcode"


@pytest.fixture(autouse=True)
def _drop_custom_columns(no_custom_columns):
    """Leave no custom column behind (conftest.no_custom_columns)."""


def shoot(tab, name):
    os.makedirs(SHOTS, exist_ok=True)
    for width in (1440, 390):
        tab.set_viewport_size({"width": width, "height": 900})
        tab.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=False)
    tab.set_viewport_size({"width": 1440, "height": 900})


def test_a_user_field_is_picked_in_place_and_filtered_by_lookup(browser, live_server, browser_user, make_user,
                                                                 make_customer):
    catalog.add("customer", "对接人", "user", label_en="Contact")
    schema.sync_models()
    make_user("technician", display_name="甲对接")
    customer = make_customer(name="浏览器顾客")
    manager = tab_for(browser, live_server, browser_user("manager"))
    manager.goto("/admin/customer/")
    manager.locator(f'a[data-role="x-editable-ref"][data-pk="{customer.id}"]').click()
    manager.locator(".select2-drop-active input.select2-input").fill("甲")
    manager.locator(".select2-result-label", has_text="甲对接").click()
    manager.locator(".editable-submit").click()
    expect(manager.locator(f'a[data-role="x-editable-ref"][data-pk="{customer.id}"]')).to_contain_text("甲对接")
    picked = Customer.get_by_id(customer.id).cf_contact_id
    assert picked is not None
    manager.goto("/admin/customer/")
    arg = manager.evaluate("Object.keys(JSON.parse(document.getElementById('ref-filters-data').textContent))[0]")
    manager.goto(f"/admin/customer/?flt0_{arg}={picked}")
    manager.wait_for_selector("#filter_form input.filter-val[data-ref-ready]", state="attached")
    assert "甲对接" in manager.locator("#filter_form").inner_text()  # the picked user, by name
    assert manager.locator(f'input.action-checkbox[value="{customer.id}"]').count() == 1
    shoot(manager, "customer-user-filter-zh")


def test_admin_retires_a_channel_and_the_clerk_form_no_longer_offers_it(browser, live_server, browser_user):
    admin = tab_for(browser, live_server, browser_user("admin"))
    admin.goto("/admin/choice-lists/")
    box = admin.locator("#CHANNELS textarea")
    box.fill(builtin_choices.as_text("CHANNELS").replace("fax | 传真 | Fax", "fax | 传真 | Fax | retired")
             + "\n微信 | WeChat")
    admin.locator("#CHANNELS button[type=submit]").click()
    admin.wait_for_load_state()
    assert "传真 | Fax | retired" in admin.locator("#CHANNELS textarea").input_value()
    shoot(admin, "choice-lists-zh")
    clerk = tab_for(browser, live_server, browser_user("clerk"))
    clerk.goto("/admin/feedback/new/")
    offered = clerk.locator("select[name=channel] option").all_inner_texts()
    assert "微信" in offered and not any("传真" in o for o in offered)
    admin.goto("/admin/choice-lists/")
    with admin.expect_navigation():  # the language form posts and comes back to this page
        admin.locator("form[action='/language'] button[value=en]").first.dispatch_event("click")
    admin.goto("/admin/choice-lists/")
    shoot(admin, "choice-lists-en")
