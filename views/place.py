"""Never lose your place: after a save, a delete or an action, back to the list as it was, the touched rows
marked, the records named."""
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import flash, g, get_flashed_messages, request, session, url_for
from flask_admin import expose
from flask_admin.babel import gettext as admin_gettext
from flask_admin.babel import ngettext as admin_ngettext
from flask_admin.helpers import get_redirect_target
from flask_babel import gettext as _
from markupsafe import Markup, escape

from views.labels import LABELS

#: Flask-Admin's own words after a save, replaced by a message that names the record
GENERIC_SAVED = ("Record was successfully created.", "Record was successfully saved.")
#: how many touched records a message after an action names
NAMED = 5


def with_highlight(url, record_ids):
    """Return `url` with `highlight=<id>[,<id>...]` set, its other arguments kept in order.

    record_ids: one id or an iterable of ids; none leaves the url without a highlight.
    """
    ids = [record_ids] if isinstance(record_ids, int | str) else list(record_ids)
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "highlight"]
    if ids:
        query.append(("highlight", ",".join(str(i) for i in ids)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def record_title(record, length=30):
    """Return the short name a user knows a record by: its name, the start of its text, its own name, its number."""
    title = getattr(record, "name", None) or (record.summary(length) if hasattr(record, "summary") else "")
    if not title and str(record) != str(record.id):  # a table naming its rows its own way (users, events ...)
        title = str(record)
    return title or f"#{record.id}"


def _replace_flashes(words, message, category="success"):
    """Drop flashed messages whose text is one of `words` (as shown) and flash `message` instead."""
    kept = [(c, m) for c, m in get_flashed_messages(with_categories=True) if m not in words]
    session.pop("_flashes", None)
    for kept_category, kept_message in kept:
        flash(kept_message, kept_category)
    flash(message, category)


class KeepPlaceMixin:
    """Return to the list a form or an action came from, mark the touched rows, and link the records."""

    def get_save_return_url(self, model, is_created=False):
        self._replace_generic_message(model, is_created)
        url = super().get_save_return_url(model, is_created)
        # only this view's own list has the saved row to mark (a form opened from a dossier returns there as is)
        return with_highlight(url, model.id) if urlsplit(url).path == url_for(".index_view") else url

    def _kind(self):
        return LABELS.get(self.model._meta.table_name, self.name)

    def _record_link(self, record_id, title):
        link = url_for(".details_view", id=record_id)
        return Markup(f'<a href="{escape(link)}" class="alert-link">{escape(title)}</a>')

    def _replace_generic_message(self, model, is_created):
        kind, name = self._kind(), record_title(model)
        text = (_("Created %(kind)s “%(name)s”", kind=kind, name=name) if is_created
                else _("Saved %(kind)s “%(name)s”", kind=kind, name=name))
        link = url_for(".details_view", id=model.id)
        _replace_flashes({admin_gettext(text) for text in GENERIC_SAVED}, Markup(
            f'{escape(text)} — <a href="{escape(link)}" class="alert-link">{escape(_("View"))}</a>'))

    # --- deletes: the list as it was, the deleted record named ------------------------------------
    def after_model_delete(self, model):
        super().after_model_delete(model)
        g.deleted_title = record_title(model)

    @expose("/delete/", methods=("POST",))  # an override must expose the route again
    def delete_view(self):
        response = super().delete_view()
        title = g.pop("deleted_title", None)
        if title is not None:
            generic = admin_ngettext("Record was successfully deleted.", "%(count)s records were successfully deleted.",
                                     1, count=1)
            _replace_flashes({generic}, _("Deleted %(kind)s “%(name)s”", kind=self._kind(), name=title))
        return response

    # --- actions: back to the list they were chosen on, the rows they touched marked and named -----
    def came_from(self):
        """Return the list URL (search, filters, sort, page) an action or a form was opened from, or None."""
        return get_redirect_target()

    def back_to_list(self, ids=()):
        """Return the list the user came from (else this view's list) with the rows `ids` marked."""
        return with_highlight(self.came_from() or url_for(".index_view"), ids)

    def return_to_list(self, ids):
        """Name the rows `ids` in the last success message; return the list they came from with them marked."""
        ids = [int(i) for i in ids]
        if self._name_touched(0, ids, self._titles(ids[:NAMED])):
            return self.back_to_list(ids)
        return self.back_to_list()

    def handle_action(self, return_view=None):
        ids = [int(i) for i in request.form.getlist("rowid") if str(i).isdigit()]
        titles = self._titles(ids[:NAMED])  # read first: a delete leaves no name behind
        before = len(session.get("_flashes", []))
        response = super().handle_action(return_view)
        back = self.came_from() or url_for(".index_view")
        returned = return_view is None and getattr(response, "location", None) == back
        if returned and self._name_touched(before, ids, titles):
            alive = [r.id for r in self.model.select(self.model.id).where(self.model.id.in_(ids))]
            response.location = with_highlight(back, alive)
        return response

    def _titles(self, ids):
        rows = self.model.select().where(self.model.id.in_(ids)) if ids else []
        return {row.id: record_title(row) for row in rows}

    def _name_touched(self, before, ids, titles):
        """Add the touched records' names (linked while they exist) to the action's success message."""
        flashes = session.get("_flashes", [])
        last = max((n for n, (category, _m) in enumerate(flashes) if n >= before and category == "success"),
                   default=None)
        if last is None or not ids:
            return False
        alive = {r.id for r in self.model.select(self.model.id).where(self.model.id.in_(list(titles)))}
        names = [self._record_link(i, t) if i in alive else escape(f"“{t}”") for i, t in titles.items()]
        more = _(" and %(num)d more", num=len(ids) - len(names)) if len(ids) > len(names) else ""
        category, message = flashes[last]
        flashes[last] = (category, escape(message) + Markup(" — ") + escape(self._kind()) + " "
                         + escape(_(", ")).join(names) + more)
        session["_flashes"] = flashes
        return True
