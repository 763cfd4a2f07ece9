"""Import pages: upload a sheet, preview every row (new, update, conflict, error), commit all or nothing."""
import datetime as dt
import logging
import secrets
import tempfile
from pathlib import Path

from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from admin_app.permissions import allowed
from admin_app.services.exchange import import_commit
from admin_app.services.exchange.import_files import ImportFileError, read_upload
from admin_app.services.exchange.importer import Importer, ImportRefused
from models import Customer, ImportBatch, now
from views.access import RoleCheckedView, find_view
from views.custom_field_import import LedgerFieldsMixin

log = logging.getLogger(__name__)

IMPORTABLE = ("customer", "feedback", "complaint", "repair", "returnexchange")
PREVIEW_ROWS = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def import_url(endpoint):
    """Return the import page of a list, or None when the list cannot be imported or the user may not."""
    if endpoint in IMPORTABLE and allowed(endpoint, "import"):
        return url_for("import.upload", table=endpoint)
    return None


class ImportView(LedgerFieldsMixin, RoleCheckedView):
    """One upload page per importable list, under /admin/import/<endpoint>/."""

    def is_visible(self):
        return False

    def role_may_open(self):
        return any(allowed(e, "import") for e in IMPORTABLE)

    def _model_view(self, endpoint):
        if endpoint not in IMPORTABLE or not allowed(endpoint, "import"):
            abort(403)
        return find_view(self.admin, endpoint)

    def _importer(self, view):
        return Importer(view, current_app.config.get("LANGUAGES", ("zh_Hans_CN", "en")))

    @expose("/")
    def index(self):
        endpoint = next(e for e in IMPORTABLE if allowed(e, "import"))
        return redirect(url_for(".upload", table=endpoint))

    @expose("/<table>/", methods=("GET",))
    def upload(self, table):
        endpoint = table
        view = self._model_view(endpoint)
        return self.render("admin/exchange/import_upload.html", target=view, importer=self._importer(view),
                           limit_mb=self._limit() // (1024 * 1024))

    @expose("/<table>/", methods=("POST",))
    def preview(self, table):
        endpoint = table
        view = self._model_view(endpoint)
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            flash(_("Choose a file to upload."), "error")
            return redirect(url_for(".upload", table=endpoint))
        data = upload.read(self._limit() + 1)
        try:
            plan = self._importer(view).check(read_upload(upload.filename, data, self._limit()))
        except ImportFileError as ex:
            flash(str(ex), "error")
            return redirect(url_for(".upload", table=endpoint))
        batch = self._store(endpoint, upload.filename, data, plan)
        return self._render_preview(view, batch, plan)

    @expose("/<table>/<int:batch_id>/commit/", methods=("POST",))
    def commit(self, table, batch_id):
        endpoint = table
        view = self._model_view(endpoint)
        batch, plan = self._reload(endpoint, batch_id, view)
        try:
            counts = import_commit.commit(view.model, plan, after=getattr(view, "after_import", None))
        except ImportRefused as ex:
            flash(str(ex), "error")
            return self._render_preview(view, batch, plan)
        except Exception:  # noqa: BLE001 - the transaction rolled back; say so instead of a 500
            log.exception("import %s failed", batch.id)
            flash(_("The database refused the import; nothing was imported."), "error")
            return self._render_preview(view, batch, plan)
        ImportBatch.update(status="committed", committed_at=now()).where(ImportBatch.id == batch.id).execute()
        Path(batch.stored_as).unlink(missing_ok=True)
        flash(_("Imported: %(new)d new, %(update)d updated, %(unchanged)d unchanged, %(conflict)d conflicts "
                "not overwritten.", **counts), "success")
        return redirect(url_for(f"{endpoint}.index_view"))

    @expose("/<table>/<int:batch_id>/errors.xlsx", methods=("GET",))
    def errors(self, table, batch_id):
        endpoint = table
        view = self._model_view(endpoint)
        _batch, plan = self._reload(endpoint, batch_id, view)
        handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - send_file closes it when sent
        import_commit.write_error_sheet(handle, plan)
        handle.seek(0)
        return send_file(handle, mimetype=XLSX, as_attachment=True, max_age=0,
                         download_name=f"{endpoint}-import-{batch_id}-errors.xlsx")

    # --- helpers ------------------------------------------------------------------------------
    def _limit(self):
        config = current_app.config
        return int(config.get("IMPORT_MAX_BYTES") or config.get("MAX_CONTENT_LENGTH") or 20 * 1024 * 1024)

    def _store(self, endpoint, filename, data, plan):
        hours = current_app.config.get("IMPORT_PREVIEW_HOURS", 24)
        import_commit.expire_previews(now() - dt.timedelta(hours=hours))  # abandoned uploads must not pile up
        folder = Path(current_app.instance_path) / "imports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{secrets.token_hex(12)}{Path(filename).suffix.lower()[:6]}"
        path.write_bytes(data)
        return ImportBatch.create(
            user=current_user.id, username=current_user.username, endpoint=endpoint, filename=filename[:255],
            stored_as=str(path), total_rows=len(plan.rows), new_rows=plan.count("new"),
            updated_rows=plan.count("update"), unchanged_rows=plan.count("unchanged"),
            error_rows=plan.count("error"), conflict_rows=plan.count("conflict"))

    def _reload(self, endpoint, batch_id, view):
        """Return the batch and a fresh check of its file: the database may have changed since the preview."""
        batch = ImportBatch.get_or_none(ImportBatch.id == batch_id, ImportBatch.endpoint == endpoint)
        if batch is None or batch.user_id != current_user.id or batch.status != "preview":
            abort(404)
        try:
            data = Path(batch.stored_as).read_bytes()
            return batch, self._importer(view).check(read_upload(batch.filename, data, self._limit()))
        except (OSError, ImportFileError):
            abort(404)

    def _render_preview(self, view, batch, plan):
        shown = [row for row in plan.rows if row.action != "unchanged"][:PREVIEW_ROWS]
        return self.render("admin/exchange/import_preview.html", target=view, batch=batch, plan=plan,
                           shown=shown, labels=import_commit.ACTION_LABELS, preview_rows=PREVIEW_ROWS,
                           field_label=lambda name: view.get_column_name(name))


IMPORT_NAME = _l("Import")


class CustomerImportMixin:
    """Imported customers are graded by the same rules at once, inside the import's transaction."""

    def after_import(self, ids):
        from admin_app.services.grading import grading_sql  # grading loads its settings model; import when used

        if ids:
            grading_sql.apply(Customer.select().where(Customer.id.in_(ids)), source="edit",
                              actor=(current_user.id, current_user.username))
