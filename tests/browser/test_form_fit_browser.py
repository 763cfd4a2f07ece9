"""Forms that fit in a real browser: two columns of sections at 1440 px, one at 390 px, collapsed sections open."""
import os

import pytest

SHOTS = os.environ.get("FORM_SHOTS_DIR", "/tmp/shots-forms")


def boxes(page, selector):
    """Return the bounding boxes of the visible elements matching a selector."""
    return [box for box in (element.bounding_box() for element in page.query_selector_all(selector)) if box]


@pytest.mark.parametrize("language", ["zh_Hans_CN", "en"])
@pytest.mark.parametrize("width", [1440, 390])
@pytest.mark.parametrize("endpoint", ["feedback", "complaint", "repair", "customer"])
def test_sections_sit_in_two_columns_on_a_wide_screen_and_one_on_a_phone(page, log_in, browser_user, endpoint,
                                                                         width, language):
    page.set_viewport_size({"width": width, "height": 900})
    clerk = browser_user("clerk")
    clerk.language = language
    clerk.save()
    log_in(clerk)
    page.goto(f"/admin/{endpoint}/new/")
    columns = boxes(page, ".form-sections > .form-column")
    form = page.query_selector(".form-sections").bounding_box()
    assert len(columns) == 2
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    if width == 1440:
        left, right = columns
        assert abs(left["y"] - right["y"]) < 2 and right["x"] > left["x"] + left["width"]
        assert all(0.45 * form["width"] < c["width"] < 0.5 * form["width"] for c in columns)
    else:
        assert all(abs(c["x"] - form["x"]) < 2 and c["width"] > 0.98 * form["width"] for c in columns)
        assert columns[1]["y"] >= columns[0]["y"] + columns[0]["height"]
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{endpoint}-new-{language[:2]}-{width}.png", full_page=True)


def test_a_collapsed_section_opens_on_click_and_on_an_invalid_field(page, log_in, browser_user):
    page.set_viewport_size({"width": 390, "height": 900})
    log_in(browser_user("manager"))
    page.goto("/admin/customer/new/")
    contact = page.locator("details.form-section", has=page.locator("#email"))
    assert not contact.evaluate("d => d.open") and not page.is_visible("#email")
    contact.locator("summary").click()
    assert page.is_visible("#email")
    contact.locator("summary").click()
    assert not page.is_visible("#email") and page.is_visible("#age")  # age sits in the always-open first section
    page.evaluate("document.getElementById('email').setCustomValidity('bad')")
    page.fill("#name", "苏州恒远精密机械")
    page.click("input[type=submit][value='保存']")
    assert contact.evaluate("d => d.open")  # the browser's refusal shows beside the field, not silently


@pytest.mark.parametrize("language, saved", [("zh_Hans_CN", "默认值已保存"), ("en", "Your defaults were saved")])
@pytest.mark.parametrize("width", [1440, 390])
def test_a_clerk_sets_my_defaults_and_the_next_feedback_form_uses_them(page, log_in, browser_user, width, language,
                                                                       saved):
    page.set_viewport_size({"width": width, "height": 900})
    clerk = browser_user("clerk")
    clerk.language = language
    clerk.save()
    log_in(clerk)
    page.goto("/admin/account/")
    assert page.is_visible("#owner-fixed") and not page.query_selector("#defaults-form select[name=owner]")
    page.select_option("#defaults-form select[name=channel]", "phone")
    page.select_option("#defaults-form select[name=recorder]", "blank")
    os.makedirs(SHOTS, exist_ok=True)
    page.locator("#my-defaults").scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/account-defaults-{language[:2]}-{width}.png", full_page=True)
    page.click("#defaults-form button[type=submit]")
    assert saved in page.inner_text(".alert-success")
    page.goto("/admin/feedback/new/")
    assert page.input_value("#channel") == "phone" and page.input_value("#recorder") == ""
    assert page.inner_text("#owner") == str(clerk)


@pytest.mark.parametrize("language", ["zh_Hans_CN", "en"])
@pytest.mark.parametrize("width", [1440, 390])
def test_the_edit_form_opens_the_sections_that_hold_values(page, log_in, browser_user, make_record, width,
                                                           language):
    from models import Feedback

    page.set_viewport_size({"width": width, "height": 900})
    clerk = browser_user("clerk")
    clerk.language = language
    clerk.save()
    feedback = make_record(Feedback, owner=clerk, reply="已电话答复，安排上门检测", product_name="燃气热水器")
    log_in(clerk)
    page.goto(f"/admin/feedback/edit/?id={feedback.id}")
    states = page.eval_on_selector_all(".form-section", "els => els.map(e => e.dataset.section)")
    assert states == ["fixed", "open", "closed", "open"]
    assert page.is_visible("#reply") and page.is_visible("#product_name") and not page.is_visible("#nature")
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/feedback-edit-{language[:2]}-{width}.png", full_page=True)
