"""Excel export of any list: exactly the rows and columns on screen, typed, safe, masked and logged."""
import tempfile

import peewee as pw
from flask import abort, request, send_file, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from admin_app.permissions import UNMASKED, allowed, mask, sees_unmasked
from admin_app.services.exchange import xlsx_export as xw
from admin_app.services.forms.values import minute
from admin_app.services.trust import history
from models import ExportLog, now
from views import background
from views.importing import import_url

#: an export file up to this size is kept in memory until sent
SPOOL_BYTES = 4 * 1024 * 1024
#: fields that never leave the server, whatever the user asks for
NEVER_EXPORTED = frozenset({"password_hash", "search_key"})


class XlsxExportMixin:
    """Adds `export/xlsx/` (the list's query string selects rows), an export action and a list button."""

    export_types = ["xlsx"]
    #: columns carried in every export so a re-import can match rows and detect conflicts
    export_identity = ("id", "version")

    @expose("/export/<export_type>/", methods=("GET", "POST"))
    def export(self, export_type):
        if export_type != "xlsx" or not allowed(self.endpoint, "export"):
            abort(403)
        kind = "selected" if request.args.get("ids") else "list"
        started = background.start_export(self, kind)  # large lists go to the queue (issue 15)
        if started is not None:
            return started
        return self.xlsx_response(self.rows_for_request(), kind="selected" if request.args.get("ids") else "list")

    @action("export_xlsx", _l("Export selected"))
    def action_export_xlsx(self, ids):
        if not allowed(self.endpoint, "export"):
            abort(403)
        query = self.get_query().where(self.model.id.in_([int(i) for i in ids])).order_by(self.model.id)
        return self.xlsx_response(query, kind="selected", described=_("Selected rows: %(num)d", num=len(ids)))

    def is_action_allowed(self, name):
        if name == "export_xlsx":
            return allowed(self.endpoint, "export")
        return super().is_action_allowed(name)

    def list_tools(self):
        # the export link itself is Flask-Admin's own "Export" button (export_types = ["xlsx"])
        tools = list(getattr(super(), "list_tools", list)())
        upload = import_url(self.endpoint)
        tools = [*tools, (_("Import from Excel"), upload)] if upload else tools
        return [*tools, *self._report_tools()]

    def _report_tools(self):
        if self.endpoint == "customer" and allowed("customer", "export"):
            return [(_("Grade roster (Excel)"), url_for("xlsxreports.roster"))]
        if self.endpoint in ("feedback", "complaint", "repair") and allowed("feedback", "export") \
                and allowed("complaint", "export"):
            return [(_("Monthly summary (Excel)"), url_for("xlsxreports.monthly")),
                    (_("Monthly report (print)"), url_for("printforms.monthly"))]
        if self.endpoint == "exchangeledger":
            return [(_("Print the ledger"), url_for("printforms.ledger"))]
        return []

    # --- building the sheet ---------------------------------------------------------------
    def export_column_names(self):
        """Return the exported field names: `?columns=a,b` if given, else the list's, plus id and version."""
        fields = self.model._meta.fields
        wanted = [n.strip() for n in request.args.get("columns", "").split(",") if n.strip()]
        names = wanted or [name for name, _label in self._list_columns]
        access = getattr(self, "field_access", None)  # a field hidden from the role is never exported either
        names = [n for n in names if n in fields and n not in NEVER_EXPORTED
                 and (access is None or access(n) != "hidden")]
        head = [n for n in self.export_identity[:1] if n in fields and n not in names]
        tail = [n for n in self.export_identity[1:] if n in fields and n not in names]
        return [*head, *names, *tail]

    def export_columns(self, names):
        """Return (columns, fields, lookups) describing how each exported field becomes a cell."""
        columns, fields, lookups = [], [], {}
        for index, name in enumerate(names):
            fld = self.model._meta.fields[name]
            header = str(self.get_column_name(name))
            convert = self._export_converter(fld)
            kind = "text" if getattr(convert, "formatted", False) else xw.field_kind(fld)
            if convert is not None and name not in UNMASKED:
                convert = xw.once_per_value(convert)  # labels and reasons translated once per value, not per row
            if isinstance(fld, pw.ForeignKeyField):
                names_by_id = {}
                lookups[index] = (names_by_id, xw.display_fetcher(fld.rel_model))
                convert = names_by_id.get
            columns.append(xw.Column(name, header, kind, convert,
                                     xw.column_width(header, kind, getattr(fld, "max_length", None))))
            fields.append(fld)
        return columns, fields, lookups

    def _export_converter(self, fld):
        name = fld.name
        if name in UNMASKED:  # personal data: clear or masked by role, never the list's reveal button
            return None if sees_unmasked(name) else (lambda value: mask(name, value))
        if getattr(fld, "choices", None):
            labels = {value: str(label) for value, label in fld.choices}
            return lambda value: labels.get(value, value)
        if isinstance(fld, pw.BooleanField):
            return {True: _("Yes"), False: _("No")}.get
        formatter = (self.column_formatters or {}).get(name)
        return _formatted(self, fld, formatter) if formatter and not isinstance(fld, pw.ForeignKeyField) else None

    def export_title(self, described=None):
        """Return the title lines: what list, which filters, when and by whom."""
        who = current_user.display_name or current_user.username
        return [
            f"{self.name} — {described or self.describe_filters()}",
            _("Exported %(when)s by %(who)s", when=minute(now()), who=who),
        ]

    def describe_filters(self):
        """Return the list's search, filters and sort in words."""
        args = self._get_list_extra_args()
        parts = [_("Search: %(text)s", text=args.search)] if args.search else []
        for index, _name, value in args.filters or ():
            flt = self._filters[index]
            options = dict((str(k), str(v)) for k, v in (flt.get_options(self) or ()))
            parts.append(f"{flt.name} {flt.operation()} {options.get(str(value), value)}")
        if args.sort is not None:
            column = self._get_column_by_idx(args.sort)
            if column:
                order = _("descending") if args.sort_desc else _("ascending")
                parts.append(_("Sorted by %(column)s, %(order)s", column=column[1], order=order))
        return "; ".join(parts) if parts else _("All records, no filter")

    def export_marks(self):
        """Return the workbook's marks: the point in history it was read at, so a re-import can tell what changed."""
        return {xw.HISTORY_MARK: history.mark(), "exported_at": now().isoformat()}

    def xlsx_response(self, query, kind="list", described=None):
        """Write the query's rows to a temporary .xlsx, log the export and send the file."""
        marks = self.export_marks()  # before the rows are read: a change made meanwhile counts as after
        names = self.export_column_names()
        columns, fields, lookups = self.export_columns(names)
        title = self.export_title(described)
        sheet = xw.Sheet(str(self.name), columns, xw.stream_rows(query, fields, lookups), title)
        # a small workbook stays in memory (creating and deleting a file costs more than writing 1,000 rows'
        # cells on a busy disk); a large one moves to a temporary file as it grows, so memory stays flat
        handle = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, suffix=".xlsx")  # noqa: SIM115 - send_file closes it
        xw.write_workbook(handle, [sheet], marks)
        handle.seek(0)
        ExportLog.create(user=current_user.id, username=current_user.username, endpoint=self.endpoint, kind=kind,
                         filters=title[0][:2000], columns=",".join(names), row_count=sheet.count)
        stamp = now().strftime("%Y%m%d-%H%M%S")
        return send_file(handle, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         as_attachment=True, download_name=f"{self.endpoint}-{stamp}.xlsx", max_age=0)


class _OneField:
    """Just enough of a row for a formatter that reads only its own column."""

    __slots__ = ("name", "value")

    def __init__(self, name, value):
        self.name, self.value = name, value

    def __getattr__(self, attr):
        if attr == self.name:
            return self.value
        raise AttributeError(attr)


def _formatted(view, fld, formatter):
    """Return convert(value) showing the list's formatter as plain text (tags stripped), else the raw value."""
    name, python_value = fld.name, fld.python_value

    cache = {}

    def convert(value):
        if value in cache:  # such columns hold few distinct values (codes); format each once
            return cache[value]
        try:
            shown = formatter(view, None, _OneField(name, python_value(value)), name)
        except (AttributeError, KeyError, TypeError):
            return value  # the formatter needs more of the row than the export streams
        shown = shown.striptags() if isinstance(shown, Markup) else shown
        if len(cache) < 4096:
            cache[value] = shown
        return shown
    convert.formatted = True
    return convert
