"""Deleted records an administrator can look through and restore."""
import json

import peewee as pw
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _

from admin_app.permissions import allowed
from admin_app.services.trust import trash
from views.access import RoleCheckedView
from views.labels import LABELS

REASONS = {
    "unknown": lambda: _("This entry is not a deleted record."),
    "exists": lambda: _("The record already exists; it was restored before."),
    "parent": lambda: _("The record belongs to a customer that is deleted too; restore the customer first."),
}


class TrashView(RoleCheckedView):
    """The list of deleted records, built from the change log's delete snapshots."""

    @expose("/")
    def index(self):
        rows = [{"entry": e, "summary": self.summary(e)} for e in trash.deleted_entries()[:500]]
        return self.render("admin/trash.html", rows=rows)

    @expose("/restore/", methods=("POST",))
    def restore(self):
        if not allowed(self.endpoint, "edit"):
            abort(403)
        entry_id = request.form.get("entry", type=int)
        try:
            instance = trash.restore(entry_id)
        except trash.RestoreError as ex:
            flash(REASONS.get(str(ex), REASONS["unknown"])(), "error")
        except pw.DatabaseError:
            flash(_("The database refused the change; please try again."), "error")
        else:
            flash(_("Restored %(name)s.", name=str(instance)), "success")
        return redirect(url_for(".index"))

    @staticmethod
    def summary(entry):
        """Return a few labelled values of the deleted record, for recognising it."""
        snap = json.loads(entry.snapshot or "{}")
        keys = [k for k in ("name", "username", "product_name", "complainant", "reporter", "content") if snap.get(k)]
        return "; ".join(f"{LABELS.get(k, k)}: {str(snap[k])[:60]}" for k in keys[:3])

    @staticmethod
    def table_label(table):
        """Return a readable name for a table."""
        return LABELS.get(table, table)
