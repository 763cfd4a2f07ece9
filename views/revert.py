"""Readable record history on detail pages, and putting a field or the whole record back (managers, admins)."""
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import ngettext

from admin_app.auth import safe_next
from admin_app.permissions import allowed, mask, sees_unmasked
from admin_app.services.trust import history, readable
from admin_app.services.trust import revert as reverting
from models import ChangeLog, User
from views.labels import labels_for

NEVER_REVERTED = frozenset({"id", "version", "created_at", "updated_at", "row_version", "submit_token"})


class RevertMixin:
    """Adds readable history helpers and POST <view>/revert/ (one field, or the record at a point in time)."""

    def before_revert_save(self, instance):
        """Apply the view's edit rules (reserved fields, reassignment, date rules, regrading) as an edit would.

        Raises ValueError (a WorkflowError among them) with the reason when a rule refuses the values.
        """
        self.on_model_change(None, instance, False)

    def after_revert_save(self, instance):
        """Do what follows a saved edit once values are put back (a view adds its notifications)."""

    def can_revert(self):
        """Tell whether the current role may put values back: it needs 'revert' and 'edit' on this view."""
        return allowed(self.endpoint, "revert") and allowed(self.endpoint, "edit")

    def revertible_fields(self):
        """Return the fields an edit may change and the current role may edit: only those are put back."""
        names = self.form_columns or [n for n in self.model._meta.fields if n not in (self.form_excluded_columns or ())]
        return [n for n in names if isinstance(n, str) and n in self.model._meta.fields and n not in NEVER_REVERTED
                and self.field_access(n) == "edit"]

    def history_names(self, entries):
        """Return {(table, id): name} for the users and related records the entries mention."""
        names = readable.related_names(self.model, [entry.changed() for entry in entries])
        ids = {entry.user_id for entry in entries if entry.user_id}
        if ids:
            names.update({("users", str(u.id)): str(u) for u in User.select().where(User.id.in_(list(ids)))})
        return names

    def edit_conflict_text(self, current, model, names_in_form):
        """Return "label: theirs (yours: mine)" of each field an edit would have overwritten, as people read it.

        current: the record as saved by the other person; model: the refused edit; masked values stay masked.
        """
        theirs, mine = history.snapshot(current), history.snapshot(model)
        pairs = {name: [value if sees_unmasked(name) else mask(name, value),
                        mine.get(name) if sees_unmasked(name) else mask(name, mine.get(name))]
                 for name, value in theirs.items() if name in names_in_form and value != mine.get(name)}
        lines = readable.readable(self.model, pairs, labels_for(self.model._meta.table_name),
                                  readable.related_names(self.model, [pairs]))
        return _("; ").join(_("%(label)s: %(theirs)s (yours: %(mine)s)", label=label, theirs=their, mine=yours)
                            for _name, label, their, yours in lines)

    def readable_changes(self, entry, names):
        """Return [(field, label, old, new)] of one history entry as a reader sees it."""
        return readable.readable(self.model, entry.changed(), labels_for(self.model._meta.table_name), names)

    @expose("/revert/", methods=("POST",))
    def revert_view(self):
        """Put one field back to its value before a change, or the whole record back to just after a change."""
        record = self.get_one(request.form.get("id", ""))
        entry = ChangeLog.get_or_none(ChangeLog.id == request.form.get("entry", type=int) or 0)
        if record is None or entry is None or (entry.table, entry.record_id) != (self.model._meta.table_name,
                                                                                 record.id):
            abort(404)
        if not self.can_revert():
            abort(403)
        fields, name = self.revertible_fields(), request.form.get("field", "")
        if name:
            pair = entry.changed().get(name)
            if pair is None or name not in fields:
                abort(400)
            wanted = {name: pair[0]}
        else:
            state = reverting.state_after(record, entry)
            wanted = {n: state[n] for n in fields if n in state}
        back = safe_next(request.form.get("next")) if request.form.get("next") else \
            url_for(".details_view", id=record.id)
        try:
            changed = reverting.revert(record, wanted, request.form.get("version", type=int) or 0,
                                       prepare=self.before_revert_save)
        except reverting.RevertConflict:
            flash(_("Someone changed this record meanwhile; nothing was put back. Check its history and try again."),
                  "error")
            return redirect(back)
        except ValueError as ex:  # an edit rule refused the earlier values; the transaction rolled back
            flash(_("Nothing was put back: %(reason)s", reason=ex), "error")
            return redirect(back)
        if changed:
            self.after_revert_save(record)
        flash(ngettext("%(num)d field was put back.", "%(num)d fields were put back.", len(changed))
              if changed else _("Nothing to put back: the values are already those."), "success")
        return redirect(back)
