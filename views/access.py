"""Who may open a panel page: logged-in users whose role the permission matrix allows."""
from flask import abort, redirect, request, url_for
from flask_admin import BaseView
from flask_login import current_user

from admin_app.permissions import allowed


def find_view(admin, endpoint):
    """Return the view registered on an Admin under an endpoint, or None."""
    return next((v for v in admin._views if getattr(v, "endpoint", None) == endpoint), None)


class RoleAccessMixin:
    """Send anonymous users to /login and refuse (403) roles the page is not for."""

    def role_may_open(self):
        """Tell whether the current role may open this page."""
        return allowed(self.endpoint, "view")

    def is_accessible(self):
        return current_user.is_authenticated and self.role_may_open()

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return abort(403)


class RoleCheckedView(RoleAccessMixin, BaseView):
    """A plain panel page open to the roles the permission matrix allows for its endpoint."""
