"""The import preview in a browser: a repeated header and an out-of-range age are shown, nothing is imported."""
import os
from pathlib import Path

import pytest

from models import Customer

SHOTS = os.environ.get("SHOTS_DIR")  # set it to keep screenshots (Chinese and English, 1440 and 390 px wide)


@pytest.mark.parametrize(("lang", "width"), [("zh_Hans_CN", 1440), ("en", 390)])
def test_preview_shows_repeated_headers_and_the_row_out_of_range(page, browser_user, log_in, tmp_path, lang, width):
    user = browser_user("clerk")
    user.language = lang
    user.save()
    log_in(user)
    page.set_viewport_size({"width": width, "height": 900})
    sheet = tmp_path / "customers.csv"
    sheet.write_text("名称,电话,年龄,电话\n甲,13800000101,30,13800000102\n乙,13800000103,200,\n", encoding="utf-8")
    page.goto("/admin/import/customer/")
    page.set_input_files("input[type=file]", str(sheet))
    page.click("#import-upload button[type=submit]")
    page.wait_for_selector("#repeated-headers")
    warning = page.inner_text("#repeated-headers")
    error_row = page.inner_text("tr.import-error")
    assert "D" in warning and "B" in warning
    assert "3" in error_row and "150" in error_row
    assert ("Enter a number from 0 to 150." in error_row) == (lang == "en")
    assert page.locator("#import-commit").count() == 0 and Customer.select().count() == 0
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"import-preview-{lang}-{width}.png"), full_page=True)
