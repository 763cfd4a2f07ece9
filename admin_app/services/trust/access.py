"""The access log and need-to-know: who looked at which personal data, when, and why (查阅登记).

000 餐饮部客史档案管理制度 4.: 客史档案的查阅和使用应严格遵守保密规定. A user who is neither the customer's owner
nor assigned to one of its open records (owner, technician or legal contact) states a purpose before a dossier
opens; every opening of a dossier or archive record is logged with who, when, which customer and the purpose.
"""
import datetime as dt

from flask import has_request_context
from flask_login import current_user

from admin_app.services.workflow.deadlines import WORKFLOW_MODELS, mine_condition
from models import AccessLog, Customer

PURPOSE_MIN, PURPOSE_MAX = 4, 255


def log_access(action, record, customer_id=None, detail="", purpose=""):
    """Append one entry to the access log for the current user."""
    user_id, username = None, "system"
    if has_request_context() and current_user.is_authenticated:
        user_id, username = current_user.id, current_user.username
    return AccessLog.create(user=user_id, username=username, action=action, table=record._meta.table_name,
                            record_id=record.id, customer_id=customer_id, detail=str(detail)[:255],
                            purpose=str(purpose)[:PURPOSE_MAX])


def has_need_to_know(user_id, customer_id):
    """Tell whether a user owns the customer or is assigned to one of its open records."""
    if Customer.select().where(Customer.id == customer_id, Customer.owner == user_id).exists():
        return True
    return any(model.select().where(model.customer == customer_id, model.closed_at.is_null(),
                                    mine_condition(model, user_id)).exists() for model in WORKFLOW_MODELS)


def purpose_error(text):
    """Return why a stated purpose is not acceptable (a key for the view's message), or None."""
    text = (text or "").strip()
    if len(text) < PURPOSE_MIN:
        return "short"
    return "long" if len(text) > PURPOSE_MAX else None


def remember(store, customer_id, purpose, moment=None):
    """Keep a stated purpose in a session-like mapping for one customer."""
    moment = moment or dt.datetime.now()
    purposes = dict(store.get("dossier_purposes") or {})
    purposes[str(customer_id)] = [purpose.strip(), moment.isoformat(timespec="seconds")]
    store["dossier_purposes"] = purposes


def remembered(store, customer_id, minutes, moment=None):
    """Return the purpose stated for a customer within the last `minutes`, or None."""
    found = (store.get("dossier_purposes") or {}).get(str(customer_id))
    if not found:
        return None
    moment = moment or dt.datetime.now()
    stated = dt.datetime.fromisoformat(found[1])
    return found[0] if moment - stated <= dt.timedelta(minutes=minutes) else None
