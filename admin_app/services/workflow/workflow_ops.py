"""Carrying out workflow steps: transitions, the return policy, feedback routing and reassignment."""
import datetime as dt

from flask_babel import gettext as _

from admin_app.db import write_transaction
from admin_app.services.exchange.import_sql import id_scope
from admin_app.services.notify import notify
from admin_app.services.trust import history
from admin_app.services.workflow import workdays
from admin_app.services.workflow.states import check, machine_for
from models import Complaint, Feedback, Repair, User, now
from models.workflow import AssignmentLog, TransitionLog

#: fields only a manager (the management representative) may set
APPROVAL_FIELDS = {"mgmt_rep_approved": frozenset({"manager", "admin"}),
                   "exception_reason": frozenset({"manager", "admin"})}


class WorkflowError(ValueError):
    """A step was refused; the message says why."""


def _value(spec, user):
    if spec == "now":
        return now()
    if spec == "today":
        return dt.date.today()
    if spec == "user":
        return user.id if user else None
    return spec


def apply_transition(record, name, user, note=None):
    """Take a step on a record in one transaction; raise WorkflowError with the reasons when refused."""
    errors = check(record, name, user.role if user else None)
    if errors:
        raise WorkflowError(" ".join(errors))
    transition = machine_for(record).get(name)
    model, source = type(record), record.status
    with write_transaction():
        before = history.snapshot(record)
        values = {"status": transition.target, "version": record.version + 1, "updated_at": now()}
        for field, spec in transition.sets.items():
            # stamps keep a value the user already entered (e.g. the real arrival time)
            if spec in ("now", "today") and getattr(record, field) is not None:
                continue
            values[field] = _value(spec, user)
        changed = model.update(**values).where(model.id == record.id, model.status == source).execute()
        if not changed:
            raise WorkflowError(_("Someone else changed this record's status; reload it."))
        fresh = model.get_by_id(record.id)
        history.record(fresh, "update", history.diff(before, history.snapshot(fresh)))
        TransitionLog.create(table=model._meta.table_name, record_id=record.id, transition=name,
                             from_status=source, to_status=transition.target, user=user,
                             username=user.username if user else "system", note=(note or "").strip() or None)
    return fresh


def status_edit(before, record, user):
    """Let a status edited in place (list grid) through only as a permitted transition, stamped and logged."""
    if before is None or before.status == record.status:
        return None
    machine = machine_for(record)
    target = record.status
    step = next((t for t in machine.transitions if before.status in t.sources and t.target == target), None)
    if step is None:
        raise WorkflowError(_("This step is not possible from the current status."))
    record.status = before.status
    errors = check(record, step.name, user.role if user else None)
    record.status = target
    if errors:
        raise WorkflowError(" ".join(errors))
    for field, spec in step.sets.items():
        if spec not in ("now", "today") or getattr(record, field) is None:
            setattr(record, field, _value(spec, user))
    return TransitionLog.create(table=type(record)._meta.table_name, record_id=record.id, transition=step.name,
                                from_status=before.status, to_status=target, user=user,
                                username=user.username if user else "system")


def guard_fields(before, record, role):
    """Raise WorkflowError when a role changed a field reserved to managers."""
    for name, roles in APPROVAL_FIELDS.items():
        if name in record._meta.fields and role not in roles:
            old = getattr(before, name) if before is not None else record._meta.fields[name].default
            if (old or None) != (getattr(record, name) or None):
                raise WorkflowError(_("Only a manager (management representative) may set this field: %(f)s.",
                                      f=name))


def check_return_dates(record):
    """Raise WorkflowError when an exchange would ship before the returned goods are received."""
    if getattr(record, "shipped_at", None) and "goods_received_at" in record._meta.fields:
        received = record.goods_received_at
        if received is None or record.shipped_at < received:
            raise WorkflowError(_("An exchange cannot ship before the returned goods are received."))


def fill_deadlines(record):
    """Set a new record's investigation or response deadline from its receipt time."""
    if isinstance(record, Complaint) and record.received_at and not record.investigation_due:
        record.investigation_due = workdays.investigation_due(record.received_at)
    if isinstance(record, Repair) and record.received_at and not record.response_due:
        region = workdays.customer_region(record.customer_id)
        record.response_due = workdays.response_due(record.received_at, region)


def complete_imported(model, ids, owner_id):
    """Give imported records what a form-made one gets: the importer as owner where none, and missing deadlines."""
    written = id_scope(model.id, ids)  # an import's new rows are one BETWEEN, not 100k bound parameters
    if "owner" in model._meta.fields:
        model.update(owner=owner_id).where(written, model.owner.is_null()).execute()
    deadlines = [name for name in ("investigation_due", "response_due") if name in model._meta.fields]
    for name in deadlines:
        for record in model.select().where(written, getattr(model, name).is_null()):
            fill_deadlines(record)
            if getattr(record, name) is not None:
                model.update({name: getattr(record, name)}).where(model.id == record.id).execute()


#: fields naming who works on a record: changing one is a reassignment, logged
ASSIGNED_FIELDS = ("owner", "technician")


def log_reassignment(model, record_id, old_id, new_id, user, field="owner", note=None):
    """Append an AssignmentLog row when an owner or technician changes."""
    if old_id == new_id:
        return None
    entry = AssignmentLog.create(table=model._meta.table_name, record_id=record_id, field=field,
                                 from_user=old_id, to_user=new_id, by_user=user.id if user else None,
                                 username=user.username if user else "system", note=note)
    if new_id and (user is None or user.id != new_id):
        notify(new_id, "assigned", (model, record_id))
    return entry


def reassign(record, new_owner_id, user, note=None):
    """Give a record to another owner in one transaction, recording who did it."""
    model = type(record)
    if not User.select().where(User.id == new_owner_id, User.active).exists():
        raise WorkflowError(_("Choose an active user."))
    with write_transaction():
        before = history.snapshot(record)
        model.update(owner=new_owner_id, version=record.version + 1, updated_at=now()).where(
            model.id == record.id).execute()
        fresh = model.get_by_id(record.id)
        history.record(fresh, "update", history.diff(before, history.snapshot(fresh)))
        log_reassignment(model, record.id, record.owner_id, new_owner_id, user, note=note)
    return fresh


COMPLAINT_TYPE_BY_CATEGORY = {"product_quality": "product_quality", "customer_service": "service_quality"}


def _carry_complaint(fb):
    return {"complainant": fb.reporter, "contact_phone": fb.reporter_phone, "channel": fb.channel,
            "complaint_type": COMPLAINT_TYPE_BY_CATEGORY.get(fb.category, "service_quality"),
            "product_name": fb.product_name, "batch_no": fb.serial_no, "purchase_date": None,
            "content": fb.content}


def _carry_repair(fb):
    return {"reporter": fb.reporter, "contact_phone": fb.reporter_phone,
            "product_name": fb.product_name or "-", "model_no": fb.model_no, "serial_no": fb.serial_no,
            "fault_reported": fb.content}


ROUTES = {"complaint": (Complaint, _carry_complaint, "complaint"), "repair": (Repair, _carry_repair, "fault")}


def route_feedback(feedback, kind, user):
    """Create the Complaint (nature complaint) or Repair (nature fault) a feedback becomes, linked, in one transaction.

    Raise WorkflowError when the feedback is closed or its nature calls for another route (000 §4.4.5).
    """
    model, carry, nature = ROUTES[kind]
    if feedback.status == "closed":
        raise WorkflowError(_("A closed feedback cannot be routed."))
    if feedback.nature != nature:  # 000 §4.4.5: the nature found by analysis decides the route
        raise WorkflowError(_("This step does not fit the feedback's nature."))
    with write_transaction():
        record = model(customer=feedback.customer_id, owner=feedback.owner_id or user.id, feedback=feedback.id,
                       received_at=now(), **carry(feedback))
        fill_deadlines(record)
        record.save(force_insert=True)
        history.record(record, "create", snap=history.snapshot(record))
        before = history.snapshot(feedback)
        changes = {"version": feedback.version + 1, "updated_at": now()}
        if feedback.status in ("new", "analysing"):
            changes["status"] = "routed"
        Feedback.update(**changes).where(Feedback.id == feedback.id).execute()
        fresh = Feedback.get_by_id(feedback.id)
        history.record(fresh, "update", history.diff(before, history.snapshot(fresh)))
        if fresh.status != feedback.status:
            TransitionLog.create(table="feedback", record_id=feedback.id, transition="route_" + kind,
                                 from_status=feedback.status, to_status=fresh.status, user=user,
                                 username=user.username)
    return record
