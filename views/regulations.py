"""Record-page pieces the regulations add: the return window's basis and the legal contact's sign-off."""
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from admin_app.permissions import allowed
from admin_app.services.settings import store
from admin_app.services.workflow import legal, returns


def window_formatter(view, context, row, name):
    """Show the shipment date with the sentence saying what the return window is measured from."""
    note = returns.window_note(row, store.get("return_window_months"))
    css = "text-muted" if row.factory_date else "text-danger"
    return Markup('{} <div class="small {} return-window">{}</div>').format(row.factory_date or "", css, note)


class LegalSignoffMixin:
    """The legal contact's sign-off on a complaint involving legal action (001)."""

    def legal_panel(self, record):
        """Return what the complaint page shows about its legal escalation, or None when not involved."""
        if not record.involves_legal:
            return None
        return {"contact": record.legal_contact if record.legal_contact_id else None,
                "notified_at": record.legal_notified_at, "signed_at": record.legal_signoff_at,
                "note": record.legal_signoff_note,
                "may_sign": record.legal_contact_id == current_user.id and not record.legal_signoff_at
                and record.status != "closed"}

    @expose("/legal-signoff/<int:record_id>", methods=("POST",))
    def legal_signoff_view(self, record_id):
        if not allowed(self.endpoint, "view"):
            abort(403)
        record = self.model.get_or_none(self.model.id == record_id) or abort(404)
        try:
            legal.sign_off(record, current_user._get_current_object(), request.form.get("note", ""))
        except legal.LegalError as ex:
            flash(str(ex), "error")
        else:
            flash(_("Your legal sign-off was recorded."), "success")
        return redirect(url_for(".details_view", id=record.id))
