"""What the scripts draw reads in the user's language too: the date picker in Chinese starts weeks on Monday."""
import pytest

pytestmark = pytest.mark.browser


def _open_date_picker(page):
    page.goto("/admin/archiverecord/new/")
    page.click("input#entry_date")
    picker = page.locator(".daterangepicker").first
    picker.wait_for(state="visible")
    return picker


def test_chinese_date_picker_names_months_in_chinese_and_starts_on_monday(page, browser_user, log_in):
    log_in(browser_user("clerk"))
    picker = _open_date_picker(page)
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    days = [text.strip() for text in picker.locator("thead tr").last.locator("th").all_inner_texts()]
    assert days[:7] == ["一", "二", "三", "四", "五", "六", "日"]
    assert "月" in picker.locator(".monthselect option").first.inner_text()


def test_english_date_picker_stays_english(page, browser_user, log_in):
    user = browser_user("clerk")
    user.language = "en"
    user.save()
    log_in(user)
    picker = _open_date_picker(page)
    assert page.locator("html").get_attribute("lang") == "en"
    days = [text.strip() for text in picker.locator("thead tr").last.locator("th").all_inner_texts()]
    assert days[0] == "Su"
