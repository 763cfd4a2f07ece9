"""The survey loop in a real browser: dispatch from the customer list, answer on the public page, see the rates."""
import datetime as dt

import pytest

from admin_app.services.surveys.survey import load_reference_questionnaire
from models import Invitation, SurveyBatch

pytestmark = pytest.mark.browser


def _rates(page, batch_id):
    page.goto(f"/admin/surveystats/?batch={batch_id}")
    row = page.locator("#scope-figures tr").nth(1)
    return row.locator(".response-rate").inner_text(), row.locator(".satisfaction-rate").inner_text()


def test_dispatch_answer_and_statistics(page, browser, live_server, browser_user, log_in, make_customer):
    load_reference_questionnaire()
    for i in range(2):
        make_customer(name=f"浏览器调查商行{i}", email=f"b{i}@example.com", consent_date=dt.date(2025, 3, 1))
    make_customer(name="浏览器调查商行无同意", email="n@example.com")
    log_in(browser_user("clerk"))

    page.goto("/admin/customer/?search=浏览器调查商行")
    page.click("a.list-tool[href*='/admin/customer/survey/']")
    page.select_option("#channel", "email")
    page.click("#dispatch-preview")
    assert page.inner_text("#dispatch-plan .receivers") == "2"
    assert page.inner_text("#dispatch-plan .excluded-no_consent") == "1"
    page.click("#dispatch-confirm")
    page.wait_for_url("**/admin/surveybatch/**")
    batch = SurveyBatch.get()
    assert batch.sent_count == 2
    assert _rates(page, batch.id) == ("0.0%", "—")

    token = Invitation.select().where(Invitation.batch == batch.id).first().token
    visitor = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": 390, "height": 844})
    phone = visitor.new_page()
    phone.goto(f"/s/{token}")
    assert "产品外观与包装" in phone.inner_text("#survey-form")
    phone.click("#lang-en")
    assert "Product appearance and packaging" in phone.inner_text("#survey-form")
    phone.click("#survey-submit")
    phone.wait_for_selector("#form-errors")  # nothing chosen: refused with a message
    for group in phone.locator(".levels").all():
        group.locator("input[value=satisfied]").check()
    phone.click("#survey-submit")
    phone.wait_for_selector("#survey-thanks")
    phone.goto(f"/s/{token}")
    phone.wait_for_selector("#survey-used")
    visitor.close()

    assert _rates(page, batch.id) == ("50.0%", "100.0%")
