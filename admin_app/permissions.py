"""Who may do what: the default role matrix and personal-data masking policy.

Decisions are worked out once per request and user (`decided`): a list page asks the same questions for every
row and column, and each answer costs a look-up of the logged-in user.
"""
from flask import has_request_context, request
from flask_login import current_user, user_logged_in, user_logged_out

ALL = frozenset({"clerk", "technician", "quality", "supervisor", "manager", "admin"})
OFFICE = frozenset({"clerk", "supervisor", "manager", "admin"})
MANAGE = frozenset({"manager", "admin"})


def _matrix(view, create=None, edit=None, delete=MANAGE, export=None):
    return {
        "view": frozenset(view),
        "create": frozenset(create if create is not None else view),
        "edit": frozenset(edit if edit is not None else (create if create is not None else view)),
        "delete": frozenset(delete),
        "export": frozenset(export if export is not None else view),
    }


#: endpoint -> operation -> roles allowed
DEFAULT_MATRIX = {
    "customer": _matrix(ALL, create=OFFICE, export=OFFICE | {"quality"}),
    "archiverecord": _matrix(OFFICE, create={"clerk", "manager", "admin"}, delete={"admin"}),
    "feedback": _matrix(ALL, create={"clerk", "quality", "manager", "admin"},
                        edit={"clerk", "quality", "technician", "manager", "admin"}),
    "complaint": _matrix(OFFICE | {"quality"}, create={"clerk", "quality", "manager", "admin"}),
    "repair": _matrix({"clerk", "technician", "quality", "manager", "admin"},
                      create={"clerk", "manager", "admin"},
                      edit={"clerk", "technician", "quality", "manager", "admin"}),
    "returnexchange": _matrix(OFFICE | {"quality"}, create={"clerk", "manager", "admin"},
                              edit={"clerk", "quality", "manager", "admin"}),
    "user": _matrix({"admin"}, delete={"admin"}),
    "changelog": _matrix(MANAGE, create=(), edit=(), delete=()),
    "accesslog": _matrix(MANAGE, create=(), edit=(), delete=()),
    "trash": _matrix({"admin"}),
    "rolepermission": _matrix({"admin"}),
    # retention (issue 14): "create" proposes a destruction list, "approve" (below) lets a manager carry it out
    "retention": _matrix(MANAGE, create=MANAGE, edit=(), delete=(), export=()),
    # the six-monthly archive check (档案资料检查表): the office keys in checks; managers see the due list too
    "archivecheck": _matrix(OFFICE, create={"clerk", "manager", "admin"}, delete={"admin"}),
    "archivecheckdue": _matrix(OFFICE, create=(), edit=(), delete=()),
    "mywork": _matrix(ALL, create=(), edit=(), delete=(), export=()),
    "exchangeledger": _matrix(OFFICE | {"quality"}, create=(), edit=(), delete=()),
    "followups": _matrix(OFFICE | {"quality"}, create=(), edit=(), delete=()),
    "holiday": _matrix(ALL, create=MANAGE, export=MANAGE),
    "corearea": _matrix(ALL, create=MANAGE, export=MANAGE),
    # satisfaction surveys (issue 4): surveybatch "create" = dispatch from the customer list
    "questionnaire": _matrix(OFFICE | {"quality"}, create={"quality", "manager", "admin"}),
    "questionitem": _matrix(OFFICE | {"quality"}, create={"quality", "manager", "admin"}),
    "surveybatch": _matrix(OFFICE | {"quality"}, create={"clerk", "quality", "manager", "admin"}, edit=(),
                           delete=()),
    "surveyresponse": _matrix(OFFICE | {"quality"}, create={"clerk", "quality", "manager", "admin"}, edit=(),
                              delete={"admin"}),
    "surveystats": _matrix(OFFICE | {"quality"}, create=(), edit=(), delete=()),
    "outboxmessage": _matrix(MANAGE, create=(), edit=MANAGE, delete=()),
    # credit grading (issue 3): thresholds, grade history, reports due, urgent credit events
    # rule settings (issue 12.6), the grading thresholds among them: read by managers, changed by an admin
    "rulesettings": _matrix({"supervisor", "manager", "admin"}, create=(), edit={"admin"}, delete=(), export=()),
    "gradehistory": _matrix(OFFICE | {"quality"}, create=(), edit=(), delete=(),
                            export={"supervisor", "manager", "admin"}),
    "reportsdue": _matrix(OFFICE, create=(), edit=(), delete=()),
    "urgentevent": _matrix(OFFICE, edit={"supervisor", "manager", "admin"}, delete={"admin"}),
    # issue 16: everyone's own sessions, password and second factor; the admin's second-factor policy
    "account": _matrix(ALL, create=(), edit=ALL, delete=(), export=()),
    "twofactorpolicy": _matrix({"admin"}, create=(), edit={"admin"}, delete=(), export=()),
    # custom fields (issue 12): only the administrator changes the data model
    "customfield": _matrix({"admin"}, delete=()),
    "choicelists": _matrix({"admin"}, create=(), delete=(), export=()),
}
# credit grading on the customer list: recompute by the rules; designate A/B only by sales supervisors (and admin)
DEFAULT_MATRIX["customer"]["grade"] = frozenset({"supervisor", "manager", "admin"})
DEFAULT_MATRIX["customer"]["designate"] = frozenset({"supervisor", "admin"})
DEFAULT_MATRIX["retention"]["approve"] = frozenset({"manager"})
# handing a record to another owner (its current owner may also hand it on); only these roles get the owner box
for _endpoint in ("customer", "archiverecord", "feedback", "complaint", "repair", "returnexchange"):
    DEFAULT_MATRIX[_endpoint]["reassign"] = frozenset({"supervisor", "manager", "admin"})
# putting a field or a whole record back to an earlier value from its history (issue 13 item 4)
for _endpoint in ("customer", "archiverecord", "feedback", "complaint", "repair", "returnexchange"):
    DEFAULT_MATRIX[_endpoint]["revert"] = MANAGE
# spreadsheet import (creates and updates many rows at once): the office roles that key in records
for _endpoint in ("customer", "feedback", "complaint", "repair", "returnexchange"):
    DEFAULT_MATRIX[_endpoint]["import"] = DEFAULT_MATRIX[_endpoint]["create"] & {"clerk", "manager", "admin"}

#: personal fields and the roles that see them unmasked
UNMASKED = {
    "phone": frozenset({"clerk", "supervisor", "manager", "admin"}),
    "contact_phone": frozenset({"clerk", "technician", "supervisor", "manager", "admin"}),
    "reporter_phone": frozenset({"clerk", "technician", "quality", "manager", "admin"}),
    "address": frozenset({"clerk", "technician", "manager", "admin"}),
    "id_card": frozenset({"manager", "admin"}),
}


def _decisions():
    """Return this request's {key: decision}, or None outside a request.

    Kept on the request (not `g`, which a test's app context shares between requests) and dropped when someone
    logs in or out within the request (forget_decisions).
    """
    try:
        current = request._get_current_object()  # one context look-up: this runs for every list cell
    except RuntimeError:
        return None  # outside a request
    return current.__dict__.setdefault("_decisions", {})


def forget_decisions(*_args, **_kwargs):
    """Drop the decisions made in this request: the user changed."""
    if has_request_context():
        request.__dict__.pop("_decisions", None)


user_logged_in.connect(forget_decisions)
user_logged_out.connect(forget_decisions)


def decided(key, compute):
    """Return compute() for the current user, computed once per request under a hashable key."""
    cache = _decisions()
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def role():
    """Return the current user's role, or None when nobody is logged in."""
    return decided("role", lambda: current_user.role if current_user.is_authenticated else None)


def allowed(endpoint, operation="view", user_role=None):
    """Tell whether a role may perform an operation on a view: the admin's panel rules, else the matrix."""
    if user_role is None:
        return decided(("allowed", endpoint, operation), lambda: _allowed(endpoint, operation, role()))
    return _allowed(endpoint, operation, user_role)


def _allowed(endpoint, operation, user_role):
    if not user_role:
        return False
    # the administrator can never lock themselves out of the permission editor
    override = None if endpoint == "rolepermission" and user_role == "admin" else \
        panel_rules(user_role).get((endpoint, operation, ""))
    if override is not None:
        return override == "allow"
    rules = DEFAULT_MATRIX.get(endpoint)
    if rules and operation == "reveal" and "reveal" not in rules:
        operation = "view"  # whoever may open a view may reveal one masked value on it, logged
    return bool(rules and user_role in rules.get(operation, ()))


def field_access(endpoint, field, user_role=None):
    """Return "hidden", "read" or "edit": what a role may do with one field of a view."""
    if user_role is None:
        return decided(("field", endpoint, field), lambda: _field_access(endpoint, field, role()))
    return _field_access(endpoint, field, user_role)


def _field_access(endpoint, field, user_role):
    if not user_role:
        return "hidden"
    return panel_rules(user_role).get((endpoint, "field", field), "edit")


def panel_rules(user_role):
    """Return the role's RolePermission rules, read once per request."""
    from models.security import RolePermission

    if not has_request_context():
        return RolePermission.rules_for(user_role)
    cache = request.__dict__.setdefault("_panel_rules", {})
    if user_role not in cache:
        cache[user_role] = RolePermission.rules_for(user_role)
    return cache[user_role]


def sees_unmasked(field, user_role=None):
    """Tell whether a role sees a personal field in clear."""
    if field not in UNMASKED:
        return True
    return (user_role or role()) in UNMASKED[field]


def mask(field, value):
    """Mask a personal value, keeping just enough to recognise it."""
    if not value:
        return value
    text = str(value)
    if field == "address":
        return text[:6] + "****" if len(text) > 6 else "****"
    if len(text) <= 4:
        return "*" * len(text)
    keep_head = 3 if len(text) < 15 else 6
    return text[:keep_head] + "*" * (len(text) - keep_head - 4) + text[-4:]
