"""Retention as written: kept at least 3 years, due by its rule, destroyed only through an approved list."""
import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from admin_app.services.trust import destruction, retention
from models import ArchiveRecord, ChangeLog, Complaint, DestructionItem, DestructionList

SEED = "004 第12篇 8.0: 記錄本程序中所要求的所有記錄至少保存3年,部門特殊要求除外."
TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _messages(app):
    with app.test_request_context("/?lang=en"):
        yield


def _entry_form(customer, entry_date, keep_until):
    return {"customer": str(customer.id), "kind": "document", "entry_date": str(entry_date),
            "content": "购销合同", "retention_until": str(keep_until) if keep_until else ""}


@pytest.mark.parametrize(("keep_until", "saved"), [
    (dt.date(2029, 1, 9), False), (dt.date(2029, 1, 10), True), (None, True)],
    ids=["a-day-short", "exactly-3-years", "none"])
def test_keep_until_earlier_than_three_years_is_refused(login_as, make_customer, keep_until, saved):
    """004 第12篇 8.0: 所有記錄至少保存3年 — a keep-until date before entry date + 3 years is a field error."""
    client = login_as("clerk", language="en")
    response = client.post("/admin/archiverecord/new/?lang=en",
                           data=_entry_form(make_customer(), dt.date(2026, 1, 10), keep_until))
    assert (ArchiveRecord.select().count() == 1) is saved
    if not saved:
        page = response.get_data(as_text=True)
        assert "the keep-until date cannot be earlier than 2029-01-10" in page


def test_keep_until_rule_holds_outside_the_form():
    """004 第12篇 8.0: 至少保存3年 — the same rule as a plain function for every path."""
    assert retention.keep_until_error(dt.date(2024, 2, 29), dt.date(2027, 2, 28)) is None  # 2027 has no 29 Feb
    assert retention.keep_until_error(dt.date(2024, 3, 1), dt.date(2027, 2, 28))


@pytest.mark.parametrize(("years_ago", "due"), [
    (relativedelta(years=3), True), (relativedelta(years=3, days=-1), False)], ids=["3-years", "a-day-less"])
def test_entry_without_keep_until_falls_due_three_years_after_its_date(make_record, years_ago, due):
    """004 第12篇 8.0: 至少保存3年 — due on the day 3 years after the entry date, not before."""
    entry = make_record(ArchiveRecord, entry_date=TODAY - years_ago)
    found = retention.due_entries(ArchiveRecord)
    assert ([e.record.id for e in found] == [entry.id]) is due
    if due:
        assert (found[0].rule, found[0].due_on) == ("entry_date", TODAY)


def test_recent_activity_of_the_customer_postpones_the_entry(make_customer, make_record):
    """004 第12篇 8.0: 至少保存3年 — counted from the customer's last activity when that is later."""
    customer = make_customer()
    entry = make_record(ArchiveRecord, customer=customer, entry_date=TODAY - relativedelta(years=5))
    make_record(Complaint, customer=customer, received_at=dt.datetime.now() - relativedelta(years=2))
    assert retention.due_entries(ArchiveRecord) == []
    Complaint.update(received_at=dt.datetime.now() - relativedelta(years=3, days=1)).execute()
    found = retention.due_entries(ArchiveRecord)
    assert [(e.record.id, e.rule) for e in found] == [(entry.id, "last_activity")]


def test_a_keep_until_date_in_the_past_never_cuts_below_three_years(make_record):
    """004 第12篇 8.0: 至少保存3年 — an old row with a too-early keep-until still waits 3 years."""
    young = make_record(ArchiveRecord, entry_date=TODAY - relativedelta(years=1),
                        retention_until=TODAY - dt.timedelta(days=30))
    old = make_record(ArchiveRecord, entry_date=TODAY - relativedelta(years=4),
                      retention_until=TODAY - dt.timedelta(days=1))
    found = retention.due_entries(ArchiveRecord)
    assert [(e.record.id, e.rule) for e in found] == [(old.id, "keep_until")] and young.id


def test_destruction_is_proposed_then_approved_by_another_manager(login_as, make_record):
    """000 客史档案 5.: 客史档案保存期满后…进行销毁 — a reviewed list, approved by a manager, each item logged."""
    proposer, approver = login_as("admin"), login_as("manager")
    old = make_record(Complaint, closed_at=dt.datetime.now() - relativedelta(years=3, days=2), complainant="旧投诉人")
    page = proposer.get("/admin/retention/").get_data(as_text=True)
    assert f'name="ids-complaint" value="{old.id}"' in page
    proposer.post("/admin/retention/propose/", data={"ids-complaint": [old.id]})
    batch = DestructionList.get()
    assert batch.status == "proposed" and Complaint.get_by_id(old.id).complainant == "旧投诉人"
    assert proposer.post(f"/admin/retention/review/{batch.id}", data={"decision": "approve"}).status_code == 403
    approver.post(f"/admin/retention/review/{batch.id}", data={"decision": "approve"})
    assert Complaint.get_by_id(old.id).complainant == ""
    item = DestructionItem.get()
    assert (item.table, item.record_id, item.rule, item.destroyed_by_id) == ("complaint", old.id, "closed",
                                                                           approver.user.id)
    assert item.destroyed_at and DestructionList.get_by_id(batch.id).reviewed_by_id == approver.user.id
    assert ChangeLog.get(ChangeLog.action == "destroy").username == approver.user.username
    history = approver.get("/admin/retention/").get_data(as_text=True)
    assert 'id="destroyed"' in history and f"#{old.id}" in history


def test_a_manager_cannot_approve_their_own_list(make_user, make_record):
    """A reviewed list: the approver is not the proposer."""
    manager = make_user("manager")
    old = make_record(Complaint, closed_at=dt.datetime.now() - relativedelta(years=4))
    batch = destruction.propose({"complaint": [old.id]}, manager)
    with pytest.raises(destruction.DestructionError):
        destruction.approve(batch, manager)
    assert Complaint.get_by_id(old.id).complainant == old.complainant


def test_a_rejected_list_destroys_nothing(make_user, make_record):
    """A reviewed list may be rejected, with a reason."""
    old = make_record(Complaint, closed_at=dt.datetime.now() - relativedelta(years=4))
    batch = destruction.propose({"complaint": [old.id]}, make_user("admin"))
    reviewer = make_user("manager")
    with pytest.raises(destruction.DestructionError):
        destruction.reject(batch, reviewer, " ")
    destruction.reject(batch, reviewer, "该顾客仍有诉讼")
    assert DestructionList.get_by_id(batch.id).status == "rejected"
    assert Complaint.get_by_id(old.id).complainant == old.complainant


@pytest.mark.parametrize(("role", "status"), [("clerk", 403), ("quality", 403), ("manager", 200), ("admin", 200)])
def test_who_sees_the_retention_page(login_as, role, status):
    """Retention is the administrators' and managers' page."""
    assert login_as(role).get("/admin/retention/").status_code == status
