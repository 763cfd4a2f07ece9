"""Feedback routed by its nature: the buttons and the closing rules follow what analysis found (000 §4.4.5)."""
import pytest

from admin_app.services.workflow import states
from admin_app.services.workflow.workflow_ops import WorkflowError, apply_transition, route_feedback
from models import Complaint, Feedback, Repair

SEED = "000 §4.4.5"
#: nature -> (steps offered, routes offered) besides analysis and reply
OFFERED = {
    "consultation": ({"assign_tech"}, set()),
    "fault": (set(), {"repair"}),
    "complaint": (set(), {"complaint"}),
    "suggestion": ({"assess"}, set()),
    None: (set(), set()),
}
NATURE_STEPS = {"assign_tech", "assess"}


@pytest.fixture(autouse=True)
def _messages(app):
    """Translated refusals need a request context (English, to compare messages)."""
    with app.test_request_context("/?lang=en"):
        yield


def _page(client, record):
    return client.get(f"/admin/feedback/details/?id={record.id}").get_data(as_text=True)


def _ready_to_close(make_record, **values):
    base = {"status": "replied", "reply": "已答复顾客", "corrective_action": True, "action_plan": "改进说明书"}
    return make_record(Feedback, **{**base, **values})


@pytest.mark.parametrize("nature", list(OFFERED), ids=lambda n: n or "unknown")
def test_buttons_offered_follow_the_nature(app, manager_client, make_record, nature):
    """000 §4.4.5 ◆经分析反馈属于使用咨询的,由技术部负责予以解答; ◆…产品故障需要维修时…派售后人员对产品进行维修;
    ◆…抱怨或不良事件的…进行处理; ◆…建议或要求的,销售部应认真记录,并交质管部分析建议或要求的合理性,并及时回复顾客."""
    feedback = make_record(Feedback, nature=nature, status="analysing")
    page = _page(manager_client, feedback)
    steps, routes = OFFERED[nature]
    for step in NATURE_STEPS:
        assert (f'data-step="{step}"' in page) is (step in steps), step
    for kind in ("repair", "complaint"):
        assert (f'data-route="{kind}"' in page) is (kind in routes), kind
    assert 'data-step="reply"' in page  # every feedback gets a reply (4.4.3)


def test_consultation_goes_to_a_technician_who_answers(app, login_as, make_record, make_user):
    """000 §4.4.5: 经分析反馈属于使用咨询的,由技术部负责予以解答."""
    clerk = login_as("clerk")
    feedback = make_record(Feedback, nature="consultation")
    assert states.check(feedback, "reply", "clerk")  # not answered before the technical department has it
    feedback.technician = make_user("clerk")
    assert states.check(feedback, "assign_tech", "clerk")  # a clerk is not the technical department
    tech = login_as("technician")
    feedback.technician = tech.user
    feedback.save()
    clerk.post(f"/admin/feedback/transition/{feedback.id}", data={"transition": "assign_tech"})
    assert Feedback.get_by_id(feedback.id).status == "routed"
    assert f"/admin/feedback/details/?id={feedback.id}" in tech.get("/admin/mywork/").get_data(as_text=True)
    Feedback.update(reply="按说明书第5页设置即可").where(Feedback.id == feedback.id).execute()
    tech.post(f"/admin/feedback/transition/{feedback.id}", data={"transition": "reply"})
    assert Feedback.get_by_id(feedback.id).status == "replied"


@pytest.mark.parametrize(("nature", "kind", "model"), [("complaint", "complaint", Complaint),
                                                        ("fault", "repair", Repair)])
def test_complaint_and_fault_close_only_with_their_linked_record(app, make_record, make_user, nature, kind, model):
    """000 §4.4.5: 抱怨或不良事件…根据《忠告性通知发布和不良事件监视控制程序》处理; 产品故障需要维修时…进行维修."""
    clerk = make_user("clerk")
    feedback = _ready_to_close(make_record, nature=nature)
    assert states.check(feedback, "close", "clerk") != []
    route_feedback(feedback, kind, clerk)
    assert model.select().where(model.feedback == feedback.id).count() == 1
    closed = apply_transition(Feedback.get_by_id(feedback.id), "close", clerk)
    assert closed.status == "closed"


def test_route_must_match_the_nature(app, make_record, make_user):
    """000 §4.4.5: the nature found by analysis decides the route (a suggestion does not become a repair)."""
    feedback = make_record(Feedback, nature="suggestion")
    with pytest.raises(WorkflowError):
        route_feedback(feedback, "repair", make_user("clerk"))
    with pytest.raises(WorkflowError):
        route_feedback(make_record(Feedback), "complaint", make_user("clerk"))
    assert Repair.select().count() == 0 and Complaint.select().count() == 0


def test_suggestion_is_assessed_by_someone_then_replied(app, make_record, make_user):
    """000 §4.4.5: 建议或要求的…交质管部分析建议或要求的合理性,并及时回复顾客."""
    quality = make_user("quality")
    feedback = make_record(Feedback, nature="suggestion", reply="感谢建议，已列入计划")
    assert states.check(feedback, "reply", "clerk")  # no reply before the assessment
    assert states.check(feedback, "assess", "clerk") == ["Your role may not take this step."]
    assert states.check(feedback, "assess", "quality")  # the assessment itself is missing
    feedback.assessment = "planned"
    feedback.save()
    assessed = apply_transition(feedback, "assess", quality)
    assert (assessed.assessed_by_id, assessed.assessment) == (quality.id, "planned") and assessed.assessed_at
    replied = apply_transition(assessed, "reply", make_user("clerk"))
    replied.corrective_action, replied.action_plan = True, "下季度改版"
    assert states.check(replied, "close", "quality") == []


def test_feedback_without_a_nature_cannot_close(app, make_record):
    """000 §4.4.5: 确定顾客反馈信息的性质 — the nature is determined before the feedback is closed."""
    assert states.check(_ready_to_close(make_record), "close", "manager") == [
        "Determine the nature of the feedback first."]
