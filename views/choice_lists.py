"""The administrator's page for the built-in choice lists: labels (zh/en), order, added and retired options."""
from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _

from admin_app.services.fields import builtin_choices
from views.access import RoleCheckedView


class ChoiceListsView(RoleCheckedView):
    """One box per built-in list: "value | 中文 | English [| retired]" per line, in the order forms show."""

    @expose("/")
    def index(self):
        lists = [(name, title, rules, builtin_choices.as_text(name), builtin_choices.fixed_labels(name))
                 for name, (title, rules) in builtin_choices.LISTS.items()]
        return self.render("admin/choice_lists.html", lists=lists)

    @expose("/<list_name>/", methods=("POST",))
    def save(self, list_name):
        try:
            builtin_choices.save(list_name, request.form.get("options", ""))
        except builtin_choices.ChoiceListError as ex:
            flash(str(ex), "error")
        else:
            flash(_("The list was saved; every page shows it from the next request."), "success")
        return redirect(url_for(".index", _anchor=list_name))
