"""The panel's home page: the dashboard."""
from flask import redirect, request, url_for
from flask_admin import AdminIndexView, expose
from flask_login import current_user

from views import dashboard


class HomeView(AdminIndexView):
    """The dashboard; every logged-in user lands here and sees the figures of the lists they may open."""

    def is_accessible(self):
        return current_user.is_authenticated

    def inaccessible_callback(self, name, **kwargs):
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

    @expose("/")
    def index(self):
        return self.render("admin/dashboard.html", **dashboard.context(self.admin))
