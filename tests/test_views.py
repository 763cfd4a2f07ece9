"""Every table of the panel: list, search, filters, sorting, paging, detail, create, edit, delete, locking."""
import json

import panel_specs
import pytest
from conftest import state_purpose
from panel_specs import (
    RECORD_SPECS,
    SPECS,
    admin_view,
    alerts,
    filter_arg,
    filter_value,
    form_for,
    greater_filter,
    make_row,
    row_ids,
    spec_id,
)

from models import ChangeLog, Complaint, Customer

# the module-wide app and cheap password hashing of panel_specs
app, module_app, fast_password_hashing = panel_specs.app, panel_specs.module_app, panel_specs.fast_password_hashing

by_table = pytest.mark.parametrize("spec", SPECS, ids=spec_id)
by_record_table = pytest.mark.parametrize("spec", RECORD_SPECS, ids=spec_id)


@pytest.fixture()
def row(make_customer, make_record):
    """Return a factory: row(spec, **overrides) creates one row of that table."""
    return lambda spec, **overrides: make_row(spec, make_customer, make_record, **overrides)


def _list(client, spec, **args):
    return client.get(f"/admin/{spec.endpoint}/", query_string=args)


@by_table
def test_list_shows_rows_newest_first(manager_client, row, spec):
    first, second = row(spec), row(spec)
    assert row_ids(_list(manager_client, spec)) == [second.id, first.id]


SEARCH_CASES = [(spec, kind) for spec in SPECS for kind in spec.searches]


@pytest.mark.parametrize(("spec", "kind"), SEARCH_CASES, ids=[f"{s.endpoint}-{k}" for s, k in SEARCH_CASES])
def test_search_finds_by_name_phone_and_text(manager_client, row, spec, kind):
    overrides, term = spec.searches[kind]
    wanted = row(spec, **overrides)
    row(spec)
    assert row_ids(_list(manager_client, spec, search=term)) == [wanted.id]


@by_table
def test_choice_filter(manager_client, app, row, spec):
    name, value_a, value_b = spec.choice
    wanted, other = row(spec, **{name: value_a}), row(spec, **{name: value_b})
    key = filter_arg(admin_view(app, spec.endpoint), getattr(spec.model, name), "FilterEqual")
    assert row_ids(_list(manager_client, spec, **{f"flt0_{key}": value_a})) == [wanted.id]
    assert row_ids(_list(manager_client, spec, **{f"flt0_{key}": value_b})) == [other.id]


@by_table
def test_date_filter(manager_client, app, row, spec):
    name, older, newer = spec.date
    row(spec, **{name: older})
    wanted = row(spec, **{name: newer})
    key = greater_filter(admin_view(app, spec.endpoint), getattr(spec.model, name))
    middle = older + (newer - older) / 2
    assert row_ids(_list(manager_client, spec, **{f"flt0_{key}": filter_value(middle)})) == [wanted.id]


@pytest.mark.parametrize("spec", [s for s in SPECS if s.amount], ids=spec_id)
def test_amount_filter(manager_client, app, row, spec):
    name, small, large = spec.amount
    row(spec, **{name: small})
    wanted = row(spec, **{name: large})
    key = greater_filter(admin_view(app, spec.endpoint), getattr(spec.model, name))
    assert row_ids(_list(manager_client, spec, **{f"flt0_{key}": str((small + large) / 2)})) == [wanted.id]


CUSTOMER_FILTERS = [
    ("name", "FilterLike", {"name": "皇甫嵩"}, {"name": "张飞"}, "皇甫"),
    ("grade", "FilterEqual", {"grade": "A"}, {"grade": "C"}, "A"),
    ("customer_type", "FilterEqual", {"customer_type": "store"}, {"customer_type": "individual"}, "store"),
]


@by_record_table
@pytest.mark.parametrize(("field", "kind", "wanted_customer", "other_customer", "value"), CUSTOMER_FILTERS,
                         ids=[case[0] for case in CUSTOMER_FILTERS])
def test_filter_on_related_customer(manager_client, app, row, spec, field, kind, wanted_customer,
                                    other_customer, value):
    wanted = row(spec, customer=wanted_customer)
    row(spec, customer=other_customer)
    key = filter_arg(admin_view(app, spec.endpoint), getattr(Customer, field), kind)
    assert row_ids(_list(manager_client, spec, **{f"flt0_{key}": value})) == [wanted.id]


def test_two_filters_and_a_search_combine(manager_client, app, make_record, make_customer):
    view = admin_view(app, "complaint")
    grade_key = filter_arg(view, Customer.grade, "FilterEqual")
    type_key = filter_arg(view, Complaint.complaint_type, "FilterEqual")
    wanted = make_record(Complaint, customer=make_customer(grade="A"), complaint_type="emergency", content="停电")
    make_record(Complaint, customer=make_customer(grade="A"), complaint_type="product_quality", content="停电")
    make_record(Complaint, customer=make_customer(grade="B"), complaint_type="emergency", content="停电")
    make_record(Complaint, customer=make_customer(grade="A"), complaint_type="emergency", content="断水")
    args = {f"flt0_{grade_key}": "A", f"flt1_{type_key}": "emergency", "search": "停电"}
    assert row_ids(manager_client.get("/admin/complaint/", query_string=args)) == [wanted.id]


@by_table
def test_sort_both_ways(manager_client, app, row, spec):
    name, small, large = spec.sort
    high, low = row(spec, **{name: large}), row(spec, **{name: small})
    index = [column for column, _label in admin_view(app, spec.endpoint)._list_columns].index(name)
    assert row_ids(_list(manager_client, spec, sort=index)) == [low.id, high.id]
    assert row_ids(_list(manager_client, spec, sort=index, desc=1)) == [high.id, low.id]


@by_table
def test_page_size_choice(manager_client, row, spec):
    customer = None if spec.model is Customer else row(SPECS[0])
    ids = [row(spec, **({"customer": customer} if customer else {})).id for _ in range(23)]
    assert len(row_ids(_list(manager_client, spec))) == 20
    assert row_ids(_list(manager_client, spec, page=1)) == sorted(ids, reverse=True)[20:]
    assert sorted(row_ids(_list(manager_client, spec, page_size=50))) == ids
    assert len(row_ids(_list(manager_client, spec, page_size=3))) == 20, "only the offered sizes are used"
    assert 'page_size=50' in _list(manager_client, spec).get_data(as_text=True)


@by_table
def test_detail_page_shows_the_record(manager_client, row, spec):
    record = row(spec, **{spec.edit_field: "独一无二的内容"})
    state_purpose(manager_client, record.id if spec.endpoint == "customer" else record.customer_id)
    page = manager_client.get(f"/admin/{spec.endpoint}/details/", query_string={"id": record.id})
    assert page.status_code == 200
    assert "独一无二的内容" in page.get_data(as_text=True)


def test_detail_of_missing_record_says_so(manager_client):
    response = manager_client.get("/admin/complaint/details/?id=999", follow_redirects=True)
    assert response.status_code == 200
    assert alerts(response), "a missing record gives a message, not an empty page"


@by_table
def test_create_through_the_form(manager_client, make_customer, spec):
    customer = make_customer()
    before = spec.model.select().count()
    response = manager_client.post(f"/admin/{spec.endpoint}/new/", data=form_for(spec, customer))
    assert response.status_code == 302, alerts(response) or response.get_data(as_text=True)[:2000]
    assert spec.model.select().count() == before + 1
    created = spec.model.select().order_by(spec.model.id.desc()).get()
    assert {name: getattr(created, name) for name in spec.saved} == spec.saved
    if spec.model is not Customer:
        assert created.customer_id == customer.id
    log = ChangeLog.get(ChangeLog.table == spec.model._meta.table_name, ChangeLog.record_id == created.id)
    assert (log.action, log.username) == ("create", manager_client.user.username)


@by_table
def test_edit_through_the_form_records_old_and_new(manager_client, row, spec):
    record = row(spec)
    old = getattr(record, spec.edit_field)
    url = f"/admin/{spec.endpoint}/edit/?id={record.id}"
    assert manager_client.get(url).status_code == 200
    customer = None if spec.model is Customer else record.customer
    data = form_for(spec, customer, row_version="1", **{spec.edit_field: "改过的内容"})
    if spec.model is Customer:
        data["name"] = record.name
    response = manager_client.post(url, data=data)
    assert response.status_code == 302, alerts(response)
    saved = spec.model.get_by_id(record.id)
    assert getattr(saved, spec.edit_field) == "改过的内容"
    assert saved.version == 2
    log = ChangeLog.get(ChangeLog.table == spec.model._meta.table_name, ChangeLog.record_id == record.id,
                        ChangeLog.action == "update")
    assert json.loads(log.changes)[spec.edit_field] == [old, "改过的内容"]
    assert log.username == manager_client.user.username


@by_table
def test_delete_removes_the_row(admin_client, row, spec):
    record = row(spec)
    response = admin_client.post(f"/admin/{spec.endpoint}/delete/",
                                 data={"id": str(record.id), "url": f"/admin/{spec.endpoint}/"})
    assert response.status_code == 302
    assert spec.model.get_or_none(spec.model.id == record.id) is None
    assert ChangeLog.get_or_none(ChangeLog.table == spec.model._meta.table_name, ChangeLog.record_id == record.id,
                                 ChangeLog.action == "delete") is not None


@by_record_table
def test_customer_with_records_is_not_deleted(admin_client, row, spec):
    record = row(spec, customer={"name": "不可删除的顾客"})
    response = admin_client.post("/admin/customer/delete/", follow_redirects=True,
                                 data={"id": str(record.customer_id), "url": "/admin/customer/"})
    assert any("不可删除的顾客" in text for text in alerts(response)), alerts(response)
    assert Customer.get_or_none(Customer.id == record.customer_id) is not None
    assert spec.model.get_or_none(spec.model.id == record.id) is not None


def test_bulk_delete_refuses_all_when_one_customer_has_records(admin_client, make_customer, make_record):
    free, busy = make_customer(), make_customer(name="有投诉的顾客")
    make_record(Complaint, customer=busy)
    response = admin_client.post("/admin/customer/action/", follow_redirects=True,
                                 data={"action": "delete", "rowid": [str(free.id), str(busy.id)],
                                       "url": "/admin/customer/"})
    assert any("有投诉的顾客" in text for text in alerts(response)), alerts(response)
    assert Customer.select().count() == 2


def test_bulk_delete_of_free_customers(admin_client, make_customer):
    ids = [str(make_customer().id) for _ in range(3)]
    admin_client.post("/admin/customer/action/", data={"action": "delete", "rowid": ids, "url": "/admin/customer/"})
    assert Customer.select().count() == 0


@by_table
def test_second_save_of_a_stale_form_is_refused(login_as, row, spec):
    record = row(spec)
    first, second = login_as("manager"), login_as("manager")
    url = f"/admin/{spec.endpoint}/edit/?id={record.id}"
    for client in (first, second):
        assert 'name="row_version" type="hidden" value="1"' in client.get(url).get_data(as_text=True)
    customer = None if spec.model is Customer else record.customer
    name = {"name": record.name} if spec.model is Customer else {}
    mine = form_for(spec, customer, row_version="1", **name, **{spec.edit_field: "第一个人的修改"})
    theirs = form_for(spec, customer, row_version="1", **name, **{spec.edit_field: "第二个人的修改"})
    assert first.post(url, data=mine).status_code == 302
    refused = second.post(url, data=theirs)
    assert refused.status_code == 200
    assert any(first.user.username in text for text in alerts(refused)), alerts(refused)
    assert getattr(spec.model.get_by_id(record.id), spec.edit_field) == "第一个人的修改"
    assert "第二个人的修改" in refused.get_data(as_text=True), "the refused form keeps what was typed"


@by_record_table
def test_records_are_found_by_their_customers_name(manager_client, row, spec):
    wanted = row(spec, customer={"name": "令狐冲"})
    row(spec, customer={"name": "任盈盈"})
    assert row_ids(_list(manager_client, spec, search="令狐")) == [wanted.id]


@by_record_table
def test_customer_picker_finds_by_name_and_phone(manager_client, make_customer, spec):
    wanted = make_customer(name="公孙胜利", phone="13933334444")
    make_customer(name="李逵")
    lookup = f"/admin/{spec.endpoint}/ajax/lookup/"
    for query in ("公孙", "13933334444"):
        found = manager_client.get(lookup, query_string={"name": "customer", "query": query}).get_json()
        assert [pk for pk, _label in found] == [wanted.id], query


def test_forms_refuse_a_post_without_csrf_token(manager_client, make_customer):
    customer = make_customer()
    data = form_for(SPECS[3], customer)
    assert manager_client.post("/admin/complaint/new/", data=data, csrf=False).status_code == 400
    assert manager_client.post("/admin/customer/delete/", data={"id": str(customer.id)}, csrf=False).status_code == 400
    assert Complaint.select().count() == 0 and Customer.select().count() == 1


def test_user_text_is_escaped_everywhere(manager_client, make_customer, make_record):
    evil = '<script>alert("x")</script>'
    customer = make_customer(name=evil)
    record = make_record(Complaint, customer=customer, content=evil)
    state_purpose(manager_client, customer.id)
    for url in ("/admin/customer/", f"/admin/customer/details/?id={customer.id}", "/admin/complaint/",
                f"/admin/complaint/details/?id={record.id}", f"/admin/complaint/edit/?id={record.id}"):
        page = manager_client.get(url).get_data(as_text=True)
        assert evil not in page, url
        assert "&lt;script&gt;" in page, url


def test_damaged_version_field_is_refused_not_a_crash(manager_client, make_customer):
    customer = make_customer()
    data = form_for(SPECS[0], None, row_version="abc")
    response = manager_client.post(f"/admin/customer/edit/?id={customer.id}", data=data)
    assert response.status_code == 200 and alerts(response)
    assert Customer.get_by_id(customer.id).name == customer.name
