"""Double-submit protection: each create form carries a one-time token, spent in the creating transaction."""
import datetime as dt
import secrets

from flask import request
from flask_babel import gettext as _

from models import now
from models.security import SubmitToken

KEEP_TOKENS = dt.timedelta(days=2)


class DuplicateSubmit(ValueError):
    """The same create form was submitted again."""


class OnceMixin:
    """Gives create forms a `submit_token`; a token already spent refuses the create with a clear message."""

    def create_form(self, obj=None):
        form = super().create_form(obj)
        if "submit_token" in form and (request.method == "GET" or not form.submit_token.data):
            form.submit_token.data = secrets.token_urlsafe(24)
        return form

    def _on_model_change(self, form, model, is_created):
        if is_created and "submit_token" in form and request.form.get("submit_token"):
            spend(request.form["submit_token"], self.model._meta.table_name)
        return super()._on_model_change(form, model, is_created)


def spend(token, table):
    """Record a token as used (inside the caller's transaction); raise DuplicateSubmit if it was used."""
    token = token[:64]
    if SubmitToken.select().where(SubmitToken.token == token).exists():
        raise DuplicateSubmit(_("This form was already submitted, so the record exists once already; "
                                "open the list to find it."))
    SubmitToken.delete().where(SubmitToken.created_at < now() - KEEP_TOKENS).execute()
    SubmitToken.create(token=token, table=table)
