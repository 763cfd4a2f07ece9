"""The follow-up register (回访登记): every follow-up due and done, filterable by owner, due date, method."""
import datetime as dt

from flask import abort, request
from flask_admin import expose
from flask_babel import gettext as _
from flask_login import current_user

from admin_app.permissions import allowed
from admin_app.services.forms import followups, sheets
from admin_app.services.forms.values import minute
from models import User
from views.access import RoleCheckedView
from views.print_forms import send_sheet

PAGE_SIZE = 100


def _filters():
    """Return the register's filters from the query string; a malformed value is a 400."""
    try:
        due_from = dt.date.fromisoformat(request.args["due_from"]) if request.args.get("due_from") else None
        due_to = dt.date.fromisoformat(request.args["due_to"]) if request.args.get("due_to") else None
    except ValueError:
        abort(400)
    method = request.args.get("method") or None
    state = request.args.get("state") or None
    kind = request.args.get("kind") or None
    if method not in (None, *followups.METHODS) or state not in (None, *followups.STATES) \
            or kind not in (None, *followups.KINDS):
        abort(400)
    return {"owner": request.args.get("owner", type=int), "method": method, "state": state,
            "due_from": due_from, "due_to": due_to, "kind": kind}


class FollowUpRegisterView(RoleCheckedView):
    """One list of the follow-ups of complaints, repairs, surveys and visits, with due date, owner, method, outcome."""

    def _lines(self, chosen):
        kinds = [k for k, endpoint in followups.KIND_ENDPOINTS.items() if allowed(endpoint, "view")]
        if chosen["kind"]:
            kinds = [k for k in kinds if k == chosen["kind"]]
        return followups.register(kinds, owner=chosen["owner"], method=chosen["method"], state=chosen["state"],
                                  due_from=chosen["due_from"], due_to=chosen["due_to"])

    @expose("/")
    def index(self):
        chosen = _filters()
        lines = self._lines(chosen)
        page = max(request.args.get("page", 1, type=int), 1)
        shown = lines[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
        users = User.select().where(User.active == True).order_by(User.display_name, User.username)  # noqa: E712
        return self.render("admin/followups.html", lines=shown, total=len(lines), page=page, page_size=PAGE_SIZE,
                           chosen=chosen, users=users, methods=followups.METHODS, states=followups.STATES,
                           kinds=followups.KINDS, today=dt.date.today(),
                           can_export=allowed(self.endpoint, "export"))

    @expose("/export.xlsx")
    def export(self):
        if not allowed(self.endpoint, "export"):
            abort(403)
        lines = self._lines(_filters())
        who = current_user.display_name or current_user.username
        title = [_("Follow-up register"), _("Exported %(when)s by %(who)s",
                                             when=minute(dt.datetime.now()), who=who)]
        return send_sheet(self.endpoint, sheets.register_sheet(lines, dt.date.today(), title), "followup-register")
