"""The follow-up register (回访登记, issue 14 item 11) and the paper questionnaire entered back by a clerk."""
import datetime as dt
import html
import io
import re

import openpyxl
import pytest

from admin_app.services.forms import followups
from admin_app.services.surveys.survey import load_reference_questionnaire
from models import ArchiveRecord, Complaint, Invitation, Repair, Response, SurveyBatch
from models.workflow import TransitionLog
from tests.survey_helpers import answer_data

MONDAY = dt.date(2026, 11, 2)


@pytest.fixture()
def register_data(app, make_record, make_user, make_customer):
    """A complaint waiting for its follow-up, one followed up, a confirmed repair, a phone-list survey, a visit."""
    wang, li = make_user("clerk", display_name="王丽"), make_user("clerk", display_name="李强")
    waiting = make_record(Complaint, status="customer_informed", owner=wang)
    TransitionLog.create(table="complaint", record_id=waiting.id, transition="inform",
                         from_status="resolution_proposed", to_status="customer_informed",
                         at=dt.datetime.combine(MONDAY, dt.time(10)))
    done = make_record(Complaint, status="followed_up", owner=li, followup_method="on_site",
                       followup_date=dt.date(2026, 11, 6), followup_satisfaction="satisfied")
    repair = make_record(Repair, status="confirmed", owner=li,
                         customer_confirmed_at=dt.datetime.combine(MONDAY, dt.time(15)))
    questionnaire = load_reference_questionnaire()
    batch = SurveyBatch.create(questionnaire=questionnaire, channel="phone", created_by=wang,
                               expires_on=dt.date(2026, 11, 20))
    Invitation.create(batch=batch, customer=make_customer(), token="tok-followup-1")
    visit = make_record(ArchiveRecord, kind="visit", owner=wang, entry_date=dt.date(2026, 11, 3),
                        satisfaction="very_satisfied", content="上门拜访")
    return {"waiting": waiting, "done": done, "repair": repair, "batch": batch, "visit": visit, "wang": wang,
            "li": li}


def test_register_gathers_every_source_with_due_owner_method_outcome(app, register_data):
    """001/004 第12篇 5.6.1 (complaint follow-up by phone or on site) and 002 第四篇 5 (接件员…做好回访): one list with
    due date, owner, method and outcome; an open follow-up is due 3 working days after the customer was informed
    or confirmed the repair."""
    with app.test_request_context():
        lines = {(line.kind, line.record_id): line for line in followups.register(today=dt.date(2026, 11, 4))}
        waiting = lines[("complaint", register_data["waiting"].id)]
        assert (waiting.due, waiting.owner, waiting.done_on) == (dt.date(2026, 11, 5), "王丽", None)
        done = lines[("complaint", register_data["done"].id)]
        assert (done.method, done.done_on, done.outcome, done.owner) == ("on_site", dt.date(2026, 11, 6), "比较满意",
                                                                         "李强")
        repair = lines[("repair", register_data["repair"].id)]
        assert (repair.due, repair.method) == (dt.date(2026, 11, 5), "phone")
        survey = lines[("survey", register_data["batch"].id)]
        assert (survey.due, survey.method, survey.owner) == (dt.date(2026, 11, 20), "phone", "王丽")
        visit = lines[("visit", register_data["visit"].id)]
        assert (visit.method, visit.done_on, visit.outcome) == ("on_site", dt.date(2026, 11, 3), "很满意")


def test_register_states_follow_the_due_date(register_data):
    """A follow-up past its due date and not done is overdue; on its due date it is still open."""
    on_due = {line.record_id: line.state(dt.date(2026, 11, 5))
              for line in followups.register(kinds=("complaint",), today=dt.date(2026, 11, 5))}
    assert on_due[register_data["waiting"].id] == "open" and on_due[register_data["done"].id] == "done"
    late = followups.register(kinds=("complaint",), state="overdue", today=dt.date(2026, 11, 6))
    assert [line.record_id for line in late] == [register_data["waiting"].id]


@pytest.mark.parametrize(("query", "expected"), [
    ("method=on_site", {("complaint", "done"), ("visit", "visit")}),
    ("owner={li}", {("complaint", "done"), ("repair", "repair")}),
    ("due_from=2026-11-06&due_to=2026-11-30", {("complaint", "done"), ("survey", "batch")}),
    ("kind=visit", {("visit", "visit")}),
])
def test_register_filters_by_owner_due_and_method(manager_client, register_data, query, expected):
    """The register filters by owner, due date and method, and the export follows the same filters."""
    query = query.format(li=register_data["li"].id)
    page = manager_client.get(f"/admin/followups/?{query}").get_data(as_text=True)
    wanted = {f"/admin/{_endpoint(kind)}/details/?id={register_data[key].id}" for kind, key in expected}
    shown = set(re.findall(r'href="(/admin/[a-z]+/details/\?id=\d+)"', html.unescape(page)))
    assert shown == wanted
    book = openpyxl.load_workbook(io.BytesIO(manager_client.get(f"/admin/followups/export.xlsx?{query}").data))
    rows = [r for r in book.active.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(rows) if row[0] == "类别")
    assert len(rows) - header - 1 == len(expected)


def _endpoint(kind):
    return {"complaint": "complaint", "repair": "repair", "survey": "surveybatch", "visit": "archiverecord"}[kind]


def test_register_rejects_malformed_filters(manager_client):
    """A malformed date or an unknown method is refused, not silently ignored."""
    assert manager_client.get("/admin/followups/?due_from=2026-02-30").status_code == 400
    assert manager_client.get("/admin/followups/?method=fax").status_code == 400


@pytest.mark.parametrize(("role", "status"), [("clerk", 200), ("quality", 200), ("technician", 403)])
def test_register_is_role_checked(login_as, role, status):
    """The register is an office page; technicians do not open it."""
    assert login_as(role).get("/admin/followups/").status_code == status


def test_register_shows_only_sources_the_role_may_read(login_as, register_data):
    """Quality reads complaints and repairs but not the archive: no visit lines for it."""
    page = login_as("quality").get("/admin/followups/").get_data(as_text=True)
    assert f"/admin/complaint/details/?id={register_data['waiting'].id}" in page
    assert "/admin/archiverecord/details/" not in page


def test_paper_questionnaire_prints_and_is_entered_back(clerk_client, make_customer, make_user):
    """004 第12篇 5.8.2 c (本公司业务人员拜访的顾客,在拜访时实施满意度调查) and 5.8.3 (each item with 很满意 …
    不满意 and room for remarks; a 客户总体评价 row): the clerk prints the questionnaire for a visit, then enters the
    returned sheet; it is saved as a paper questionnaire and lands on the register as an on-site follow-up."""
    make_user("quality")
    customer = make_customer(name="上海誉丰商贸", owner=clerk_client.user)  # the visiting clerk looks after it
    questionnaire = load_reference_questionnaire()
    page = clerk_client.get(f"/admin/print/survey/{customer.id}/").get_data(as_text=True)
    assert "顾客满意度调查表" in page and "上海誉丰商贸" in page
    for item in questionnaire.ordered_items():
        assert item.text in page
    assert page.count("<span>很满意</span>") == len(questionnaire.ordered_items()) + 1
    entry = html.unescape(re.search(r'href="([^"]+)" id="enter-paper"', page).group(1))
    assert 'id="paper-entry"' in clerk_client.get(entry).get_data(as_text=True)
    assert clerk_client.post(entry, data=answer_data(questionnaire, level="satisfied")).status_code == 302
    response = Response.get()
    assert response.source == "paper" and response.reference.startswith(f"V{customer.id}-")
    with clerk_client.application.test_request_context():
        line = followups.register(kinds=("survey",))[0]
    assert (line.method, line.done_on, line.owner_id) == ("on_site", response.submitted_at.date(),
                                                          clerk_client.user.id)


def test_paper_questionnaire_needs_survey_entry_rights(login_as, make_customer):
    """Only roles that may enter survey answers print the paper questionnaire."""
    load_reference_questionnaire()
    assert login_as("technician").get(f"/admin/print/survey/{make_customer().id}/").status_code == 403
