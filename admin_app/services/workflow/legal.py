"""Legal escalation of complaints (001: 涉及法律诉讼的要及时与公司法务人员沟通).

A complaint flagged as involving legal action is given to a legal or management contact, who is notified and
whose sign-off the complaint needs before it can close.
"""
from flask_babel import gettext as _

from admin_app.db import write_transaction
from admin_app.services.notify.people import notify_user
from admin_app.services.trust import history
from models import Complaint, User, now

#: roles that may act as the legal or management contact
LEGAL_ROLES = frozenset({"manager", "admin"})


class LegalError(ValueError):
    """A legal escalation step was refused; the message says why."""


def contact_error(complaint):
    """Return why the complaint's legal contact is missing or unfit, or None."""
    if not complaint.involves_legal:
        return None
    if not complaint.legal_contact_id:
        return _("A complaint involving legal action needs a legal or management contact.")
    user = User.get_or_none(User.id == complaint.legal_contact_id)
    if user is None or not user.active or user.role not in LEGAL_ROLES:
        return _("The legal contact must be an active manager or administrator.")
    return None


def escalate(before, complaint, user):
    """Check the contact on save; when it is new, clear any sign-off and notify the contact (in place)."""
    error = contact_error(complaint)
    if error:
        raise LegalError(error)
    previous = before.legal_contact_id if before is not None else None
    if not complaint.involves_legal or complaint.legal_contact_id == previous and complaint.legal_notified_at:
        return False
    complaint.legal_notified_at = now()
    complaint.legal_signoff_at, complaint.legal_signoff_note = None, None
    return True


def notify_contact(complaint, user, previous_id=None):
    """Tell the legal contact that the complaint needs them (after the complaint is saved)."""
    return notify_user(complaint, "legal_contact", complaint.legal_contact_id, user,
                       _("Legal escalation: complaint #%(id)d needs your sign-off before it can close.",
                         id=complaint.id), previous_id, kind="legal_signoff")


def sign_off(complaint, user, note):
    """Record the legal contact's sign-off in one transaction; raise LegalError unless `user` is that contact."""
    if not complaint.involves_legal:
        raise LegalError(_("This complaint does not involve legal action."))
    if complaint.legal_contact_id != user.id:
        raise LegalError(_("Only the complaint's legal contact may sign it off."))
    if not (note or "").strip():
        raise LegalError(_("Write what you signed off."))
    with write_transaction():
        before = history.snapshot(complaint)
        Complaint.update(legal_signoff_at=now(), legal_signoff_note=note.strip(), version=complaint.version + 1,
                         updated_at=now()).where(Complaint.id == complaint.id).execute()
        fresh = Complaint.get_by_id(complaint.id)
        history.record(fresh, "update", history.diff(before, history.snapshot(fresh)))
    return fresh


def signed_off(record):
    """Gate: refuse to close a legal complaint without its contact's sign-off."""
    if not record.involves_legal:
        return None
    if not record.legal_contact_id:
        return _("A complaint involving legal action needs a legal or management contact.")
    return None if record.legal_signoff_at else _("The legal contact has not signed this complaint off yet.")
