"""Multiple-choice custom fields from a sheet: "A、B" as our exports write them, or "A,B" as people type them."""
import io
import re

import pytest

from admin_app.services.fields import catalog, schema
from models import Customer
from tests.test_import import xlsx_bytes as xlsx

OPTIONS = "普通 | Regular\n金卡 | Gold\n银卡 | Silver"


@pytest.fixture(autouse=True)
def _interests(app, no_custom_columns):
    """A multiple-choice field 兴趣 / Interests on customers (its columns dropped after the test)."""
    with app.test_request_context():
        catalog.add("customer", "兴趣", "multichoice", label_en="Interests", choices=OPTIONS)


def upload(client, rows):
    return client.post("/admin/import/customer/", data={"file": (io.BytesIO(xlsx(rows)), "兴趣.xlsx")},
                       content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)


def test_labels_codes_and_any_separator_become_the_stored_codes(clerk_client):
    page = upload(clerk_client, [["名称", "电话", "兴趣"],
                                 ["多选甲", "13800000101", "普通、银卡"],
                                 ["多选乙", "13800000102", "Gold, regular；金卡"],
                                 ["多选丙", "13800000103", None]])
    batch = re.search(r"/admin/import/customer/(\d+)/commit/", page)
    assert batch, page[-2000:]
    clerk_client.post(f"/admin/import/customer/{batch.group(1)}/commit/", data={})
    schema.sync_models()
    stored = {c.name: c.cf_interests for c in Customer.select().where(Customer.name.startswith("多选"))}
    assert stored == {"多选甲": "o1,o3", "多选乙": "o2,o1", "多选丙": None}
    assert "普通、银卡" in clerk_client.get("/admin/customer/?search=多选甲").get_data(as_text=True)


@pytest.mark.parametrize("language,label,message", [
    ("zh_Hans_CN", "兴趣", "“钻石卡”不是可选项；请从以下选项中选择：普通 / 金卡 / 银卡"),
    ("en", "Interests", "“钻石卡” is not an option; choose from: Regular / Gold / Silver"),
])
def test_an_unknown_option_is_an_error_of_its_row_and_column_and_nothing_is_written(login_as, language, label,
                                                                                    message):
    client = login_as("clerk", language=language)
    page = upload(client, [["名称", "电话", "兴趣"], ["多选丁", "13800000104", "金卡"],
                           ["多选戊", "13800000105", "金卡、钻石卡"]])
    assert "/commit/" not in page and Customer.select().count() == 0
    actions = {number: action for action, number in re.findall(r'<tr class="import-(\w+)">\s*<td>(\d+)</td>', page)}
    assert actions == {"2": "new", "3": "error"}  # sheet rows: 多选丁 is fine, 多选戊 names an unknown option
    row = re.search(r'<tr class="import-error">\s*<td>3</td>(?:(?!</tr>).)*</tr>', page, re.S).group(0)
    assert f"{label}: {message}" in row
