"""Records past their retention period: propose a destruction list, a manager approves it, each item is logged."""
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from admin_app.permissions import allowed
from admin_app.services.trust import destruction, retention
from models import DestructionList
from models.archive import DESTRUCTION_STATUSES, RETENTION_RULES
from models.choices import label as choice_label
from views.access import RoleCheckedView
from views.labels import LABELS


def years():
    """Return the retention period in years: RETENTION_YEARS when configured, else the rule setting."""
    return retention.configured_years()


def rule_label(code):
    """Return the translated name of a retention rule."""
    return choice_label(RETENTION_RULES, code)


class RetentionView(RoleCheckedView):
    """Lists records past retention; one person proposes a destruction list, a manager approves it."""

    @expose("/")
    def index(self):
        groups = [{"table": m._meta.table_name, "label": LABELS.get(m._meta.table_name, m._meta.table_name),
                   "rows": rows, "fields": [LABELS.get(f.name, f.name) for f in retention.personal_fields(m)]}
                  for m, rows in retention.due_by_model(years())]
        pending = list(DestructionList.select().where(DestructionList.status == "proposed")
                       .order_by(DestructionList.id))
        listed = {(item.table, item.record_id): item.batch_id for batch in pending for item in batch.items}
        reviewed = list(DestructionList.select().where(DestructionList.status != "proposed")
                        .order_by(DestructionList.id.desc()).limit(20))
        return self.render("admin/retention.html", groups=groups, years=years(), pending=pending,
                           reviewed=reviewed, listed=listed, destroyed=destruction.recent_destroyed(),
                           rule_label=rule_label,
                           status_label=lambda code: choice_label(DESTRUCTION_STATUSES, code),
                           labels=LABELS, may_propose=allowed(self.endpoint, "create"),
                           may_approve=allowed(self.endpoint, "approve"), me=current_user.id)

    @expose("/propose/", methods=("POST",))
    def propose(self):
        if not allowed(self.endpoint, "create"):
            abort(403)
        selection = {table: request.form.getlist(f"ids-{table}", type=int) for table in destruction.MODELS}
        try:
            batch = destruction.propose(selection, current_user, years())
        except destruction.DestructionError as ex:
            flash(str(ex), "error")
        else:
            flash(_("Destruction list #%(id)d was proposed; a manager must approve it.", id=batch.id), "success")
        return redirect(url_for(".index"))

    @expose("/review/<int:batch_id>", methods=("POST",))
    def review(self, batch_id):
        if not allowed(self.endpoint, "approve"):
            abort(403)
        batch = DestructionList.get_or_none(DestructionList.id == batch_id) or abort(404)
        try:
            if request.form.get("decision") == "approve":
                count = destruction.approve(batch, current_user, years())
                flash(ngettext("The personal data of %(num)d record was destroyed.",
                               "The personal data of %(num)d records was destroyed.", count), "success")
            else:
                destruction.reject(batch, current_user, request.form.get("note", ""))
                flash(_("The destruction list was rejected; nothing was destroyed."), "success")
        except destruction.DestructionError as ex:
            flash(str(ex), "error")
        return redirect(url_for(".index"))
