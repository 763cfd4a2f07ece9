"""In-app notifications, copied to e-mail through the outbox for the kinds a user chose.

`notify(user_id, kind, record=None, key=None, **params)` is the one entry point: it stores a Notification (shown
under the bell) and, when the user asked for that kind by e-mail and gave an address, queues an e-mail in the
recipient's language. Texts are rendered when shown, so each reader sees them in their own language.
"""
import json

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from admin_app.services.notify import outbox
from models import Notification, NotifySettings, User, now

#: kind -> title (a format string over the notification's params); add a kind here before using it
KINDS = {
    "assigned": _l("%(record)s was assigned to you"),
    "due_tomorrow": _l("%(record)s is due tomorrow (%(due)s)"),
    "overdue": _l("%(record)s is overdue (due %(due)s)"),
    "job_finished": _l("Your job #%(job)s has ended: %(status)s"),
    "digest": _l("Overdue work: %(total)s records"),
    "retention_due": _l("%(count)s records are past retention and wait for review"),
    "legal_signoff": _l("%(record)s involves legal action and needs your sign-off before it can close"),
}
#: kinds a user may choose to receive by e-mail as well, in the order the settings page shows them
EMAIL_KINDS = ("assigned", "legal_signoff", "due_tomorrow", "overdue", "job_finished", "digest", "retention_due")
RECORD_LABELS = {"customer": _l("Customer"), "archive_record": _l("Archive record"), "feedback": _l("Feedback"),
                 "complaint": _l("Complaint"), "repair": _l("Repair"), "return_exchange": _l("Return / exchange")}
ENDPOINTS = {"archive_record": "archiverecord", "return_exchange": "returnexchange"}
STATUS_LABELS = {"done": _l("done"), "failed": _l("failed"), "cancelled": _l("cancelled")}


def _target(record):
    """Return (table, id) of a model instance or a (model class, id) pair."""
    if record is None:
        return None, None
    if isinstance(record, tuple):
        model, record_id = record
        return model._meta.table_name, record_id
    return record._meta.table_name, record.id


def notify(user_id, kind, record=None, key=None, **params):
    """Notify a user of something about a record (instance or (model, id)); return the Notification.

    `key` makes it once only: a second call with the same key for the same user returns None. `params` fill the
    kind's text (plain JSON values). Raises KeyError for an unknown kind.
    """
    if kind not in KINDS:
        raise KeyError(kind)
    if key and Notification.select().where(Notification.user == user_id, Notification.key == key).exists():
        return None
    table, record_id = _target(record)
    note = Notification.create(user=user_id, kind=kind, table=table, record_id=record_id, key=key,
                               params=json.dumps(params, default=str, ensure_ascii=False))
    _email(note)
    return note


def record_label(table, record_id):
    """Return "Complaint #12" in the current language."""
    return f"{RECORD_LABELS.get(table, table)} #{record_id}"


def link(note):
    """Return the path that opens what a notification is about, or None."""
    if note.kind == "job_finished":
        return "/admin/jobs/"
    if note.table and note.record_id:
        return f"/admin/{ENDPOINTS.get(note.table, note.table)}/details/?id={note.record_id}"
    return None


def render(note):
    """Return {"title", "lines", "link"} of a notification in the current language."""
    values = json.loads(note.params or "{}")
    if note.table:
        values.setdefault("record", record_label(note.table, note.record_id))
    if "status" in values:
        values["status"] = str(STATUS_LABELS.get(values["status"], values["status"]))
    lines = [f"{row['owner']}: {row['count']}" for row in values.get("rows", ())]
    return {"title": str(KINDS[note.kind]) % _Missing(values), "lines": lines, "link": link(note)}


class _Missing(dict):
    """Format values where a missing name shows as empty instead of raising."""

    def __missing__(self, name):
        return ""


def _email(note):
    """Queue the e-mail copy of a notification if its user chose that kind and has an address."""
    settings = NotifySettings.get_or_none(NotifySettings.user == note.user_id)
    if settings is None or not settings.email or note.kind not in settings.kinds:
        return None
    user = User.get_by_id(note.user_id)
    with force_locale(user.language or current_app.config.get("BABEL_DEFAULT_LOCALE")):
        shown = render(note)
        base = (current_app.config.get("APP_BASE_URL") or current_app.config.get("SURVEY_BASE_URL") or "")
        body = "\n".join([shown["title"], "", *shown["lines"], "", *([base.rstrip("/") + shown["link"]]
                                                                     if shown["link"] else [])])
    message = outbox.enqueue(settings.email, shown["title"], body.strip() + "\n")
    if current_app.config.get("MAIL_SERVER"):
        from admin_app.services.jobs.tasks import send_outbox

        send_outbox()
    return message


def unread_count(user_id):
    """Return how many notifications a user has not read."""
    return Notification.unread_count(user_id)


def latest(user_id, limit=100):
    """Return a user's notifications, newest first."""
    return list(Notification.select().where(Notification.user == user_id)
                .order_by(Notification.id.desc()).limit(limit))


def mark_read(user_id, ids=None):
    """Mark a user's notifications read (all unread ones when ids is None); return how many changed."""
    query = Notification.update(read_at=now()).where(Notification.user == user_id, Notification.read_at.is_null())
    if ids is not None:
        query = query.where(Notification.id.in_(list(ids)))
    return query.execute()


def settings_for(user_id):
    """Return a user's NotifySettings, unsaved defaults if none."""
    return NotifySettings.get_or_none(NotifySettings.user == user_id) or NotifySettings(user=user_id)


def save_settings(user_id, email, kinds):
    """Store a user's e-mail address and the kinds that also come by e-mail (unknown kinds are dropped)."""
    chosen = ",".join(k for k in EMAIL_KINDS if k in set(kinds))
    found = NotifySettings.get_or_none(NotifySettings.user == user_id)
    if found is None:
        return NotifySettings.create(user=user_id, email=email.strip(), email_kinds=chosen)
    NotifySettings.update(email=email.strip(), email_kinds=chosen, updated_at=now()).where(
        NotifySettings.id == found.id).execute()
    return NotifySettings.get_by_id(found.id)
