"""Personal data on demand: reveal one masked value with a logged click."""
from flask import abort, flash, redirect, request, session, url_for
from flask_admin import expose
from flask_babel import gettext as _
from markupsafe import Markup, escape

from admin_app.auth import safe_next
from admin_app.permissions import UNMASKED, allowed, decided, mask, sees_unmasked
from admin_app.services.trust.access import log_access


def _revealed_now(view, row, name):
    """Tell whether this value was just revealed by the user (shown once, then masked again)."""
    wanted = session.get("revealed")
    if wanted == [view.endpoint, row.id, name]:
        session.pop("revealed", None)
        return True
    return False


def _mask_mode(view, name):
    """Return how the current user sees a personal column: "clear", "masked" or "reveal" (masked, with a button)."""
    if sees_unmasked(name):
        return "clear"
    return "reveal" if allowed(view.endpoint, "reveal") else "masked"


def masked_formatter(view, context, row, name):
    """Show a personal value masked, with a reveal button for roles that may ask for it."""
    value = getattr(row, name)
    mode = decided(("mask", view.endpoint, name), lambda: _mask_mode(view, name))  # once per column per request
    if not value or mode == "clear" or _revealed_now(view, row, name):
        return value
    if mode == "masked":
        return mask(name, value)
    return Markup(
        '{masked} <form method="post" action="{url}" class="d-inline reveal">'
        '<input type="hidden" name="csrf_token" value="{token}">'
        '<input type="hidden" name="id" value="{id}"><input type="hidden" name="field" value="{field}">'
        '<input type="hidden" name="next" value="{next}">'
        '<button type="submit" class="btn btn-link btn-sm p-0" title="{hint}">{label}</button></form>'
    ).format(masked=mask(name, value), url=url_for(f"{view.endpoint}.reveal_view"), token=_csrf(),
             id=row.id, field=name, next=request.full_path.rstrip("?"), hint=_("Reveal; the access is logged"),
             label=_("Show"))


def plain_masked_formatter(view, context, row, name):
    """Mask a personal value in exports for roles that see it masked."""
    value = getattr(row, name)
    return value if sees_unmasked(name) else mask(name, value)


def _csrf():
    from flask_wtf.csrf import generate_csrf

    return escape(generate_csrf())


def customer_id_of(row):
    """Return the customer a record is about (the record itself for a customer)."""
    if row._meta.table_name == "customer":
        return row.id
    return row.__data__.get("customer")


class RevealMixin:
    """Adds POST <view>/reveal/: show one masked value once and log who saw it."""

    @expose("/reveal/", methods=("POST",))
    def reveal_view(self):
        name = request.form.get("field", "")
        row = self.get_one(request.form.get("id", "")) if request.form.get("id", "").isdigit() else None
        if name not in UNMASKED or name not in self.model._meta.fields or row is None:
            abort(404)
        if not allowed(self.endpoint, "reveal") or self.field_access(name) == "hidden":
            abort(403)
        log_access("reveal", row, customer_id_of(row), detail=name)
        session["revealed"] = [self.endpoint, row.id, name]
        flash(_("The value was shown to you once; this access is logged."), "info")
        return redirect(safe_next(request.form.get("next")) if request.form.get("next")
                        else url_for(".details_view", id=row.id))
