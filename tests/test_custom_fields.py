"""Custom fields (issue 12): added in the panel or the CLI, they behave as built-in fields on every page."""
import io
import re

import openpyxl
import pytest
from conftest import state_purpose
from flask_babel import force_locale

from admin_app.services.fields import catalog, schema
from models import ChangeLog, Customer, CustomField, RolePermission


@pytest.fixture(autouse=True)
def _drop_custom_columns(no_custom_columns):
    """Leave no custom column behind (conftest.no_custom_columns)."""


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
    state_purpose(clerk_client, first.id)  # need-to-know (issue 14.6): a stated purpose opens the dossier
    details = text(clerk_client.get(f"/admin/customer/details/?id={first.id}"))
    assert "会员卡号" in details and "VIP-0002" in details


@pytest.mark.parametrize(("values", "message", "chinese"), [
    ({"label_zh": "电话"}, "built-in", "内置字段"),
    ({"label_zh": "Phone", "label_en": ""}, "built-in", "内置字段"),
    ({"kind": "choice", "options": ""}, "at least one option", "至少需要一个选项"),
    ({"kind": "choice", "options": "门店\n网店\n门店"}, "twice", "重复"),
    ({"kind": "integer", "default": "abc"}, "default", "默认值"),
])
@pytest.mark.parametrize("language", ["en", "zh_Hans_CN"])
def test_bad_field_definitions_are_refused_with_a_reason(app, values, message, chinese, language):
    with app.test_request_context(), force_locale(language), pytest.raises(catalog.FieldError) as err:
        catalog.add("customer", values.get("label_zh", "新字段"), values.get("kind", "text"),
                    label_en=values.get("label_en", ""), choices=values.get("options", ""),
                    default=values.get("default", ""))
    assert (message if language == "en" else chinese) in str(err.value)
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
    state_purpose(clerk_client, customer.id)  # need-to-know: the dossier itself opens, without the field
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
    state_purpose(admin_client, customer.id)  # need-to-know (issue 14.6): a stated purpose opens the dossier
    assert "SECRET-77" in text(admin_client.get(f"/admin/customer/details/?id={customer.id}"))


def sheet_rows(response):
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def xlsx(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, data, endpoint="customer"):
    return client.post(f"/admin/import/{endpoint}/", data={"file": (io.BytesIO(data), "ledger.xlsx")},
                       content_type="multipart/form-data", follow_redirects=True)


def commit(client, page, endpoint="customer"):
    batch = re.search(rf"/admin/import/{endpoint}/(\d+)/commit/", text(page))
    assert batch, text(page)[-3000:]
    return client.post(f"/admin/import/{endpoint}/{batch.group(1)}/commit/", data={}, follow_redirects=True)


def test_export_and_reimport_carry_the_field_by_its_label(admin_client, clerk_client, make_customer):
    add_field(admin_client, kind="choice", label_zh="会员等级", label_en="Member level",
              options="普通 | Regular\n金卡 | Gold")
    schema.sync_models()
    customer = make_customer(name="导出顾客", cf_member_level="o1")
    rows = sheet_rows(clerk_client.get("/admin/customer/export/xlsx/"))
    header = rows[2]
    column = header.index("会员等级")
    row = next(r for r in rows[3:] if "导出顾客" in r)
    assert row[column] == "普通"
    row[column] = "金卡"
    page = upload(clerk_client, xlsx([header, row]))
    assert "会员等级" not in re.findall(r"ignored[^<]*", text(page))
    commit(clerk_client, page)
    assert Customer.get_by_id(customer.id).cf_member_level == "o2"
    entry = ChangeLog.select().where(ChangeLog.table == "customer", ChangeLog.record_id == customer.id,
                                     ChangeLog.action == "update").get()
    assert entry.changed()["cf_member_level"] == ["o1", "o2"]
    state_purpose(clerk_client, customer.id)  # need-to-know (issue 14.6): a stated purpose opens the dossier
    history = text(clerk_client.get(f"/admin/customer/details/?id={customer.id}"))
    assert "会员等级" in history and "金卡" in history


def test_english_headers_import_new_rows_into_the_field(admin_client, clerk_client):
    add_field(admin_client, kind="integer", label_zh="积分", label_en="Points")
    page = upload(clerk_client, xlsx([["Name", "Customer type", "Phone", "Points"],
                                      ["英文表头顾客", "Company", "13812340000", "120"]]))
    commit(clerk_client, page)
    schema.sync_models()
    assert Customer.get(Customer.name == "英文表头顾客").cf_points == 120


def test_field_is_edited_in_place_and_checked(admin_client, clerk_client, make_customer):
    add_field(admin_client, kind="integer", label_zh="积分", label_en="Points")
    schema.sync_models()
    customer = make_customer(cf_points=1)
    assert 'id="cf_points"' in text(clerk_client.get("/admin/customer/"))
    done = clerk_client.post("/admin/customer/ajax/update/", data={"list_form_pk": customer.id, "cf_points": "42"})
    assert done.status_code == 200, text(done)
    refused = clerk_client.post("/admin/customer/ajax/update/", data={"list_form_pk": customer.id,
                                                                      "cf_points": "很多"})
    assert refused.status_code >= 400
    assert Customer.get_by_id(customer.id).cf_points == 42


def test_required_field_and_default_on_the_form(admin_client, clerk_client):
    add_field(admin_client, label_zh="来源", label_en="Source", required="y", default="门店")
    form = text(clerk_client.get("/admin/customer/new/"))
    assert 'value="门店"' in form
    page = clerk_client.post("/admin/customer/new/", data={"name": "缺来源", "customer_type": "company",
                                                           "cf_source": "", "receivable": "0",
                                                           "trade_volume_12m": "0"}, follow_redirects=True)
    assert not Customer.select().where(Customer.name == "缺来源").exists(), text(page)[-2000:]


def test_personal_field_is_masked_for_roles_that_see_phones_masked(admin_client, login_as, make_customer):
    add_field(admin_client, label_zh="身份证明", label_en="Proof number", personal="y")
    schema.sync_models()
    make_customer(cf_proof_number="AB1234567890")
    assert "AB1234567890" in text(login_as("clerk").get("/admin/customer/"))
    shown = text(login_as("technician").get("/admin/customer/"))
    assert "AB1234567890" not in shown and "AB1*****7890" in shown


def test_retire_keeps_values_bring_back_restores_purge_deletes_and_logs(admin_client, clerk_client, make_customer):
    add_field(admin_client, label_zh="旧卡号", label_en="Old card")
    schema.sync_models()
    customer = make_customer(cf_old_card="OLD-9")
    defn = CustomField.get(CustomField.code == "old_card")
    admin_client.post("/admin/customfield/action/", data={"action": "retire", "rowid": [defn.id]})
    assert 'name="cf_old_card"' not in text(clerk_client.get(f"/admin/customer/edit/?id={customer.id}"))
    assert "旧卡号" not in text(clerk_client.get("/admin/customer/"))
    state_purpose(clerk_client, customer.id)  # need-to-know (issue 14.6)
    assert "OLD-9" in text(clerk_client.get(f"/admin/customer/details/?id={customer.id}"))
    admin_client.post("/admin/customfield/action/", data={"action": "unretire", "rowid": [defn.id]})
    assert "OLD-9" in text(clerk_client.get("/admin/customer/"))
    admin_client.post("/admin/customfield/action/", data={"action": "retire", "rowid": [defn.id]})
    admin_client.post("/admin/customfield/action/", data={"action": "purge", "rowid": [defn.id]})
    assert "cf_old_card" not in schema.existing_columns(Customer)
    assert ChangeLog.select().where(ChangeLog.table == "custom_field", ChangeLog.action == "delete").count() == 1
    assert "OLD-9" not in text(clerk_client.get(f"/admin/customer/details/?id={customer.id}"))


def test_options_relabel_and_retire_keep_stored_values_readable(admin_client, clerk_client, make_customer):
    add_field(admin_client, kind="choice", label_zh="渠道", label_en="Channel src", options="门店\n网店")
    schema.sync_models()
    customer = make_customer(cf_channel_src="o2")
    defn = CustomField.get(CustomField.code == "channel_src")
    edited = admin_client.post(f"/admin/customfield/edit/?id={defn.id}", data={
        "label_zh": "渠道", "label_en": "Channel src", "kind": "choice", "decimals": "2",
        "options": "o1 | 实体门店 | Store\no2 | 网店 | Web shop | retired\n电话 | Phone",
        "default": "", "help_zh": "", "help_en": "", "section": "", "position": "10", "in_list": "y",
        "filterable": "y", "sortable": "y", "exported": "y", "row_version": "1"}, follow_redirects=True)
    assert edited.status_code == 200
    listing = text(clerk_client.get("/admin/customer/"))
    assert "网店（已停用）" in listing or "网店 (retired)" in listing, listing[-3000:]
    form = text(clerk_client.get("/admin/customer/new/"))
    assert "实体门店" in form and "电话" in form and ">网店" not in form
    refused = admin_client.post(f"/admin/customfield/edit/?id={defn.id}", data={
        "label_zh": "渠道", "label_en": "Channel src", "kind": "choice", "decimals": "2",
        "options": "o1 | 门店 | Store",
        "default": "", "help_zh": "", "help_en": "", "section": "", "position": "10", "row_version": "1"},
        follow_redirects=True)
    assert "retire" in text(refused) or "停用" in text(refused)
    assert Customer.get_by_id(customer.id).cf_channel_src == "o2"


def test_saved_view_with_the_custom_column_and_filter(admin_client, clerk_client, make_customer):
    add_field(admin_client)
    schema.sync_models()
    make_customer(name="带卡顾客", cf_member_card_no="VIP-7", region="西藏")
    make_customer(name="无卡顾客", cf_member_card_no="VIP-8")
    view = next(v for v in clerk_client.application.extensions["admin"][0]._views if v.endpoint == "customer")
    clerk_client.get("/admin/customer/")
    arg = next(key for key, (_i, flt) in view.__dict__["_all_filter_args"].items()
               if flt.column.name == "cf_member_card_no" and type(flt).__name__ == "FilterEqual")
    query = f"flt0_{arg}=VIP-7&columns=name,cf_member_card_no"
    saved = clerk_client.post(f"/admin/customer/saved-views/new/?{query}", data={"name": "有卡"})
    page = text(clerk_client.get(saved.headers["Location"]))
    assert "带卡顾客" in page and "VIP-7" in page and "无卡顾客" not in page and "西藏" not in page
    rows = sheet_rows(clerk_client.get(f"/admin/customer/export/xlsx/?{query}"))
    assert "会员卡号" in rows[2] and [r[rows[2].index("会员卡号")] for r in rows[3:]] == ["VIP-7"]


def test_read_only_field_is_shown_but_never_changed(admin_client, clerk_client, make_customer):
    add_field(admin_client)
    schema.sync_models()
    customer = make_customer(cf_member_card_no="RO-1")
    RolePermission.create(role="clerk", endpoint="customer", operation="field", field="cf_member_card_no",
                          access="read")
    form = text(clerk_client.get(f"/admin/customer/edit/?id={customer.id}"))
    assert re.search(r'<input[^>]*disabled[^>]*name="cf_member_card_no"|<input[^>]*name="cf_member_card_no"'
                     r'[^>]*disabled', form)
    refused = clerk_client.post("/admin/customer/ajax/update/", data={"list_form_pk": customer.id,
                                                                      "cf_member_card_no": "RO-2"})
    assert refused.status_code == 403
    assert Customer.get_by_id(customer.id).cf_member_card_no == "RO-1"


def test_record_custom_fields_show_on_the_dossier_timeline_unless_hidden(app, admin_client, clerk_client,
                                                                         make_record):
    from models import Repair

    with app.test_request_context():
        catalog.add("repair", "安装地址", "text", label_en="Install address")
    schema.sync_models()
    repair = make_record(Repair, cf_install_address="幸福路1号")
    state_purpose(clerk_client, repair.customer_id)
    dossier = f"/admin/customer/details/?id={repair.customer_id}"
    assert "安装地址：幸福路1号" in text(clerk_client.get(dossier))
    RolePermission.create(role="clerk", endpoint="repair", operation="field", field="cf_install_address",
                          access="hidden")
    assert "幸福路1号" not in text(clerk_client.get(dossier))


@pytest.mark.parametrize(("kind", "posted", "stored"), [
    ("multichoice", ["o1", "o3"], "o1,o3"),
    ("date", "2025-03-04", "2025-03-04"),
    ("money", "12.50", "12.5"),
    ("boolean", "y", "True"),
    ("user", "owner", None),
])
def test_each_type_is_saved_from_the_form(app, clerk_client, make_customer, kind, posted, stored):
    with app.test_request_context():
        catalog.add("customer", "附加项", kind, label_en="Extra", choices="甲,乙,丙")
    customer = make_customer(name="类型顾客")
    clerk_client.get("/admin/customer/")
    if posted == "owner":
        posted, stored = str(clerk_client.user.id), str(clerk_client.user.id)
    data = {"name": customer.name, "customer_type": "company", "phone": customer.phone, "staff_count": "50",
            "receivable": "0", "trade_volume_12m": "100000", "first_trade_date": "2020-01-01",
            "cf_extra": posted, "row_version": "1"}
    page = clerk_client.post(f"/admin/customer/edit/?id={customer.id}", data=data, follow_redirects=True)
    schema.sync_models()
    value = Customer.get_by_id(customer.id).__data__.get("cf_extra")
    value = value.normalize() if kind == "money" else value  # numeric(14,2) on PostgreSQL reads 12.50
    assert str(value) == stored, re.findall(r'(?:alert|help-block|invalid-feedback)[^>]*>([^<]+)', text(page))
    if kind == "multichoice":
        assert "甲、丙" in text(clerk_client.get("/admin/customer/"))


def test_searchable_field_is_found_by_the_list_search(admin_client, clerk_client, make_customer):
    add_field(admin_client, searchable="y")
    schema.sync_models()
    make_customer(name="搜索命中", cf_member_card_no="CARD-123456")
    make_customer(name="搜索不中", cf_member_card_no="CARD-999999")
    page = text(clerk_client.get("/admin/customer/?search=123456"))
    assert "搜索命中" in page and "搜索不中" not in page


def edit_field(client, defn, **values):
    data = {"label_zh": defn.label_zh, "label_en": defn.label_en, "kind": defn.kind, "decimals": "2",
            "options": "", "default": "", "help_zh": "", "help_en": "", "section": "", "position": str(defn.position),
            "in_list": "y", "filterable": "y", "sortable": "y", "exported": "y", "row_version": "1", **values}
    return client.post(f"/admin/customfield/edit/?id={defn.id}", data=data, follow_redirects=True)


def test_rename_and_reorder_apply_at_once_and_the_code_never_changes(admin_client, clerk_client):
    add_field(admin_client)
    add_field(admin_client, label_zh="积分", label_en="Points", kind="integer")
    card, points = CustomField.get(CustomField.code == "member_card_no"), CustomField.get(CustomField.code == "points")
    form = text(clerk_client.get("/admin/customer/new/"))
    assert form.index('name="cf_member_card_no"') < form.index('name="cf_points"')
    edit_field(admin_client, card, label_zh="贵宾卡号", position=str(points.position + 10))
    form = text(clerk_client.get("/admin/customer/new/"))
    assert "贵宾卡号" in form and "会员卡号" not in form
    assert form.index('name="cf_points"') < form.index('name="cf_member_card_no"')
    assert CustomField.get_by_id(card.id).code == "member_card_no"


def test_type_change_from_the_admin_page_is_refused_with_the_count(admin_client, make_customer):
    add_field(admin_client)
    schema.sync_models()
    make_customer(cf_member_card_no="VIP-1")
    make_customer(cf_member_card_no="12")
    card = CustomField.get(CustomField.code == "member_card_no")
    page = text(edit_field(admin_client, card, kind="integer"))
    assert "1 个已存的值无法转换" in page and "VIP-1" in page
    assert CustomField.get_by_id(card.id).kind == "text"


def test_admin_relabels_and_reorders_a_built_in_list(admin_client, clerk_client, make_record):
    from models import Complaint
    from models.choices import CHANNELS

    complaint = make_record(Complaint, channel="phone")
    text_now = text(admin_client.get("/admin/choice-lists/"))
    assert "phone | 电话 | Phone" in text_now  # both languages, so saving the box as shown changes nothing
    lines = "phone | 客服热线 | Hotline\nletter\nfax\nvisit\nemail\nonline\nface_to_face"
    admin_client.post("/admin/choice-lists/CHANNELS/", data={"options": lines})
    form = text(clerk_client.get("/admin/complaint/new/"))
    assert "客服热线" in form and form.index("客服热线") < form.index("信函")
    assert "客服热线" in text(clerk_client.get(f"/admin/complaint/details/?id={complaint.id}"))
    assert Complaint.get_by_id(complaint.id).channel == "phone"
    for refused in ("phone\nletter", lines + "\nwechat | 微信 | WeChat"):
        page = text(admin_client.post("/admin/choice-lists/CHANNELS/", data={"options": refused},
                                      follow_redirects=True))
        assert "alert-danger" in page or "error" in page
    assert dict(CHANNELS)["phone"] is not None and len(CHANNELS) == 7


def test_built_in_lists_come_back_for_a_new_app(app):
    from admin_app.services.fields import builtin_choices
    from models.choices import CHANNELS

    assert [v for v, _label in CHANNELS] == [v for v, _label in builtin_choices._ORIGINAL["CHANNELS"]]
