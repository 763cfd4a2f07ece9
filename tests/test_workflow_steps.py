"""Steps on the record's own page (issue 13.3): each asks for its fields there, validates, and moves in one submit."""
import datetime as dt
from decimal import Decimal

import pytest

from models import Complaint, Customer, Feedback, Repair, ReturnExchange
from models.workflow import TransitionLog
from tests.conftest import state_purpose

TODAY = dt.date.today()
RECENT = (dt.datetime.now() - dt.timedelta(hours=2)).replace(microsecond=0)


def _quoted():
    return {"status": "quoted", "warranty_status": "out_of_warranty", "main_component": True,
            "quote_amount": Decimal("850")}


#: (endpoint, model, record values, step, form fields, a required field, role that takes it, role refused, target)
STEPS = [
    ("complaint", Complaint, {"status": "investigating"}, "propose",
     {"findings": "密封圈批次不良", "root_cause": "供应商换料未通知", "resolution": "免费更换整机",
      "corrective_action": "y", "corrective_preventive": "来料检验加严"}, "root_cause", "quality", "clerk",
     "resolution_proposed"),
    ("complaint", Complaint, {"status": "resolution_proposed"}, "inform", {}, None, "clerk", "quality",
     "customer_informed"),
    ("complaint", Complaint, {"status": "customer_informed"}, "follow_up",
     {"followup_method": "phone", "followup_date": TODAY.isoformat(), "followup_satisfaction": "satisfied"},
     "followup_date", "clerk", "supervisor", "followed_up"),
    ("repair", Repair, {"status": "on_site", "warranty_status": "out_of_warranty"}, "quote",
     {"warranty_status": "out_of_warranty", "main_component": "y", "quote_amount": "850"}, "quote_amount",
     "technician", "quality", "quoted"),
    ("repair", Repair, _quoted(), "consent", {"customer_consent_at": RECENT.strftime("%Y-%m-%d %H:%M:%S")},
     "customer_consent_at", "clerk", "technician", "consented"),
    ("repair", Repair, {"status": "on_site"}, "repaired",
     {"fault_found": "压缩机损坏", "handling_method": "更换压缩机"}, "handling_method", "technician", "clerk",
     "repaired"),
    ("repair", Repair, {"status": "confirmed"}, "follow_up",
     {"followup_date": TODAY.isoformat(), "followup_evaluation": "satisfied"}, "followup_evaluation", "clerk",
     "technician", "followed_up"),
    ("returnexchange", ReturnExchange, {"status": "requested", "quality_problem": True,
                                        "purchase_date": TODAY - dt.timedelta(days=10)}, "approve",
     {"decision": "exchange", "proof_checked": "y"}, "decision", "manager", "clerk", "approved"),
    ("feedback", Feedback, {"status": "analysing", "nature": "suggestion"}, "assess", {"assessment": "accepted"},
     "assessment", "quality", "clerk", "routed"),
    ("feedback", Feedback, {"status": "new"}, "reply", {"reply": "已电话答复顾客"}, "reply", "clerk", "supervisor",
     "replied"),
]
STEPS = [pytest.param(*s, id=f"{s[0]}-{s[3]}") for s in STEPS]
WITH_FIELDS = [p for p in STEPS if p.values[5]]


def _post(client, endpoint, record, step, data, version=None):
    form = {"step": step, "version": record.version if version is None else version, **data}
    return client.post(f"/admin/{endpoint}/step/{record.id}", data=form)


@pytest.mark.parametrize(("endpoint", "model", "values", "step", "data", "required", "role", "refused", "target"),
                         STEPS)
def test_one_submit_writes_the_fields_and_moves_the_record(app, login_as, make_record, endpoint, model, values,
                                                           step, data, required, role, refused, target):
    record = make_record(model, **values)
    client = login_as(role)
    for page in ("details", "edit"):  # the step is offered on both pages of the record
        html = client.get(f"/admin/{endpoint}/{page}/?id={record.id}").get_data(as_text=True)
        assert f'data-step="{step}"' in html, page
    response = _post(client, endpoint, record, step, data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    fresh = model.get_by_id(record.id)
    assert fresh.status == target
    assert fresh.version > record.version
    for name, typed in data.items():
        stored = getattr(fresh, name)
        if isinstance(stored, Decimal):
            assert stored == Decimal(typed), name
        elif name != "customer_consent_at" and not isinstance(stored, bool):
            assert str(stored) == typed, name
    assert TransitionLog.select().where(TransitionLog.record_id == record.id,
                                        TransitionLog.transition == step).count() == 1


@pytest.mark.parametrize(("endpoint", "model", "values", "step", "data", "required", "role", "refused", "target"),
                         WITH_FIELDS)
def test_a_missing_field_is_refused_on_the_field_and_nothing_is_saved(app, login_as, make_record, endpoint, model,
                                                                      values, step, data, required, role,
                                                                      refused, target):
    record = make_record(model, **values)
    client = login_as(role)
    response = _post(client, endpoint, record, step, {**data, required: ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="step-{step}"' in html and "data-open" in html  # the dialog opens again, on its error
    field_block = html[html.index(f'id="{step}-{required}"'):]
    assert "此项为必填项。" in field_block[:1500]
    fresh = model.get_by_id(record.id)
    assert (fresh.status, fresh.version) == (record.status, record.version)


@pytest.mark.parametrize(("endpoint", "model", "values", "step", "data", "required", "role", "refused", "target"),
                         STEPS)
def test_a_role_that_may_not_take_the_step_is_refused(app, login_as, make_record, endpoint, model, values, step,
                                                       data, required, role, refused, target):
    record = make_record(model, **values)
    client = login_as(refused)
    html = client.get(f"/admin/{endpoint}/details/?id={record.id}").get_data(as_text=True)
    assert f'data-step="{step}"' not in html
    assert _post(client, endpoint, record, step, data).status_code == 403
    fresh = model.get_by_id(record.id)
    assert (fresh.status, fresh.version) == (record.status, record.version)


@pytest.mark.parametrize(("endpoint", "model", "values", "step", "data", "required", "role", "refused", "target"),
                         STEPS)
def test_a_stale_version_is_refused_and_nothing_is_saved(app, login_as, make_record, endpoint, model, values, step,
                                                          data, required, role, refused, target):
    record = make_record(model, **values)
    client = login_as(role)
    model.update(version=model.version + 1).where(model.id == record.id).execute()  # someone saved meanwhile
    response = _post(client, endpoint, record, step, data, version=record.version)
    html = client.get(response.location).get_data(as_text=True) if response.status_code == 302 else \
        response.get_data(as_text=True)
    assert "其他人已修改此记录" in html
    fresh = model.get_by_id(record.id)
    assert (fresh.status, fresh.version) == (record.status, record.version + 1)


def test_a_step_without_the_csrf_token_is_refused(app, clerk_client, make_record):
    complaint = make_record(Complaint, status="resolution_proposed")
    response = clerk_client.post(f"/admin/complaint/step/{complaint.id}",
                                 data={"step": "inform", "version": complaint.version}, csrf=False)
    assert response.status_code == 400
    assert Complaint.get_by_id(complaint.id).status == "resolution_proposed"


def test_a_gate_the_fields_do_not_meet_keeps_the_dialog_open_with_its_reason(app, quality_client, make_record):
    complaint = make_record(Complaint, status="investigating")
    response = _post(quality_client, "complaint", complaint, "propose",
                     {"findings": "批次不良", "root_cause": "换料", "resolution": "更换"})  # no corrective decision
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "wf-dialog-error" in html
    assert Complaint.get_by_id(complaint.id).status == "investigating"


@pytest.mark.parametrize("lang", ["zh_Hans_CN", "en"])
def test_a_record_waiting_for_another_role_names_the_person(app, login_as, make_user, make_record, lang):
    make_user("quality", display_name="王丽" if lang == "zh_Hans_CN" else "Wang Li")
    clerk = login_as("clerk", language=lang)
    complaint = make_record(Complaint, status="investigating", owner=clerk.user)
    html = clerk.get(f"/admin/complaint/details/?id={complaint.id}").get_data(as_text=True)
    expected = {"zh_Hans_CN": "等待质管部（王丽）提出处理方案",
                "en": "Waiting for Quality department (Wang Li) to propose a remedy."}[lang]
    assert expected in html
    assert expected in clerk.get(f"/admin/complaint/edit/?id={complaint.id}").get_data(as_text=True)


def test_the_waiting_note_names_the_assigned_technician_before_the_role(app, login_as, make_user, make_record):
    make_user("technician", display_name="其他技术员")
    assigned = make_user("technician", display_name="张师傅")
    clerk = login_as("clerk")
    repair = make_record(Repair, status="assigned", technician=assigned)
    html = clerk.get(f"/admin/repair/details/?id={repair.id}").get_data(as_text=True)
    assert "等待技术员（张师傅）到达现场" in html and "其他技术员" not in html
    assert "wf-waiting" not in login_as("technician").get(f"/admin/repair/details/?id={repair.id}").get_data(
        as_text=True)


@pytest.mark.parametrize(("nature", "linked"), [("complaint", Complaint), ("fault", Repair), ("consultation", None)])
def test_routing_by_nature_records_it_and_creates_the_linked_record_in_one_submit(app, clerk_client, make_record,
                                                                                  nature, linked):
    feedback = make_record(Feedback, status="new")
    assert 'data-step="route"' in clerk_client.get(f"/admin/feedback/edit/?id={feedback.id}").get_data(as_text=True)
    response = _post(clerk_client, "feedback", feedback, "route", {"nature": nature})
    fresh = Feedback.get_by_id(feedback.id)
    assert response.status_code == 302 and fresh.nature == nature
    if linked is None:
        assert fresh.status == "new"
        return
    created = linked.get(linked.feedback == feedback.id)
    assert fresh.status == "routed"
    assert response.location.endswith(f"/admin/{linked._meta.table_name}/details/?id={created.id}")


def test_routing_refuses_a_stale_feedback_and_creates_nothing(app, clerk_client, make_record):
    feedback = make_record(Feedback, status="new")
    _post(clerk_client, "feedback", feedback, "route", {"nature": "complaint"}, version=feedback.version - 1)
    assert Feedback.get_by_id(feedback.id).nature is None
    assert Complaint.select().where(Complaint.feedback == feedback.id).count() == 0


def test_customer_page_designates_a_or_b_and_comes_back(app, login_as, make_customer):
    customer = make_customer()
    supervisor = state_purpose(login_as("supervisor"), customer.id)
    for page in ("details", "edit"):
        html = supervisor.get(f"/admin/customer/{page}/?id={customer.id}").get_data(as_text=True)
        assert 'id="designate-customer"' in html, page
    back = f"/admin/customer/details/?id={customer.id}"
    response = supervisor.post("/admin/customer/grading/designate",
                               data={"ids": customer.id, "value": "A", "remark": "战略客户", "next": back})
    assert response.status_code == 302 and response.location.endswith(back)
    assert Customer.get_by_id(customer.id).designation == "A"
    clerk_html = state_purpose(login_as("clerk"), customer.id).get(back).get_data(as_text=True)
    assert 'id="dossier"' in clerk_html and 'id="designate-customer"' not in clerk_html
