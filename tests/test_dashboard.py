"""Dashboard figures against constructed data, and every number equal to the list it links to."""
import datetime as dt
import html
import re

import pytest

from admin_app.services.workflow import dashboard
from models import Complaint, Customer, Feedback, Repair

TODAY = dt.date.today()
THIS_MONTH = dt.datetime.combine(TODAY.replace(day=1), dt.time(9, 0))
LINK = re.compile(r'<a href="(/admin/[^"]+\?[^"]+)">(\d+)</a>')
LIST_COUNT = re.compile(r'class="nav-link active">[^<(]*(?:\((\d+)\))?</a>')


@pytest.fixture()
def constructed(make_customer, make_record):
    """Ten active customers, five complaints this month (four closed), one old complaint, grades, reports."""
    customers = [make_customer(grade=g, next_report_due=TODAY.replace(day=1) if g == "A" else None)
                 for g in ("A", "A", "B", "C", "C", "C", "C", "C", "C", "C")]
    for i, customer in enumerate(customers[:5]):
        make_record(Complaint, customer=customer, received_at=THIS_MONTH, status="closed" if i < 4 else "received",
                    complaint_type="product_quality" if i < 3 else "service_attitude",
                    investigation_due=TODAY - dt.timedelta(days=1))
    for customer in customers[5:]:
        make_record(Feedback, customer=customer, feedback_date=TODAY)
    old = make_customer(grade="B")
    make_record(Complaint, customer=old, received_at=THIS_MONTH - dt.timedelta(days=400))
    make_record(Repair, customer=customers[0], received_at=dt.datetime.now() - dt.timedelta(days=2),
                response_due=dt.datetime.now() - dt.timedelta(days=1))
    return customers


def test_figures_match_the_constructed_data(app, constructed):
    figures = dashboard.figures(TODAY)
    assert figures["resolution"] == (4, 5, 80.0)
    assert figures["complaint_rate"] == (5, 10, 50.0)  # the 400-day-old complaint and its customer are outside
    assert figures["grades"] == {"A": 2, "B": 2, "C": 7}
    assert figures["reports_due"] == 2
    assert figures["complaints_by_month"]["product_quality"][-1] == 3
    assert figures["complaints_by_month"]["service_attitude"][-1] == 2
    assert figures["workload"][Complaint] == {"open": 2, "overdue": 1}  # the old one has no due date
    assert figures["workload"][Repair] == {"open": 1, "overdue": 1}


def test_every_linked_number_equals_the_list_behind_it(app, constructed, admin_client):
    page = admin_client.get("/admin/").get_data(as_text=True)
    links = LINK.findall(page)
    assert len(links) >= 12
    for url, number in links:
        listing = admin_client.get(html.unescape(url)).get_data(as_text=True)
        shown = LIST_COUNT.search(listing)
        assert shown, url
        assert int(shown.group(1) or 0) == int(number), url


def test_dashboard_uses_the_vendored_chart_library_and_no_cdn(app, clerk_client):
    page = clerk_client.get("/admin/").get_data(as_text=True)
    assert "/static/vendor/chart.umd.min.js" in page and "cdn" not in page.lower()
    assert clerk_client.get("/static/vendor/chart.umd.min.js").status_code == 200


def test_satisfaction_without_survey_data_says_so(app, clerk_client):
    assert 'id="satisfaction-none"' in clerk_client.get("/admin/").get_data(as_text=True)


def test_satisfaction_rate_from_survey_responses(app, make_customer):
    survey = pytest.importorskip("models.survey")
    questionnaire = survey.Questionnaire.create(code="Q4", title="年度调查")
    customer = make_customer()
    for level in ("very_satisfied", "fair", "fair", "unsatisfied"):
        survey.Response.create(questionnaire=questionnaire, customer=customer, overall=level)
    assert dashboard.satisfaction_by_month(dashboard.months(TODAY))[-1] == (3, 4, 75.0)


def test_lists_a_role_cannot_open_are_not_linked(app, technician_client, constructed):
    page = technician_client.get("/admin/").get_data(as_text=True)
    assert "/admin/complaint/?" not in page and 'data-endpoint="complaint"' not in page
    assert Customer.select().count() == 11


def test_figures_of_a_field_hidden_from_the_role_are_not_linked(app, clerk_client, constructed):
    from models import RolePermission

    assert "/admin/customer/?flt0_" in clerk_client.get("/admin/").get_data(as_text=True)
    RolePermission.create(role="clerk", endpoint="customer", operation="field", field="grade", access="hidden")
    page = clerk_client.get("/admin/").get_data(as_text=True)
    grades = re.search(r'<ul class="list-unstyled mt-2" id="grades">(.*?)</ul>', page, re.S).group(1)
    assert "<a " not in grades and "A: 2" in grades  # the count stays, the link to an ignored filter goes


def _shown(page, element_id):
    return re.search(rf'id="{element_id}"[^>]*>(.*?)</', page, re.S).group(1)


def test_year_figures_are_reused_with_their_time_while_open_work_is_live(app, constructed, manager_client,
                                                                         make_record):
    """The year-long figures are reused for DASHBOARD_CACHE_SECONDS and say when they were computed."""
    app.config["DASHBOARD_CACHE_SECONDS"] = 300
    before = manager_client.get("/admin/").get_data(as_text=True)
    make_record(Complaint, customer=constructed[0], received_at=THIS_MONTH, status="closed")
    make_record(Complaint, customer=constructed[1], received_at=THIS_MONTH, status="received",
                investigation_due=TODAY - dt.timedelta(days=2))
    again = manager_client.get("/admin/").get_data(as_text=True)
    assert _shown(again, "resolution-rate") == _shown(before, "resolution-rate") == "80.0%"
    assert _shown(again, "as-of") == _shown(before, "as-of")
    assert re.search(r"\d\d:\d\d:\d\d", _shown(again, "as-of"))
    complaint_card = re.compile(r'data-endpoint="complaint".*?wf-open">.*?>(\d+)<.*?wf-overdue-count">.*?>(\d+)<', re.S)
    assert complaint_card.search(before).groups() == ("2", "1")
    assert complaint_card.search(again).groups() == ("3", "2")  # open and overdue work is counted live

    app.config["DASHBOARD_CACHE_SECONDS"] = 0
    fresh = manager_client.get("/admin/").get_data(as_text=True)
    assert _shown(fresh, "resolution-rate") == "71.4%"  # 5 of 7 closed


def test_open_counts_follow_the_lifecycle_terminal_statuses(app, make_customer, make_record):
    """Open = every status but the lifecycle's terminal ones, counted through the status index."""
    from admin_app.services.workflow.deadlines import WORKFLOW_MODELS, open_condition
    from admin_app.services.workflow.states import machine_for

    customer = make_customer()
    for model in WORKFLOW_MODELS:
        machine = machine_for(model)
        for status in machine.statuses():
            make_record(model, customer=customer, status=status)
        expected = len(machine.statuses()) - len(machine.terminal)
        assert model.select().where(open_condition(model)).count() == expected, model
        assert model.select().where(~open_condition(model)).count() == len(machine.terminal), model
