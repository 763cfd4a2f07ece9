"""Role permissions the administrator sets in the panel, overriding the built-in matrix."""
import peewee as pw

from models import choices as c
from models.base import BaseModel
from models.choices import ROLES
from models.prepared import Prepared

OPERATIONS = ("view", "create", "edit", "delete", "export", "import", "reveal", "field")
ACCESS = ("allow", "deny", "hidden", "read", "edit")


class RolePermission(BaseModel):
    """One rule: a role may (not) do an operation on a view, or sees a field hidden / read-only / editable."""

    role = pw.CharField(max_length=16, choices=ROLES, index=True)
    endpoint = pw.CharField(max_length=64)
    operation = pw.CharField(max_length=16, choices=c.PERMISSION_OPERATIONS)
    field = pw.CharField(max_length=64, default="")
    access = pw.CharField(max_length=8, choices=c.PERMISSION_ACCESS)

    class Meta:
        table_name = "role_permission"
        indexes = ((("role", "endpoint", "operation", "field"), True),)

    def __str__(self):
        target = f"{self.endpoint}.{self.field}" if self.field else self.endpoint
        return f"{self.role}: {self.operation} {target} = {self.access}"

    @classmethod
    def rules_for(cls, role):
        """Return {(endpoint, operation, field): access} for one role (read on every page: SQL built once)."""
        rows = _RULES_FOR.cursor(role).fetchall()
        return {(endpoint, operation, field or ""): access for endpoint, operation, field, access in rows}


class SubmitToken(BaseModel):
    """A create form's one-time token, stored when the record is created, so a second submit creates nothing."""

    token = pw.CharField(max_length=64, unique=True)
    table = pw.CharField(max_length=64, default="")

    class Meta:
        table_name = "submit_token"


_RULES_FOR = Prepared(lambda role: RolePermission.select(
    RolePermission.endpoint, RolePermission.operation, RolePermission.field, RolePermission.access)
    .where(RolePermission.role == Prepared.value(role)), 1)
