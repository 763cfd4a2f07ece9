"""Saved views: a named list state (search, filters, sort, columns), shared with a role, optionally the default."""
import json
from urllib.parse import parse_qsl, urlencode

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from admin_app.db import write_transaction
from admin_app.permissions import decided
from models import SavedView
from models.choices import ROLES

#: the query argument that marks a list opened from a saved view (0 = explicitly none)
MARK = "sv"
KEPT_ARGS = ("search", "sort", "desc", "page_size", "columns")


def list_query(args):
    """Return the list state of query arguments as a query string: search, filters, sort, columns."""
    kept = [(k, v) for k, v in args.items(multi=True) if k in KEPT_ARGS or k.startswith("flt")]
    return urlencode(kept)


class SavedViewMixin:
    """Adds saved views to a list: tools to apply or save them, and the user's default on a bare list."""

    @expose("/")
    def index_view(self):
        if not request.args and current_user.is_authenticated:
            default = self._default_saved_view()
            if default is not None:
                return redirect(self._view_url(default))
        return super().index_view()

    def render(self, template, **kwargs):
        wanted = [c for c in request.args.get("columns", "").split(",") if c]
        if wanted and "list_columns" in kwargs:  # a saved (or hand-made) column choice narrows the list
            chosen = [c for c in kwargs["list_columns"] if c[0] in wanted]
            kwargs["list_columns"] = chosen or kwargs["list_columns"]
        return super().render(template, **kwargs)

    def _saved_views(self):
        """Return the saved views of this list the user may apply, read once per request."""
        return decided(("saved_views", self.endpoint),
                       lambda: list(SavedView.visible_to(current_user, self.endpoint)))

    def _default_saved_view(self):
        defaults = [v for v in self._saved_views() if v.is_default]
        return next((v for v in defaults if v.user_id == current_user.id), defaults[0] if defaults else None)

    def _view_url(self, saved):
        args = [*parse_qsl(saved.query), (MARK, str(saved.id))]
        return f"{url_for('.index_view')}?{urlencode(args)}"

    def list_tools(self):
        tools = list(getattr(super(), "list_tools", list)())
        if not current_user.is_authenticated:
            return tools
        saved = [(_("View: %(name)s", name=v.name), self._view_url(v))
                 for v in self._saved_views()]
        query = list_query(request.args)
        save = url_for(".saved_view_new") + (f"?{query}" if query else "")
        return [*tools, *saved, (_("Save this view"), save)]

    @expose("/saved-views/new/", methods=("GET", "POST"))
    def saved_view_new(self):
        query = list_query(request.values)
        if request.method == "POST":
            name = (request.form.get("name") or "").strip()[:100]
            role = request.form.get("shared_role") or None
            if not name or (role and role not in dict(ROLES)):
                flash(_("Give the view a name (and a valid role to share it with)."), "error")
            else:
                return self._save_view(name, query, role, request.form.get("is_default") == "1")
        return self.render("admin/exchange/saved_view.html", query=query, roles=ROLES,
                           views=list(SavedView.visible_to(current_user, self.endpoint)))

    def _save_view(self, name, query, role, is_default):
        columns = request.values.get("columns", "")
        with write_transaction():
            if is_default:
                SavedView.update(is_default=False).where(SavedView.user == current_user.id,
                                                         SavedView.endpoint == self.endpoint).execute()
            saved = SavedView.create(user=current_user.id, endpoint=self.endpoint, name=name, query=query,
                                     columns=json.dumps([c for c in columns.split(",") if c]),
                                     shared_role=role, is_default=is_default)
        flash(_("The view “%(name)s” was saved.", name=name), "success")
        return redirect(self._view_url(saved))

    @expose("/saved-views/<int:view_id>/delete/", methods=("POST",))
    def saved_view_delete(self, view_id):
        saved = SavedView.get_or_none(SavedView.id == view_id, SavedView.endpoint == self.endpoint)
        if saved is None or saved.user_id != current_user.id:
            abort(404)
        saved.delete_instance()
        flash(_("The view “%(name)s” was deleted.", name=saved.name), "success")
        return redirect(url_for(".index_view", **{MARK: 0}))


SAVED_VIEWS = _l("Saved views")
