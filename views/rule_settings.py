"""The rule settings page (规则参数): every seed figure with its source, edited by an admin, changes logged."""
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from admin_app.permissions import allowed
from admin_app.services.settings import registry, store
from admin_app.services.workflow import calendar_years, recompute
from views.access import RoleCheckedView


def actor():
    """Return (user id, username) of the person acting."""
    return current_user.id, current_user.username


def sections():
    """Return [(group label, [settings])] in page order."""
    return [(label, [s for s in registry.SETTINGS if s.group == code]) for code, label in registry.GROUPS]


def recompute_reasons():
    """Return {reason code: translated text} for the recomputation log."""
    return {"settings": _("Rule settings changed"), "package": _("Official holiday calendar loaded"),
            "year": _("Year's schedule entered"), "day": _("Holiday calendar day changed")}


class RuleSettingsView(RoleCheckedView):
    """One page for every rule setting: the seed's value, its source, the value in force, and the change log."""

    @expose("/", methods=("GET", "POST"))
    def index(self):
        can_edit = allowed(self.endpoint, "edit")
        values, errors = {k: store.fmt(v) for k, v in store.current().items()}, {}
        if request.method == "POST":
            if not can_edit:
                abort(403)
            submitted = {s.key: request.form.get(s.key, "") for s in registry.SETTINGS}
            parsed, errors = store.validate(submitted)
            if not errors:
                return self._saved(store.save(parsed, actor()))
            values.update(submitted)
            flash(_("Nothing was saved: correct the values marked below."), "error")
        return self.render("admin/settings/rules.html", sections=sections(), values=values, errors=errors,
                           can_edit=can_edit, units=registry.UNITS, fmt=store.fmt, changes=store.history(),
                           labels={s.key: s.label for s in registry.SETTINGS}, runs=recompute.history(10),
                           missing_years=calendar_years.missing_years(), reasons=recompute_reasons(),
                           recompute_grades_url=url_for("customer.grading_recompute"))

    def _saved(self, changed):
        if not changed:
            flash(_("Nothing changed."), "info")
        else:
            flash(ngettext("%(num)d setting changed. It applies to new records; due dates already set are kept.",
                           "%(num)d settings changed. They apply to new records; due dates already set are kept.",
                           len(changed)), "success")
            if set(changed) & registry.DUE_DATE_KEYS:
                flash(_("A deadline rule changed: recompute the open records below if it should apply to them "
                        "too."), "info")
        return redirect(url_for(".index"))

    @expose("/recompute", methods=("POST",))
    def recompute_open(self):
        if not allowed(self.endpoint, "edit"):
            abort(403)
        changed = recompute.recompute_open("settings", "", actor())
        flash(ngettext("Due dates recomputed: %(num)d open record changed.",
                       "Due dates recomputed: %(num)d open records changed.", changed), "success")
        return redirect(url_for(".index") + "#recompute")


def calendar_banner():
    """Give admins and managers the years (this or next) that have no official holiday calendar."""
    if not getattr(current_user, "is_authenticated", False) or current_user.role not in ("admin", "manager"):
        return {"calendar_missing_years": []}
    return {"calendar_missing_years": calendar_years.missing_years()}
