"""The record lifecycles as data: transitions, the roles allowed for each, and their gates.

A gate is a function record -> translated error message or None. A transition is allowed when the record is
in one of its source statuses, the user's role is listed, and every gate passes.
"""
import datetime as dt
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from admin_app.services.settings import store
from admin_app.services.workflow import legal, returns
from models import Complaint, Feedback, Repair, ReturnExchange

OFFICE = frozenset({"clerk", "manager", "admin"})
QUALITY = frozenset({"quality", "manager", "admin"})
MANAGE = frozenset({"manager", "admin"})
TECH = frozenset({"technician", "manager", "admin"})


@dataclass(frozen=True)
class Transition:
    """One button: from these statuses to a target, for these roles, behind these gates."""

    name: str
    label: object
    sources: tuple
    target: str
    roles: frozenset
    gates: tuple = ()
    #: field -> "now" | "today" | "user" | a constant, written when the transition happens
    sets: dict = field(default_factory=dict)
    #: the feedback natures this step is offered for (None: any record, any nature)
    natures: tuple = None

    def fits(self, record):
        """Tell whether this step is offered for the record's nature."""
        return self.natures is None or getattr(record, "nature", None) in self.natures


@dataclass(frozen=True)
class Machine:
    """The lifecycle of one record type."""

    model: type
    endpoint: str
    transitions: tuple
    terminal: tuple

    def get(self, name):
        """Return the transition with this name, or None."""
        return next((t for t in self.transitions if t.name == name), None)

    def statuses(self):
        """Return every status value of the model."""
        return [value for value, _label in self.model._meta.fields["status"].choices]


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _require(*names):
    """Return a gate demanding that the named fields are filled in."""
    def gate(record):
        from views.labels import labels_for

        labels = labels_for(record._meta.table_name)
        missing = [str(labels.get(n, n)) for n in names if _blank(getattr(record, n))]
        return _("Fill in first: %(fields)s.", fields=", ".join(missing)) if missing else None
    gate.__name__ = "require_" + "_".join(names)
    return gate


def corrective_decided(record):
    """Demand a decision on corrective action; without action, an allowed reason (and approval for complaints)."""
    if record.corrective_action is None:
        return _("Decide whether corrective action is taken.")
    if record.corrective_action:
        plan = getattr(record, "corrective_preventive", None) or getattr(record, "action_plan", None)
        return None if not _blank(plan) else _("Describe the corrective and preventive action.")
    if _blank(record.no_action_reason):
        return _("Without corrective action, choose one of the allowed reasons.")
    if isinstance(record, Complaint) and not record.mgmt_rep_approved:
        return _("Without corrective action, the management representative must approve.")
    if isinstance(record, Feedback) and record.nature == "complaint" and not _complaint_approved(record):
        return _("A complaint without corrective action needs the management representative's approval "
                 "on its complaint record.")
    return None


def _complaint_approved(feedback):
    return Complaint.select().where(Complaint.feedback == feedback.id, Complaint.mgmt_rep_approved).exists()


def followup_recorded(record):
    """Demand the follow-up visit with the customer's satisfaction."""
    if isinstance(record, Repair):
        return _require("followup_date", "followup_evaluation")(record)
    return _require("followup_method", "followup_date", "followup_satisfaction")(record)


def quote_applies(record):
    """Allow a quote only out of warranty with a main component to replace."""
    if record.warranty_status == "out_of_warranty" and record.main_component:
        return None if record.quote_amount and record.quote_amount > 0 else _("Enter the quoted amount.")
    return _("A quote is needed only out of warranty with a main component to replace.")


def consent_given(record):
    """Refuse to repair a quoted job before the customer's written consent."""
    needs = record.warranty_status == "out_of_warranty" and record.main_component
    if needs and (record.status != "consented" or not record.customer_consent_at):
        return _("Out of warranty with a main component: send a quote and record the customer's written "
                 "consent before repairing.")
    return None


def factory_return(record):
    """Allow quality inspection only for repairs returned to the factory."""
    return None if record.returned_to_factory else _("Only repairs returned to the factory are inspected.")


def inspected_if_factory(record):
    """Refuse confirmation of a factory repair that has not passed inspection and been shipped back."""
    if record.returned_to_factory and record.status != "shipped_back":
        return _("A factory repair must pass quality inspection and be shipped back first.")
    return None


def return_policy(record, today=None):
    """Enforce the window from shipment and the quality-only rule unless a manager records an exception reason."""
    errors = returns.policy_errors(record, today or dt.date.today(), store.get("return_window_months"))
    return " ".join(errors) or None


def decision_made(record):
    """Demand an accepting decision (return or exchange) and checked proof of purchase."""
    if record.decision not in ("return", "exchange"):
        return _("Choose the decision: return or exchange.")
    return None if record.proof_checked else _("Check the proof of purchase (receipt) first.")


def is_exchange(record):
    """Allow shipping a replacement only for exchanges whose returned goods were received."""
    if record.decision != "exchange":
        return _("Only an exchange ships a replacement.")
    return None if record.goods_received_at else _("The returned goods must be received before shipping.")


def is_return(record):
    """Allow a refund only for returns."""
    return None if record.decision == "return" else _("Only a return is refunded.")


def reply_given(record):
    """Demand the reply every feedback gets."""
    return None if not _blank(record.reply) else _("Every feedback needs a reply before it is closed.")


def technician_named(record):
    """Demand a person of the technical department to answer a usage consultation (000 §4.4.5)."""
    user = record.technician if record.technician_id else None
    if user is None:
        return _("Choose the technician of the technical department who answers the consultation.")
    return None if user.role == "technician" else _("A usage consultation is answered by the technical "
                                                     "department: choose a user with the technician role.")


def ready_to_reply(record):
    """Refuse a reply before the nature's own step: a consultation is assigned, a suggestion assessed."""
    if record.nature == "consultation" and not record.technician_id:
        return _("Assign the consultation to the technical department first.")
    if record.nature == "suggestion" and not record.assessed_by_id:
        return _("Record the assessment of the suggestion or requirement first.")
    return None


def _linked(model, feedback):
    return model.select().where(model.feedback == feedback.id).exists()


def route_done(record):
    """Demand what the feedback's nature requires before it closes (000 §4.4.5)."""
    if not record.nature:
        return _("Determine the nature of the feedback first.")
    if record.nature == "complaint" and not _linked(Complaint, record):
        return _("A complaint or adverse event needs a linked complaint before the feedback is closed.")
    if record.nature == "fault" and not _linked(Repair, record):
        return _("A product fault needs a linked repair before the feedback is closed.")
    return ready_to_reply(record)


T = Transition
COMPLAINT = Machine(Complaint, "complaint", (
    T("investigate", _l("Start investigation"), ("received",), "investigating",
      frozenset({"clerk", "quality", "manager", "admin"})),
    T("propose", _l("Propose resolution"), ("investigating",), "resolution_proposed", QUALITY,
      (_require("findings", "root_cause"), _require("resolution"), corrective_decided)),
    T("joint_review", _l("Send to joint review"), ("investigating", "resolution_proposed"), "joint_review",
      QUALITY),
    T("review_decided", _l("Record joint review decision"), ("joint_review",), "resolution_proposed", MANAGE,
      (_require("findings", "root_cause"), _require("resolution"), corrective_decided)),
    T("inform", _l("Customer informed"), ("resolution_proposed",), "customer_informed", OFFICE),
    T("follow_up", _l("Record follow-up"), ("customer_informed",), "followed_up",
      frozenset({"clerk", "quality", "manager", "admin"}), (followup_recorded,)),
    T("close", _l("Close"), ("followed_up",), "closed", QUALITY,
      (followup_recorded, corrective_decided, legal.signed_off), {"closed_at": "now"}),
), terminal=("closed",))

REPAIR = Machine(Repair, "repair", (
    T("assign", _l("Assign technician"), ("received",), "assigned", OFFICE, (_require("technician"),)),
    T("arrive", _l("Arrived on site"), ("assigned",), "on_site", TECH, (), {"arrived_at": "now"}),
    T("to_factory", _l("Return to factory"), ("assigned", "on_site"), "returned_to_factory", TECH, (),
      {"returned_to_factory": True}),
    T("quote", _l("Send quote"), ("on_site", "returned_to_factory"), "quoted",
      frozenset({"clerk", "technician", "manager", "admin"}), (quote_applies,)),
    T("consent", _l("Record customer consent"), ("quoted",), "consented", OFFICE,
      (_require("customer_consent_at"),)),
    T("repaired", _l("Mark repaired"), ("on_site", "returned_to_factory", "consented"), "repaired", TECH,
      (consent_given, _require("fault_found", "handling_method"))),
    T("inspect", _l("Pass quality inspection"), ("repaired",), "inspected", QUALITY, (factory_return,),
      {"inspection_passed": True, "inspected_at": "now"}),
    T("ship_back", _l("Ship back"), ("inspected",), "shipped_back",
      frozenset({"clerk", "technician", "manager", "admin"}),
      (_require("shipped_at", "ship_quantity", "ship_method"),)),
    T("confirm", _l("Customer confirmed"), ("repaired", "shipped_back"), "confirmed",
      frozenset({"clerk", "technician", "manager", "admin"}), (inspected_if_factory,),
      {"customer_confirmed_at": "now"}),
    T("follow_up", _l("Record follow-up"), ("confirmed",), "followed_up",
      frozenset({"clerk", "quality", "manager", "admin"}), (followup_recorded,), {"closed_at": "now"}),
), terminal=("followed_up",))

RETURN = Machine(ReturnExchange, "returnexchange", (
    T("approve", _l("Approve"), ("requested",), "approved", MANAGE, (decision_made, return_policy),
      {"approver": "user"}),
    T("refuse", _l("Refuse"), ("requested",), "refused", MANAGE, (),
      {"decision": "refuse", "approver": "user", "closed_at": "now"}),
    T("receive", _l("Returned goods received"), ("approved",), "goods_received", OFFICE, (),
      {"goods_received_at": "today"}),
    T("ship", _l("Ship replacement"), ("goods_received",), "shipped", OFFICE, (is_exchange,),
      {"shipped_at": "today"}),
    T("refund", _l("Refund"), ("goods_received",), "refunded", OFFICE, (is_return,), {"finance_handled": True}),
    T("close", _l("Close"), ("shipped", "refunded"), "closed", OFFICE, (), {"closed_at": "now"}),
), terminal=("closed", "refused"))

FEEDBACK_ROLES = frozenset({"clerk", "quality", "technician", "manager", "admin"})
FEEDBACK = Machine(Feedback, "feedback", (
    T("analyse", _l("Start analysis"), ("new",), "analysing", FEEDBACK_ROLES),
    T("assign_tech", _l("Assign to the technical department"), ("new", "analysing"), "routed",
      frozenset({"clerk", "quality", "manager", "admin"}), (technician_named,), natures=("consultation",)),
    T("assess", _l("Record assessment"), ("new", "analysing"), "routed", QUALITY, (_require("assessment"),),
      {"assessed_by": "user", "assessed_at": "now"}, natures=("suggestion",)),
    T("reply", _l("Record reply"), ("new", "analysing", "routed"), "replied", FEEDBACK_ROLES,
      (reply_given, ready_to_reply), {"replied_at": "now"}),
    T("close", _l("Close"), ("replied",), "closed", frozenset({"clerk", "quality", "manager", "admin"}),
      (reply_given, corrective_decided, route_done), {"completed_at": "now", "closed_at": "now"}),
), terminal=("closed",))

MACHINES = {m.model: m for m in (COMPLAINT, REPAIR, RETURN, FEEDBACK)}


def machine_for(model):
    """Return the lifecycle of a model class or record, or None."""
    return MACHINES.get(model if isinstance(model, type) else type(model))


def check(record, name, role):
    """Return the translated reasons a role may not take a transition now ([] when it may)."""
    machine = machine_for(record)
    transition = machine.get(name) if machine else None
    if transition is None:
        return [_("Unknown step.")]
    if record.status not in transition.sources:
        return [_("This step is not possible from the current status.")]
    if role not in transition.roles:
        return [_("Your role may not take this step.")]
    if not transition.fits(record):
        return [_("This step does not fit the feedback's nature.")]
    return [message for gate in transition.gates if (message := gate(record))]


def available(record, role):
    """Return the transitions offered on a record to a role (from its status, for its role)."""
    machine = machine_for(record)
    if machine is None:
        return []
    return [t for t in machine.transitions if record.status in t.sources and role in t.roles and t.fits(record)]
