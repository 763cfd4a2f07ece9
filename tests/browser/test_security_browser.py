"""The Content-Security-Policy in a real browser: no blocked script, and the panel's buttons still work."""
import pytest

from models import Customer

pytestmark = pytest.mark.browser


def _watch_csp(page):
    """Collect the browser's CSP violation reports and console errors about the policy."""
    seen = []
    page.on("console", lambda msg: seen.append(f"{page.url} {msg.location} {msg.text[:60]}")
            if "Content Security Policy" in msg.text else None)
    return seen


def test_list_and_forms_run_without_csp_violations(page, browser_user, log_in, make_customer):
    customer = make_customer(name="策略顾客")
    violations = _watch_csp(page)
    log_in(browser_user("admin"))
    for url in ("/admin/customer/", f"/admin/customer/details/?id={customer.id}",
                f"/admin/customer/edit/?id={customer.id}", "/admin/customer/new/", "/admin/trash/"):
        page.goto(url)
        page.wait_for_load_state("load")
        violations.append(f"-- {url}")
    print("\n".join(violations))
    assert [v for v in violations if not v.startswith("--")] == []


def test_bulk_delete_action_works_under_the_csp(page, browser_user, log_in, make_customer):
    make_customer(name="批量删除甲")
    violations = _watch_csp(page)
    log_in(browser_user("admin"))
    page.goto("/admin/customer/")
    page.check("input.action-rowtoggle")
    page.once("dialog", lambda dialog: dialog.accept())
    item = page.locator("a.dropdown-item[data-csp-onclick*=\"execute('delete')\"]")
    item.locator("xpath=../preceding-sibling::a").click()
    item.click()
    page.wait_for_selector(".alert")
    assert Customer.select().count() == 0
    assert violations == []


def test_row_delete_asks_and_cancelling_keeps_the_record(page, browser_user, log_in, make_customer):
    make_customer(name="取消删除")
    log_in(browser_user("admin"))
    page.goto("/admin/customer/")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("button[data-csp-onclick*='safeConfirm']")
    page.wait_for_timeout(300)
    assert Customer.select().count() == 1
