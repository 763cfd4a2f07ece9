"""The panel's home page."""
from flask import redirect, request, url_for
from flask_admin import AdminIndexView, expose
from flask_login import current_user

from admin_app.permissions import allowed
from models import Complaint, Customer, Feedback, Repair, ReturnExchange


class HomeView(AdminIndexView):
    """Open work at a glance; every logged-in user lands here."""

    def is_accessible(self):
        return current_user.is_authenticated

    def inaccessible_callback(self, name, **kwargs):
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

    @expose("/")
    def index(self):
        cards = []
        for endpoint, model, label, open_q in self._cards():
            if allowed(endpoint):
                cards.append({"endpoint": endpoint, "label": label, "total": model.select().count(),
                              "open": open_q.count() if open_q is not None else None})
        return self.render("admin/home.html", cards=cards)

    @staticmethod
    def _cards():
        from flask_babel import lazy_gettext as _l

        return [
            ("customer", Customer, _l("Customers"), None),
            ("feedback", Feedback, _l("Feedback"), Feedback.select().where(Feedback.status != "closed")),
            ("complaint", Complaint, _l("Complaints"), Complaint.select().where(Complaint.status != "closed")),
            ("repair", Repair, _l("Repairs"), Repair.select().where(Repair.status != "followed_up")),
            ("returnexchange", ReturnExchange, _l("Returns / exchanges"),
             ReturnExchange.select().where(ReturnExchange.status != "closed")),
        ]
