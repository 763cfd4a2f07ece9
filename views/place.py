"""Never lose your place: after a save, back to the list as it was, the touched row marked, the record named."""
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import flash, get_flashed_messages, session, url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from views.labels import LABELS

#: Flask-Admin's own words after a save, replaced by a message that names the record
GENERIC_SAVED = ("Record was successfully created.", "Record was successfully saved.")


def with_highlight(url, record_id):
    """Return `url` with `highlight=<record_id>` set, its other arguments kept in order."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "highlight"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("highlight", str(record_id))])))


def record_title(record, length=30):
    """Return the short name a user knows a record by: its name, else the start of its text, else its number."""
    title = getattr(record, "name", None) or (record.summary(length) if hasattr(record, "summary") else "")
    return title or f"#{record.id}"


class KeepPlaceMixin:
    """Return to the list a form was opened from, mark the saved row, and link the record in the message."""

    def get_save_return_url(self, model, is_created=False):
        self._replace_generic_message(model, is_created)
        url = super().get_save_return_url(model, is_created)
        # only this view's own list has the saved row to mark (a form opened from a dossier returns there as is)
        return with_highlight(url, model.id) if urlsplit(url).path == url_for(".index_view") else url

    def _replace_generic_message(self, model, is_created):
        from flask_admin.babel import gettext as admin_gettext

        generic = {admin_gettext(text) for text in GENERIC_SAVED}
        kept = [(c, m) for c, m in get_flashed_messages(with_categories=True) if m not in generic]
        session.pop("_flashes", None)
        for category, message in kept:
            flash(message, category)
        kind = LABELS.get(self.model._meta.table_name, self.name)
        text = (_("Created %(kind)s “%(name)s”", kind=kind, name=record_title(model)) if is_created
                else _("Saved %(kind)s “%(name)s”", kind=kind, name=record_title(model)))
        link = url_for(".details_view", id=model.id)
        flash(Markup(f'{escape(text)} — <a href="{escape(link)}" class="alert-link">{escape(_("View"))}</a>'),
              "success")
