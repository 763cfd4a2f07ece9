"""Returns measured from shipment, and legal escalation of complaints."""
import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from admin_app.services.workflow import states
from admin_app.services.workflow.workflow_ops import apply_transition
from models import Complaint, Notification, ReturnExchange
from models.workflow import AssignmentLog

TODAY = dt.date.today()
RETURN_SEED = "004 第12篇 5.1.4: 原則上只有在三個月內出廠的產品因本身質量問題所引起的才能辦理退貨."


@pytest.fixture(autouse=True)
def _messages(app):
    with app.test_request_context("/?lang=en"):
        yield


def _return(make_record, **values):
    base = {"decision": "exchange", "proof_checked": True, "quality_problem": True,
            "purchase_date": TODAY - dt.timedelta(days=10)}
    return make_record(ReturnExchange, **{**base, **values})


@pytest.mark.parametrize(("factory", "purchase", "ok"), [
    (TODAY - relativedelta(months=3), TODAY - dt.timedelta(days=5), True),       # 以内: the last day counts
    (TODAY - relativedelta(months=3) - dt.timedelta(days=1), TODAY - dt.timedelta(days=5), False),
    (None, TODAY - relativedelta(months=3), True),                                # only the purchase is known
    (None, TODAY - relativedelta(months=3) - dt.timedelta(days=1), False),
    (TODAY - dt.timedelta(days=10), TODAY - relativedelta(months=4), True),       # shipment decides, not purchase
], ids=["shipped-3-months-ago", "shipped-a-day-too-early", "bought-3-months-ago", "bought-too-early",
        "shipment-beats-purchase"])
def test_return_window_runs_from_shipment(make_record, factory, purchase, ok):
    """004 第12篇 5.1.4: 原則上只有在三個月內出廠的產品因本身質量問題所引起的才能辦理退貨 (以内 includes the day)."""
    record = _return(make_record, factory_date=factory, purchase_date=purchase)
    assert (states.check(record, "approve", "manager") == []) is ok


@pytest.mark.parametrize(("factory", "phrase"), [
    (TODAY - dt.timedelta(days=40), "Return window measured from the shipment date"),
    (None, "Shipment date unknown: return window measured from the purchase date"),
])
def test_the_record_says_what_the_window_runs_from(login_as, make_record, factory, phrase):
    """004 第12篇 5.1.4: 三個月內出廠 — when only the purchase date is known, the record says so."""
    client = login_as("manager", language="en")
    record = _return(make_record, factory_date=factory)
    page = client.get(f"/admin/returnexchange/details/?id={record.id}&lang=en").get_data(as_text=True)
    assert phrase in page


def test_refusal_names_the_basis_of_the_window(make_record):
    """004 第12篇 5.1.4: the refusal says the window ran from the purchase date when shipment is unknown."""
    record = _return(make_record, purchase_date=TODAY - relativedelta(months=5))
    assert "purchase date" in " ".join(states.check(record, "approve", "manager"))


# --- legal escalation ---------------------------------------------------------------------------------------
LEGAL_SEED = "001: 涉及法律诉讼的要及时与公司法务人员沟通."


def _complaint_form(record, **changes):
    form = {"customer": str(record.customer_id), "complainant": record.complainant, "channel": record.channel,
            "received_at": record.received_at.strftime("%Y-%m-%d %H:%M:%S"), "complaint_type": record.complaint_type,
            "nature": record.nature, "severity": record.severity, "content": record.content,
            "row_version": str(record.version)}
    form.update(changes)
    return form


def _legal_ready(make_record, **values):
    base = {"status": "followed_up", "findings": "批次问题", "root_cause": "密封圈老化", "resolution": "赔偿",
            "corrective_action": True, "corrective_preventive": "更换供应商", "followup_method": "phone",
            "followup_date": TODAY, "followup_satisfaction": "satisfied", "involves_legal": True}
    return make_record(Complaint, **{**base, **values})


def test_legal_complaint_needs_a_contact_who_is_notified(login_as, make_record):
    """001: 涉及法律诉讼的要及时与公司法务人员沟通 — the contact is chosen, told, and has it on My work."""
    clerk, legal = login_as("clerk"), login_as("manager")
    record = _legal_ready(make_record, status="investigating", involves_legal=False, owner=clerk.user)
    clerk.post(f"/admin/complaint/edit/?id={record.id}", data=_complaint_form(record, involves_legal="y"))
    assert not Complaint.get_by_id(record.id).involves_legal  # refused without a contact
    clerk.post(f"/admin/complaint/edit/?id={record.id}",
               data=_complaint_form(record, involves_legal="y", legal_contact=str(clerk.user.id)))
    assert not Complaint.get_by_id(record.id).involves_legal  # a clerk is no legal or management contact
    clerk.post(f"/admin/complaint/edit/?id={record.id}",
               data=_complaint_form(record, involves_legal="y", legal_contact=str(legal.user.id)))
    saved = Complaint.get_by_id(record.id)
    assert saved.involves_legal and saved.legal_contact_id == legal.user.id and saved.legal_notified_at
    notice = AssignmentLog.get(AssignmentLog.table == "complaint", AssignmentLog.record_id == record.id)
    assert (notice.field, notice.to_user_id, notice.by_user_id) == ("legal_contact", legal.user.id, clerk.user.id)
    assert f"/admin/complaint/details/?id={record.id}" in legal.get("/admin/mywork/").get_data(as_text=True)
    note = Notification.get(Notification.user == legal.user.id)  # through the notification service (the bell)
    assert (note.kind, note.table, note.record_id) == ("legal_signoff", "complaint", record.id)
    assert f"投诉 #{record.id} 涉及法律诉讼，结案前需要您签字确认" in legal.get("/admin/notifications/").get_data(
        as_text=True)
    assert not Notification.select().where(Notification.user == clerk.user.id).exists()


def test_legal_complaint_closes_only_after_the_contacts_sign_off(login_as, make_record):
    """001: 涉及法律诉讼的要及时与公司法务人员沟通 — no closing without the legal contact's sign-off."""
    legal, other = login_as("manager"), login_as("manager")
    record = _legal_ready(make_record, legal_contact=legal.user)
    assert states.check(record, "close", "quality") == ["The legal contact has not signed this complaint off yet."]
    other.post(f"/admin/complaint/legal-signoff/{record.id}", data={"note": "同意"})
    assert Complaint.get_by_id(record.id).legal_signoff_at is None  # only the named contact signs
    page = legal.get(f"/admin/complaint/details/?id={record.id}").get_data(as_text=True)
    assert 'id="legal-signoff"' in page
    legal.post(f"/admin/complaint/legal-signoff/{record.id}", data={"note": "已与法务确认和解方案"})
    signed = Complaint.get_by_id(record.id)
    assert signed.legal_signoff_at and signed.legal_signoff_note == "已与法务确认和解方案"
    assert apply_transition(signed, "close", other.user).status == "closed"


def test_complaint_without_legal_action_needs_no_sign_off(make_record):
    """001: only a complaint involving legal action (涉及法律诉讼) goes to legal."""
    assert states.check(_legal_ready(make_record, involves_legal=False), "close", "quality") == []
