"""Destruction as a reviewed list (保存期满后销毁): proposed from the records past retention, approved by a manager
other than the proposer, then carried out in one transaction; each item says what, when, by whom, under which rule.
"""
import datetime as dt

from flask_babel import gettext as _

from admin_app.db import write_transaction
from admin_app.services.trust import retention
from models import RECORD_MODELS, DestructionItem, DestructionList, User, now

MODELS = {m._meta.table_name: m for m in RECORD_MODELS}


class DestructionError(ValueError):
    """A destruction step was refused; the message says why."""


def _pending_ids(table):
    return (DestructionItem.select(DestructionItem.record_id).join(DestructionList)
            .where(DestructionItem.table == table, DestructionList.status == "proposed"))


def propose(selection, user, years=retention.DEFAULT_YEARS, today=None):
    """Create a destruction list from {table: [ids]} of records still due and on no open list; return it.

    Raise DestructionError when nothing selected is due.
    """
    rows = []
    for table, ids in selection.items():
        model = MODELS.get(table)
        if model is None or not ids:
            continue
        pending = {r.record_id for r in _pending_ids(table)}
        for entry in retention.due_entries(model, years, today, ids=[i for i in ids if i not in pending]):
            rows.append({"table": table, "record_id": entry.record.id, "customer_id": entry.record.customer_id,
                         "summary": entry.record.summary(120), "rule": entry.rule, "due_on": entry.due_on})
    if not rows:
        raise DestructionError(_("Select records past their retention period that are on no open list."))
    with write_transaction():
        batch = DestructionList.create(proposed_by=user.id, proposed_at=now())
        DestructionItem.insert_many([{**row, "batch": batch.id, "created_at": now(), "updated_at": now()}
                                     for row in rows]).execute()
    return batch


def _review_error(batch, user):
    if batch.status != "proposed":
        return _("This list was already reviewed.")
    if batch.proposed_by_id == user.id:
        return _("The list must be approved by a manager other than the person who proposed it.")
    return None


def approve(batch, user, years=retention.DEFAULT_YEARS, today=None):
    """Destroy every item of a proposed list still due, stamp who and when, in one transaction; return the count."""
    error = _review_error(batch, user)
    if error:
        raise DestructionError(error)
    destroyed = 0
    with write_transaction():
        for table, model in MODELS.items():
            items = batch.items.where(DestructionItem.table == table)
            ids = [item.record_id for item in items]
            if not ids:
                continue
            done = retention.destroy(model, ids, years, today)
            DestructionItem.update(destroyed_at=now(), destroyed_by=user.id).where(
                DestructionItem.batch == batch.id, DestructionItem.table == table,
                DestructionItem.record_id.in_(done or [0])).execute()
            destroyed += len(done)
        DestructionList.update(status="approved", reviewed_by=user.id, reviewed_at=now()).where(
            DestructionList.id == batch.id).execute()
    return destroyed


def reject(batch, user, note):
    """Reject a proposed list with a reason; nothing is destroyed."""
    error = _review_error(batch, user)
    if error:
        raise DestructionError(error)
    if not (note or "").strip():
        raise DestructionError(_("Give the reason for rejecting the list."))
    DestructionList.update(status="rejected", reviewed_by=user.id, reviewed_at=now(), note=note.strip()).where(
        DestructionList.id == batch.id).execute()


def recent_destroyed(limit=200, since=None):
    """Return the latest destroyed items with their list and approver, newest first."""
    since = since or dt.datetime(1970, 1, 1)
    return list(DestructionItem.select(DestructionItem, DestructionList, User)
                .join(DestructionList).switch(DestructionItem).join(User, on=DestructionItem.destroyed_by == User.id)
                .where(DestructionItem.destroyed_at >= since)
                .order_by(DestructionItem.destroyed_at.desc(), DestructionItem.id.desc()).limit(limit))
