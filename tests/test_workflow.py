"""Every transition of every lifecycle, allowed and forbidden, per role and per status (from the machine data)."""
import datetime as dt
from decimal import Decimal

import pytest

from admin_app.services.workflow import states as workflow
from admin_app.services.workflow.workflow_ops import WorkflowError, apply_transition
from models import Complaint, Feedback, Repair, ReturnExchange
from models.workflow import TransitionLog
from tests.conftest import ROLES

MACHINES = [workflow.COMPLAINT, workflow.REPAIR, workflow.RETURN, workflow.FEEDBACK]
TRANSITIONS = [(m, t) for m in MACHINES for t in m.transitions]
IDS = [f"{m.endpoint}.{t.name}" for m, t in TRANSITIONS]

#: field values that satisfy every gate of a record type
READY = {
    Complaint: {"findings": "批次问题", "root_cause": "密封圈老化", "resolution": "更换产品",
                "corrective_action": True, "corrective_preventive": "更换供应商",
                "followup_method": "phone", "followup_date": dt.date(2026, 11, 10),
                "followup_satisfaction": "satisfied"},
    Repair: {"fault_found": "电源板烧毁", "handling_method": "更换电源板", "shipped_at": dt.date(2026, 11, 10),
             "ship_quantity": 1, "ship_method": "courier", "followup_date": dt.date(2026, 11, 12),
             "followup_evaluation": "satisfied", "customer_consent_at": dt.datetime(2026, 11, 5, 10, 0)},
    ReturnExchange: {"decision": "exchange", "proof_checked": True, "quality_problem": True,
                     "goods_received_at": dt.date.today()},
    Feedback: {"reply": "已电话答复", "corrective_action": True, "action_plan": "改进包装", "nature": "consultation"},
}
#: per transition, what its gates need beyond READY
SPECIAL = {
    "repair.quote": {"warranty_status": "out_of_warranty", "main_component": True, "quote_amount": Decimal("300")},
    "repair.inspect": {"returned_to_factory": True},
    "repair.repaired": {"warranty_status": "in_warranty"},
    "returnexchange.refund": {"decision": "return"},
    "feedback.assess": {"nature": "suggestion", "assessment": "accepted"},
}


@pytest.fixture(scope="module")
def bare_app():
    from flask import Flask
    from flask_babel import Babel

    bare = Flask(__name__)
    Babel(bare)
    return bare


@pytest.fixture()
def translations(bare_app):
    """Give gettext a request context without building the whole app (the role matrix has ~150 cases)."""
    from flask import g

    from admin_app.services.settings import registry

    with bare_app.test_request_context():
        g.rule_settings = registry.defaults()  # the seed's figures, read per request (no database here)
        yield


def unsaved(machine, transition, status):
    """Return an unsaved record in a status with every gate of a transition satisfied."""
    from models import User

    values = {**READY[machine.model], **SPECIAL.get(f"{machine.endpoint}.{transition.name}", {})}
    if machine.model in (Repair, Feedback):
        values["technician"] = User(id=1, username="tech", role="technician")
    if machine.model is ReturnExchange:
        values["purchase_date"] = dt.date.today() - dt.timedelta(days=20)
    return machine.model(id=1, status=status, **values)


@pytest.fixture()
def ready(make_record, make_user):
    """Return a factory: a record of a machine in a status, with every gate of a transition satisfied."""
    def make(machine, transition, status):
        values = {**READY[machine.model], **SPECIAL.get(f"{machine.endpoint}.{transition.name}", {})}
        if machine.model in (Repair, Feedback):
            values["technician"] = make_user("technician")
        if machine.model is ReturnExchange:
            values["purchase_date"] = dt.date.today() - dt.timedelta(days=20)
        return make_record(machine.model, status=status, **values)
    return make


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("machine", "transition"), TRANSITIONS, ids=IDS)
def test_role_may_take_a_step_only_when_listed(translations, machine, transition, role):
    record = unsaved(machine, transition, transition.sources[0])
    errors = workflow.check(record, transition.name, role)
    if role in transition.roles:
        assert errors == []
    else:
        assert errors == ["Your role may not take this step."]


@pytest.mark.parametrize(("machine", "transition"), TRANSITIONS, ids=IDS)
def test_step_refused_from_every_other_status(translations, machine, transition):
    for status in machine.statuses():
        if status not in transition.sources:
            record = unsaved(machine, transition, status)
            assert workflow.check(record, transition.name, "admin") == [
                "This step is not possible from the current status."], status


def test_refused_step_changes_nothing(app, make_record, make_user):
    complaint = make_record(Complaint, status="received")
    with app.test_request_context(), pytest.raises(WorkflowError):
        apply_transition(complaint, "close", make_user("admin"))
    assert Complaint.get_by_id(complaint.id).status == "received"
    assert TransitionLog.select().count() == 0


@pytest.mark.parametrize(("machine", "transition"), TRANSITIONS, ids=IDS)
def test_allowed_step_moves_the_record_and_logs_who_and_when(app, ready, make_user, machine, transition):
    record = ready(machine, transition, transition.sources[0])
    role = sorted(transition.roles)[0]
    user = make_user(role)
    with app.test_request_context():
        fresh = apply_transition(record, transition.name, user, note="备注")
    assert fresh.status == transition.target
    log = TransitionLog.get(TransitionLog.record_id == record.id, TransitionLog.table == machine.model._meta.table_name)
    assert (log.from_status, log.to_status, log.username, log.note) == (
        transition.sources[0], transition.target, user.username, "备注")
    assert fresh.version == record.version + 1


def test_every_status_is_reachable_and_the_joint_review_branch_exists():
    for machine in MACHINES:
        targets = {t.target for t in machine.transitions} | {machine.statuses()[0]}
        if machine is workflow.FEEDBACK:
            targets.add("routed")  # reached by the routing buttons
        assert targets == set(machine.statuses()), machine.endpoint
    assert workflow.COMPLAINT.get("joint_review").target == "joint_review"


@pytest.mark.parametrize(("role", "moved"), [("clerk", True), ("technician", False), ("quality", True)])
def test_transition_button_over_http(app, login_as, make_record, role, moved):
    client = login_as(role)
    complaint = make_record(Complaint)
    page = client.get(f"/admin/complaint/details/?id={complaint.id}").get_data(as_text=True) \
        if role != "technician" else ""
    assert ('data-step="investigate"' in page) is (role != "technician")
    response = client.post(f"/admin/complaint/transition/{complaint.id}", data={"transition": "investigate"})
    assert response.status_code in (302, 403)
    assert (Complaint.get_by_id(complaint.id).status == "investigating") is moved


def test_transition_refuses_get_and_missing_csrf(app, clerk_client, make_record):
    complaint = make_record(Complaint)
    assert clerk_client.get(f"/admin/complaint/transition/{complaint.id}").status_code == 405
    response = clerk_client.post(f"/admin/complaint/transition/{complaint.id}", data={"transition": "investigate"},
                                 csrf=False)
    assert response.status_code == 400
    assert Complaint.get_by_id(complaint.id).status == "received"


def test_blocked_step_shows_its_reason_on_the_record(app, quality_client, make_record):
    complaint = make_record(Complaint, status="investigating")
    page = quality_client.get(f"/admin/complaint/details/?id={complaint.id}").get_data(as_text=True)
    # the step asks for what blocks it right there (issue 13.3), instead of sending the user to the edit page
    assert 'data-step="propose"' in page and 'data-fields="findings,root_cause,resolution' in page
    quality_client.post(f"/admin/complaint/transition/{complaint.id}", data={"transition": "propose"})
    assert Complaint.get_by_id(complaint.id).status == "investigating"


def test_status_is_not_editable_in_the_form(app, clerk_client, make_record):
    complaint = make_record(Complaint)
    page = clerk_client.get(f"/admin/complaint/edit/?id={complaint.id}").get_data(as_text=True)
    assert 'name="status"' not in page
    assert 'name="inspection_passed"' not in clerk_client.get("/admin/repair/new/").get_data(as_text=True)
