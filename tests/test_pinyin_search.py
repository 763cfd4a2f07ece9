"""Search the way Chinese users type (issue 13 item 7): pinyin, initials, traditional characters, full width.

The key builder is tested as a plain function; the list search through HTTP, after every way a name is written;
and the key never opens a field a role may not search.
"""
import os
import re

import peewee as pw
import pytest

from admin_app.services.lists import pinyin_key, search
from admin_app.services.trust import history
from admin_app.validators import normalise
from models import ChangeLog, Customer, Feedback, RolePermission, db
from tests.panel_specs import SPECS, form_for
from tests.test_adversarial_values import set_region
from tests.test_fastlist import index_ids, like_ids, listed_names
from tests.test_import import commit, counts, upload, xlsx_bytes

NAMES = ["苏州恒远精密机械有限公司", "顧客服務中心", "张三", "重庆银行", "曾国藩书店", "Acme 上海分公司", "王小明"]


# --- the key builder ------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, typed", [
    ("苏州恒远精密机械有限公司", "hyjm"),              # initials
    ("苏州恒远精密机械有限公司", "hengyuanjingmi"),    # full pinyin
    ("苏州恒远精密机械有限公司", "szhy"),
    ("张三", "zs"),                                    # two-letter initials of a person's name
    ("张三", "zhangsan"),
    ("顧客服務中心", "顾客服务"),                      # stored traditional, typed simplified
    ("顧客服務中心", "gkfw"),
    ("ＡＢＣ商贸", "abcsm"),                           # full-width letters: stored as ABC
    ("Acme 上海分公司", "shfgs"),
])
def test_key_holds_what_users_type(name, typed):
    assert typed in pinyin_key.search_key(name)


@pytest.mark.parametrize("name, reading, not_reading", [
    ("重庆银行", "chongqingyinhang", "zhongqing"),     # the phrase decides: 重庆 chong, 银行 hang
    ("长城电器", "changcheng", "zhangcheng"),
])
def test_polyphonic_characters_in_a_phrase_take_the_phrase_reading(name, reading, not_reading):
    key = pinyin_key.search_key(name)
    assert reading in key and not_reading not in key


@pytest.mark.parametrize("name, readings", [
    ("曾国藩", ("zengguofan", "cengguofan", "zgf", "cgf")),   # surname 曾 zeng; the character alone reads ceng
    ("单田芳", ("shantianfang", "dantianfang", "stf")),       # surname 单 shan
])
def test_an_undecided_polyphonic_character_keeps_its_other_readings(name, readings):
    key = pinyin_key.search_key(name)
    assert all(reading in key for reading in readings)


def test_a_long_name_keeps_a_bounded_key():
    """The longest name (100 characters) keeps one spelling, and its short part fits the short index."""
    name = ("北京" + "重长行乐" * 25)[:100]
    full, short = pinyin_key.search_key(name).split("|")
    assert len(full.split()) == 1 and len(short.split()) == 2  # alternatives of a long name are noise
    assert len(short) <= search.MAX_POSITION


@pytest.mark.parametrize("name", [*NAMES, "a|b", "  两个  空格  ", "Ｈｅｌｌｏ　李"])
def test_key_is_its_own_normal_form_with_one_separator(name):
    """Re-normalising stored text (exchange/renormalise.py) must never change a key."""
    key = pinyin_key.search_key(name)
    assert normalise(key) == key and key.count("|") == 1


def test_phone_digits_are_never_in_a_key():
    assert pinyin_key.search_key("张三") == "zhangsan | 张三 zs" and pinyin_key.search_key(None) is None


@pytest.mark.parametrize("typed, spellings", [
    ("顧客", ["顾客"]), ("HYJM", ["hyjm"]), ("ｈｙｊｍ", ["hyjm"]), ("恒yuan", ["恒yuan", "hengyuan"]),
    ("恒远", ["恒远"]), ("a|b", []), ("", []),
])
def test_term_spellings(typed, spellings):
    assert pinyin_key.term_variants(typed) == spellings


# --- the model keeps the key on every write peewee can make ---------------------------------------------
def _key(customer_id):
    return Customer.select(Customer.search_key).where(Customer.id == customer_id).scalar()


def test_every_peewee_write_keeps_the_key(app, make_customer):
    customer = make_customer(name="恒远精密")
    assert "hyjm" in _key(customer.id)
    Customer.update(name="顧客服務").where(Customer.id == customer.id).execute()
    assert "gkfw" in _key(customer.id) and "hyjm" not in _key(customer.id)
    Customer.update({Customer.name: "张三"}).where(Customer.id == customer.id).execute()
    assert "zhangsan" in _key(customer.id)
    Customer.insert_many([{"name": "李四", "customer_type": "individual"}]).execute()
    fields = [f for f in Customer._meta.sorted_fields if f.name not in ("id", "search_key")]

    def row(name):  # every column in field order, the model's defaults where none is given
        return tuple(Customer(name=name, customer_type="individual").__data__.get(f.name) for f in fields)

    Customer.insert_many([row("王五")], fields=fields).execute()
    ids = Customer.insert_rows(fields, [row("赵六")])
    Customer.bulk_create([Customer(name="钱七", customer_type="individual")])
    found = dict(Customer.select(Customer.name, Customer.search_key).tuples())
    assert "ls" in found["李四"] and "ww" in found["王五"] and "zl" in found["赵六"] and "qq" in found["钱七"]
    assert "zhaoliu" in _key(ids[0])


def test_a_key_is_never_written_apart_from_its_name(app, make_customer):
    customer = make_customer(name="恒远精密")
    Customer.update(search_key="zhangsan", region="华东").where(Customer.id == customer.id).execute()
    assert _key(customer.id) == pinyin_key.search_key("恒远精密")


def test_a_name_set_from_sql_is_refused_rather_than_left_unkeyed(app, make_customer):
    make_customer(name="恒远精密")
    with pytest.raises(ValueError):
        Customer.update(name=pw.fn.UPPER(Customer.name)).execute()
    with pytest.raises(ValueError):
        Customer.insert_from(Customer.select(Customer.name), [Customer.name])


def test_seeds_write_the_key(app):
    from seeds.demo import insert_rows

    [new_id] = insert_rows(Customer, [{"name": "恒远精密", "customer_type": "company"}])
    assert "hyjm" in _key(new_id)


# --- list search through HTTP ---------------------------------------------------------------------------
@pytest.fixture()
def named(make_customer):
    return {name: make_customer(name=name) for name in NAMES}


SEARCHES = [
    ("hyjm", {"苏州恒远精密机械有限公司"}),
    ("HengYuanJingMi", {"苏州恒远精密机械有限公司"}),
    ("ｈｙｊｍ", {"苏州恒远精密机械有限公司"}),                 # full-width, as an IME may type it
    ("恒yuan", {"苏州恒远精密机械有限公司"}),                 # mixed characters and pinyin
    ("顾客", {"顧客服務中心"}),                               # simplified finds traditional
    ("服務", {"顧客服務中心"}),                               # traditional finds traditional
    ("銀行", {"重庆银行"}),                                   # traditional finds simplified
    ("zs", {"张三"}),                                         # two-letter initials
    ("cqyh", {"重庆银行"}),
    ("zengguofan", {"曾国藩书店"}),
    ("shfgs", {"Acme 上海分公司"}),
    ("acme", {"Acme 上海分公司"}),
    ("小明", {"王小明"}),
    ("hyjm 精密", {"苏州恒远精密机械有限公司"}),              # two words: both must match
    ("xyz", set()),
]


@pytest.mark.parametrize("typed, expected", SEARCHES)
def test_customer_list_finds_by_pinyin_traditional_and_full_width(admin_client, named, typed, expected):
    response = admin_client.get("/admin/customer/", query_string={"search": typed, "page_size": 50})
    assert set(listed_names(response)) == expected


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="FTS5 indexes exist on SQLite only")
@pytest.mark.parametrize("typed", ["hyjm", "zs", "z", "an", "顧客", "顾", "恒y", "恒yuan", "jingmi", "cq", "王"])
def test_index_finds_what_the_like_path_finds(app, named, typed):
    """The SQLite index and the LIKE path (PostgreSQL, or an outdated index) must agree on every word."""
    assert index_ids(typed) == like_ids(typed)


def test_record_lists_find_their_customer_by_pinyin(admin_client, named, make_record):
    feedback = make_record(Feedback, customer=named["苏州恒远精密机械有限公司"], content="出水温度不稳定")
    make_record(Feedback, customer=named["张三"], content="另一条反馈")
    page = admin_client.get("/admin/feedback/", query_string={"search": "hyjm"}).get_data(as_text=True)
    assert f"id={feedback.id}" in page and "另一条反馈" not in page
    assert "拼音" in page  # the search box says it takes pinyin


@pytest.mark.parametrize("lang, text", [("zh_Hans_CN", "名称拼音/首字母"), ("en", "Name in pinyin or initials")])
def test_search_box_says_it_takes_pinyin(admin_client, lang, text):
    page = admin_client.get("/admin/customer/", query_string={"lang": lang}).get_data(as_text=True)
    assert re.search(r'placeholder="[^"]*' + re.escape(text), page)


def _found(client, typed):
    return set(listed_names(client.get("/admin/customer/", query_string={"search": typed, "page_size": 50})))


def _edit_form(customer, **changes):
    return form_for(SPECS[0], None, **{"name": customer.name, "phone": customer.phone,
                                       "row_version": str(customer.version), **changes})


def test_form_create_and_edit_keep_the_key(admin_client):
    response = admin_client.post("/admin/customer/new/", data=form_for(SPECS[0], None, name="恒远精密"))
    assert response.status_code == 302
    customer = Customer.get(Customer.name == "恒远精密")
    assert _found(admin_client, "hyjm") == {"恒远精密"}
    response = admin_client.post(f"/admin/customer/edit/?id={customer.id}",
                                 data=_edit_form(customer, name="顧客服務"))
    assert response.status_code == 302
    assert _found(admin_client, "hyjm") == set() and _found(admin_client, "gkfw") == {"顧客服務"}


@pytest.mark.parametrize("channel", ["inline", "bulk"])
def test_in_place_and_bulk_edits_leave_the_key_right(admin_client, make_customer, channel):
    """Neither writes a name (they set region and owner); the key they leave must still find the customer."""
    customer = make_customer(name="恒远精密", region="华东")
    set_region(channel, admin_client, customer, "华南")
    assert Customer.get_by_id(customer.id).region == "华南"
    assert _found(admin_client, "hyjm") == {"恒远精密"} and _key(customer.id) == pinyin_key.search_key("恒远精密")


def test_import_keeps_the_key(clerk_client, admin_client, make_customer):
    existing = make_customer(name="恒远精密", phone="13812345670")
    page = upload(clerk_client, xlsx_bytes([["名称", "顾客类型", "电话"], ["顧客服務", "企业", "13812345671"]]))
    assert counts(page)["new"] == 1
    commit(clerk_client, page)
    assert _found(admin_client, "gkfw") == {"顧客服務"}
    page = upload(clerk_client, xlsx_bytes([["ID", "名称", "电话"], [existing.id, "张三商行", "13812345670"]]))
    commit(clerk_client, page)
    assert _found(admin_client, "zssh") == {"张三商行"} and _found(admin_client, "hyjm") == set()


def test_revert_and_restore_keep_the_key(admin_client, make_customer):
    customer = make_customer(name="恒远精密")
    history.record(customer, "create", history.snapshot(customer))
    admin_client.post(f"/admin/customer/edit/?id={customer.id}", data=_edit_form(customer, name="张三商行"))
    entry = ChangeLog.select().where(ChangeLog.record_id == customer.id, ChangeLog.action == "update").get()
    fresh = Customer.get_by_id(customer.id)
    response = admin_client.post("/admin/customer/revert/", data={"id": customer.id, "entry": entry.id,
                                                                  "field": "name", "version": fresh.version})
    assert response.status_code == 302
    assert _found(admin_client, "hyjm") == {"恒远精密"} and _found(admin_client, "zssh") == set()
    admin_client.post("/admin/customer/delete/", data={"id": customer.id, "url": "/admin/customer/"})
    assert _found(admin_client, "hyjm") == set()
    deleted = ChangeLog.select().where(ChangeLog.record_id == customer.id, ChangeLog.action == "delete").get()
    admin_client.post("/admin/trash/restore/", data={"entry": deleted.id})
    assert _found(admin_client, "hyjm") == {"恒远精密"}


# --- masked and hidden fields stay unprovable -------------------------------------------------------------
def test_a_role_that_may_not_search_names_cannot_search_their_pinyin(login_as, make_customer):
    make_customer(name="恒远精密", contact_person="heng", phone="13812345678")
    RolePermission.create(role="clerk", endpoint="customer", operation="field", field="name", access="hidden")
    clerk = login_as("clerk")
    for typed in ("hyjm", "恒远", "hengyuan"):
        page = clerk.get("/admin/customer/", query_string={"search": typed}).get_data(as_text=True)
        assert len(re.findall(r'name="rowid"', page)) == 0, typed
    assert len(re.findall(r'name="rowid"', clerk.get("/admin/customer/?search=heng").get_data(as_text=True))) == 1
    export = clerk.get("/admin/customer/export/xlsx/?columns=search_key,name")
    assert b"hengyuan" not in export.get_data()


@pytest.mark.parametrize("role", ["technician", "quality"])
def test_a_masked_phone_is_not_searchable_through_the_key(login_as, make_customer, role):
    """Phones are masked for these roles; the key holds names only, so a phone guess still finds nothing."""
    customer = make_customer(name="恒远精密", phone="13812345678", owner=None)
    assert "1381234" not in _key(customer.id)
    client = login_as(role)
    page = client.get("/admin/customer/", query_string={"search": "1381234"}).get_data(as_text=True)
    assert 'name="rowid"' not in page and "恒远精密" not in page


def test_the_key_is_never_shown_or_typed(admin_client, make_customer):
    customer = make_customer(name="恒远精密")
    details = admin_client.get(f"/admin/customer/details/?id={customer.id}").get_data(as_text=True)
    form = admin_client.get(f"/admin/customer/edit/?id={customer.id}").get_data(as_text=True)
    assert "hengyuanjingmi" not in details and 'name="search_key"' not in form
    admin_client.post(f"/admin/customer/edit/?id={customer.id}", data=_edit_form(customer, search_key="x"))
    assert "hyjm" in _key(customer.id)


def test_postgres_has_a_trigram_index_on_the_key(app):
    if not isinstance(db.obj, pw.PostgresqlDatabase):
        pytest.skip("PostgreSQL only")
    names = {row[0] for row in db.execute_sql("SELECT indexname FROM pg_indexes WHERE tablename = 'customer'")}
    assert "customer_search_key_trgm" in names


def test_backfill_writes_every_row_in_batches(app, make_customer):
    made = [make_customer(name=name) for name in NAMES]
    db.execute_sql("UPDATE customer SET search_key = NULL")  # as the rows were before migration 0011
    assert pinyin_key.backfill(db.obj, batch=3) == len(made)
    assert all(_key(c.id) == pinyin_key.search_key(c.name) for c in made)
    search.install(db.obj)
    assert _found_ids("hyjm") == {made[0].id}


def _found_ids(typed):
    subquery = search.matching_customer_ids(db.obj, typed)
    if subquery is None:
        return {c.id for c in Customer.select().where(Customer.search_key ** f"%{typed}%")}
    return {row[0] for row in db.execute_sql(subquery.sql, subquery.params)}



@pytest.mark.parametrize("endpoint", ["feedback", "complaint", "repair", "archivecheck"])
@pytest.mark.parametrize("typed", ["mhl", "mahanlin", "马涵"])
def test_the_customer_picker_of_a_form_finds_by_pinyin_as_the_list_does(manager_client, make_customer, endpoint,
                                                                        typed):
    """A clerk picking the customer of a new record types pinyin or initials, as in the list's search box."""
    wanted, other = make_customer(name="马涵琳"), make_customer(name="欧阳静")
    found = manager_client.get(f"/admin/{endpoint}/ajax/lookup/?name=customer&query={typed}").get_json()
    assert [row[0] for row in found] == [wanted.id] and other.id not in [row[0] for row in found]
