"""Dispatch from the customer list: exclusions, the sample with complainers, the batch, the contact list."""
import datetime as dt
import io
import random

import openpyxl
import pytest
from survey_helpers import CONSENTED, dispatch

from admin_app.services.surveys.survey import draw_sample, load_reference_questionnaire, plan_dispatch
from models import Complaint, Customer, Invitation, OutboxMessage, SurveyBatch


@pytest.fixture(autouse=True)
def _app(app):
    return app


@pytest.fixture()
def crowd(make_customer, make_record):
    """200 consenting customers; 12 complained this year, one only 13 months ago."""
    ids = [make_customer(**CONSENTED).id for _ in range(200)]
    now = dt.datetime.now()
    complainers = ids[:12]
    for cid in complainers:
        make_record(Complaint, customer=cid, received_at=now - dt.timedelta(days=30))
    make_record(Complaint, customer=ids[150], received_at=now - dt.timedelta(days=400))
    return ids, set(complainers)


@pytest.mark.parametrize("seed", range(5))
def test_the_sample_always_contains_the_recent_complainers(crowd, seed):
    ids, complainers = crowd
    plan = plan_dispatch(Customer.select(), "email", percent=10)
    assert plan.complainers >= complainers and ids[150] not in plan.complainers
    chosen = draw_sample(plan.eligible, 10, plan.complainers, random.Random(seed))
    assert complainers <= set(chosen)
    assert len(chosen) == len(set(chosen)) == plan.sample_size == 12 + 19  # all 12 + ceil(10% of 188)


def test_samples_differ_between_draws(crowd):
    plan = plan_dispatch(Customer.select(), "email", percent=10)
    draws = {tuple(sorted(draw_sample(plan.eligible, 10, plan.complainers))) for _ in range(5)}
    assert len(draws) > 1


def test_exclusions_are_counted_by_reason(make_customer):
    make_customer(**CONSENTED)
    make_customer(email="a@example.com")                      # no consent
    make_customer(consent_date=dt.date(2025, 1, 1))           # no email for the email channel
    surveyed = make_customer(**CONSENTED)
    dispatch([surveyed.id])
    plan = plan_dispatch(Customer.select(), "email", exclude_days=90)
    assert plan.matched == 4 and len(plan.eligible) == 1
    assert dict(plan.excluded) == {"no_consent": 1, "no_contact": 1, "recently_surveyed": 1}
    by_letter = plan_dispatch(Customer.select(), "sms", exclude_days=0)
    assert dict(by_letter.excluded) == {"no_consent": 1} and len(by_letter.eligible) == 3


def _preview(client, query):
    return client.get(f"/admin/customer/survey/?{query}")


def test_preview_of_selected_rows_shows_who_receives_and_who_is_excluded(clerk_client, make_customer):
    load_reference_questionnaire()
    good = make_customer(**CONSENTED)
    no_consent = make_customer(email="x@example.com")
    page = _preview(clerk_client, f"ids={good.id}&ids={no_consent.id}").get_data(as_text=True)
    assert 'class="matched">2<' in page and 'class="excluded-no_consent">1<' in page
    assert 'class="receivers">1<' in page


def test_confirm_creates_the_batch_for_everything_matching_the_search(clerk_client, make_customer):
    load_reference_questionnaire()
    wanted = [make_customer(name=f"华东商行{i}", **CONSENTED) for i in range(3)]
    make_customer(name="别家公司", **CONSENTED)
    expires = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    options = {"questionnaire": str(load_reference_questionnaire().id), "channel": "email",
               "sample_percent": "100", "exclude_days": "90", "expires_on": expires}
    url = "/admin/customer/survey/?search=华东"
    preview = clerk_client.post(url, data={**options, "step": "preview"}).get_data(as_text=True)
    assert 'class="receivers">3<' in preview
    signature = f"{options['questionnaire']}|email|100|90|{expires}"
    response = clerk_client.post(url, data={**options, "step": "confirm", "previewed": signature})
    assert response.status_code == 302
    batch = SurveyBatch.get()
    assert batch.sent_count == 3 and batch.created_by_id == clerk_client.user.id
    assert {i.customer_id for i in batch.invitations} == {c.id for c in wanted}
    assert OutboxMessage.select().count() == 3
    message = OutboxMessage.get()
    token = Invitation.get_by_id(message.invitation_id).token
    assert f"/s/{token}" in message.body and message.recipient == "kunde@example.com"


def test_confirm_with_options_changed_after_the_preview_creates_nothing(clerk_client, make_customer):
    customer = make_customer(**CONSENTED)
    options = {"questionnaire": str(load_reference_questionnaire().id), "channel": "sms",
               "sample_percent": "100", "exclude_days": "0",
               "expires_on": (dt.date.today() + dt.timedelta(days=5)).isoformat(), "previewed": "stale"}
    response = clerk_client.post(f"/admin/customer/survey/?ids={customer.id}", data={**options, "step": "confirm"})
    assert response.status_code == 200 and SurveyBatch.select().count() == 0


def test_bad_options_are_refused_with_a_message(clerk_client, make_customer):
    customer = make_customer(**CONSENTED)
    options = {"questionnaire": str(load_reference_questionnaire().id), "channel": "email",
               "sample_percent": "0", "exclude_days": "0", "expires_on": dt.date.today().isoformat(),
               "step": "confirm"}
    page = clerk_client.post(f"/admin/customer/survey/?ids={customer.id}", data=options).get_data(as_text=True)
    assert page.count("invalid-feedback") == 2 and SurveyBatch.select().count() == 0


@pytest.mark.parametrize("role, status", [("technician", 403), ("supervisor", 403), ("quality", 200)])
def test_only_allowed_roles_may_dispatch(login_as, make_customer, role, status):
    customer = make_customer(**CONSENTED)
    load_reference_questionnaire()
    assert login_as(role).get(f"/admin/customer/survey/?ids={customer.id}").status_code == status


def test_customer_list_offers_survey_all_matching_with_the_query(clerk_client):
    page = clerk_client.get("/admin/customer/?search=华东").get_data(as_text=True)
    assert "/admin/customer/survey/?search=" in page


def test_phone_list_export_has_links_and_text_and_no_formulas(clerk_client, make_customer):
    customer = make_customer(name="=HYPERLINK(\"http://evil\")", consent_date=dt.date(2025, 1, 1))
    batch = dispatch([customer.id], channel="phone")
    response = clerk_client.get(f"/admin/surveybatch/contacts/{batch.id}")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    row = [cell for cell in sheet[2]]
    assert row[2].value == customer.name and row[2].data_type == "s"
    token = Invitation.get().token
    assert row[5].value.endswith(f"/s/{token}") and token in row[6].value
    assert row[4].value == customer.phone


def test_send_survey_action_on_selected_rows_opens_the_preview(clerk_client, make_customer):
    ids = [make_customer(**CONSENTED).id for _ in range(2)]
    response = clerk_client.post("/admin/customer/action/", data={"action": "survey", "rowid": ids})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/customer/survey/?ids={ids[0]}&ids={ids[1]}")


@pytest.mark.parametrize("language", ["zh_Hans_CN", "en"])
def test_the_preview_names_the_filters_in_words_not_url_arguments(app, login_as, language):
    """The dispatch page says which customers it will survey as the list's filter menu does."""
    from flask_admin.babel import gettext as admin_gettext
    from flask_babel import force_locale
    from flask_babel import gettext as _
    from language_sweep import visible_texts
    from panel_specs import admin_view, filter_arg

    key = filter_arg(admin_view(app, "customer"), Customer.grade, "FilterEqual")
    page = login_as("clerk", language=language).get(f"/admin/customer/survey/?flt0_{key}=A&search=华东")
    text = " ".join(visible_texts(page.get_data(as_text=True)))
    with app.test_request_context(), force_locale(language):
        words = [_("Credit grade"), admin_gettext("equals"), "华东"]
    assert f"flt0_{key}=A" not in text
    assert all(str(word) in text for word in words)
