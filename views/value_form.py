"""The form every SecureModelView form (create, edit, in-place list edit, bulk edit) is built on.

Typed text is normalised before WTForms converts it, and each field is bounded by its model field's type and
attributes (admin_app/typed_forms.py); a field without a model field (a custom or form-only field) is bounded
by its own type. Nothing per view: a new field of the model or the form gets the same rules by being there.
"""
from flask_admin.form import BaseForm

from admin_app.typed_forms import TypedValuesMixin


class ValueForm(TypedValuesMixin, BaseForm):
    """A form that normalises typed text and checks every field against its bounds."""


def value_form_for(model, base=ValueForm):
    """Return a ValueForm subclass bound by a model's fields."""
    return type(f"{model.__name__}ValueForm", (base,), {"value_model": model})
