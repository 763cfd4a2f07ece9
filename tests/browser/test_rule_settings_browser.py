"""The rule settings page in a real browser: an admin changes a figure at desktop and phone width, zh and en."""
import pytest

from models.settings import RuleSettingChange


@pytest.mark.parametrize("width", [1440, 390])
def test_admin_changes_a_setting_and_sees_it_logged_without_sideways_scrolling(page, log_in, browser_user, width):
    page.set_viewport_size({"width": width, "height": 900})
    admin = browser_user("admin")
    log_in(admin)
    page.goto("/admin/rulesettings/")
    assert "种子规定值" in page.content()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    page.fill("#complaint_investigation_workdays", "abc")
    page.click("#save-settings")
    assert page.locator("#setting-complaint_investigation_workdays .field-error").inner_text() == "请输入数字。"
    page.fill("#complaint_investigation_workdays", "4")
    page.click("#save-settings")
    page.wait_for_selector("#settings-changes")
    assert page.locator("#settings-changes tbody tr").first.inner_text().split("\t")[-2:] == ["3", "4"]
    change = RuleSettingChange.get()
    assert (change.key, change.username) == ("complaint_investigation_workdays", admin.username)
