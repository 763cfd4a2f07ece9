"""Deletes that never orphan or silently cascade: refused while other records point at the row."""
import peewee as pw
from flask import flash
from flask_admin.actions import action
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from admin_app.db import write_transaction
from admin_app.services.trust import history
from models import ALL_MODELS
from views.labels import LABELS


class SafeDeleteMixin:
    """Delete one or many rows in one transaction, with history, unless something still depends on them."""

    #: (label, model, foreign key) listed when a delete would orphan records; the schema adds the rest
    dependents = ()

    def dependent_counts(self, model):
        """Return [(label, count)] of the records that still point at this one."""
        result = []
        for label, related, field in self._dependent_fields():
            count = related.select().where(field == model.id).count()
            if count:
                result.append((label, count))
        return result

    def _dependent_fields(self):
        """Return the declared dependents plus every other reference the schema has to this table."""
        declared = {field for _label, _model, field in self.dependents}
        found = [(LABELS.get(field.model._meta.table_name, field.model.__name__), field.model, field)
                 for field in self.model._meta.backrefs
                 if field not in declared and field.model in ALL_MODELS
                 and (field.on_delete or "").upper() not in ("SET NULL", "CASCADE")]
        return [*self.dependents, *found]

    def _refuse_dependents(self, records):
        blocked = [(r, self.dependent_counts(r)) for r in records]
        blocked = [(r, deps) for r, deps in blocked if deps]
        for record, deps in blocked:
            flash(_("%(name)s still has related records (%(list)s); delete or move them first.",
                    name=str(record), list=", ".join(f"{label} {n}" for label, n in deps)), "error")
        return bool(blocked)

    def _delete(self, record):
        self.on_model_delete(record)
        snap = history.snapshot(record)
        record.delete_instance()
        history.record(record, "delete", snap=snap)

    def delete_model(self, model):
        if self._refuse_dependents([model]):
            return False
        try:
            with write_transaction():
                self._delete(model)
        except pw.DatabaseError as ex:
            return self._save_failed(ex, _("The record was not deleted."))
        self.after_model_delete(model)
        return True

    @action("delete", _l("Delete"), _l("Are you sure you want to delete the selected records?"))
    def action_delete(self, ids):
        records = list(self.model.select().where(self.model.id.in_(ids)))
        if self._refuse_dependents(records):
            return
        try:
            with write_transaction():
                for record in records:
                    self._delete(record)
        except pw.DatabaseError as ex:
            self._save_failed(ex, _("Nothing was deleted."))
            return
        flash(ngettext("%(num)d record was deleted.", "%(num)d records were deleted.", len(records)), "success")
