"""Role permissions the administrator sets in the panel, overriding the built-in matrix."""
import peewee as pw

from models import choices as c
from models.base import BaseModel
from models.choices import ROLES

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
        """Return {(endpoint, operation, field): access} for one role."""
        query = cls.select(cls.endpoint, cls.operation, cls.field, cls.access).where(cls.role == role)
        return {(r.endpoint, r.operation, r.field or ""): r.access for r in query}


class SubmitToken(BaseModel):
    """A create form's one-time token, stored when the record is created, so a second submit creates nothing."""

    token = pw.CharField(max_length=64, unique=True)
    table = pw.CharField(max_length=64, default="")

    class Meta:
        table_name = "submit_token"
