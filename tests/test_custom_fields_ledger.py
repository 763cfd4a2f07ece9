"""Bring your own ledger (issue 12, item 7): unmatched columns get a guessed type and become custom fields."""
import datetime as dt
import io
import re

import openpyxl
import pytest

from admin_app.services.fields import schema
from admin_app.services.fields.guess import guess
from models import Customer, CustomField

LEDGER = [["名称", "电话", "会员卡号", "购买渠道", "积分", "办卡日期", "消费金额"],
          ["台账顾客甲", "13800000001", "VIP-0001", "门店", 120, dt.datetime(2025, 3, 1), 12.5],
          ["台账顾客乙", "13800000002", "VIP-0002", "网店", 80, dt.datetime(2025, 4, 2), 300],
          ["台账顾客丙", "13800000003", "VIP-0003", "门店", 0, dt.datetime(2025, 5, 3), 99.9],
          ["台账顾客丁", "13800000004", "VIP-0004", "网店", 15, dt.datetime(2025, 6, 4), 8]]


@pytest.fixture(autouse=True)
def _drop_custom_columns(no_custom_columns):
    """Leave no custom column behind (conftest.no_custom_columns)."""


@pytest.mark.parametrize(("header", "values", "kind"), [
    ("办卡日期", [dt.datetime(2025, 1, 2), None, dt.datetime(2025, 3, 4)], "date"),
    ("来访时间", [dt.datetime(2025, 1, 2, 9, 30), dt.datetime(2025, 3, 4)], "datetime"),
    ("日期", ["2025-01-02", "2025年3月4日"], "date"),
    ("积分", [1, 20, "300"], "integer"),
    ("卡号", ["00123", "00456", "00789"], "text"),
    ("消费金额", [12.5, 300, "8.80"], "money"),
    ("系数", [0.125, 1.5], "decimal"),
    ("是否会员", ["是", "否", "是"], "boolean"),
    ("渠道", ["门店", "网店", "门店", "网店", "门店"], "choice"),
    ("备注", ["第一行\n第二行", "短"], "textarea"),
    ("姓名", ["张三", "李四", "王五"], "text"),
])
def test_column_types_are_guessed_from_their_data(header, values, kind):
    assert guess(header, values)[0] == kind


def ledger_bytes():
    book = openpyxl.Workbook()
    for row in LEDGER:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client):
    return client.post("/admin/import/customer/", data={"file": (io.BytesIO(ledger_bytes()), "台账.xlsx")},
                       content_type="multipart/form-data", follow_redirects=True)


def test_clerk_sees_unmatched_columns_listed_as_ignored(clerk_client):
    page = upload(clerk_client).get_data(as_text=True)
    for header in ("会员卡号", "购买渠道", "积分", "办卡日期"):
        assert re.search(rf"<td>{header}</td><td>(忽略|ignored)", page), header
    assert "add-ledger-fields" not in page


def test_admin_adds_the_unmatched_columns_in_one_step_then_imports(admin_client):
    page = upload(admin_client).get_data(as_text=True)
    assert "add-ledger-fields" in page
    form = {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)}
    for index in range(5):
        form[f"add-{index}"] = "1"
    action = re.search(r'id="add-ledger-fields"', page) and re.search(r'action="([^"]*add-fields/)"', page).group(1)
    again = admin_client.post(action, data=form, follow_redirects=True).get_data(as_text=True)
    kinds = {d.label_zh: d.kind for d in CustomField.select()}
    assert kinds == {"会员卡号": "text", "购买渠道": "choice", "积分": "integer", "办卡日期": "date",
                     "消费金额": "money"}
    assert "add-ledger-fields" not in again
    batch = re.search(r"/admin/import/customer/(\d+)/commit/", again).group(1)
    admin_client.post(f"/admin/import/customer/{batch}/commit/", data={}, follow_redirects=True)
    schema.sync_models()
    first = Customer.get(Customer.name == "台账顾客甲")
    level = CustomField.get(CustomField.label_zh == "购买渠道")
    card = CustomField.get(CustomField.label_zh == "会员卡号")
    assert getattr(first, card.column) == "VIP-0001"
    assert getattr(first, level.column) == next(o["value"] for o in level.options() if o["zh"] == "门店")
    points = CustomField.get(CustomField.label_zh == "积分")
    assert getattr(first, points.column) == 120
