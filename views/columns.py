"""A column chooser per user: the user ticks the columns of a list, the choice is remembered per user and list."""
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import abort, redirect, request, url_for
from flask_admin import expose
from flask_admin.helpers import get_redirect_target
from flask_login import current_user

from admin_app.db import write_transaction
from admin_app.permissions import allowed, decided
from models import ListColumns
from views.place import with_highlight


class ColumnChooserMixin:
    """Narrow a list to the columns the user chose (a `columns` argument, as a saved view has, comes first)."""

    def chosen_columns(self):
        """Return the column names the current user chose for this list, or [] for all of them."""
        if not current_user.is_authenticated:
            return []
        return decided(("list_columns", self.endpoint), lambda: ListColumns.chosen(current_user.id, self.endpoint))

    def render(self, template, **kwargs):
        wanted = self.chosen_columns() if "list_columns" in kwargs and not request.args.get("columns") else []
        if wanted:
            chosen = [c for c in kwargs["list_columns"] if c[0] in wanted]
            kwargs["list_columns"] = chosen or kwargs["list_columns"]
        return super().render(template, **kwargs)

    @expose("/columns/", methods=("POST",))
    def list_columns_view(self):
        if not allowed(self.endpoint, "view"):
            abort(403)
        known = [name for name, _label in self._list_columns]
        ticked = set(request.form.getlist("columns"))
        chosen = [name for name in known if name in ticked]
        with write_transaction():
            ListColumns.remember(current_user.id, self.endpoint, [] if len(chosen) == len(known) else chosen)
        back = urlsplit(with_highlight(get_redirect_target() or url_for(".index_view"), ()))
        # a `columns` argument (from a saved view) would hide the choice just made
        query = urlencode([(k, v) for k, v in parse_qsl(back.query, keep_blank_values=True) if k != "columns"])
        return redirect(urlunsplit(back._replace(query=query)))
