"""Deleted records restored by an admin; reveals and dossier openings logged; field permissions enforced."""
import html
import json
import re

import pytest
from conftest import state_purpose

from models import AccessLog, ChangeLog, Complaint, Customer, RolePermission


def _delete(client, endpoint, record):
    return client.post(f"/admin/{endpoint}/delete/", data={"id": record.id, "url": f"/admin/{endpoint}/"})


def test_admin_restores_a_deleted_customer_with_its_id(admin_client, make_customer):
    customer = make_customer(name="误删顾客", phone="13800001111")
    assert _delete(admin_client, "customer", customer).status_code == 302
    assert Customer.get_or_none(Customer.id == customer.id) is None
    page = admin_client.get("/admin/trash/").get_data(as_text=True)
    assert "误删顾客" in page
    entry = ChangeLog.get(ChangeLog.action == "delete", ChangeLog.record_id == customer.id)
    response = admin_client.post("/admin/trash/restore/", data={"entry": entry.id})
    assert response.status_code == 302
    back = Customer.get_by_id(customer.id)
    assert (back.name, back.phone, back.first_trade_date) == ("误删顾客", "13800001111", customer.first_trade_date)
    assert ChangeLog.select().where(ChangeLog.action == "restore", ChangeLog.record_id == customer.id).count() == 1
    admin_client.get("/admin/trash/")  # shows the flash
    assert 'id="trash"' not in admin_client.get("/admin/trash/").get_data(as_text=True)


def test_restoring_twice_is_refused_with_a_message(admin_client, make_customer):
    customer = make_customer()
    _delete(admin_client, "customer", customer)
    entry = ChangeLog.get(ChangeLog.action == "delete")
    admin_client.post("/admin/trash/restore/", data={"entry": entry.id})
    page = admin_client.post("/admin/trash/restore/", data={"entry": entry.id}, follow_redirects=True)
    assert Customer.select().count() == 1
    assert "alert-danger" in page.get_data(as_text=True)


def test_record_of_a_deleted_customer_waits_for_the_customer(admin_client, make_record):
    complaint = make_record(Complaint)
    customer = complaint.customer
    _delete(admin_client, "complaint", complaint)
    _delete(admin_client, "customer", customer)
    entry = ChangeLog.get(ChangeLog.table == "complaint", ChangeLog.action == "delete")
    admin_client.post("/admin/trash/restore/", data={"entry": entry.id})
    assert Complaint.select().count() == 0
    customer_entry = ChangeLog.get(ChangeLog.table == "customer", ChangeLog.action == "delete")
    admin_client.post("/admin/trash/restore/", data={"entry": customer_entry.id})
    admin_client.post("/admin/trash/restore/", data={"entry": entry.id})
    assert Complaint.get_by_id(complaint.id).content == complaint.content


@pytest.mark.parametrize("role", ["clerk", "manager", "supervisor"])
def test_only_the_admin_sees_and_restores_deleted_records(login_as, role, make_customer):
    client = login_as(role)
    assert client.get("/admin/trash/").status_code == 403
    assert client.post("/admin/trash/restore/", data={"entry": 1}).status_code == 403


def test_opening_a_dossier_is_logged(clerk_client, make_customer):
    customer = make_customer(owner=clerk_client.user)
    assert clerk_client.get(f"/admin/customer/details/?id={customer.id}").status_code == 200
    entry = AccessLog.get(AccessLog.action == "open_dossier")
    assert (entry.username, entry.customer_id) == (clerk_client.user.username, customer.id)


def test_opening_a_missing_dossier_logs_nothing(clerk_client):
    clerk_client.get("/admin/customer/details/?id=999")
    assert AccessLog.select().count() == 0


def test_masked_value_is_revealed_once_and_logged(technician_client, make_customer):
    customer = make_customer(phone="13912345678")
    page = state_purpose(technician_client, customer.id).get(f"/admin/customer/details/?id={customer.id}").get_data(
        as_text=True)
    assert "13912345678" not in page and "139****5678" in page and "reveal" in page
    response = technician_client.post("/admin/customer/reveal/", data={
        "id": customer.id, "field": "phone", "next": f"/admin/customer/details/?id={customer.id}"})
    assert response.status_code == 302
    assert "13912345678" in technician_client.get(response.location).get_data(as_text=True)
    again = technician_client.get(f"/admin/customer/details/?id={customer.id}").get_data(as_text=True)
    assert "13912345678" not in again
    entry = AccessLog.get(AccessLog.action == "reveal")
    assert (entry.customer_id, entry.detail, entry.username) == (customer.id, "phone",
                                                                technician_client.user.username)


@pytest.mark.parametrize("data", [{"field": "name"}, {"field": "phone", "id": "999"}, {"field": "x", "id": "1"}])
def test_reveal_of_a_non_personal_or_missing_value_is_refused(technician_client, make_customer, data):
    make_customer()
    assert technician_client.post("/admin/customer/reveal/", data=data).status_code == 404
    assert AccessLog.select().where(AccessLog.action == "reveal").count() == 0


def test_reveal_refuses_get(technician_client):
    assert technician_client.get("/admin/customer/reveal/").status_code == 405


def test_history_on_a_page_masks_personal_values(admin_client, technician_client, make_customer):
    customer = make_customer(phone="13900000001")
    form = {"name": customer.name, "customer_type": "company", "phone": "13900000002",
            "row_version": customer.version, "staff_count": 50}
    admin_client.post(f"/admin/customer/edit/?id={customer.id}", data=form)
    assert Customer.get_by_id(customer.id).phone == "13900000002"
    page = state_purpose(technician_client, customer.id).get(f"/admin/customer/details/?id={customer.id}").get_data(
        as_text=True)
    assert "13900000001" not in page and "13900000002" not in page


def _rule(role, endpoint, operation, access, field=""):
    RolePermission.create(role=role, endpoint=endpoint, operation=operation, access=access, field=field)


def test_panel_rule_overrides_the_matrix(login_as):
    _rule("technician", "customer", "view", "deny")
    assert login_as("technician").get("/admin/customer/").status_code == 403
    _rule("quality", "user", "view", "allow")
    assert login_as("quality").get("/admin/user/").status_code == 200


def test_hidden_field_disappears_from_list_detail_form_and_export(login_as, make_customer):
    customer = make_customer(notes="内部备注XYZ", phone="13911112222")
    _rule("clerk", "customer", "field", "hidden", "phone")
    client = state_purpose(login_as("clerk"), customer.id)
    for url in ("/admin/customer/", f"/admin/customer/details/?id={customer.id}",
                f"/admin/customer/edit/?id={customer.id}"):
        page = client.get(url).get_data(as_text=True)
        assert "1391111" not in page and 'name="phone"' not in page
    export = client.get("/admin/customer/export/xlsx/?columns=name,phone")
    assert export.status_code in (200, 302, 403)
    if export.status_code == 200:
        assert b"1391111" not in export.data


def test_search_in_a_hidden_field_finds_nothing(login_as, make_customer):
    make_customer(name="甲", phone="13911112222")
    _rule("clerk", "customer", "field", "hidden", "phone")
    page = login_as("clerk").get("/admin/customer/?search=13911112222").get_data(as_text=True)
    assert "甲" not in page


def _grade_filter_arg(app):
    view = next(v for v in app.extensions["admin"][0]._views if v.endpoint == "customer")
    return next(key for key, (_i, flt) in view.__dict__["_all_filter_args"].items()
                if flt.column.name == "grade" and type(flt).__name__ == "FilterEqual")


def test_a_hidden_field_cannot_be_probed_through_its_filter(app, login_as, make_customer):
    make_customer(name="甲级顾客", grade="A")
    make_customer(name="丙级顾客", grade="C")
    url = f"/admin/customer/?flt0_{_grade_filter_arg(app)}=A"
    assert "丙级顾客" not in login_as("clerk").get(url).get_data(as_text=True)  # the filter works for others
    _rule("clerk", "customer", "field", "hidden", "grade")
    page = login_as("clerk").get(url).get_data(as_text=True)
    assert "甲级顾客" in page and "丙级顾客" in page  # ignored, so it tells nothing about the hidden grade
    groups = json.loads(html.unescape(re.search(r'id="filter-groups-data"[^>]*>(.*?)</div>', page).group(1)))
    assert "信用等级" not in groups and "顾客类型" in groups


def test_read_only_field_is_disabled_and_ignored_on_save(login_as, make_customer):
    customer = make_customer(name="原名", notes="旧")
    _rule("clerk", "customer", "field", "read", "name")
    client = login_as("clerk")
    page = client.get(f"/admin/customer/edit/?id={customer.id}").get_data(as_text=True)
    assert re.search(r'<input[^>]*\bdisabled\b[^>]*name="name"', page)
    client.post(f"/admin/customer/edit/?id={customer.id}", data={
        "name": "篡改", "customer_type": "company", "notes": "新", "row_version": customer.version,
        "staff_count": 50})
    saved = Customer.get_by_id(customer.id)
    assert (saved.name, saved.notes) == ("原名", "新")


def test_admin_edits_permissions_in_the_panel(admin_client, login_as):
    response = admin_client.post("/admin/rolepermission/new/", data={
        "role": "clerk", "endpoint": "customer", "operation": "export", "access": "deny", "field": ""})
    assert response.status_code == 302
    assert RolePermission.select().count() == 1
    assert login_as("clerk").get("/admin/rolepermission/").status_code == 403


def test_field_rule_without_field_name_is_refused(admin_client):
    page = admin_client.post("/admin/rolepermission/new/", data={
        "role": "clerk", "endpoint": "customer", "operation": "field", "access": "hidden", "field": ""},
        follow_redirects=True).get_data(as_text=True)
    assert RolePermission.select().count() == 0
    assert "alert-danger" in page


@pytest.mark.parametrize(("field", "saved"), [("phon", 0), ("phone", 1)])
def test_field_rule_must_name_a_field_of_its_view(admin_client, field, saved):
    page = admin_client.post("/admin/rolepermission/new/", data={
        "role": "clerk", "endpoint": "customer", "operation": "field", "access": "hidden", "field": field},
        follow_redirects=True).get_data(as_text=True)
    assert RolePermission.select().count() == saved
    assert ("“phon”" in page) == (not saved)  # the refusal names the misspelt field and lists the real ones
