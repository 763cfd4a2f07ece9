"""Grid editing: in-place edits of common fields and one field set on many rows, checked and logged."""
import re

import pytest

from models import ChangeLog, Complaint, Customer


def test_inline_edit_changes_one_field_with_history(clerk_client, make_customer):
    customer = make_customer(region="华东")
    response = clerk_client.post("/admin/customer/ajax/update/", data={"list_form_pk": customer.id, "region": "华南"})
    assert response.status_code == 200, response.get_data(as_text=True)
    stored = Customer.get_by_id(customer.id)
    assert stored.region == "华南" and stored.version == 2
    assert ChangeLog.get(ChangeLog.action == "update").changed()["region"] == ["华东", "华南"]


def test_inline_edit_validates_the_value(clerk_client, make_record):
    complaint = make_record(Complaint)
    response = clerk_client.post("/admin/complaint/ajax/update/", data={"list_form_pk": complaint.id,
                                                                         "severity": "apocalyptic"})
    assert response.status_code >= 400
    assert Complaint.get_by_id(complaint.id).severity == "medium"


@pytest.mark.parametrize("role", ["technician", "quality"])
def test_inline_edit_rejected_for_a_role_without_the_right(login_as, make_customer, role):
    customer = make_customer(region="华东")
    response = login_as(role).post("/admin/customer/ajax/update/", data={"list_form_pk": customer.id,
                                                                          "region": "华南"})
    assert response.status_code == 403
    assert Customer.get_by_id(customer.id).region == "华东"


def test_inline_edit_of_a_field_not_offered_is_refused(clerk_client, make_customer):
    customer = make_customer(name="原名")
    response = clerk_client.post("/admin/customer/ajax/update/", data={"list_form_pk": customer.id, "name": "新名"})
    assert response.status_code in (403, 404)
    assert Customer.get_by_id(customer.id).name == "原名"


def test_list_shows_editable_cells_to_clerks_only(login_as, make_customer):
    make_customer()
    assert 'data-role="x-editable"' in login_as("clerk").get("/admin/customer/").get_data(as_text=True)
    assert 'data-role="x-editable"' not in login_as("technician").get("/admin/customer/").get_data(as_text=True)


def _editors(page, name):
    """Return {row id: attributes} of the in-place editors of one column on a list page."""
    found = {}
    for anchor in re.findall(r'<a [^>]*data-role="x-editable"[^>]*>', page):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', anchor))
        if attrs["name"] == name:
            found[int(attrs["data-pk"])] = attrs
    return found


def test_each_row_editor_starts_from_its_own_stored_value(manager_client, make_customer, make_record):
    owner = manager_client.user  # a manager may reassign: every row offers its owner editor
    first, second = make_record(Complaint, severity="high", owner=owner), make_record(Complaint, severity="low")
    page = manager_client.get("/admin/complaint/").get_data(as_text=True)
    severity, owners = _editors(page, "severity"), _editors(page, "owner")
    assert (severity[first.id]["data-value"], severity[second.id]["data-value"]) == ("high", "low")
    assert (owners[first.id]["data-value"], owners[second.id]["data-value"]) == (str(owner.id), "__None")
    assert severity[first.id]["data-source"] == severity[second.id]["data-source"]
    assert "&#34;high&#34;" in severity[first.id]["data-source"]  # the choices, translated labels with keys
    assert severity[first.id]["data-csrf"]


def test_a_read_only_field_is_shown_without_an_editor(login_as, make_customer):
    from models import RolePermission

    clerk = login_as("clerk")
    customer = make_customer(region="华东", owner=clerk.user)
    RolePermission.create(role="clerk", endpoint="customer", operation="field", field="region", access="read")
    page = clerk.get("/admin/customer/").get_data(as_text=True)
    assert "华东" in page and customer.id not in _editors(page, "region")
    assert customer.id in _editors(page, "owner")  # their own customer: theirs to hand on


def test_row_buttons_carry_each_rows_own_id(admin_client, make_customer):
    rows = [make_customer(), make_customer()]
    page = admin_client.get("/admin/customer/").get_data(as_text=True)
    for customer in rows:
        assert f"/admin/customer/details/?id={customer.id}&amp;" in page
        assert f"/admin/customer/edit/?id={customer.id}&amp;" in page
        assert f'<input id="id" name="id" type="hidden" value="{customer.id}">' in page
    assert "__row_id__" not in page
    response = admin_client.post("/admin/customer/delete/", data={"id": rows[0].id, "url": "/admin/customer/"})
    assert response.status_code == 302 and Customer.get_or_none(Customer.id == rows[0].id) is None


def _bulk(client, ids, **fields):
    return client.post("/admin/customer/bulk-edit/", data={"ids": ids, **fields})


def test_bulk_edit_previews_then_applies_to_the_selected_rows_only(clerk_client, make_customer):
    chosen = [make_customer(region="华东"), make_customer(region="华北")]
    other = make_customer(region="华东")
    ids = [c.id for c in chosen]
    start = clerk_client.post("/admin/customer/action/", data={"action": "bulk_edit", "rowid": ids})
    assert start.status_code == 302 and "bulk-edit" in start.headers["Location"]
    preview = _bulk(clerk_client, ids, field="region", region="西北")
    text = preview.get_data(as_text=True)
    assert 'id="bulk-apply"' in text and "西北" in text
    assert Customer.select().where(Customer.region == "西北").count() == 0  # a preview writes nothing
    previewed = re.search(r'name="previewed" value="([^"]+)"', text).group(1)
    done = _bulk(clerk_client, ids, field="region", region="西北", confirm="1", previewed=previewed)
    assert done.status_code == 302
    assert [Customer.get_by_id(i).region for i in ids] == ["西北", "西北"]
    assert Customer.get_by_id(other.id).region == "华东"
    assert ChangeLog.select().where(ChangeLog.action == "update").count() == 2


def test_bulk_edit_value_changed_after_preview_is_not_applied(clerk_client, make_customer):
    customer = make_customer(region="华东")
    response = _bulk(clerk_client, [customer.id], field="region", region="东北", confirm="1",
                     previewed="region=西北")
    assert response.status_code == 200 and Customer.get_by_id(customer.id).region == "华东"


def test_bulk_edit_refused_without_edit_right(technician_client, make_customer):
    customer = make_customer(region="华东")
    response = _bulk(technician_client, [customer.id], field="region", region="西北", confirm="1",
                     previewed="region=西北")
    assert response.status_code == 403 and Customer.get_by_id(customer.id).region == "华东"


def test_bulk_edit_of_a_field_not_offered_is_refused(clerk_client, make_customer):
    customer = make_customer(name="原名")
    response = _bulk(clerk_client, [customer.id], field="name", name="新名", confirm="1", previewed="name=新名")
    assert response.status_code == 400 and Customer.get_by_id(customer.id).name == "原名"


def test_bulk_change_of_owner_is_logged_as_reassignment(manager_client, make_user, make_record):
    from models.workflow import AssignmentLog

    first, second = make_user("clerk"), make_user("clerk")
    records = [make_record(Complaint, owner=first), make_record(Complaint, owner=second)]
    ids = [r.id for r in records]
    done = manager_client.post("/admin/complaint/bulk-edit/", data={
        "ids": ids, "field": "owner", "owner": str(second.id), "confirm": "1", "previewed": f"owner={second.id}"})
    assert done.status_code == 302
    assert [Complaint.get_by_id(i).owner_id for i in ids] == [second.id, second.id]
    log = AssignmentLog.get()  # the record already owned by the new owner is not "reassigned"
    assert (log.record_id, log.from_user_id, log.to_user_id) == (records[0].id, first.id, second.id)
    assert log.by_user_id == manager_client.user.id


def test_bulk_reassignment_needs_the_reassign_right(clerk_client, make_user, make_record):
    other = make_user("clerk")
    record = make_record(Complaint, owner=other)
    form = clerk_client.get(f"/admin/complaint/bulk-edit/?ids={record.id}").get_data(as_text=True)
    assert 'value="owner"' not in form and 'value="severity"' in form
    response = clerk_client.post("/admin/complaint/bulk-edit/", data={
        "ids": [record.id], "field": "owner", "owner": str(clerk_client.user.id), "confirm": "1",
        "previewed": f"owner={clerk_client.user.id}"})
    assert response.status_code == 400 and Complaint.get_by_id(record.id).owner_id == other.id


@pytest.mark.parametrize("endpoint", ["customer", "archiverecord", "feedback", "complaint", "repair",
                                      "returnexchange"])
def test_every_list_with_editable_cells_renders(manager_client, make_customer, make_record, endpoint):
    from models import ArchiveRecord, Feedback, Repair, ReturnExchange
    customer = make_customer()
    for model in (ArchiveRecord, Feedback, Complaint, Repair, ReturnExchange):
        make_record(model, customer=customer)
    page = manager_client.get(f"/admin/{endpoint}/")
    assert page.status_code == 200


def test_inline_edit_of_a_choice_field(clerk_client, make_record):
    complaint = make_record(Complaint)
    response = clerk_client.post("/admin/complaint/ajax/update/", data={"list_form_pk": complaint.id,
                                                                         "severity": "high"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert Complaint.get_by_id(complaint.id).severity == "high"
