"""Hostile input: XSS, SQL metacharacters, bad numbers and dates, odd unicode, tampering, CSRF, roles, locks."""
import re
import sqlite3
import unicodedata

import peewee as pw
import pytest
from conftest import state_purpose
from flask_admin.model import BaseModelView as ModelView
from panel_specs import (  # noqa: F401 - app, fast_password_hashing and module_app are fixtures
    SPECS,
    admin_view,
    alerts,
    fast_password_hashing,
    form_for,
    module_app,
    row_ids,
    spec_id,
)
from panel_specs import app as panel_app  # noqa: F401 - fixture

from admin_app.db import is_sqlite
from admin_app.permissions import DEFAULT_MATRIX, allowed
from models import ChangeLog, Customer, db

XSS = "<script>x</script>"
XSS_SHORT = "<i>x</i>"
by_table = pytest.mark.parametrize("spec", SPECS, ids=spec_id)


def _text_fields(model):
    return [f for f in model._meta.sorted_fields
            if isinstance(f, pw.CharField | pw.TextField) and not f.choices and f.name not in ("id",)]


def _hostile_row(spec, make_customer, make_record):
    """Create a row whose every free-text field (and its customer's name) holds markup."""
    values = {}
    for field in _text_fields(spec.model):
        size = getattr(field, "max_length", None) or 1000
        values[field.name] = XSS if size >= len(XSS) else XSS_SHORT[:size]
    if spec.model is Customer:
        return make_customer(**values)
    return make_record(spec.model, customer=make_customer(name=XSS), **values)


def _error_page(response, code):
    """Tell whether a response is our friendly error page for a status."""
    return response.status_code == code and f'data-code="{code}"' in response.get_data(as_text=True)


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


# --- output escaping ---------------------------------------------------------------------------
@by_table
def test_markup_in_every_text_field_is_shown_escaped(admin_client, make_customer, make_record, spec):
    row = _hostile_row(spec, make_customer, make_record)
    state_purpose(admin_client, row.id if spec.model is Customer else row.customer_id)
    for url in (f"/admin/{spec.endpoint}/", f"/admin/{spec.endpoint}/details/?id={row.id}",
                f"/admin/{spec.endpoint}/edit/?id={row.id}", f"/admin/customer/details/?id={row.customer_id}"
                if spec.model is not Customer else "/admin/"):
        page = _page(admin_client, url)
        assert XSS not in page and "<i>x</i>" not in page, url
    assert "&lt;script&gt;x&lt;/script&gt;" in _page(admin_client, f"/admin/{spec.endpoint}/details/?id={row.id}")


@by_table
def test_markup_in_search_is_not_reflected(admin_client, spec):
    page = _page(admin_client, f"/admin/{spec.endpoint}/?search=" + '"><script>x</script>')
    assert XSS not in page


def test_markup_in_a_flash_message_is_escaped(admin_client, make_customer, make_record):
    from models import Complaint

    customer = make_customer(name=XSS)
    make_record(Complaint, customer=customer)
    response = admin_client.post("/admin/customer/delete/", data={"id": customer.id}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert XSS not in page and "&lt;script&gt;" in page
    assert Customer.get_or_none(Customer.id == customer.id) is not None


# --- SQL metacharacters ------------------------------------------------------------------------
SQL_TERMS = ["' OR '1'='1", "'; DROP TABLE customer; --", '" OR ""="', "%", "_", "\\", "1) OR (1=1", "%' --"]


@pytest.mark.parametrize("term", SQL_TERMS)
def test_sql_metacharacters_in_search_match_literally(manager_client, make_customer, term):
    make_customer(name="普通顾客")
    ids = row_ids(manager_client.get("/admin/customer/", query_string={"search": term}))
    assert ids == []
    assert Customer.select().count() == 1


@by_table
@pytest.mark.parametrize("term", ["1 OR 1=1", "'", "99999999999999999999999", "-1", "1e309", "NaN"])
def test_sql_metacharacters_in_every_filter_are_harmless(app, manager_client, make_customer, spec, term):
    make_customer()
    view = admin_view(app, spec.endpoint)
    for key in list(view._filter_args)[:40]:
        response = manager_client.get(f"/admin/{spec.endpoint}/", query_string={f"flt0_{key}": term})
        assert response.status_code == 200 or _error_page(response, 400), (key, term, response.status_code)
    assert Customer.select().count() == 1


@pytest.mark.parametrize("bad_id", ["1 OR 1=1", "1'", "-1", "0", "99999999999999999999999", "abc", "", "1;2"])
@pytest.mark.parametrize("page", ["details", "edit"])
def test_tampered_ids_in_urls(admin_client, make_customer, bad_id, page):
    make_customer()
    response = admin_client.get(f"/admin/customer/{page}/", query_string={"id": bad_id})
    assert response.status_code in (302, 404) or _error_page(response, 400)


# --- sorting and filtering on hidden or missing columns ---------------------------------------------
@pytest.mark.parametrize("args", [{"sort": "999"}, {"sort": "-1"}, {"sort": "name"}, {"sort": "1", "desc": "x"},
                                  {"flt0_999": "1"}, {"flt0_abc": "1"}, {"flt9_0": "1"}, {"page": "-5"},
                                  {"page": "abc"}, {"page_size": "100000000"}, {"page_size": "-1"}])
def test_nonsense_list_arguments_are_ignored(manager_client, make_customer, args):
    make_customer()
    assert manager_client.get("/admin/customer/", query_string=args).status_code == 200


def test_sorting_on_a_hidden_column_does_not_reveal_it(app, login_as, make_customer):
    from models import RolePermission

    make_customer(phone="13911110000")
    RolePermission.create(role="clerk", endpoint="customer", operation="field", field="phone", access="hidden")
    client = login_as("clerk")
    for index in range(12):
        page = client.get("/admin/customer/", query_string={"sort": index}).get_data(as_text=True)
        assert "1391111" not in page


# --- bad values on forms -----------------------------------------------------------------------
BAD_CUSTOMER_VALUES = [
    ("name", "长" * 5000), ("name", ""), ("staff_count", "abc"), ("staff_count", "-5"),
    ("staff_count", "9" * 40), ("receivable", "-1"), ("receivable", "1e400"), ("receivable", "abc"),
    ("age", "3.5"), ("first_trade_date", "2023-02-30"), ("first_trade_date", "9999-99-99"),
    ("first_trade_date", "yesterday"), ("birth_date", "2999-01-01"), ("phone", "12345"),
    ("phone", "1" * 300), ("email", "not-an-email"), ("id_card", "123"), ("customer_type", "emperor"),
]


@pytest.mark.parametrize("field, value", BAD_CUSTOMER_VALUES, ids=[f"{f}-{v[:12]}" for f, v in BAD_CUSTOMER_VALUES])
def test_bad_values_are_refused_with_a_message_and_nothing_saved(clerk_client, field, value):
    spec = SPECS[0]
    form = form_for(spec, None, **{field: value})
    response = clerk_client.post("/admin/customer/new/", data=form)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "invalid-feedback" in page or "alert-danger" in page or alerts(response)
    assert Customer.select().count() == 0
    assert ChangeLog.select().count() == 0


def test_bad_values_on_edit_change_nothing(clerk_client, make_customer):
    customer = make_customer(name="原样", staff_count=7)
    form = form_for(SPECS[0], None, name="新名字", staff_count="-3", row_version=str(customer.version))
    assert clerk_client.post(f"/admin/customer/edit/?id={customer.id}", data=form).status_code == 200
    saved = Customer.get_by_id(customer.id)
    assert (saved.name, saved.staff_count, saved.version) == ("原样", 7, customer.version)


@pytest.mark.parametrize("version", ["abc", "-1", "99999999999999999999999", ""])
def test_tampered_row_version_never_overwrites(clerk_client, make_customer, version):
    customer = make_customer(name="版本")
    form = form_for(SPECS[0], None, name="篡改", row_version=version)
    response = clerk_client.post(f"/admin/customer/edit/?id={customer.id}", data=form)
    assert response.status_code in (200, 302)
    saved = Customer.get_by_id(customer.id)
    if version == "":  # no version sent: the stored one is used, like a form from before versions existed
        return
    assert saved.name == "版本"


# --- unicode -----------------------------------------------------------------------------------------
UNICODE_NAMES = ["😀🏪 小店", "\u202eevil\u202c 顾客", "张\u200b三", "ＡＢＣ商行", "𠮷野家", "e\u0301cole"]


@pytest.mark.parametrize("name", UNICODE_NAMES)
def test_unicode_names_round_trip_and_render(clerk_client, name):
    """A name is kept as typed, NFKC-normalised (the value layer: full-width ＡＢＣ is ABC, e + accent is é)."""
    stored = unicodedata.normalize("NFKC", name)
    form = form_for(SPECS[0], None, name=name)
    assert clerk_client.post("/admin/customer/new/", data=form).status_code == 302
    saved = Customer.get(Customer.name == stored)
    page = state_purpose(clerk_client, saved.id).get(f"/admin/customer/details/?id={saved.id}").get_data(as_text=True)
    assert stored in page


@pytest.mark.parametrize("phone", ["１３８１２３４５６７８", "138\u200b12345678", "١٣٨١٢٣٤٥٦٧٨"])
def test_odd_digits_in_a_phone_are_refused_or_normalised(clerk_client, phone):
    form = form_for(SPECS[0], None, phone=phone)
    response = clerk_client.post("/admin/customer/new/", data=form)
    saved = Customer.get_or_none(Customer.name == form["name"])
    if response.status_code == 302:
        assert saved.phone == "13812345678"
    else:
        assert saved is None and "invalid-feedback" in response.get_data(as_text=True)


# --- tampered actions ---------------------------------------------------------------------------
@pytest.mark.parametrize("action, rowid", [("drop_all", "1"), ("delete", "1 OR 1=1"), ("delete", "99999"),
                                           ("", "1"), ("__init__", "1"), ("delete", "")])
def test_tampered_actions_change_nothing(admin_client, make_customer, action, rowid):
    make_customer()
    response = admin_client.post("/admin/customer/action/", data={"action": action, "rowid": rowid})
    assert response.status_code in (200, 302, 400, 404)
    assert Customer.select().count() == 1


def test_an_action_the_role_lacks_is_refused(clerk_client, make_customer):
    customer = make_customer()
    clerk_client.post("/admin/customer/action/", data={"action": "delete", "rowid": str(customer.id)})
    clerk_client.post("/admin/customer/delete/", data={"id": str(customer.id)})
    assert Customer.select().count() == 1


# --- CSRF on every POST route ---------------------------------------------------------------------
def _post_urls(app):
    urls = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint == "static":
            continue
        values = {arg: ("1" if "id" in arg else "x") for arg in rule.arguments}
        try:
            urls.append(rule.build(values, append_unknown=False)[1])
        except Exception:  # noqa: BLE001 - a converter refusing "x": try a number
            urls.append(rule.build({arg: 1 for arg in rule.arguments}, append_unknown=False)[1])
    return sorted(set(urls))


@pytest.mark.parametrize("token", [None, "forged-token", "IjAi.AAAA.BBBB"])
def test_every_post_route_refuses_a_missing_or_forged_csrf_token(app, admin_client, make_customer, token):
    make_customer()
    urls = _post_urls(app)
    assert len(urls) > 20
    for url in urls:
        data = {"id": "1", "rowid": "1", "action": "delete", "name": "x"}
        if token:
            data["csrf_token"] = token
        response = admin_client.post(url, data=data, csrf=False)
        assert response.status_code == 400, (url, response.status_code)
    assert Customer.select().count() == 1


# --- another role's URLs ---------------------------------------------------------------------------
MODEL_ENDPOINTS = sorted(e for e in DEFAULT_MATRIX if e not in ("trash", "retention"))


@pytest.mark.parametrize("role", ["clerk", "technician", "quality", "supervisor", "manager"])
def test_every_view_answers_by_the_role_matrix(app, login_as, role):
    client = login_as(role)
    # a view may live under its own URL (the archive checks due: /admin/archive-checks-due/)
    registered = {view.endpoint: view.url for view in app.extensions["admin"][0]._views if isinstance(view, ModelView)}
    for endpoint in MODEL_ENDPOINTS:
        if endpoint not in registered:
            continue
        url = registered[endpoint]
        with app.test_request_context():
            expected = allowed(endpoint, "view", role)
        status = client.get(f"{url}/").status_code
        assert (status == 200) is expected, (role, endpoint, status)
        if not expected:
            assert status == 403
            assert client.post(f"{url}/new/", data={"name": "x"}).status_code == 403
            assert client.post(f"{url}/delete/", data={"id": "1"}).status_code == 403


def test_create_edit_delete_refused_without_the_operation(technician_client, make_customer):
    customer = make_customer(name="不许改")
    technician_client.post("/admin/customer/new/", data=form_for(SPECS[0], None))
    form = form_for(SPECS[0], None, name="改了", row_version=str(customer.version))
    technician_client.post(f"/admin/customer/edit/?id={customer.id}", data=form)
    technician_client.post("/admin/customer/delete/", data={"id": customer.id})
    assert [c.name for c in Customer.select()] == ["不许改"]


# --- a locked or read-only database during a save ------------------------------------------------------
@pytest.fixture()
def impatient_db(monkeypatch):
    """Make the app give up on a lock after 0.2 s instead of 15 s."""
    if not is_sqlite():
        pytest.skip("SQLite locking")
    pragmas = [(k, 200 if k == "busy_timeout" else v) for k, v in db.obj._pragmas]
    monkeypatch.setattr(db.obj, "_pragmas", pragmas)
    monkeypatch.setattr(db.obj, "_timeout", 0.2)
    db.close()
    return db.obj.database


@pytest.fixture()
def exclusive_lock(impatient_db):
    other = sqlite3.connect(impatient_db, timeout=5, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    yield other
    other.execute("ROLLBACK")
    other.close()


def test_a_locked_database_gives_a_clear_message_on_edit(app, clerk_client, make_customer, impatient_db):
    customer = make_customer(name="锁前")
    lock = sqlite3.connect(impatient_db, timeout=5, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")
    try:
        form = form_for(SPECS[0], None, name="锁中", row_version=str(customer.version))
        response = clerk_client.post(f"/admin/customer/edit/?id={customer.id}", data=form)
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    assert response.status_code == 200
    assert "alert-danger" in response.get_data(as_text=True)
    saved = Customer.get_by_id(customer.id)
    assert (saved.name, saved.version) == ("锁前", customer.version)
    assert ChangeLog.select().where(ChangeLog.action == "update").count() == 0


def test_a_locked_database_gives_a_clear_message_on_create(clerk_client, exclusive_lock):
    response = clerk_client.post("/admin/customer/new/", data=form_for(SPECS[0], None, name="锁中新建"))
    assert response.status_code in (200, 503)
    assert re.search(r"alert-danger|data-code=\"503\"", response.get_data(as_text=True))
    assert Customer.select().count() == 0


def _reconnect():
    db.close()
    getattr(db.obj, "close_all", lambda: None)()


def test_a_read_only_database_refuses_cleanly(clerk_client, make_customer, monkeypatch):
    if not is_sqlite():
        pytest.skip("SQLite pragma")
    customer = make_customer(name="只读")
    monkeypatch.setattr(db.obj, "_pragmas", [*db.obj._pragmas, ("query_only", 1)])
    _reconnect()  # SQLite connections are pooled (speed): drop them so the next one opens with the pragma
    form = form_for(SPECS[0], None, name="写不进", row_version=str(customer.version))
    response = clerk_client.post(f"/admin/customer/edit/?id={customer.id}", data=form)
    assert response.status_code == 200 and "alert-danger" in response.get_data(as_text=True)
    monkeypatch.undo()
    _reconnect()
    assert Customer.get_by_id(customer.id).name == "只读"
