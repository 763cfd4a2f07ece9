"""The form every SecureModelView form (create, edit, in-place list edit, bulk edit) is built on.

Typed text is normalised before WTForms converts it, and each field is bounded by its model field's type and
attributes (admin_app/validators.py); a field without a model field (a custom or form-only field) is bounded
by its own type. Nothing per view: a new field of the model or the form gets the same rules by being there.
"""
from flask_admin.form import BaseForm
from werkzeug.datastructures import MultiDict

from admin_app import validators as v

#: inputs whose text is taken exactly as typed (a password's characters are its own)
VERBATIM = ("PasswordField", "FileField", "MultipleFileField")


class ValueForm(BaseForm):
    """A form that normalises typed text and checks every field against its bounds."""

    #: the peewee model whose fields bound the form's fields (set by value_form_for)
    value_model = None

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        if formdata is not None and hasattr(formdata, "getlist"):
            formdata = self._normalised(formdata)
        super().process(formdata, obj, data=data, extra_filters=extra_filters, **kwargs)

    def _normalised(self, formdata):
        by_input = {field.name: field for field in self._fields.values()}
        pairs = []
        for key in formdata:
            field = by_input.get(key)
            verbatim = field is not None and type(field).__name__ in VERBATIM
            multiline = field is not None and type(field).__name__ == "TextAreaField"
            pairs.extend((key, value if verbatim else v.normalise(value, multiline))
                         for value in formdata.getlist(key))
        return MultiDict(pairs)

    def validate(self, extra_validators=None):
        extra = {name: list(checks) for name, checks in (extra_validators or {}).items()}
        for name, field in self._fields.items():
            bounds = self.bounds(name, field)
            if bounds is not None:
                extra.setdefault(name, []).append(bounds)
        return super().validate(extra)

    def bounds(self, name, field):
        """Return the Bounds of one of this form's fields."""
        fld = self.value_model._meta.fields.get(name) if self.value_model is not None else None
        return v.bounds_for(fld) if fld is not None else v.bounds_for_input(field)


def value_form_for(model, base=ValueForm):
    """Return a ValueForm subclass bound by a model's fields."""
    return type(f"{model.__name__}ValueForm", (base,), {"value_model": model})
