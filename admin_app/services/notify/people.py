"""Telling a colleague that a record needs them: one place, so the in-app notices can replace it.

Until the in-app notification centre exists (developer "jobs"), a notice is recorded as an assignment-log row
on the record (who was told, by whom, when, why), shown on the record's page, and the record appears on the
person's "My work" list. Users have no e-mail address, so the mail outbox cannot carry it yet.
"""
from models.workflow import AssignmentLog


def notify_user(record, field, user_id, by_user, message, previous_id=None):
    """Record that `user_id` was given `record` through `field` and told `message`; return the log row."""
    return AssignmentLog.create(table=record._meta.table_name, record_id=record.id, field=field,
                                from_user=previous_id, to_user=user_id, by_user=by_user.id if by_user else None,
                                username=by_user.username if by_user else "system", note=str(message)[:500])
