"""The public survey page /s/<token>: tokens, expiry, validation, one answer, complaints, rate limit."""
import base64
import datetime as dt

import peewee as pw
import pytest
from survey_helpers import CONSENTED, answer_data, dispatch

from models import Answer, Complaint, Invitation, Response


@pytest.fixture(autouse=True)
def _app(app):
    return app


@pytest.fixture()
def invitation(make_customer):
    batch = dispatch([make_customer(**CONSENTED).id])
    return Invitation.get(Invitation.batch == batch.id)


def _bits(token):
    return len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8


def test_tokens_are_long_random_unique_and_unrelated_to_their_neighbours(make_customer):
    ids = [make_customer(**CONSENTED).id for _ in range(40)]
    tokens = [i.token for i in Invitation.select().where(Invitation.batch == dispatch(ids).id).order_by(Invitation.id)]
    assert len(tokens) == 40 and len(set(tokens)) == 40
    assert isinstance(Invitation.select().first().created_at, dt.datetime)  # bulk insert keeps typed columns
    assert all(_bits(t) >= 128 for t in tokens)
    for left, right in zip(tokens, tokens[1:], strict=False):
        a, b = (int.from_bytes(base64.urlsafe_b64decode(t + "=" * (-len(t) % 4)), "big") for t in (left, right))
        assert bin(a ^ b).count("1") > 40  # neighbours share no structure: ~half of 192 bits differ
        assert left[:6] != right[:6]


def test_the_database_refuses_a_duplicate_token(invitation, make_customer):
    other = make_customer(**CONSENTED)
    with pytest.raises(pw.IntegrityError):
        Invitation.create(batch=invitation.batch, customer=other, token=invitation.token)


def test_unknown_token_is_404_without_a_login_wall(client):
    response = client.get("/s/not-a-real-token-0123456789abcdef")
    assert response.status_code == 404
    assert "Location" not in response.headers
    assert "survey-unknown" in response.get_data(as_text=True)


def test_page_is_chinese_by_default_with_an_english_switch(client, invitation):
    page = client.get(f"/s/{invitation.token}").get_data(as_text=True)
    assert "顾客满意度调查表" in page and "产品外观与包装" in page and "很满意" in page
    page = client.get(f"/s/{invitation.token}?lang=en").get_data(as_text=True)
    assert "Product appearance and packaging" in page


def test_an_answer_is_stored_once_and_the_link_then_shows_a_clear_page(client, invitation):
    questionnaire = invitation.batch.questionnaire
    first = client.post(f"/s/{invitation.token}", data=answer_data(questionnaire, comment="很好"))
    assert first.status_code == 200 and "survey-thanks" in first.get_data(as_text=True)
    response = Response.get()
    assert response.customer_id == invitation.customer_id and response.comment == "很好"
    assert Answer.select().where(Answer.response == response.id).count() == 6
    again = client.post(f"/s/{invitation.token}", data=answer_data(questionnaire, level="unsatisfied"))
    assert again.status_code == 409 and "survey-used" in again.get_data(as_text=True)
    assert client.get(f"/s/{invitation.token}").status_code == 200
    assert Response.select().count() == 1 and Response.get().overall == "very_satisfied"


def test_expired_link_answers_410(client, make_customer):
    batch = dispatch([make_customer(**CONSENTED).id], expires_on=dt.date.today() - dt.timedelta(days=1))
    token = Invitation.get(Invitation.batch == batch.id).token
    for response in (client.get(f"/s/{token}"), client.post(f"/s/{token}", data={"overall": "fair"})):
        assert response.status_code == 410
        assert "survey-expired" in response.get_data(as_text=True)
    assert Response.select().count() == 0


@pytest.mark.parametrize("change", [
    {"overall": ""},                       # overall rating missing
    {"overall": "excellent"},              # not one of the five levels
    {"first_item": ""},                    # an item left out
    {"comment": "长" * 2001},               # comment too long
    {"comment": "好\x00"},                  # a control character (PostgreSQL would refuse the NUL at commit)
])
def test_invalid_answers_are_refused_with_a_message_and_nothing_saved(client, invitation, change):
    questionnaire = invitation.batch.questionnaire
    data = answer_data(questionnaire)
    if "first_item" in change:
        data.pop(f"item_{questionnaire.ordered_items()[0].id}")
    else:
        data.update(change)
    response = client.post(f"/s/{invitation.token}", data=data)
    assert response.status_code == 422
    assert "form-errors" in response.get_data(as_text=True)
    assert Response.select().count() == 0
    assert Invitation.get_by_id(invitation.id).answered_at is None


def test_typed_text_is_stored_as_on_every_form(client, invitation):
    """Full-width letters and digits from a Chinese input method are stored in their ASCII forms, trimmed."""
    questionnaire = invitation.batch.questionnaire
    client.post(f"/s/{invitation.token}", data=answer_data(questionnaire, comment="　服务很好，ＡＢＣ１２３　"))
    assert Response.get().comment == "服务很好,ABC123"


def test_a_post_without_the_csrf_token_is_refused(client, invitation):
    response = client.post(f"/s/{invitation.token}", data=answer_data(invitation.batch.questionnaire), csrf=False)
    assert response.status_code == 400
    assert Response.select().count() == 0


@pytest.mark.parametrize("where", ["overall", "item"])
def test_a_dissatisfied_answer_opens_a_complaint_for_the_quality_department(client, invitation, make_user, where):
    quality = make_user("quality")
    questionnaire = invitation.batch.questionnaire
    service = next(i for i in questionnaire.ordered_items() if i.code == "service")
    data = answer_data(questionnaire, level="satisfied")
    if where == "overall":
        data["overall"] = "very_unsatisfied"
    else:
        data[f"item_{service.id}"] = "very_unsatisfied"
        data[f"remark_{service.id}"] = "上门太慢"
    client.post(f"/s/{invitation.token}", data=data)
    complaint = Complaint.get()
    response = Response.get()
    assert response.complaint_id == complaint.id
    assert complaint.customer_id == invitation.customer_id and complaint.owner_id == quality.id
    assert complaint.investigation_due is not None
    if where == "item":
        assert "上门太慢" in complaint.content and complaint.complaint_type == "service_quality"


def test_a_satisfied_answer_opens_no_complaint(client, invitation):
    client.post(f"/s/{invitation.token}", data=answer_data(invitation.batch.questionnaire, level="unsatisfied"))
    assert Response.select().count() == 1 and Complaint.select().count() == 0


def test_repeated_requests_from_one_address_are_rate_limited(app, client, invitation):
    app.config["SURVEY_RATE_LIMIT"] = 3
    codes = [client.get(f"/s/{invitation.token}").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    other = client.get(f"/s/{invitation.token}", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200
