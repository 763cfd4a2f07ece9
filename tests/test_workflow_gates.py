"""Each gate of the lifecycles: the seed's requirements that a step cannot skip."""
import datetime as dt
from decimal import Decimal

import pytest

from admin_app.services.workflow import states as workflow
from admin_app.services.workflow.workflow_ops import WorkflowError, apply_transition, route_feedback
from models import Complaint, Feedback, Repair, ReturnExchange

TODAY = dt.date.today()
DONE = {"findings": "查明", "root_cause": "原因", "resolution": "方案"}


@pytest.fixture(autouse=True)
def _request(app):
    with app.test_request_context():
        yield


def blocked(record, name, role="admin"):
    """Return the reasons a step is refused."""
    return workflow.check(record, name, role)


# --- complaints ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("values", "missing"), [
    ({}, "findings"),
    ({"findings": "查明"}, "root_cause"),
    ({"findings": "查明", "root_cause": "原因"}, "resolution"),
    ({**DONE}, "corrective"),
    ({**DONE, "corrective_action": True}, "plan"),
    ({**DONE, "corrective_action": False}, "reason"),
    ({**DONE, "corrective_action": False, "no_action_reason": "isolated"}, "approval"),
])
def test_resolution_needs_findings_cause_and_a_corrective_decision(app, make_record, values, missing):
    complaint = make_record(Complaint, status="investigating", **values)
    assert blocked(complaint, "propose"), missing


@pytest.mark.parametrize("values", [
    {**DONE, "corrective_action": True, "corrective_preventive": "整改"},
    {**DONE, "corrective_action": False, "no_action_reason": "supplier", "mgmt_rep_approved": True},
])
def test_resolution_allowed_once_the_gates_are_met(app, make_record, values):
    assert blocked(make_record(Complaint, status="investigating", **values), "propose") == []


@pytest.mark.parametrize("values", [{}, {"followup_method": "phone", "followup_date": TODAY}])
def test_closing_needs_the_follow_up_with_satisfaction(app, make_record, values):
    complaint = make_record(Complaint, status="followed_up", corrective_action=True, corrective_preventive="整改",
                            **values)
    assert blocked(complaint, "close")
    complaint.followup_method, complaint.followup_date, complaint.followup_satisfaction = "phone", TODAY, "fair"
    assert blocked(complaint, "close") == []


@pytest.mark.parametrize(("role", "saved"), [("clerk", False), ("manager", True)])
def test_only_the_management_representative_approves_no_action(app, login_as, make_record, role, saved):
    client = login_as(role)
    complaint = make_record(Complaint)
    page = client.get(f"/admin/complaint/edit/?id={complaint.id}").get_data(as_text=True)
    assert 'name="mgmt_rep_approved"' in page
    form = {"customer": complaint.customer_id, "complainant": "李女士", "received_at": "2026-11-02 09:30:00",
            "channel": "phone", "complaint_type": "service_attitude", "nature": "valid", "severity": "medium",
            "content": "客服人员态度冷淡", "mgmt_rep_approved": "y", "row_version": complaint.version}
    client.post(f"/admin/complaint/edit/?id={complaint.id}", data=form)
    assert Complaint.get_by_id(complaint.id).mgmt_rep_approved is saved


# --- repairs ----------------------------------------------------------------------------------------------
QUOTED = {"warranty_status": "out_of_warranty", "main_component": True}


def test_out_of_warranty_main_component_cannot_skip_the_quote_and_consent(app, make_record):
    repair = make_record(Repair, status="on_site", fault_found="压缩机坏", handling_method="更换", **QUOTED)
    assert blocked(repair, "repaired")
    assert blocked(repair, "quote")  # no amount yet
    repair.quote_amount = Decimal("800")
    assert blocked(repair, "quote") == []
    repair.status = "quoted"
    assert blocked(repair, "consent")  # the written consent's date is missing
    repair.customer_consent_at = dt.datetime(2026, 11, 5, 9, 0)
    assert blocked(repair, "consent") == []
    repair.status = "consented"
    assert blocked(repair, "repaired") == []


def test_quote_only_when_out_of_warranty_with_main_component(app, make_record):
    repair = make_record(Repair, status="on_site", quote_amount=Decimal("100"))
    assert blocked(repair, "quote")


def test_factory_repair_cannot_skip_inspection(app, make_record):
    repair = make_record(Repair, status="repaired", returned_to_factory=True)
    assert blocked(repair, "confirm")
    assert blocked(repair, "inspect") == []
    onsite = make_record(Repair, status="repaired")
    assert blocked(onsite, "inspect")  # only factory returns are inspected
    assert blocked(onsite, "confirm") == []


def test_inspection_stamps_and_ship_back_needs_shipping_details(app, make_record, make_user):
    repair = make_record(Repair, status="repaired", returned_to_factory=True)
    inspected = apply_transition(repair, "inspect", make_user("quality"))
    assert inspected.inspection_passed and inspected.inspected_at
    assert blocked(inspected, "ship_back")
    inspected.shipped_at, inspected.ship_quantity, inspected.ship_method = TODAY, 1, "courier"
    assert blocked(inspected, "ship_back") == []


# --- returns and exchanges -----------------------------------------------------------------------------------
def _return(make_record, **values):
    base = {"decision": "exchange", "proof_checked": True, "quality_problem": True,
            "purchase_date": TODAY - dt.timedelta(days=30)}
    return make_record(ReturnExchange, **{**base, **values})


@pytest.mark.parametrize(("values", "ok"), [
    ({}, True),
    ({"purchase_date": TODAY - dt.timedelta(days=120)}, False),
    ({"quality_problem": False}, False),
    ({"quality_problem": False, "exception_reason": "大客户，经理特批"}, True),
    ({"purchase_date": TODAY - dt.timedelta(days=120), "exception_reason": "质量事故延迟发现"}, True),
    ({"non_returnable": True, "quality_problem": False, "exception_reason": "特批"}, False),
    ({"proof_checked": False}, False),
    ({"decision": None}, False),
])
def test_return_window_and_quality_rule_with_manager_exception(app, make_record, values, ok):
    assert (blocked(_return(make_record, **values), "approve", "manager") == []) is ok


def test_exception_reason_is_for_managers_only(app, clerk_client, make_record):
    record = _return(make_record)
    form = {"customer": record.customer_id, "product_name": "电饭煲", "purchase_date": str(record.purchase_date),
            "quantity": 1, "reason": "坏了", "exception_reason": "我同意", "row_version": record.version}
    clerk_client.post(f"/admin/returnexchange/edit/?id={record.id}", data=form)
    assert ReturnExchange.get_by_id(record.id).exception_reason is None


def test_exchange_cannot_ship_before_goods_are_received(app, make_record, manager_client):
    record = _return(make_record, status="goods_received", goods_received_at=None)
    assert blocked(record, "ship")
    form = {"customer": record.customer_id, "product_name": "电饭煲", "purchase_date": str(record.purchase_date),
            "quantity": 1, "reason": "坏了", "decision": "exchange", "proof_checked": "y", "quality_problem": "y",
            "shipped_at": str(TODAY), "row_version": record.version}
    manager_client.post(f"/admin/returnexchange/edit/?id={record.id}", data=form)
    assert ReturnExchange.get_by_id(record.id).shipped_at is None


def test_approved_exchanges_appear_in_the_ledger(app, manager_client, make_record):
    wanted = _return(make_record, product_name="台账电饭煲")
    apply_transition(wanted, "approve", manager_client.user)
    _return(make_record, product_name="待批电饭煲")
    _return(make_record, product_name="退货电饭煲", decision="return", status="approved")
    page = manager_client.get("/admin/exchangeledger/").get_data(as_text=True)
    assert "台账电饭煲" in page and "待批电饭煲" not in page and "退货电饭煲" not in page
    assert ReturnExchange.get_by_id(wanted.id).approver_id == manager_client.user.id


# --- feedback ---------------------------------------------------------------------------------------------
def test_feedback_cannot_close_without_reply_or_reason(app, make_record, make_user):
    feedback = make_record(Feedback, status="replied", nature="consultation", technician=make_user("technician"))
    assert blocked(feedback, "close")
    feedback.reply = "已答复"
    feedback.corrective_action = False
    assert blocked(feedback, "close")
    feedback.no_action_reason = "isolated"
    assert blocked(feedback, "close") == []
    feedback.nature = "complaint"  # a complaint without action also needs the representative's approval
    assert blocked(feedback, "close")


@pytest.mark.parametrize(("kind", "model"), [("complaint", Complaint), ("repair", Repair)])
def test_routing_creates_the_linked_record_with_fields_carried_over(app, clerk_client, make_record, kind, model):
    feedback = make_record(Feedback, product_name="热水器", serial_no="SN-1", reporter_phone="13900000000",
                           owner=clerk_client.user, nature={"complaint": "complaint", "repair": "fault"}[kind])
    page = clerk_client.get(f"/admin/feedback/details/?id={feedback.id}").get_data(as_text=True)
    assert f'data-route="{kind}"' in page
    response = clerk_client.post(f"/admin/feedback/route/{feedback.id}/{kind}", data={})
    created = model.get(model.feedback == feedback.id)
    assert response.headers["Location"].endswith(f"/admin/{kind}/edit/?id={created.id}")
    assert (created.customer_id, created.product_name, created.contact_phone) == (
        feedback.customer_id, "热水器", "13900000000")
    fresh = Feedback.get_by_id(feedback.id)
    assert fresh.status == "routed" and fresh.nature in ("complaint", "fault")
    back = clerk_client.get(f"/admin/feedback/details/?id={feedback.id}").get_data(as_text=True)
    assert f"/admin/{kind}/details/?id={created.id}" in back


def test_routing_is_all_or_nothing(app, make_record, make_user, monkeypatch):
    feedback = make_record(Feedback, nature="complaint")
    from admin_app.services.trust import history

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(history, "diff", boom)
    with pytest.raises(RuntimeError):
        route_feedback(feedback, "complaint", make_user("clerk"))
    assert Complaint.select().count() == 0 and Feedback.get_by_id(feedback.id).status == "new"


def test_routing_refused_to_a_role_that_cannot_create_the_record(app, technician_client, make_record):
    feedback = make_record(Feedback, nature="fault")
    response = technician_client.post(f"/admin/feedback/route/{feedback.id}/repair", data={})
    assert response.status_code == 403 and Repair.select().count() == 0


def test_routing_a_closed_feedback_is_refused(app, make_record, make_user):
    with pytest.raises(WorkflowError):
        route_feedback(make_record(Feedback, status="closed"), "repair", make_user("clerk"))
