"""Dossiers on a need-to-know basis: ask a purpose (查阅理由) of anyone not working on the customer; log each view."""
from flask import current_app, redirect, request, session
from flask_admin import expose
from flask_babel import gettext as _
from flask_login import current_user

from admin_app.auth import safe_next
from admin_app.services.trust import access
from models import Customer

PURPOSE_ERRORS = {"short": lambda: _("State why you need this dossier (at least %(n)d characters).",
                                     n=access.PURPOSE_MIN),
                  "long": lambda: _("Keep the purpose under %(n)d characters.", n=access.PURPOSE_MAX)}


def dossier_access(customer_id):
    """Return (has need to know, stated purpose or None) of the current user for a customer's dossier."""
    minutes = int(current_app.config.get("DOSSIER_PURPOSE_MINUTES", 30))
    return (access.has_need_to_know(current_user.id, customer_id),
            access.remembered(session, customer_id, minutes))


def log_dossier(action, record, customer_id, known, purpose):
    """Log one view of a dossier with its ground: need to know, or the stated purpose."""
    return access.log_access(action, record, customer_id, detail="need_to_know" if known else "purpose",
                             purpose="" if known else purpose)


class NeedToKnowMixin:
    """Gate a details page of a customer's dossier behind need-to-know or a stated purpose, and log each view."""

    #: the access-log action written for each view
    access_action = "open_dossier"

    def dossier_customer_id(self, record_id):
        """Return the customer a detail page is about, or None when there is no such record."""
        row = self.model.get_or_none(self.model.id == record_id)
        if row is None:
            return None
        return row.id if self.model is Customer else row.customer_id

    @expose("/details/")
    def details_view(self):
        record_id = request.args.get("id", "")
        customer_id = self.dossier_customer_id(int(record_id)) if record_id.isdigit() else None
        if customer_id is None or not current_user.is_authenticated:
            return super().details_view()
        known, purpose = dossier_access(customer_id)
        if not known and purpose is None:
            return self._ask_purpose(customer_id)
        response = super().details_view()
        if isinstance(response, str):
            log_dossier(self.access_action, self.model(id=int(record_id)), customer_id, known, purpose)
        return response

    def _ask_purpose(self, customer_id, error=None, purpose=""):
        customer = Customer.get_or_none(Customer.id == customer_id)
        return self.render("admin/dossier_purpose.html", customer=customer, error=error, purpose=purpose,
                           next=safe_next(request.values.get("next") or request.full_path.rstrip("?")))

    @expose("/purpose/", methods=("POST",))
    def purpose_view(self):
        customer_id = request.form.get("customer", type=int)
        if not customer_id or not Customer.select().where(Customer.id == customer_id).exists():
            return self._ask_purpose(0, _("Unknown customer.")), 404
        purpose = request.form.get("purpose", "")
        problem = access.purpose_error(purpose)
        if problem:
            return self._ask_purpose(customer_id, PURPOSE_ERRORS[problem](), purpose), 400
        access.remember(session, customer_id, purpose)
        return redirect(safe_next(request.form.get("next")))
