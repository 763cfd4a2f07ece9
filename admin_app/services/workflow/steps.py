"""Steps taken on the record's own page: the fields each step asks for, one-submit steps, who a record waits for.

A step with fields writes them and moves the record in one transaction, behind the record's version (optimistic
lock) and the same gates as a button (states.check); nothing is written when either refuses.
"""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from admin_app.db import write_transaction
from admin_app.services.trust import history
from admin_app.services.workflow import workflow_ops as ops
from admin_app.services.workflow.states import machine_for
from models import Complaint, Feedback, Repair, ReturnExchange, User, now
from models.choices import ROLES

_DECISION = ("corrective_action", "corrective_preventive", "no_action_reason")
#: (model, step) -> (fields the step asks for, of which required); the gates of states.py name the same fields
STEP_FIELDS = {
    (Complaint, "propose"): (("findings", "root_cause", "resolution", *_DECISION), ("findings", "root_cause",
                                                                                   "resolution")),
    (Complaint, "review_decided"): (("findings", "root_cause", "resolution", *_DECISION, "mgmt_rep_approved"),
                                    ("findings", "root_cause", "resolution")),
    (Complaint, "follow_up"): (("followup_method", "followup_date", "followup_satisfaction"),
                               ("followup_method", "followup_date", "followup_satisfaction")),
    (Repair, "assign"): (("technician",), ("technician",)),
    (Repair, "arrive"): (("arrived_at",), ()),
    (Repair, "quote"): (("fault_found", "handling_method", "warranty_status", "main_component", "quote_amount"),
                        ("warranty_status", "quote_amount")),
    (Repair, "consent"): (("customer_consent_at",), ("customer_consent_at",)),
    (Repair, "repaired"): (("fault_found", "handling_method", "parts_cost", "labour_cost"),
                           ("fault_found", "handling_method")),
    (Repair, "ship_back"): (("shipped_at", "ship_quantity", "ship_method"), ("shipped_at", "ship_quantity",
                                                                           "ship_method")),
    (Repair, "follow_up"): (("followup_date", "followup_evaluation"), ("followup_date", "followup_evaluation")),
    (ReturnExchange, "approve"): (("decision", "proof_checked", "exception_reason"), ("decision",)),
    (Feedback, "assign_tech"): (("technician",), ("technician",)),
    (Feedback, "assess"): (("assessment",), ("assessment",)),
    (Feedback, "reply"): (("reply",), ("reply",)),
    (Feedback, "close"): (("responsibility", "corrective_action", "action_plan", "no_action_reason",
                           "result_tracking"), ()),
    (Feedback, "route"): (("nature",), ("nature",)),
}

#: step -> what the waiting page says the other person will do ("Waiting for Quality (Wang Li) to ...")
WAITING = {
    "investigate": _l("start the investigation"), "propose": _l("propose a remedy"),
    "joint_review": _l("send it to joint review"), "review_decided": _l("record the joint review decision"),
    "inform": _l("inform the customer"), "follow_up": _l("record the follow-up"), "close": _l("close it"),
    "assign": _l("assign a technician"), "arrive": _l("arrive on site"),
    "to_factory": _l("return it to the factory"), "quote": _l("send the quote"),
    "consent": _l("record the customer's consent"), "repaired": _l("finish the repair"),
    "inspect": _l("pass the quality inspection"), "ship_back": _l("ship it back"),
    "confirm": _l("get the customer's confirmation"), "approve": _l("decide on the request"),
    "receive": _l("receive the returned goods"), "ship": _l("ship the replacement"), "refund": _l("refund it"),
    "analyse": _l("analyse it"), "assign_tech": _l("assign it to the technical department"),
    "assess": _l("assess it"), "reply": _l("reply to the customer"),
}


def fields_of(record, name):
    """Return (asked, required) field names of a step on a record ((), () for a step without fields)."""
    return STEP_FIELDS.get((type(record), name), ((), ()))


def _stale():
    return ops.WorkflowError(_("Someone else changed this record since you opened it; reload it and try again."))


def write_fields(record, values, user):
    """Write a step's field values under the record's version (inside the caller's transaction); return it fresh.

    Raise WorkflowError when someone saved the record meanwhile, or a field is reserved to another role.
    """
    model = type(record)
    if not any(getattr(record, k) != v for k, v in values.items()):
        return record
    ops.guard_fields(record, model(**{**record.__data__, **values}), user.role)
    before = history.snapshot(record)
    rows = model.update(**values, version=record.version + 1, updated_at=now()).where(
        model.id == record.id, model.version == record.version).execute()
    if not rows:
        raise _stale()
    fresh = model.get_by_id(record.id)
    history.record(fresh, "update", history.diff(before, history.snapshot(fresh)))
    if "technician" in values:  # naming the technician is a reassignment, logged and notified
        ops.log_reassignment(model, record.id, record.technician_id, fresh.technician_id, user, field="technician")
    return fresh


def take_step(record, name, values, user, version, note=None):
    """Write the step's fields and take it, all or nothing; return the fresh record.

    values: {field: python value} of the step's fields (fields_of); version: the record's version the user saw.
    Raise WorkflowError (translated reasons) when stale, refused by role or gate; nothing is written then.
    """
    if version != record.version:
        raise _stale()
    with write_transaction():
        return ops.apply_transition(write_fields(record, values, user), name, user, note)


def route_by_nature(feedback, nature, user, version):
    """Record a feedback's nature and, for a complaint or fault, create the linked record (000 §4.4.5).

    Return the created Complaint or Repair, or None when the nature needs no linked record.
    Raise WorkflowError when stale or closed.
    """
    kind = {"complaint": "complaint", "fault": "repair"}.get(nature)
    if version != feedback.version:
        raise _stale()
    if feedback.status == "closed":
        raise ops.WorkflowError(_("A closed feedback cannot be routed."))
    with write_transaction():
        fresh = write_fields(feedback, {"nature": nature}, user)
        return ops.route_feedback(fresh, kind, user) if kind else None


def _primary_role(roles):
    """Return the role a step belongs to: the first of ROLES that is not a manager or admin."""
    order = [code for code, _label in ROLES]
    working = [r for r in order if r in roles and r not in ("manager", "admin")]
    return (working or [r for r in order if r in roles])[0]


def waiting_for(record, role, limit=3):
    """Return {"step", "role", "names", "action"} of the next step another role takes on a record, or None.

    None when the role itself has a step to take, or the record has ended. The names are the record's
    technician or owner when they hold the step's role, else the active users of that role (at most `limit`).
    """
    machine = machine_for(record)
    if machine is None or record.status in machine.terminal:
        return None
    steps = [t for t in machine.transitions if record.status in t.sources and t.fits(record)]
    if not steps or any(role in t.roles for t in steps):
        return None
    step = steps[0]
    main = _primary_role(step.roles)
    people = [getattr(record, n) for n in ("technician", "owner") if getattr(record, f"{n}_id", None)]
    named = [u for u in people if u.active and u.role in step.roles]
    if not named:
        named = list(User.select().where(User.role == main, User.active).order_by(User.id).limit(limit))
    names = list(dict.fromkeys(str(u) for u in named))
    return {"step": step.name, "role": dict(ROLES)[main], "names": names, "action": WAITING.get(step.name,
                                                                                               step.label)}


def waiting_sentence(wait):
    """Return the translated "Waiting for Quality department (Wang Li) to propose a remedy." of waiting_for()."""
    who = wait["role"]
    if wait["names"]:
        who = _("%(role)s (%(names)s)", role=who, names=_(", ").join(wait["names"]))
    return _("Waiting for %(who)s to %(action)s.", who=who, action=wait["action"])
