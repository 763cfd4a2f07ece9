"""Deadlines in the lists (highlight, overdue filter, menu badge), my work, and reassignment."""
import datetime as dt
import re

import pytest

from admin_app.services.workflow import deadlines
from models import Complaint, Feedback, Repair, ReturnExchange
from models.workflow import AssignmentLog, TransitionLog

TODAY = dt.date.today()
YESTERDAY = TODAY - dt.timedelta(days=1)
NOW = dt.datetime.now().replace(microsecond=0)


def _filter_arg(client, endpoint):
    """Return the URL argument of a list's deadline filter."""
    page = client.get(f"/admin/{endpoint}/").get_data(as_text=True)
    return re.search(r'"arg": "(\d+)", "index": \d+, "operation": "[^"]*", "options": \[\["overdue"', page).group(1)


@pytest.fixture()
def complaints(make_record):
    return {
        "late": make_record(Complaint, content="逾期投诉", investigation_due=YESTERDAY),
        "today": make_record(Complaint, content="今日到期投诉", investigation_due=TODAY),
        "later": make_record(Complaint, content="未到期投诉", investigation_due=TODAY + dt.timedelta(days=3)),
        "done": make_record(Complaint, content="已调查投诉", investigation_due=YESTERDAY, status="resolution_proposed"),
    }


def test_list_highlights_overdue_and_due_today_rows(app, clerk_client, complaints):
    page = clerk_client.get("/admin/complaint/").get_data(as_text=True)
    chunks = page.split("<tr")
    names = ("逾期投诉", "今日到期投诉", "未到期投诉", "已调查投诉")
    rows = {name: next(c for c in chunks if name in c) for name in names}
    assert "wf-overdue" in rows["逾期投诉"] and "wf-due-today" in rows["今日到期投诉"]
    assert "wf-" not in rows["未到期投诉"] and "wf-" not in rows["已调查投诉"]
    assert "tr:has(.wf-overdue)" in page  # the whole row is coloured


@pytest.mark.parametrize(("value", "shown"), [("overdue", {"逾期投诉"}), ("due_today", {"今日到期投诉"}),
                                              ("open", {"逾期投诉", "今日到期投诉", "未到期投诉", "已调查投诉"})])
def test_deadline_filter(app, clerk_client, complaints, value, shown):
    arg = _filter_arg(clerk_client, "complaint")
    page = clerk_client.get(f"/admin/complaint/?flt0_{arg}={value}").get_data(as_text=True)
    assert {name for name in ("逾期投诉", "今日到期投诉", "未到期投诉", "已调查投诉") if name in page} == shown


@pytest.mark.parametrize("endpoint", ["feedback", "complaint", "repair", "returnexchange"])
def test_every_workflow_list_has_the_deadline_filter(app, manager_client, endpoint):
    assert _filter_arg(manager_client, endpoint)


def test_overdue_conditions_for_every_record_type(app, make_record):
    old = TODAY - dt.timedelta(days=30)
    make_record(Feedback, feedback_date=old)
    make_record(Feedback, feedback_date=TODAY)
    make_record(Feedback, feedback_date=old, status="replied")
    make_record(Repair, received_at=NOW - dt.timedelta(hours=30), response_due=NOW - dt.timedelta(hours=6))
    make_record(Repair, received_at=NOW, response_due=NOW + dt.timedelta(days=1), status="assigned")
    late_return = make_record(ReturnExchange)
    ReturnExchange.update(created_at=NOW - dt.timedelta(days=30)).where(ReturnExchange.id == late_return.id).execute()
    make_record(ReturnExchange)
    assert [deadlines.overdue_count(m) for m in (Feedback, Repair, ReturnExchange)] == [1, 1, 1]
    assert deadlines.due_state(Feedback.get(Feedback.feedback_date == old, Feedback.status == "new")) == "overdue"


def test_menu_shows_the_overdue_count(app, clerk_client, complaints):
    page = clerk_client.get("/admin/feedback/").get_data(as_text=True)
    badge = re.search(r'/admin/complaint/">\s*[^<]*<span class="badge badge-danger wf-menu-badge">(\d+)</span>', page)
    assert badge and badge.group(1) == "1"


def test_my_work_lists_my_open_records_with_their_state(app, login_as, make_record, make_user):
    client = login_as("technician")
    me, other = client.user, make_user("clerk")
    make_record(Repair, technician=me, fault_reported="我的逾期维修", response_due=NOW - dt.timedelta(hours=1))
    make_record(Repair, owner=me, fault_reported="我的维修", response_due=NOW + dt.timedelta(days=2))
    make_record(Repair, owner=other, fault_reported="别人的维修")
    make_record(Repair, owner=me, fault_reported="已结维修", status="followed_up")
    page = client.get("/admin/mywork/").get_data(as_text=True)
    assert "我的逾期维修" in page and "我的维修" in page
    assert "别人的维修" not in page and "已结维修" not in page
    counts = re.search(r'data-model="repair">.*?class="open">(\d+).*?class="due-today">(\d+).*?class="overdue">(\d+)',
                       page, re.S)
    assert counts.groups() == ("2", "0", "1")
    assert page.index("我的逾期维修") < page.index("我的维修")  # most urgent first
    assert re.search(r'/admin/mywork/">[^<]*<span class="badge badge-danger wf-menu-badge">1</span>', page)


@pytest.mark.parametrize(("role", "is_owner", "allowed"), [
    ("manager", False, True), ("supervisor", False, True), ("clerk", True, True), ("clerk", False, False)])
def test_reassignment_is_recorded(app, login_as, make_record, make_user, role, is_owner, allowed):
    client = login_as(role)
    first, second = make_user("clerk"), make_user("clerk")
    complaint = make_record(Complaint, owner=client.user if is_owner else first)
    before = complaint.owner_id
    response = client.post(f"/admin/complaint/reassign/{complaint.id}", data={"owner": second.id, "note": "休假"})
    assert response.status_code == (302 if allowed else 403)
    fresh = Complaint.get_by_id(complaint.id)
    assert (fresh.owner_id == second.id) is allowed
    logs = list(AssignmentLog.select())
    if allowed:
        assert [(a.from_user_id, a.to_user_id, a.by_user_id, a.note) for a in logs] == [
            (before, second.id, client.user.id, "休假")]
        assert "休假" in client.get(f"/admin/complaint/details/?id={complaint.id}").get_data(as_text=True)
    else:
        assert logs == []


def test_owner_change_through_the_form_is_recorded(app, manager_client, make_record, make_user):
    new_owner = make_user("clerk")
    feedback = make_record(Feedback)
    form = {"customer": feedback.customer_id, "feedback_date": str(feedback.feedback_date), "reporter": "王先生",
            "channel": "phone", "category": "product_quality", "content": "热水器出水温度不稳定",
            "owner": new_owner.id, "row_version": feedback.version}
    response = manager_client.post(f"/admin/feedback/edit/?id={feedback.id}", data=form)
    assert response.status_code == 302
    log = AssignmentLog.get()
    assert (log.from_user_id, log.to_user_id, log.by_user_id) == (None, new_owner.id, manager_client.user.id)


@pytest.mark.parametrize(("target", "moved"), [("investigating", True), ("closed", False)])
def test_status_edited_in_the_list_grid_must_be_a_permitted_step(app, clerk_client, make_record, target, moved):
    complaint = make_record(Complaint)
    response = clerk_client.post("/admin/complaint/ajax/update/",
                                 data={"list_form_pk": complaint.id, "status": target})
    assert (response.status_code == 200) is moved
    assert (Complaint.get_by_id(complaint.id).status == target) is moved
    logs = [(t.from_status, t.to_status) for t in TransitionLog.select()]
    assert logs == ([("received", target)] if moved else [])


@pytest.mark.parametrize(("is_owner", "moved"), [(True, True), (False, False)])
def test_a_clerk_hands_on_only_own_records_through_the_form_and_grid(clerk_client, make_record, make_user,
                                                                      is_owner, moved):
    other, target = make_user("clerk"), make_user("clerk")
    complaint = make_record(Complaint, owner=clerk_client.user if is_owner else other)
    response = clerk_client.post("/admin/complaint/ajax/update/",
                                 data={"list_form_pk": complaint.id, "owner": target.id})
    assert response.status_code == (200 if moved else 400)
    assert moved or "营业主管" in response.get_data(as_text=True)  # the editor shows why
    assert (Complaint.get_by_id(complaint.id).owner_id == target.id) is moved
    assert AssignmentLog.select().count() == (1 if moved else 0)
