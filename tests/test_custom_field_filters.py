"""Multiple-choice, user and customer custom fields are filtered and edited in place like built-in fields (issue 12).

Issue 12, item 2: "A custom field gets everything a built-in field gets: ... a list column with in-place edit;
filters with the operators that fit its type".
"""
import json
import re

import pytest

from admin_app.services.fields import catalog, schema
from models import ChangeLog, Complaint, Customer, RolePermission


@pytest.fixture(autouse=True)
def _drop_custom_columns(no_custom_columns):
    """Leave no custom column behind (conftest.no_custom_columns)."""


def text(response):
    return response.get_data(as_text=True)


def view_of(client, endpoint):
    return next(v for v in client.application.extensions["admin"][0]._views if v.endpoint == endpoint)


def filter_arg(client, endpoint, column, kind):
    """Return the URL key of the view's filter of a class on a column (after the fields are applied)."""
    client.get(f"/admin/{endpoint}/")
    view = view_of(client, endpoint)
    return next(f"flt0_{key}" for key, (_i, flt) in view.__dict__["_all_filter_args"].items()
                if flt.column.name == column and type(flt).__name__ == kind)


def filter_groups(client):
    """Return the customer list's filters as its page hands them to the filter script: {label: [filter]}."""
    page = text(client.get("/admin/customer/"))
    return json.loads(re.search(r'id="filter-groups-data" class="d-none">(.*?)</div>', page, re.S).group(1))


def ids_on(page, records):
    return {r.id for r in records if f'class="action-checkbox" value="{r.id}"' in page}


# --- multiple choice: contains any of / contains all of / empty ----------------------------------------------
#: stored values of four records, and what each filter keeps (by position)
STORED = ["o1,o3", "o2", "o1,o2,o3", None]
MULTI_CASES = [
    ("MultiChoiceAny", "o1", {0, 2}),
    ("MultiChoiceAny", "o2,o3", {0, 1, 2}),
    ("MultiChoiceAll", "o1,o3", {0, 2}),
    ("MultiChoiceAll", "o1,o2", {2}),
    ("MultiChoiceEmpty", "1", {3}),
    ("MultiChoiceEmpty", "0", {0, 1, 2}),
]


@pytest.mark.parametrize(("kind", "value", "kept"), MULTI_CASES,
                         ids=[f"{k}-{v}" for k, v, _kept in MULTI_CASES])
@pytest.mark.parametrize("endpoint", ["customer", "complaint"])
def test_multichoice_filter(app, clerk_client, make_customer, make_record, endpoint, kind, value, kept):
    """The list keeps exactly the rows whose ticked options match (SQLite and PostgreSQL alike)."""
    catalog.add(endpoint, "关注点", "multichoice", label_en="Interests", choices="价格,质量,服务,o10")
    schema.sync_models()
    make = (lambda v: make_customer(cf_interests=v)) if endpoint == "customer" else \
        (lambda v: make_record(Complaint, cf_interests=v))
    records = [make(v) for v in STORED]
    if endpoint == "customer":  # an import may leave an empty text instead of NULL: still "empty"
        Customer.update(cf_interests="").where(Customer.id == records[3].id).execute()
    page = text(clerk_client.get(f"/admin/{endpoint}/?{filter_arg(clerk_client, endpoint, 'cf_interests', kind)}"
                                 f"={value}"))
    assert ids_on(page, records) == {records[i].id for i in kept}


def test_multichoice_filter_offers_the_options_in_the_users_language(app, clerk_client):
    catalog.add("customer", "关注点", "multichoice", label_en="Interests", choices="价格 | Price\n质量 | Quality")
    schema.sync_models()
    groups = filter_groups(clerk_client)
    assert {"包含任一", "包含全部"} <= {f["operation"] for f in groups["关注点"]}
    assert ["o1", "价格"] in groups["关注点"][0]["options"]
    clerk_client.post("/language", data={"language": "en", "next": "/admin/"})
    groups = filter_groups(clerk_client)
    assert "contains any of" in {f["operation"] for f in groups["Interests"]}
    assert ["o1", "Price"] in groups["Interests"][0]["options"]


# --- user and customer fields: filter and in-place edit through the look-up --------------------------------
REF_CASES = [("customer", "user"), ("customer", "customer"), ("repair", "user"), ("complaint", "customer")]


def add_ref(endpoint, kind):
    catalog.add(endpoint, "对接人", kind, label_en="Contact")
    schema.sync_models()
    return "cf_contact"


def make_row(endpoint, make_customer, make_record, **values):
    from models import Repair

    if endpoint == "customer":
        return make_customer(**values)
    return make_record({"repair": Repair, "complaint": Complaint}[endpoint], **values)


def target_of(kind, make_user, make_customer, name):
    return make_user("technician", display_name=name) if kind == "user" else make_customer(name=name)


@pytest.mark.parametrize(("endpoint", "kind"), REF_CASES, ids=[f"{e}-{k}" for e, k in REF_CASES])
def test_user_and_customer_fields_filter_by_the_picked_record(app, manager_client, make_user, make_customer,
                                                               make_record, endpoint, kind):
    column = add_ref(endpoint, kind)
    first, second = (target_of(kind, make_user, make_customer, n) for n in ("甲对接", "乙对接"))
    rows = [make_row(endpoint, make_customer, make_record, **{column: t}) for t in (first, second, None)]
    equal = filter_arg(manager_client, endpoint, column, "RefEqual")
    page = text(manager_client.get(f"/admin/{endpoint}/?{equal}={first.id}"))
    assert ids_on(page, rows) == {rows[0].id}
    assert "ref-filters-data" in page and f"/admin/{endpoint}/ajax/lookup/?name={column}" in page
    refs = json.loads(re.search(r'id="ref-filters-data" class="d-none">(.*?)</div>', page, re.S).group(1))
    assert {str(first.id): "甲对接"} in [r["labels"] for r in refs.values()]  # the active value is shown by name
    other = filter_arg(manager_client, endpoint, column, "RefNotEqual")
    assert ids_on(text(manager_client.get(f"/admin/{endpoint}/?{other}={first.id}")), rows) == {rows[1].id,
                                                                                                rows[2].id}
    empty = filter_arg(manager_client, endpoint, column, "FilterEmpty")
    assert ids_on(text(manager_client.get(f"/admin/{endpoint}/?{empty}=1")), rows) == {rows[2].id}
    found = manager_client.get(f"/admin/{endpoint}/ajax/lookup/?name={column}&query=乙对接")
    assert found.status_code == 200 and [second.id, "乙对接"] in found.get_json()


@pytest.mark.parametrize(("endpoint", "kind"), REF_CASES, ids=[f"{e}-{k}" for e, k in REF_CASES])
def test_user_and_customer_fields_are_edited_in_place(app, manager_client, make_user, make_customer, make_record,
                                                      endpoint, kind):
    column = add_ref(endpoint, kind)
    picked = target_of(kind, make_user, make_customer, "丙对接")
    row = make_row(endpoint, make_customer, make_record)
    page = text(manager_client.get(f"/admin/{endpoint}/"))
    assert 'data-role="x-editable-ref"' in page and f'data-lookup="/admin/{endpoint}/ajax/lookup/?name={column}"' \
        in page
    editor = re.search(r'<a [^>]*data-role="x-editable-ref"[^>]*>', page).group(0)
    assert "data-source" not in editor  # the editor does not list the records it can pick: it looks them up
    done = manager_client.post(f"/admin/{endpoint}/ajax/update/", data={"list_form_pk": row.id, column: picked.id})
    assert done.status_code == 200, text(done)
    assert type(row).get_by_id(row.id).__data__[column] == picked.id
    assert ChangeLog.select().where(ChangeLog.record_id == row.id, ChangeLog.changes.contains(column)).exists()
    bad = manager_client.post(f"/admin/{endpoint}/ajax/update/", data={"list_form_pk": row.id, column: "999999"})
    assert bad.status_code == 400 and type(row).get_by_id(row.id).__data__[column] == picked.id


def test_a_hidden_user_field_gives_neither_filter_nor_editor(app, clerk_client, make_user, make_customer):
    column = add_ref("customer", "user")
    RolePermission.create(role="clerk", endpoint="customer", operation="field", field=column, access="hidden")
    row = make_customer(**{column: make_user("technician", display_name="丁对接")})
    page = text(clerk_client.get("/admin/customer/"))
    assert "ref-filters-data" not in page and "x-editable-ref" not in page
    assert clerk_client.post("/admin/customer/ajax/update/",
                             data={"list_form_pk": row.id, column: "1"}).status_code in (400, 403)
