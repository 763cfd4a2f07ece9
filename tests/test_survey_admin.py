"""Survey administration: questionnaire revisions, phone follow-ups, batches, the outbox list."""
import pytest
from flask_babel import force_locale
from markupsafe import escape
from survey_helpers import CONSENTED, answer_data, dispatch

from admin_app.services.surveys.survey import load_reference_questionnaire, new_revision, record_response
from models import Complaint, OutboxMessage, QuestionItem, Questionnaire, Response
from views.survey import LOCKED


@pytest.fixture(autouse=True)
def _app(app):
    return app


def _answer_all(questionnaire, customer, level="satisfied"):
    answers = {item.id: (level, "") for item in questionnaire.ordered_items()}
    return record_response(questionnaire, customer, level, answers)


def test_reference_questionnaire_has_the_seed_items_and_loads_once():
    first = load_reference_questionnaire()
    assert [i.code for i in first.ordered_items()] == ["performance", "appearance", "design", "comparison",
                                                       "service", "suggestions"]
    assert load_reference_questionnaire().id == first.id and Questionnaire.select().count() == 1


def _edit(client, questionnaire, title):
    data = {"code": questionnaire.code, "title": title, "active": "y", "row_version": questionnaire.version}
    return client.post(f"/admin/questionnaire/edit/?id={questionnaire.id}", data=data, follow_redirects=True)


def test_an_unanswered_questionnaire_can_be_edited(quality_client):
    questionnaire = load_reference_questionnaire()
    _edit(quality_client, questionnaire, "新标题")
    assert Questionnaire.get_by_id(questionnaire.id).title == "新标题"


def test_an_answered_questionnaire_is_frozen_and_changed_through_a_new_revision(quality_client, make_customer):
    questionnaire = load_reference_questionnaire()
    _answer_all(questionnaire, make_customer())
    page = _edit(quality_client, questionnaire, "改过的标题").get_data(as_text=True)
    assert Questionnaire.get_by_id(questionnaire.id).title == "顾客满意度调查表"
    with force_locale("zh_Hans_CN"):
        assert str(escape(str(LOCKED))) in page
    item = questionnaire.ordered_items()[0]
    quality_client.post(f"/admin/questionitem/edit/?id={item.id}",
                        data={"questionnaire": questionnaire.id, "code": item.code, "text": "改",
                              "position": 1, "row_version": item.version})
    assert QuestionItem.get_by_id(item.id).text == item.text

    quality_client.post("/admin/questionnaire/action/", data={"action": "new_revision", "rowid": questionnaire.id})
    copy = Questionnaire.get(Questionnaire.revision == 2)
    assert copy.active and not Questionnaire.get_by_id(questionnaire.id).active
    assert [i.text for i in copy.ordered_items()] == [i.text for i in questionnaire.ordered_items()]
    _edit(quality_client, copy, "第二版")
    assert Questionnaire.get_by_id(copy.id).title == "第二版"


def test_new_revision_keeps_old_answers_pointing_at_the_old_items(make_customer):
    questionnaire = load_reference_questionnaire()
    response = _answer_all(questionnaire, make_customer())
    copy = new_revision(questionnaire)
    assert {a.item.questionnaire_id for a in response.answers} == {questionnaire.id}
    assert copy.revision == 2 and len(copy.ordered_items()) == 6


def test_clerk_enters_a_phone_follow_up_marked_as_such(clerk_client, make_customer, make_user):
    make_user("quality")
    customer = make_customer()
    questionnaire = load_reference_questionnaire()
    url = f"/admin/surveyresponse/followup/?customer_id={customer.id}&questionnaire_id={questionnaire.id}" \
          "&reference=维修单+%2312"
    assert "followup-form" in clerk_client.get(url).get_data(as_text=True)
    data = answer_data(questionnaire, level="fair", overall="very_unsatisfied", comment="回访：仍有噪音")
    assert clerk_client.post(url, data=data).status_code == 302
    response = Response.get()
    assert response.source == "phone_followup" and response.entered_by_id == clerk_client.user.id
    assert response.reference == "维修单 #12" and response.invitation is None
    assert Complaint.get().channel == "phone" and response.complaint_id


def test_follow_up_with_missing_answers_saves_nothing(clerk_client, make_customer):
    customer = make_customer()
    questionnaire = load_reference_questionnaire()
    url = f"/admin/surveyresponse/followup/?customer_id={customer.id}&questionnaire_id={questionnaire.id}"
    page = clerk_client.post(url, data={"overall": "fair"}).get_data(as_text=True)
    assert "alert-danger" in page and Response.select().count() == 0


def test_follow_up_is_closed_to_technicians(technician_client):
    assert technician_client.get("/admin/surveyresponse/followup/").status_code == 403


def test_batch_list_and_response_details_render(quality_client, make_customer):
    batch = dispatch([make_customer(**CONSENTED).id])
    page = quality_client.get("/admin/surveybatch/").get_data(as_text=True)
    assert f"/admin/surveystats/?batch={batch.id}" in page
    response = _answer_all(load_reference_questionnaire(), make_customer(), level="fair")
    details = quality_client.get(f"/admin/surveyresponse/details/?id={response.id}").get_data(as_text=True)
    assert "产品外观与包装" in details


def test_manager_requeues_failed_mail(manager_client, make_customer):
    dispatch([make_customer(**CONSENTED).id], message=("s", "head ", "http://x/s/", " tail"))
    OutboxMessage.update(status="failed", attempts=5).execute()
    message = OutboxMessage.get()
    manager_client.post("/admin/outboxmessage/action/", data={"action": "retry", "rowid": message.id})
    message = OutboxMessage.get_by_id(message.id)
    assert message.status == "pending" and message.attempts == 0
