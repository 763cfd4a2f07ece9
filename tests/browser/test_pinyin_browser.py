"""Search the way Chinese users type, in the browser: initials typed into the list's search box find the customer."""
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots-pinyin")


@pytest.mark.parametrize("lang, hint", [("zh_Hans_CN", "名称拼音/首字母"), ("en", "Name in pinyin or initials")])
@pytest.mark.parametrize("width", [1440, 390])
def test_initials_typed_in_the_search_box_find_the_customer(page, browser_user, log_in, make_customer, lang, hint,
                                                            width):
    make_customer(name="苏州恒远精密机械有限公司")
    make_customer(name="顧客服務中心")
    page.set_viewport_size({"width": width, "height": 900})
    log_in(browser_user("manager"))
    page.goto(f"/admin/customer/?lang={lang}")
    box = page.locator("input[name=search]").first
    assert hint in box.get_attribute("placeholder")
    box.fill("hyjm")
    box.press("Enter")
    page.wait_for_url("**search=hyjm**")
    rows = page.locator("table.model-list tbody tr")
    assert rows.count() == 1 and "苏州恒远精密机械有限公司" in rows.first.inner_text()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"customers-hyjm-{lang}-{width}.png"), full_page=False)
