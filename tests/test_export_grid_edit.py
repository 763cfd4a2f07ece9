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
