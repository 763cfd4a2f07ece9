"""Telling a colleague that a record needs them: an assignment-log row on the record plus a notification.

The log row (who was told, by whom, when, why) shows on the record's page and puts the record on the person's
"My work" list; the notification (inbox.notify) rings their bell and, if they chose that kind, comes by e-mail.
"""
from admin_app.services.notify.inbox import notify
from models.workflow import AssignmentLog


def notify_user(record, field, user_id, by_user, message, previous_id=None, kind="assigned"):
    """Record that `user_id` was given `record` through `field` and told `message`; notify them; return the log row.

    `kind` is a notification kind of inbox.KINDS; nobody is notified of what they did to themselves.
    """
    entry = AssignmentLog.create(table=record._meta.table_name, record_id=record.id, field=field,
                                 from_user=previous_id, to_user=user_id, by_user=by_user.id if by_user else None,
                                 username=by_user.username if by_user else "system", note=str(message)[:500])
    if user_id and (by_user is None or by_user.id != user_id):
        notify(user_id, kind, record)
    return entry
