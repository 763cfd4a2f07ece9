"""Bring your own ledger: the import preview lists unmatched columns with a guessed type; an admin adds them."""
from flask import abort, current_app, flash, request
from flask_admin import expose
from flask_babel import gettext as _

from admin_app.db import write_transaction
from admin_app.permissions import allowed
from admin_app.services.fields import catalog, guess, schema
from views.custom_fields import KIND_LABELS, outside_request, refresh_views


class LedgerFieldsMixin:
    """Adds the guessed types of unmatched columns to the import preview and `<table>/<batch>/add-fields/`."""

    def unmatched_columns(self, plan):
        """Return {header: {"kind", "label", "options", "index"}} for the file's columns that match no field."""
        found = {}
        for col, header in enumerate(plan.headers):
            if col in plan.mapping or not str(header or "").strip() or header in found or header in plan.withheld:
                continue
            kind, options = guess.guess(header, [row.raw[col] if col < len(row.raw) else None for row in plan.rows])
            found[header] = {"kind": kind, "label": dict(KIND_LABELS)[kind], "options": options,
                             "index": len(found)}
        return found

    def may_add_fields(self, endpoint):
        """Tell whether the user may turn unmatched columns into custom fields of this list."""
        return allowed("customfield", "create") and endpoint in schema.MODELS

    def kind_choices(self):
        """Return the field types offered for a new column."""
        return KIND_LABELS

    @expose("/<table>/<int:batch_id>/add-fields/", methods=("POST",))
    def add_fields(self, table, batch_id):
        view = self._model_view(table)
        if not self.may_add_fields(table):
            abort(403)
        batch, plan = self._reload(table, batch_id, view)
        wanted = [(header, info) for header, info in self.unmatched_columns(plan).items()
                  if request.form.get(f"add-{info['index']}")]
        try:
            with write_transaction():  # every column or none
                for header, info in wanted:
                    kind = request.form.get(f"kind-{info['index']}") or info["kind"]
                    catalog.add(table, str(header).strip(), kind, choices="\n".join(info["options"]),
                                user_id=catalog.actor_id())
        except catalog.FieldError as ex:
            flash(_("No field was added: %(reason)s", reason=str(ex)), "error")
        else:
            flash(_("%(num)d custom fields were added; check the preview and import.", num=len(wanted)), "success")
        schema.sync_models()
        outside_request(refresh_views, current_app.extensions["admin"][0], schema.applied_definitions())
        return self._render_preview(view, batch, self._recheck(batch, self._model_view(table)))
