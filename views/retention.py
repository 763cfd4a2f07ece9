"""Records past their retention period: review, then destroy their personal data."""
from flask import abort, current_app, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import ngettext

from admin_app.permissions import allowed
from admin_app.services.settings import store as settings_store
from admin_app.services.trust import retention
from models import RECORD_MODELS
from views.access import RoleCheckedView
from views.labels import LABELS

MODELS = {m._meta.table_name: m for m in RECORD_MODELS}


def years():
    """Return the retention period in years: RETENTION_YEARS when configured, else the rule setting."""
    configured = current_app.config.get("RETENTION_YEARS")
    return int(configured) if configured else int(settings_store.get("retention_years"))


class RetentionView(RoleCheckedView):
    """Lists records kept longer than the retention period; the administrator destroys them."""

    @expose("/")
    def index(self):
        groups = [{"table": m._meta.table_name, "label": LABELS.get(m._meta.table_name, m._meta.table_name),
                   "rows": rows, "fields": [LABELS.get(f.name, f.name) for f in retention.personal_fields(m)]}
                  for m, rows in retention.due_by_model(years())]
        return self.render("admin/retention.html", groups=groups, years=years(),
                           cutoff=retention.cutoff(years()).date())

    @expose("/destroy/", methods=("POST",))
    def destroy(self):
        if not allowed(self.endpoint, "delete"):
            abort(403)
        model = MODELS.get(request.form.get("table", ""))
        ids = request.form.getlist("ids", type=int)
        if model is None or not ids:
            flash(_("Select the records to destroy."), "error")
            return redirect(url_for(".index"))
        count = retention.destroy(model, ids, years())
        flash(ngettext("The personal data of %(num)d record was destroyed.",
                       "The personal data of %(num)d records was destroyed.", count), "success")
        return redirect(url_for(".index"))
