"""Typed text normalised and bounded on any form: admin forms (views/value_form.py) and the public survey page.

Text is normalised before WTForms converts it, and each field is bounded by its model field's type and attributes
(admin_app/validators.py); a field without a model field is bounded by its own WTForms type (docs/values.md).
"""
from werkzeug.datastructures import MultiDict

from admin_app import validators as v

#: inputs whose text is taken exactly as typed (a password's characters are its own)
VERBATIM = ("PasswordField", "FileField", "MultipleFileField")


class TypedValuesMixin:
    """Normalise typed text and check every field against its bounds (mix in before a wtforms Form class)."""

    #: the peewee model whose fields bound the form's fields (None: each field by its input type)
    value_model = None

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        formdata = self.meta.wrap_formdata(self, formdata)  # Flask-WTF reads the request here
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
