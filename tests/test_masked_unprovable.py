"""Masked means unprovable (issue 16, item 2): a role that sees a field masked cannot test a guess against it.

For every path that exists (search box, `flt` filter, `sort`, the forms' ajax lookups, import matching) a masked
role gets the same answer for the right and a wrong value, while a role that sees the field in clear gets
different answers, which proves the path really discriminates. A structural test covers every masked field of
every view for every role that sees it masked.
"""
import io
import re

import openpyxl
import pytest
from flask_login import login_user

from admin_app.permissions import UNMASKED, sees_unmasked
from models import ArchiveRecord, Complaint, Customer, Feedback, Repair, ReturnExchange, RolePermission
from tests.conftest import ROLES
from views.access import find_view

RIGHT, WRONG = "13912345678", "13987654321"
MASKED = {field: sorted(set(ROLES) - roles) for field, roles in UNMASKED.items()}


def listed(response, endpoint):
    """Return the ids of the rows a list page shows."""
    assert response.status_code == 200, response.status_code
    return re.findall(rf"/admin/{endpoint}/details/\?id=(\d+)", response.get_data(as_text=True))


def _unique(ids):
    return list(dict.fromkeys(ids))


def _filter_arg(app, endpoint, field, kind="FilterEqual"):
    view = find_view(app.extensions["admin"][0], endpoint)
    for key, (_idx, flt) in view.__dict__["_all_filter_args"].items():
        if flt.column.name == field and type(flt).__name__ == kind:
            return f"flt0_{key}"
    raise AssertionError(f"no {kind} on {endpoint}.{field}")


def _sort_index(app, endpoint, field):
    view = find_view(app.extensions["admin"][0], endpoint)
    return [c[0] for c in view.__dict__["_all_list_columns"]].index(field)


@pytest.fixture()
def people(make_customer):
    """Two customers: the target (whose number a masked user tries to confirm) and another."""
    target = make_customer(name="目标顾客", phone=RIGHT)
    other = make_customer(name="另一顾客", phone="13900000009")
    return target, other


SEARCH_CASES = [("customer", "phone", role) for role in MASKED["phone"]] + \
    [(endpoint, "contact_phone", role) for endpoint in ("complaint", "repair") for role in MASKED["contact_phone"]
     if role == "quality"]


@pytest.mark.parametrize("endpoint, field, role", SEARCH_CASES)
@pytest.mark.parametrize("guess", [RIGHT, RIGHT[:7], RIGHT[-4:]])
def test_search_box_cannot_confirm_a_masked_value(login_as, make_record, people, endpoint, field, role, guess):
    target, _other = people
    if endpoint != "customer":
        make_record(Complaint if endpoint == "complaint" else Repair, customer=target, contact_phone=RIGHT)
    masked, clear = login_as(role), login_as("manager")
    wrong = WRONG[:len(guess)] if len(guess) < len(RIGHT) else WRONG
    url = f"/admin/{endpoint}/?search="
    assert listed(masked.get(url + guess), endpoint) == listed(masked.get(url + wrong), endpoint)
    assert listed(clear.get(url + guess), endpoint) != listed(clear.get(url + wrong), endpoint)


@pytest.mark.parametrize("role", MASKED["phone"])
def test_a_filter_on_a_masked_field_is_ignored(app, login_as, people, role):
    arg = _filter_arg(app, "customer", "phone")
    masked, clear = login_as(role), login_as("clerk")
    right, wrong = f"/admin/customer/?{arg}={RIGHT}", f"/admin/customer/?{arg}={WRONG}"
    assert listed(masked.get(right), "customer") == listed(masked.get(wrong), "customer")
    assert listed(clear.get(right), "customer") != listed(clear.get(wrong), "customer")


@pytest.mark.parametrize("role", MASKED["phone"])
def test_sorting_by_a_masked_field_is_ignored(app, login_as, make_customer, role):
    make_customer(phone="13900000001")
    make_customer(phone="13900000009")  # newer, so first in the default order; last by phone
    index = _sort_index(app, "customer", "phone")
    masked, clear = login_as(role), login_as("clerk")

    def order(client, desc):
        return _unique(listed(client.get(f"/admin/customer/?sort={index}&desc={desc}"), "customer"))

    assert order(masked, 0) == order(masked, 1)
    assert order(clear, 0) != order(clear, 1)


@pytest.mark.parametrize("endpoint", ["feedback", "complaint", "repair"])
@pytest.mark.parametrize("guess", [RIGHT, RIGHT[3:9]])
def test_lookups_do_not_match_on_masked_phones(app, login_as, people, endpoint, guess):
    roles = [r for r in MASKED["phone"] if app.extensions and _may_view(endpoint, r)]
    clear = login_as("manager")
    url = f"/admin/{endpoint}/ajax/lookup/?name=customer&query="
    assert clear.get(url + guess).get_json() != clear.get(url + WRONG[:len(guess)]).get_json()
    for role in roles:
        masked = login_as(role)
        assert masked.get(url + guess).get_json() == masked.get(url + WRONG[:len(guess)]).get_json() == []


def _may_view(endpoint, role):
    from admin_app.permissions import DEFAULT_MATRIX
    return role in DEFAULT_MATRIX[endpoint]["view"]


def _sheet(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _preview(client, endpoint, rows):
    page = client.post(f"/admin/import/{endpoint}/", data={"file": (io.BytesIO(_sheet(rows)), "in.xlsx")},
                       content_type="multipart/form-data", follow_redirects=True)
    text = page.get_data(as_text=True)
    assert page.status_code == 200, text[-2000:]
    return {kind: int(re.search(rf'id="count-{kind}">[^<]*?(\d+)<', text).group(1))
            for kind in ("new", "update", "unchanged", "conflict", "error")}


def _grant_import(role, endpoint):
    RolePermission.create(role=role, endpoint=endpoint, operation="import", access="allow")
    RolePermission.create(role=role, endpoint=endpoint, operation="create", access="allow")


@pytest.mark.parametrize("role", MASKED["phone"])
def test_customer_import_does_not_match_existing_customers_by_a_masked_phone(login_as, people, role):
    _grant_import(role, "customer")
    target, _other = people
    masked, clear = login_as(role), login_as("clerk")
    same = [["名称", "电话"], [target.name, RIGHT]]
    guess = [["名称", "电话"], [target.name, WRONG]]
    assert _preview(masked, "customer", same) == _preview(masked, "customer", guess)
    assert _preview(clear, "customer", same) != _preview(clear, "customer", guess)


def test_record_import_does_not_find_a_customer_by_a_masked_phone(login_as, people):
    _grant_import("quality", "complaint")
    masked, clear = login_as("quality"), login_as("clerk")
    header = ["Customer", "Complainant", "Received at", "Channel", "Complaint type", "Content"]

    def sheet(customer):
        return [header, [customer, "李女士", "2026-11-02 09:30", "phone", "service_attitude", "态度冷淡"]]

    assert _preview(masked, "complaint", sheet(RIGHT)) == _preview(masked, "complaint", sheet(WRONG))
    assert _preview(clear, "complaint", sheet(RIGHT)) != _preview(clear, "complaint", sheet(WRONG))


MODELS = {"customer": Customer, "feedback": Feedback, "complaint": Complaint, "repair": Repair,
          "returnexchange": ReturnExchange, "archiverecord": ArchiveRecord}
MASKED_COLUMNS = [(endpoint, field, role) for endpoint, model in MODELS.items()
                  for field in UNMASKED if field in model._meta.fields for role in MASKED[field]]


@pytest.mark.parametrize("endpoint, field, role", MASKED_COLUMNS)
def test_every_masked_field_is_closed_to_search_filter_and_sort(app, make_user, endpoint, field, role):
    view = find_view(app.extensions["admin"][0], endpoint)
    with app.test_request_context(f"/admin/{endpoint}/"):
        login_user(make_user(role))
        assert not sees_unmasked(field) and view.closed(field)
        assert field not in [getattr(f, "name", None) for f in view._search_fields]
        assert field not in view._sortable_columns
        assert field not in [flt.column.name for _i, flt in (view._filter_args or {}).values()]
        for loader in (view._form_ajax_refs or {}).values():
            assert "phone" not in [getattr(f, "name", None) for f in loader._cached_fields] or sees_unmasked("phone")


@pytest.mark.parametrize("typed", [RIGHT, WRONG])
def test_typing_a_guess_into_a_masked_field_records_a_change_either_way(login_as, make_record, people, typed):
    """Saving the form must not tell "same as stored" (no change logged) from "different" (a change)."""
    from models import ChangeLog

    record = make_record(Complaint, customer=people[0], contact_phone=RIGHT)
    quality = login_as("quality")
    form = quality.get(f"/admin/complaint/edit/?id={record.id}").get_data(as_text=True)
    version = re.search(r'name="row_version"[^>]*value="(\d+)"', form).group(1)
    data = {"contact_phone": typed, "row_version": version, "customer": str(people[0].id),
            "complainant": record.complainant, "received_at": "2026-11-02 09:30:00", "channel": record.channel,
            "complaint_type": record.complaint_type, "content": record.content}
    response = quality.post(f"/admin/complaint/edit/?id={record.id}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    changed = [e.changed() for e in ChangeLog.for_record("complaint", record.id) if e.action == "update"]
    assert changed and "contact_phone" in changed[-1]
