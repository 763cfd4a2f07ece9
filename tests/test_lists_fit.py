"""Lists that fit: page-size words, a column chooser per user, an owner filter with "me", names instead of ids."""
import html
import json
import re

import panel_specs
import pytest
from panel_specs import SPECS, admin_view, make_row, row_ids, spec_id

from models import Complaint, Feedback, ListColumns, Response
from views.owner_filter import OwnerFilter

app, module_app, fast_password_hashing = panel_specs.app, panel_specs.module_app, panel_specs.fast_password_hashing
HEADER_RE = re.compile(r'<th class="[^"]*column-header col-([\w-]+)')


def _headers(page):
    return HEADER_RE.findall(page)


@pytest.mark.parametrize(("language", "words", "foreign"), [("zh_Hans_CN", "每页 20 条", "项目"),
                                                             ("en", "20 per page", "20 items")])
@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
def test_the_page_size_menu_says_per_page_in_the_users_language(clerk_client, spec, language, words, foreign):
    page = clerk_client.get(f"/admin/{spec.endpoint}/?lang={language}").get_data(as_text=True)
    menu = page[page.index("page-size-menu"):]
    menu = menu[:menu.index("</li>")]
    assert words in menu and foreign not in menu
    assert "50 per page" in menu or "每页 50 条" in menu


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
def test_a_user_picks_the_columns_of_a_list_and_keeps_them(login_as, make_customer, make_record, spec):
    clerk, colleague = login_as("clerk"), login_as("clerk")
    make_row(spec, make_customer, make_record)
    everything = _headers(clerk.get(f"/admin/{spec.endpoint}/").get_data(as_text=True))
    wanted = everything[1:3]
    came_from = f"/admin/{spec.endpoint}/?sort=1&page_size=50"
    response = clerk.post(f"/admin/{spec.endpoint}/columns/", data={"columns": wanted, "url": came_from})
    assert response.status_code == 302 and response.location == came_from  # back to the list as it was
    assert _headers(clerk.get(f"/admin/{spec.endpoint}/").get_data(as_text=True)) == wanted
    assert _headers(clerk.get(f"/admin/{spec.endpoint}/?page=0").get_data(as_text=True)) == wanted
    assert _headers(colleague.get(f"/admin/{spec.endpoint}/").get_data(as_text=True)) == everything  # per user
    clerk.post(f"/admin/{spec.endpoint}/columns/", data={"columns": everything})  # all ticked: forgotten
    assert _headers(clerk.get(f"/admin/{spec.endpoint}/").get_data(as_text=True)) == everything
    assert not ListColumns.select().where(ListColumns.endpoint == spec.endpoint).exists()


def test_a_column_the_role_may_not_see_cannot_be_chosen_back(login_as, make_customer):
    clerk = login_as("clerk")
    clerk.post("/admin/customer/columns/", data={"columns": ["name", "no_such_column", "password_hash"]})
    assert ListColumns.chosen(clerk.user.id, "customer") == ["name"]


def test_choosing_columns_needs_csrf(clerk_client):
    assert clerk_client.post("/admin/customer/columns/", data={"columns": ["name"]}, csrf=False).status_code == 400
    assert not ListColumns.select().exists()


def test_a_saved_views_columns_come_before_the_users_choice(clerk_client, make_customer):
    make_customer()
    clerk_client.post("/admin/customer/columns/", data={"columns": ["name", "phone"]})
    page = clerk_client.get("/admin/customer/?columns=name,grade").get_data(as_text=True)
    assert _headers(page) == ["name", "grade"]


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
def test_every_list_with_owners_filters_by_owner_and_by_me(app, login_as, make_customer, make_record, spec):
    clerk = login_as("clerk")
    colleague = login_as("clerk", display_name="王丽")
    mine = make_row(spec, make_customer, make_record, owner=clerk.user.id)
    theirs = make_row(spec, make_customer, make_record, owner=colleague.user.id)
    view = admin_view(app, spec.endpoint)
    index = next(i for i, f in enumerate(view._filters) if isinstance(f, OwnerFilter))
    listing = clerk.get(f"/admin/{spec.endpoint}/").get_data(as_text=True)
    groups = json.loads(html.unescape(re.search(r'id="filter-groups-data"[^>]*>(.*?)</div>', listing).group(1)))
    options = dict(groups["负责人"][0]["options"])
    assert options["me"] == "我" and options[str(colleague.user.id)] == "王丽"  # offered by name, "me" first
    for value, expected in (("me", mine), (str(colleague.user.id), theirs)):
        ids = row_ids(clerk.get(f"/admin/{spec.endpoint}/?flt0_{index}={value}"))
        assert ids == [expected.id]
    assert row_ids(colleague.get(f"/admin/{spec.endpoint}/?flt0_{index}=me")) == [theirs.id]  # "me" is the viewer


def test_a_tampered_owner_filter_value_is_ignored_not_an_error(app, clerk_client):
    index = next(i for i, f in enumerate(admin_view(app, "customer")._filters) if isinstance(f, OwnerFilter))
    assert clerk_client.get(f"/admin/customer/?flt0_{index}=1%20OR%201=1").status_code == 200


def test_a_complaint_shows_its_feedback_by_title_and_customer_as_a_link(manager_client, make_customer, make_record):
    feedback = make_record(Feedback, content="快递外箱破损严重", customer=make_customer(name="苏州恒远精密机械"))
    complaint = make_record(Complaint, feedback=feedback, customer=feedback.customer)
    page = manager_client.get(f"/admin/complaint/details/?id={complaint.id}").get_data(as_text=True)
    link = re.search(rf'<a href="/admin/feedback/details/\?id={feedback.id}">([^<]+)</a>', page)
    assert link and link.group(1) == "快递外箱破损严重（苏州恒远精密机械）"


def test_a_survey_answer_shows_the_complaint_it_opened_by_number_as_a_link(manager_client, make_customer,
                                                                           make_record):
    from admin_app.services.surveys.survey import load_reference_questionnaire

    complaint = make_record(Complaint, content="回访不满意")
    Response.create(questionnaire=load_reference_questionnaire(), customer=complaint.customer,
                    overall="very_unsatisfied", source="phone_followup", complaint=complaint)
    for path in ("/admin/surveyresponse/", f"/admin/surveyresponse/details/?id={Response.get().id}"):
        page = manager_client.get(path).get_data(as_text=True)
        assert f'<a href="/admin/complaint/details/?id={complaint.id}">#{complaint.id} 回访不满意</a>' in page


def test_my_work_rows_carry_the_record_link(clerk_client, make_record):
    complaint = make_record(Complaint, owner=clerk_client.user.id, content="我的投诉")
    page = clerk_client.get("/admin/mywork/").get_data(as_text=True)
    row = re.search(r'<tr data-href="([^"]+)" class="row-link">(.*?)</tr>', page, re.S)
    assert row and row.group(1) == f"/admin/complaint/details/?id={complaint.id}"
    assert "我的投诉" in row.group(2)


def test_a_dissatisfied_follow_up_names_the_complaint_it_opened_as_a_link(clerk_client, make_customer, make_user):
    """The message after a follow-up that opened a complaint links the complaint by its number."""
    from survey_helpers import answer_data

    from admin_app.services.surveys.survey import load_reference_questionnaire

    make_user("quality")
    questionnaire = load_reference_questionnaire()
    url = (f"/admin/surveyresponse/followup/?customer_id={make_customer().id}"
           f"&questionnaire_id={questionnaire.id}")
    response = clerk_client.post(url, data=answer_data(questionnaire, level="fair", overall="very_unsatisfied"))
    page = clerk_client.get(response.location).get_data(as_text=True)
    complaint = Complaint.get()
    assert f'<a href="/admin/complaint/details/?id={complaint.id}" class="alert-link">#{complaint.id}</a>' in page



def test_amounts_and_moments_read_as_people_write_them(manager_client, make_record):
    """A quote of 850 yuan reads 850.00 on the repair's page; a moment reads to the minute, in the list too."""
    import datetime as dt
    from decimal import Decimal

    from models import Repair

    repair = make_record(Repair, quote_amount=Decimal("850"), parts_cost=Decimal("12.5"),
                         received_at=dt.datetime(2026, 11, 3, 15, 30, 12))
    details = manager_client.get(f"/admin/repair/details/?id={repair.id}").get_data(as_text=True)
    assert "850.00" in details and "12.50" in details
    listing = manager_client.get("/admin/repair/").get_data(as_text=True)
    for page in (details, listing):
        assert "2026-11-03 15:30" in page and "15:30:12" not in page
