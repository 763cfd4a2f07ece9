"""The administrator's editor for role permissions (per view and operation, per field)."""
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from admin_app.permissions import DEFAULT_MATRIX
from models.choices import PERMISSION_ACCESS, PERMISSION_OPERATIONS
from models.security import ACCESS, OPERATIONS
from views.access import find_view
from views.base import SecureModelView
from views.labels import LABELS

OPERATION_LABELS, ACCESS_LABELS = PERMISSION_OPERATIONS, PERMISSION_ACCESS


def view_names():
    """Return {endpoint: the view's menu name} of the running panel."""
    return {view.endpoint: view.name for view in current_app.extensions["admin"][0]._views}


def endpoint_choices():
    """Return (endpoint, view name) for every view the matrix covers, by name."""
    names = view_names()
    return sorted(((endpoint, names.get(endpoint, endpoint)) for endpoint in DEFAULT_MATRIX), key=lambda c: str(c[1]))


def endpoint_label(view, context, model, name):
    """Name a rule's view by its menu name."""
    return view_names().get(model.endpoint, model.endpoint)


def field_label(view, context, model, name):
    """Name a rule's field by its label."""
    return LABELS.get(model.field, model.field)


class RolePermissionView(SecureModelView):
    """Rules that override the built-in role matrix; field rules make a field hidden, read-only or editable."""

    column_list = ("role", "endpoint", "operation", "field", "access", "updated_at")
    column_filters = ("role", "endpoint", "operation", "access")
    column_searchable_list = ("endpoint", "field")
    column_default_sort = ("role", False)
    form_columns = ("role", "endpoint", "operation", "field", "access")
    form_overrides = {"endpoint": SelectField, "operation": SelectField, "access": SelectField}
    form_args = {
        "endpoint": {"label": _l("View"), "choices": endpoint_choices},
        "operation": {"label": _l("Operation"), "choices": OPERATION_LABELS},
        "field": {"label": _l("Field"), "description": _l("Only for the operation Field: the field's name.")},
        "access": {"label": _l("Access"), "choices": ACCESS_LABELS},
    }
    column_choices = {"operation": OPERATION_LABELS, "access": ACCESS_LABELS}
    column_formatters = {"endpoint": endpoint_label, "field": field_label}

    def on_model_change(self, form, model, is_created):
        model.field = (model.field or "").strip()
        if model.operation not in OPERATIONS or model.access not in ACCESS:
            raise ValueError(_l("Unknown operation or access."))
        if model.operation == "field":
            if not model.field or model.access not in ("hidden", "read", "edit"):
                raise ValueError(_l("A field rule needs a field name and hidden, read only or editable."))
            self._refuse_unknown_field(model)
        elif model.field or model.access not in ("allow", "deny"):
            raise ValueError(_l("An operation rule takes allow or deny and no field name."))
        self._refuse_duplicate(model)

    def _refuse_unknown_field(self, model):
        """Refuse a field rule naming no field of its view: a misspelt rule would silently protect nothing."""
        view = find_view(self.admin, model.endpoint)
        if hasattr(view, "model") and model.field not in view.model._meta.fields:
            names = ", ".join(sorted(view.model._meta.fields))
            raise ValueError(_("The view has no field “%(field)s”. Its fields: %(names)s.", field=model.field,
                               names=names))

    @staticmethod
    def _refuse_duplicate(model):
        cls = type(model)
        twin = cls.select().where(cls.role == model.role, cls.endpoint == model.endpoint,
                                  cls.operation == model.operation, cls.field == model.field)
        if model.id:
            twin = twin.where(cls.id != model.id)
        if twin.exists():
            raise ValueError(_l("A rule for this role, view and operation exists already; edit that one."))
