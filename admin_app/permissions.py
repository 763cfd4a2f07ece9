"""Who may do what: the default role matrix and personal-data masking policy."""
from flask_login import current_user

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
}

#: personal fields and the roles that see them unmasked
UNMASKED = {
    "phone": frozenset({"clerk", "supervisor", "manager", "admin"}),
    "contact_phone": frozenset({"clerk", "technician", "supervisor", "manager", "admin"}),
    "reporter_phone": frozenset({"clerk", "technician", "quality", "manager", "admin"}),
    "address": frozenset({"clerk", "technician", "manager", "admin"}),
    "id_card": frozenset({"manager", "admin"}),
}


def role():
    """Return the current user's role, or None when nobody is logged in."""
    return current_user.role if current_user.is_authenticated else None


def allowed(endpoint, operation="view", user_role=None):
    """Tell whether a role may perform an operation on a view."""
    user_role = user_role or role()
    rules = DEFAULT_MATRIX.get(endpoint)
    return bool(user_role and rules and user_role in rules.get(operation, ()))


def sees_unmasked(field, user_role=None):
    """Tell whether a role sees a personal field in clear."""
    user_role = user_role or role()
    return field not in UNMASKED or user_role in UNMASKED[field]


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
