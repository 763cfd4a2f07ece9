"""Forms that fit (issue 13 items 5 and 8): defaults per user, the owner box for those who may reassign, input types.

- A new record starts with the user's defaults (admin_app/services/forms/defaults.py, My account → My defaults).
- The owner is a pick list only for a role with the `reassign` right (or, on edit, the record's own owner, who
  may hand it on); everyone else sees the owner as text, and a posted owner is ignored (create: the creator owns
  the record) or refused (in-place edits).
- Phones are `tel` inputs, numbers ask for a numeric keyboard, e-mail for the e-mail keyboard.
"""
from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape
from wtforms.validators import DataRequired
from wtfpeewee.orm import ValueRequired

from admin_app.permissions import allowed
from admin_app.services.forms.defaults import new_record_values
from models import User
from views.form_rules import is_required

#: the record views whose `owner` is reassigned under the `reassign` right
OWNED_ENDPOINTS = ("customer", "archiverecord", "feedback", "complaint", "repair", "returnexchange")
PHONE_FIELDS = ("phone", "contact_phone", "reporter_phone")
EMAIL_FIELDS = ("email",)
NUMERIC_KINDS = {"IntegerField": "numeric", "DecimalField": "decimal", "FloatField": "decimal"}


class RequiredMark(DataRequired):
    """Marks a field as required for Flask-Admin's * (it knows only DataRequired and InputRequired); checks nothing.

    The field's own validator (wtf-peewee's ValueRequired) already refuses an empty value.
    """

    def __call__(self, form, field):
        return None


class OwnerText:
    """The owner shown as text to whoever may not reassign: no input, so nothing to post."""

    def __init__(self, owner):
        self.owner = owner

    def __call__(self, field, **kwargs):
        text = str(self.owner) if self.owner else _("(none)")
        return Markup(f'<p class="form-control-plaintext owner-text" id="{escape(field.id)}">{escape(text)}</p>')


def _ignore(obj, name):
    """Stand-in for Field.populate_obj: the owner is not the user's to set."""


class FormFitMixin:
    """Applies the per-user defaults, the owner rule and the input types to a record view's forms."""

    @property
    def extra_css(self):
        return [*(getattr(super(), "extra_css", None) or ()), url_for("static", filename="css/forms.css")]

    @property
    def extra_js(self):
        return [*(getattr(super(), "extra_js", None) or ()), url_for("static", filename="js/forms.js")]

    def owns_records(self):
        """Tell whether this view's records have an owner handed on under the `reassign` right."""
        return self.endpoint in OWNED_ENDPOINTS and "owner" in self.model._meta.fields

    def withheld_fields(self):
        """Return the fields the current user may not change on many rows at once (bulk edit, import): the owner,
        unless they may reassign. One record at a time, its own owner may hand it on (may_choose_owner)."""
        return frozenset({"owner"}) if self.owns_records() and not allowed(self.endpoint, "reassign") else frozenset()

    def row_editable(self, name, row):
        """Tell whether a list row offers its in-place editor of `name`: the owner only where the form offers it."""
        return name != "owner" or not self.owns_records() or self.may_choose_owner(row)

    def may_choose_owner(self, record=None):
        """Tell whether the current user may choose the owner (of `record`, or of a new record when None)."""
        if allowed(self.endpoint, "reassign"):
            return True
        return record is not None and record.owner_id == current_user.id and allowed(self.endpoint, "edit")

    def create_form(self, obj=None):
        form = super().create_form(obj)
        if self.owns_records() and request.method == "GET":
            values = new_record_values(self.model, current_user, self.may_choose_owner())
            for name, value in values.items():
                if name in form and not form[name].data:
                    form[name].data = User.get_or_none(User.id == value) if name == "owner" else value
        return self._fit(form, None)

    def edit_form(self, obj=None):
        return self._fit(super().edit_form(obj), obj)

    def _fit(self, form, obj):
        if self.owns_records() and "owner" in form and not self.may_choose_owner(obj):
            field = form["owner"]
            owner = obj.owner if obj is not None else current_user._get_current_object()
            field.data, field.widget, field.populate_obj = owner, OwnerText(owner), _ignore
        for field in form:
            self._fit_input(field)
        return form

    def _fit_input(self, field):
        kind = type(field).__name__
        extra = {}
        if field.name in PHONE_FIELDS:
            extra = {"type": "tel", "inputmode": "tel", "autocomplete": "tel"}
        elif field.name in EMAIL_FIELDS:
            extra = {"inputmode": "email", "autocomplete": "email"}
        elif kind in NUMERIC_KINDS:
            extra = {"inputmode": NUMERIC_KINDS[kind]}
        if extra:
            field.render_kw = {**extra, **(field.render_kw or {})}
        column = self.model._meta.fields.get(field.name) if self.owns_records() else None
        if column is not None and not column.null and kind != "BooleanField" and not is_required(field):
            # a column that must hold a value but has a default: required too, said on the field, never by the database
            field.validators = [ValueRequired(), *field.validators]
        if is_required(field) and kind != "BooleanField":
            field.validators = [*field.validators, RequiredMark()]

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        if not self.owns_records():
            return
        if is_created and not self.may_choose_owner():
            model.owner = current_user.id  # a posted owner is not theirs to choose: the creator owns the record
        elif not is_created:
            before = type(model).get_by_id(model.id)
            if before.owner_id != model.owner_id and not self.may_choose_owner(before):
                raise ValueError(_("Only the record's owner, a sales supervisor or a manager may hand it to "
                                   "someone else."))

    def bulk_fields(self):
        withheld = self.withheld_fields()
        return [name for name in super().bulk_fields() if name not in withheld]
