"""Custom fields (issue 12): added in the panel or the CLI, they behave as built-in fields on every page."""
import io
import re

import openpyxl
import pytest

from admin_app.services.fields import catalog, schema
from models import ChangeLog, Customer, CustomField, RolePermission, db


@pytest.fixture(autouse=True)
def _drop_custom_columns(app):
    """Drop the columns custom fields added: the test database is shared by every test."""
    yield
    db.connect(reuse_if_open=True)
    for endpoint, model in schema.MODELS.items():
        for column in schema.existing_columns(model):
            if column.startswith(schema.PREFIX):
                fake = CustomField(endpoint=endpoint, code=column[len(schema.PREFIX):])
                schema.drop_column(fake)
    schema.reset_models()


def add_field(client, **values):
    data = {"endpoint": "customer", "label_zh": "会员卡号", "label_en": "Member card no", "kind": "text",
            "decimals": "2", "options": "", "default": "", "help_zh": "", "help_en": "", "section": "",
            "position": "", "in_list": "y", "filterable": "y", "sortable": "y", "exported": "y", **values}
    data = {k: v for k, v in data.items() if v is not None}
    return client.post("/admin/customfield/new/", data=data, follow_redirects=True)


def text(response):
    return response.get_data(as_text=True)


def test_cli_adds_lists_and_retires_a_field(app):
    runner = app.test_cli_runner()
    added = runner.invoke(args=["fields", "add", "returnexchange", "购买渠道", "--type", "choice",
                                "--choices", "门店,网店,电话", "--label-en", "Purchase channel"])
    assert added.exit_code == 0, added.output
    listed = runner.invoke(args=["fields", "list", "returnexchange"])
    assert "purchase_channel" in listed.output and "门店,网店,电话" in listed.output
    assert runner.invoke(args=["fields", "retire", "returnexchange", "purchase_channel"]).exit_code == 0
    assert "retired" in runner.invoke(args=["fields", "list", "returnexchange"]).output
    refused = runner.invoke(args=["fields", "add", "returnexchange", "购买渠道", "--type", "text"])
    assert refused.exit_code != 0 and "购买渠道" in refused.output


def test_admin_adds_a_field_and_a_clerk_fills_filters_and_sorts_it(admin_client, clerk_client, make_customer):
    page = add_field(admin_client)
    assert "会员卡号" in text(page), text(page)[-2000:]
    first, second = make_customer(name="甲"), make_customer(name="乙")
    form = clerk_client.get(f"/admin/customer/edit/?id={first.id}")
    assert "会员卡号" in text(form) and 'name="cf_member_card_no"' in text(form)
    edit = clerk_client.get(f"/admin/customer/edit/?id={second.id}")
    token = re.search(r'name="submit_token"[^>]*value="([^"]*)"', text(edit))
    for customer, card in ((first, "VIP-0002"), (second, "VIP-0001")):
        data = {"name": customer.name, "customer_type": "company", "phone": customer.phone,
                "staff_count": "50", "receivable": "0", "trade_volume_12m": "100000",
                "first_trade_date": "2020-01-01", "cf_member_card_no": card, "row_version": "1",
                "submit_token": token.group(1) if token else ""}
        saved = clerk_client.post(f"/admin/customer/edit/?id={customer.id}", data=data, follow_redirects=True)
        assert saved.status_code == 200
    assert Customer.get_by_id(first.id).cf_member_card_no == "VIP-0002", text(saved)[-3000:]
    listing = text(clerk_client.get("/admin/customer/"))
    assert "会员卡号" in listing and "VIP-0001" in listing
    view = next(v for v in clerk_client.application.extensions["admin"][0]._views if v.endpoint == "customer")
    arg = next(key for key, (_i, flt) in view.__dict__["_all_filter_args"].items()
               if flt.column.name == "cf_member_card_no" and type(flt).__name__ == "FilterEqual")
    filtered = text(clerk_client.get(f"/admin/customer/?flt0_{arg}=VIP-0001"))
    assert "VIP-0001" in filtered and "VIP-0002" not in filtered
    index = [c for c, _label in view.__dict__["_all_list_columns"]].index("cf_member_card_no")
    ordered = text(clerk_client.get(f"/admin/customer/?sort={index}"))
    assert ordered.index("VIP-0001") < ordered.index("VIP-0002")
    history = ChangeLog.select().where(ChangeLog.table == "customer", ChangeLog.record_id == first.id)
    assert any("VIP-0002" in entry.changes for entry in history)
    details = text(clerk_client.get(f"/admin/customer/details/?id={first.id}"))
    assert "会员卡号" in details and "VIP-0002" in details


@pytest.mark.parametrize(("values", "message"), [
    ({"label_zh": "电话"}, "built-in"),
    ({"label_zh": "Phone", "label_en": ""}, "built-in"),
    ({"kind": "choice", "options": ""}, "at least one option"),
    ({"kind": "choice", "options": "门店\n网店\n门店"}, "twice"),
    ({"kind": "integer", "default": "abc"}, "default"),
])
def test_bad_field_definitions_are_refused_with_a_reason(app, values, message):
    with app.test_request_context(headers={"Accept-Language": "en"}), pytest.raises(catalog.FieldError) as err:
        catalog.add(values.pop("endpoint", "customer"), values.pop("label_zh", "新字段"),
                    values.pop("kind", "text"), label_en=values.pop("label_en", ""),
                    choices=values.pop("options", ""), **values)
    assert message in str(err.value)
    assert CustomField.select().count() == 0


def test_duplicate_label_and_limit_are_refused(app):
    with app.test_request_context():
        catalog.add("repair", "安装地址", "text", label_en="Install address")
        with pytest.raises(catalog.FieldError):
            catalog.add("repair", "Install address", "text")
        catalog.add("complaint", "安装地址", "text")  # another list may use the same label
        for n in range(catalog.MAX_FIELDS - 1):
            CustomField.create(endpoint="repair", code=f"x{n}", label_zh=f"字段{n}", kind="text")
        with pytest.raises(catalog.FieldError) as err:
            catalog.add("repair", "又一个", "text")
    assert str(catalog.MAX_FIELDS) in str(err.value)


def test_type_change_refused_when_values_do_not_convert(app, make_customer):
    with app.test_request_context():
        defn = catalog.add("customer", "卡等级", "text", label_en="Card level")
        schema.sync_models()
        for value in ("1", "2", "金卡", "银卡", "金卡"):
            make_customer(cf_card_level=value)
        with pytest.raises(catalog.FieldError) as err:
            catalog.change_type(defn, "integer")
        assert "3" in str(err.value) and "金卡" in str(err.value)
        Customer.update(cf_card_level=None).where(Customer.cf_card_level.in_(["金卡", "银卡"])).execute()
        catalog.change_type(defn, "integer")
        schema.sync_models()
        assert sorted(c.cf_card_level for c in Customer.select() if c.cf_card_level) == [1, 2]


def test_a_role_with_the_field_hidden_never_sees_it(admin_client, clerk_client, make_customer):
    add_field(admin_client)
    schema.sync_models()
    customer = make_customer(name="隐藏字段顾客", cf_member_card_no="SECRET-77")
    RolePermission.create(role="clerk", endpoint="customer", operation="field", field="cf_member_card_no",
                          access="hidden")
    pages = ["/admin/customer/", f"/admin/customer/details/?id={customer.id}",
             f"/admin/customer/edit/?id={customer.id}", "/admin/customer/new/",
             "/admin/customer/?search=SECRET"]
    for url in pages:
        body = text(clerk_client.get(url))
        assert "SECRET-77" not in body and "会员卡号" not in body, url
    sheet = clerk_client.get("/admin/customer/export/xlsx/")
    book = openpyxl.load_workbook(io.BytesIO(sheet.data))
    cells = {str(c) for row in book.active.iter_rows(values_only=True) for c in row}
    assert "SECRET-77" not in cells and "会员卡号" not in cells
    assert "SECRET-77" in text(admin_client.get(f"/admin/customer/details/?id={customer.id}"))
