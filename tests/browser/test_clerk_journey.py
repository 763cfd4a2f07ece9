"""A clerk's day in a real browser: log in, add a customer, file a complaint from the dossier, find it."""
import re

import pytest

from models import Complaint, Customer

pytestmark = pytest.mark.browser

SAVE = "input[type=submit].btn-primary"


def test_login_form_refuses_a_wrong_password_and_admits_the_right_one(page, browser_user, log_in):
    user = browser_user("clerk")
    page.goto("/admin/customer/")
    page.wait_for_selector("input[name=password]")  # anonymous visitors land on the login form
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "not-the-password")
    page.click("button[type=submit]")
    page.wait_for_selector(".alert")
    assert page.locator("#logout").count() == 0

    log_in(user)
    assert "/admin/" in page.url


def test_clerk_creates_customer_then_complaint_from_dossier_and_finds_it(page, browser_user, log_in):
    log_in(browser_user("clerk"))
    customer = _create_customer(page, name="浏览器测试商行", phone="13912345678")

    page.goto(f"/admin/customer/details/?id={customer.id}")
    button = page.locator("a[href*='/admin/complaint/new/']")
    assert re.fullmatch(r"\+\s*(投诉|Complaint)", button.inner_text().strip())
    button.click()
    page.wait_for_selector("#s2id_customer")
    assert page.inner_text("#s2id_customer .select2-chosen").strip() == "浏览器测试商行"

    page.fill("#complainant", "钱女士")
    page.fill("#received_at", "2026-11-20 10:30:00")
    page.keyboard.press("Tab")  # the picker closes on Tab (Escape leaves it open over the Save button)
    page.select_option("#channel", "phone")
    page.select_option("#complaint_type", "product_quality")
    page.fill("#content", "热水器漏水三次仍未修好")
    page.click(SAVE)
    page.wait_for_selector("table.timeline >> text=热水器漏水三次仍未修好")  # back on the dossier
    complaint = Complaint.get(Complaint.content == "热水器漏水三次仍未修好")
    assert complaint.customer_id == customer.id

    page.goto("/admin/complaint/")
    page.fill("input[name=search]", "漏水三次")
    page.press("input[name=search]", "Enter")
    page.wait_for_url(re.compile(r"search="))
    row = page.locator("table.model-list tbody tr", has_text="热水器漏水三次仍未修好")
    assert row.count() == 1
    assert "浏览器测试商行" in row.inner_text()


def _create_customer(page, name, phone):
    """Fill the new-customer form like a clerk and return the saved row."""
    page.goto("/admin/customer/new/")
    page.fill("#name", name)
    page.select_option("#customer_type", "company")
    page.fill("#phone", phone)
    page.click(SAVE)
    page.wait_for_url(re.compile(r"/admin/customer/(\?.*)?$"))
    return Customer.get(Customer.name == name)
