"""Sessions in a real browser: a cookie copied before logout is refused after it; the sessions page renders."""
import os
from pathlib import Path

import pytest

from models import User
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_a_copied_cookie_is_refused_after_logout(browser, live_server, page, browser_user, log_in):
    log_in(browser_user("clerk"))
    page.goto("/admin/customer/")
    copied = page.context.cookies()
    assert any(c["name"] == "session" for c in copied)

    thief = browser.new_context(base_url=live_server)
    thief.add_cookies(copied)
    stolen = thief.new_page()
    stolen.goto("/admin/customer/")
    assert "/admin/customer/" in stolen.url and "/login" not in stolen.url  # the copy works while logged in

    page.click("#user-menu")
    page.click("#logout")
    page.wait_for_url("**/login**")

    stolen.context.clear_cookies()
    stolen.context.add_cookies(copied)
    stolen.goto("/admin/customer/")
    assert "/login" in stolen.url  # replayed after logout: refused
    thief.close()


@pytest.mark.parametrize("language", ["zh_Hans_CN", "en"])
@pytest.mark.parametrize("width", [1440, 390])
def test_sessions_page_screenshot(browser, live_server, page, browser_user, log_in, tmp_path, language, width):
    user = browser_user("manager")
    User.update(language=language).where(User.id == user.id).execute()
    phone = browser.new_context(base_url=live_server, user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 18_0) "
                                "AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1")
    other = phone.new_page()
    other.goto("/login")
    other.fill("input[name=username]", user.username)
    other.fill("input[name=password]", PASSWORD)
    other.click("button[type=submit]")
    other.wait_for_selector("#logout", state="attached")

    page.set_viewport_size({"width": width, "height": 900})
    log_in(user)
    page.goto("/admin/account/")
    rows = page.locator("#sessions tbody tr")
    assert rows.count() == 2
    assert page.locator("#sessions").get_by_text("Safari · iPhone").count() == 1
    width_used = page.evaluate("document.documentElement.scrollWidth")
    assert width_used <= width + 1, "the page must not scroll sideways"
    folder = Path(os.environ.get("SHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"sessions-{language}-{width}.png"), full_page=True)

    page.click("#end-others")
    page.wait_for_selector(".alert")
    other.goto("/admin/customer/")
    assert "/login" in other.url
    phone.close()


@pytest.mark.parametrize("width", [1440, 390])
def test_second_factor_enrolment_and_login(browser, live_server, page, browser_user, log_in, tmp_path, width):
    import re

    import pyotp

    user = browser_user("admin")
    page.set_viewport_size({"width": width, "height": 900})
    log_in(user)
    page.goto("/admin/account/two-factor/")
    assert page.locator("#totp-qr svg").count() == 1
    secret = page.inner_text("#totp-secret")
    folder = Path(os.environ.get("SHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"two-factor-zh-{width}.png"), full_page=True)
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    page.click("#totp-confirm")
    page.wait_for_selector(".alert-success")

    fresh = browser.new_context(base_url=live_server, locale="zh-CN").new_page()
    fresh.set_viewport_size({"width": width, "height": 900})
    fresh.goto("/login")
    fresh.fill("input[name=username]", user.username)
    fresh.fill("input[name=password]", PASSWORD)
    fresh.click("button[type=submit]")
    fresh.wait_for_url(re.compile(r".*/login/two-factor$"))
    fresh.screenshot(path=str(folder / f"second-factor-login-zh-{width}.png"), full_page=True)
    step = User.get_by_id(user.id).totp_last_step
    fresh.fill("input[name=code]", pyotp.TOTP(secret).generate_otp(step + 1))
    fresh.click("button[type=submit]")
    fresh.wait_for_selector("#logout", state="attached")
    fresh.context.close()
