"""Survey statistics: the seed formula, the statistics page, the 满意率统计表 export."""
import io

import openpyxl
import pytest
from survey_helpers import CONSENTED, dispatch

from admin_app.services.surveys import survey_stats as st
from admin_app.services.surveys.survey import record_response
from models import Invitation


@pytest.fixture(autouse=True)
def _app(app):
    return app


@pytest.mark.parametrize("levels, expected", [
    ({"very_satisfied": 3, "satisfied": 1, "fair": 1, "unsatisfied": 1, "very_unsatisfied": 1}, 71.4),
    ({"fair": 9, "unsatisfied": 1}, 90.0),
    ({"unsatisfied": 2, "very_unsatisfied": 2}, 0.0),
    ({}, None),
])
def test_satisfaction_rate_is_fairly_satisfied_or_better_over_all_returned(levels, expected):
    figures = st.summary(levels, sent=20, answered=sum(levels.values()))
    assert figures["satisfaction_rate"] == expected
    assert figures["returned"] == sum(levels.values())


def test_zero_answers_and_zero_sent_show_a_dash_not_an_error():
    figures = st.summary({}, sent=0, answered=0)
    assert figures["response_rate"] is None and figures["satisfaction_rate"] is None
    assert st.shown(figures["satisfaction_rate"]) == "—" and st.shown(66.666) == "66.7%"


def _answer(invitation, overall, items=None):
    questionnaire = invitation.batch.questionnaire
    answers = {item.id: ((items or {}).get(item.code, overall), "") for item in questionnaire.ordered_items()}
    record_response(questionnaire, invitation.customer_id, overall, answers, invitation=invitation)


@pytest.fixture()
def answered_batch(make_customer):
    """A batch of 5 invitations: 3 answered (very satisfied, fair, not very satisfied)."""
    batch = dispatch([make_customer(**CONSENTED).id for _ in range(5)])
    invitations = list(Invitation.select().where(Invitation.batch == batch.id).order_by(Invitation.id))
    _answer(invitations[0], "very_satisfied", {"design": "unsatisfied"})
    _answer(invitations[1], "fair")
    _answer(invitations[2], "unsatisfied")
    return batch


def test_batch_figures_from_stored_answers(answered_batch):
    figures = st.batch_summary(answered_batch)
    assert (figures["sent"], figures["answered"], figures["returned"], figures["satisfied"]) == (5, 3, 3, 2)
    assert figures["response_rate"] == 60.0 and figures["satisfaction_rate"] == 66.7
    design = next(row for row in st.item_distribution(st.Response.questionnaire.is_null(False))
                  if row[0] == "产品设计")
    assert design[1]["unsatisfied"] == 2 and design[1]["fair"] == 1 and design[2] == 33.3


def test_monthly_figures_group_sent_and_answered_by_month(answered_batch):
    (month, figures), = st.monthly()
    assert month == answered_batch.created_at.strftime("%Y-%m")
    assert (figures["sent"], figures["answered"], figures["satisfaction_rate"]) == (5, 3, 66.7)


def test_statistics_page_shows_the_rates_and_changes_when_an_answer_arrives(quality_client, answered_batch):
    page = quality_client.get(f"/admin/surveystats/?batch={answered_batch.id}").get_data(as_text=True)
    assert 'class="satisfaction-rate text-danger">66.7%<' in page and 'class="response-rate">60.0%<' in page
    assert "vendor/chart.umd.min.js" in page and "survey-chart-data" in page
    last = Invitation.select().where(Invitation.answered_at.is_null()).first()
    _answer(last, "satisfied")
    page = quality_client.get(f"/admin/surveystats/?batch={answered_batch.id}").get_data(as_text=True)
    assert 'class="satisfaction-rate text-danger">75.0%<' in page and 'class="response-rate">80.0%<' in page


def test_statistics_page_without_answers_shows_dashes(quality_client, make_customer):
    batch = dispatch([make_customer(**CONSENTED).id])
    page = quality_client.get(f"/admin/surveystats/?batch={batch.id}").get_data(as_text=True)
    assert 'class="satisfaction-rate ">—<' in page
    assert quality_client.get("/admin/surveystats/").status_code == 200


def test_statistics_are_closed_to_technicians(technician_client):
    assert technician_client.get("/admin/surveystats/").status_code == 403


@pytest.mark.parametrize("query", ["", "?batch={batch}", "?questionnaire={questionnaire}"])
def test_export_is_the_satisfaction_rate_table(quality_client, answered_batch, query):
    url = "/admin/surveystats/export" + query.format(batch=answered_batch.id,
                                                    questionnaire=answered_batch.questionnaire_id)
    book = openpyxl.load_workbook(io.BytesIO(quality_client.get(url).data))
    sheet = book.worksheets[0]
    assert "满意率统计表" in sheet["A1"].value
    values = [cell.value for cell in sheet[4]]
    assert values[1:4] == [5, 3, "60.0%"] and "66.7%" in values
    items = [row[0].value for row in book.worksheets[1].iter_rows(min_row=2)]
    assert "产品外观与包装" in items
