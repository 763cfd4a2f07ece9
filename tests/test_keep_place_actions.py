"""Never lose your place after a delete or any list action: the list as it was, the touched rows marked and named."""
import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import panel_specs
import pytest
from panel_specs import SPECS, alerts, make_row, spec_id
from survey_helpers import CONSENTED

from admin_app.services.surveys.survey import load_reference_questionnaire
from models import Customer, SurveyBatch, UrgentEvent, UserSession
from views.place import record_title

app, module_app, fast_password_hashing = panel_specs.app, panel_specs.module_app, panel_specs.fast_password_hashing
STATE = {"search": "华东", "sort": "1", "desc": "1", "page": "2", "page_size": "50"}
LIST_STATE = "/admin/{endpoint}/?search=%E5%8D%8E%E4%B8%9C&sort=1&desc=1&page=2&page_size=50"


def _args(location):
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def _act(client, endpoint, action, ids):
    """Choose an action on the selected rows of a list left on page 2 of a search, sorted."""
    return client.post(f"/admin/{endpoint}/action/", data={"action": action, "rowid": [str(i) for i in ids],
                                                           "url": LIST_STATE.format(endpoint=endpoint)})


def _assert_back_on_the_list(client, response, endpoint, touched, named):
    """The list as it was, the touched rows marked, the success message naming and linking them."""
    assert response.status_code == 302, alerts(response)
    assert urlsplit(response.location).path == f"/admin/{endpoint}/"
    args = _args(response.location)
    assert {k: args.get(k) for k in STATE} == STATE
    assert sorted(args.get("highlight", "").split(",")) == sorted(str(i) for i in touched)
    page = client.get(response.location).get_data(as_text=True)
    success = " ".join(re.findall(r'<div class="alert alert-success[^"]*"[^>]*>(.*?)</div>', page, re.S))
    for record in named:
        assert record_title(record) in success
        assert f'/admin/{endpoint}/details/?id={record.id}' in success


def _through_designate(client, location, customers):
    page = client.get(location)
    assert page.status_code == 200
    return client.post(location, data={"value": "A", "remark": "行业一流"})


def _through_recompute(client, location, customers):
    assert client.get(location).status_code == 200
    return client.post(location, data={})


def _through_bulk_edit(client, location, customers):
    form = {"ids": [str(c.id) for c in customers], "field": "region", "region": "西北",
            "url": _args(location)["url"]}
    preview = client.post("/admin/customer/bulk-edit/", data=form)
    assert preview.status_code == 200 and 'name="url"' in preview.get_data(as_text=True)
    return client.post("/admin/customer/bulk-edit/", data={**form, "confirm": "1", "previewed": "region=西北"})


def _through_survey(client, location, customers):
    expires = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    options = {"questionnaire": str(load_reference_questionnaire().id), "channel": "email",
               "sample_percent": "100", "exclude_days": "90", "expires_on": expires}
    assert client.post(location, data={**options, "step": "preview"}).status_code == 200
    signature = f"{options['questionnaire']}|email|100|90|{expires}"
    return client.post(location, data={**options, "step": "confirm", "previewed": signature})


@dataclass(frozen=True)
class Step:
    """An action on the customer list that opens a page of its own before it changes anything."""

    action: str
    role: str
    finish: object
    done: object  # customer -> bool: the change the page made


CUSTOMER_STEPS = [
    Step("designate_grade", "supervisor", _through_designate, lambda c: c.designation == "A"),
    Step("recompute_grade", "supervisor", _through_recompute, lambda c: c.grade == "B"),
    Step("bulk_edit", "admin", _through_bulk_edit, lambda c: c.region == "西北"),
    Step("survey", "clerk", _through_survey,
         lambda c: SurveyBatch.select().where(SurveyBatch.sent_count == 2).exists()),
]


@pytest.mark.parametrize("step", CUSTOMER_STEPS, ids=lambda s: s.action)
def test_an_action_with_its_own_page_returns_to_the_filtered_list_with_the_rows_marked(login_as, make_customer,
                                                                                     step):
    client = login_as(step.role)
    customers = [make_customer(name=f"苏州恒远精密机械{n}", designation="B", **CONSENTED) for n in range(2)]
    make_customer(name="未选中的顾客")
    opened = _act(client, "customer", step.action, [c.id for c in customers])
    assert opened.status_code == 302 and "url=" in opened.location  # the list's state travels along
    response = step.finish(client, opened.location, customers)
    assert all(step.done(Customer.get_by_id(c.id)) for c in customers)
    _assert_back_on_the_list(client, response, "customer", [c.id for c in customers], customers)


@pytest.mark.parametrize("step", CUSTOMER_STEPS[:2], ids=lambda s: s.action)
def test_cancel_on_an_action_page_goes_back_to_the_list_as_it_was(login_as, make_customer, step):
    client = login_as(step.role)
    customer = make_customer()
    opened = _act(client, "customer", step.action, [customer.id])
    page = client.get(opened.location).get_data(as_text=True)
    assert 'href="/admin/customer/?search=%E5%8D%8E%E4%B8%9C&amp;sort=1&amp;desc=1&amp;page=2' in page


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
def test_bulk_delete_returns_to_the_list_as_it_was_and_names_what_went(admin_client, make_customer, make_record,
                                                                      spec):
    rows = [make_row(spec, make_customer, make_record) for _ in range(2)]
    titles = [record_title(row) for row in rows]
    response = _act(admin_client, spec.endpoint, "delete", [row.id for row in rows])
    assert response.status_code == 302
    assert urlsplit(response.location).path == f"/admin/{spec.endpoint}/"
    args = _args(response.location)
    assert {k: args.get(k) for k in STATE} == STATE and "highlight" not in args  # nothing left to mark
    page = admin_client.get(response.location)
    message = " ".join(alerts(page))
    assert all(title in message for title in titles)
    assert not spec.model.select().where(spec.model.id.in_([row.id for row in rows])).exists()


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
def test_the_row_delete_button_returns_to_the_list_as_it_was_and_names_the_record(admin_client, make_customer,
                                                                                 make_record, spec):
    row = make_row(spec, make_customer, make_record)
    came_from = LIST_STATE.format(endpoint=spec.endpoint)
    response = admin_client.post(f"/admin/{spec.endpoint}/delete/", data={"id": str(row.id), "url": came_from})
    assert response.status_code == 302 and response.location == came_from
    message = " ".join(alerts(admin_client.get(response.location)))
    assert "已删除" in message and record_title(row) in message and "成功" not in message


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
def test_bulk_edit_of_any_list_returns_to_it_with_the_rows_marked(admin_client, make_customer, make_record, spec):
    name, value = "owner", str(admin_client.user.id)
    rows = [make_row(spec, make_customer, make_record) for _ in range(2)]
    opened = _act(admin_client, spec.endpoint, "bulk_edit", [row.id for row in rows])
    form = {"ids": [str(r.id) for r in rows], "field": name, name: value, "url": _args(opened.location)["url"]}
    admin_client.post(f"/admin/{spec.endpoint}/bulk-edit/", data=form)
    response = admin_client.post(f"/admin/{spec.endpoint}/bulk-edit/",
                                 data={**form, "confirm": "1", "previewed": f"{name}={value}"})
    _assert_back_on_the_list(admin_client, response, spec.endpoint, [r.id for r in rows], rows)
    assert {r.owner_id for r in spec.model.select().where(spec.model.id.in_([r.id for r in rows]))} == {int(value)}


def _users(make_user, make_customer):
    return [make_user("clerk", display_name=f"店员{n}") for n in range(2)]


def _urgent_events(make_user, make_customer):
    return [UrgentEvent.create(customer=make_customer(urgent=True), occurred_on=dt.date(2026, 11, n + 1),
                               description=f"退票{n}") for n in range(2)]


STAYING = [("user", "end_sessions", _users, lambda row: UserSession.select().where(
               UserSession.user == row.id).count() == 0),
           ("urgentevent", "resolve", _urgent_events, lambda row: UrgentEvent.get_by_id(row.id).resolved)]


@pytest.mark.parametrize(("endpoint", "action_name", "make_rows", "done"), STAYING, ids=[s[1] for s in STAYING])
def test_an_action_that_stays_on_the_list_marks_and_names_the_rows(admin_client, make_user, make_customer,
                                                                   endpoint, action_name, make_rows, done):
    rows = make_rows(make_user, make_customer)
    response = _act(admin_client, endpoint, action_name, [row.id for row in rows])
    assert all(done(row) for row in rows)
    _assert_back_on_the_list(admin_client, response, endpoint, [row.id for row in rows], rows)


def test_a_refused_action_names_nothing_and_marks_nothing(supervisor_client, make_customer):
    customer = make_customer()
    response = _act(supervisor_client, "customer", "delete", [customer.id])
    assert "highlight" not in _args(response.location)
