"""The access log: who looked at which personal data, and when."""
from flask import has_request_context
from flask_login import current_user

from models import AccessLog


def log_access(action, record, customer_id=None, detail=""):
    """Append one entry to the access log for the current user."""
    user_id, username = None, "system"
    if has_request_context() and current_user.is_authenticated:
        user_id, username = current_user.id, current_user.username
    return AccessLog.create(user=user_id, username=username, action=action, table=record._meta.table_name,
                            record_id=record.id, customer_id=customer_id, detail=str(detail)[:255])
