"""The customer's dossier: every record on one timeline, adding records from it, personal data masked."""
import datetime as dt
import html
import re

import panel_specs
import pytest
from conftest import ROLES, state_purpose
from panel_specs import BY_ENDPOINT, form_for

from admin_app.permissions import DEFAULT_MATRIX, UNMASKED
from models import ArchiveRecord, Complaint, Feedback, Repair, ReturnExchange

# the module-wide app and cheap password hashing of panel_specs
app, module_app, fast_password_hashing = panel_specs.app, panel_specs.module_app, panel_specs.fast_password_hashing

ADD_LINK_RE = re.compile(r'href="(/admin/(\w+)/new/\?[^"]*)"')
RECORD_LINK_RE = re.compile(r'href="/admin/(\w+)/details/\?id=(\d+)"')
#: one record of each kind, on dates that put them on the timeline in this order (oldest first)
DATED = [
    (ArchiveRecord, {"entry_date": dt.date(2026, 1, 10)}),
    (Feedback, {"feedback_date": dt.date(2026, 3, 10)}),
    (Complaint, {"received_at": dt.datetime(2026, 5, 10, 9)}),
    (Repair, {"received_at": dt.datetime(2026, 7, 10, 9)}),
    (ReturnExchange, {"created_at": dt.datetime(2026, 9, 10, 9)}),
]
PHONE, ID_CARD = "13812345678", "11010519491231002X"


def _dossier(page):
    return page[page.index('id="dossier"'):]


def _timeline(page):
    """Return (endpoint, id) of the records linked from the dossier, in page order."""
    return [(endpoint, int(pk)) for endpoint, pk in RECORD_LINK_RE.findall(_dossier(page))]


@pytest.fixture()
def customer_with_records(make_customer, make_record):
    customer = make_customer(name="档案顾客")
    records = [make_record(model, customer=customer, **dates) for model, dates in DATED]
    make_record(Complaint, customer=make_customer(), content="别的顾客的投诉")
    return customer, records


def test_dossier_lists_every_record_newest_first(manager_client, customer_with_records):
    customer, records = customer_with_records
    page = state_purpose(manager_client, customer.id).get(f"/admin/customer/details/?id={customer.id}").get_data(
        as_text=True)
    newest_first = [(BY_ENDPOINT_OF[type(r)], r.id) for r in reversed(records)]
    assert _timeline(page) == newest_first
    assert "别的顾客的投诉" not in page


BY_ENDPOINT_OF = {spec.model: endpoint for endpoint, spec in BY_ENDPOINT.items()}


def test_timeline_links_open_each_record(manager_client, customer_with_records):
    customer, _records = customer_with_records
    page = state_purpose(manager_client, customer.id).get(f"/admin/customer/details/?id={customer.id}").get_data(
        as_text=True)
    for endpoint, pk in _timeline(page):
        detail = manager_client.get(f"/admin/{endpoint}/details/?id={pk}")
        assert detail.status_code == 200
        assert customer.name in detail.get_data(as_text=True)


def test_same_day_records_keep_the_later_one_first(manager_client, make_customer, make_record):
    customer = make_customer()
    first = make_record(Complaint, customer=customer, received_at=dt.datetime(2026, 5, 1, 9),
                        created_at=dt.datetime(2026, 5, 1, 9))
    second = make_record(Complaint, customer=customer, received_at=dt.datetime(2026, 5, 1, 15),
                         created_at=dt.datetime(2026, 5, 1, 15))
    page = state_purpose(manager_client, customer.id).get(f"/admin/customer/details/?id={customer.id}").get_data(
        as_text=True)
    assert _timeline(page) == [("complaint", second.id), ("complaint", first.id)]


@pytest.mark.parametrize("endpoint", [e for e in BY_ENDPOINT if e != "customer"])
def test_add_a_record_from_the_dossier(clerk_client, make_customer, endpoint):
    customer = make_customer(name="从档案添加")
    details = f"/admin/customer/details/?id={customer.id}"
    state_purpose(clerk_client, customer.id)
    links = {kind: html.unescape(url) for url, kind in ADD_LINK_RE.findall(clerk_client.get(details).get_data(
        as_text=True))}
    form_page = clerk_client.get(links[endpoint]).get_data(as_text=True)
    customer_input = re.search(r'<input[^>]*name="customer"[^>]*>', form_page).group(0)
    assert f'value="{customer.id}"' in customer_input, "the customer is filled in"
    spec = BY_ENDPOINT[endpoint]
    response = clerk_client.post(links[endpoint], data=form_for(spec, customer))
    assert response.status_code == 302
    assert response.location == details, "back to the dossier after saving"
    created = spec.model.get(spec.model.customer == customer.id)
    page = clerk_client.get(details).get_data(as_text=True)
    assert (endpoint, created.id) in _timeline(page)


@pytest.mark.parametrize("role", ROLES)
def test_dossier_shows_only_what_the_role_may_open_and_add(login_as, customer_with_records, role):
    customer, _records = customer_with_records
    page = state_purpose(login_as(role), customer.id).get(f"/admin/customer/details/?id={customer.id}").get_data(
        as_text=True)
    shown = {endpoint for endpoint, _pk in _timeline(page)}
    kinds = [e for e in BY_ENDPOINT if e != "customer"]
    addable = {kind for _url, kind in ADD_LINK_RE.findall(_dossier(page)) if kind in kinds}
    assert shown == {e for e in kinds if role in DEFAULT_MATRIX[e]["view"]}
    assert addable == {e for e in kinds if role in DEFAULT_MATRIX[e]["view"] & DEFAULT_MATRIX[e]["create"]}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("field", "value"), [("phone", PHONE), ("id_card", ID_CARD)])
def test_personal_data_is_masked_for_roles_without_the_need(login_as, make_customer, role, field, value):
    customer = make_customer(**{field: value})
    client = state_purpose(login_as(role), customer.id)
    urls = ["/admin/customer/", f"/admin/customer/details/?id={customer.id}"]
    if role in DEFAULT_MATRIX["customer"]["edit"]:
        urls.append(f"/admin/customer/edit/?id={customer.id}")
    for url in urls:
        page = client.get(url).get_data(as_text=True)
        if role not in UNMASKED[field]:
            assert value not in page, f"{role} sees {field} in clear on {url}"
    details = client.get(urls[1]).get_data(as_text=True)
    assert (value in details) == (role in UNMASKED[field])


def test_masked_field_left_empty_keeps_the_stored_value(clerk_client, make_customer):
    customer = make_customer(id_card=ID_CARD)
    data = form_for(BY_ENDPOINT["customer"], None, name=customer.name, id_card="", row_version="1")
    assert clerk_client.post(f"/admin/customer/edit/?id={customer.id}", data=data).status_code == 302
    saved = type(customer).get_by_id(customer.id)
    assert (saved.id_card, saved.notes) == (ID_CARD, data["notes"])


def test_masked_field_can_be_replaced_without_being_seen(clerk_client, make_customer):
    customer = make_customer(id_card=ID_CARD)
    data = form_for(BY_ENDPOINT["customer"], None, name=customer.name, id_card="440524188001010014",
                    row_version="1")
    assert clerk_client.post(f"/admin/customer/edit/?id={customer.id}", data=data).status_code == 302
    assert type(customer).get_by_id(customer.id).id_card == "440524188001010014"


def test_masked_value_still_shows_its_last_digits(clerk_client, make_customer):
    customer = make_customer(id_card=ID_CARD)
    page = state_purpose(clerk_client, customer.id).get(f"/admin/customer/details/?id={customer.id}").get_data(
        as_text=True)
    assert "002X" in page and ID_CARD not in page
