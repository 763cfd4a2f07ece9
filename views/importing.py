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

from admin_app.permissions import allowed, sees_unmasked
from admin_app.services.exchange import import_commit, import_store
from admin_app.services.exchange import import_conflicts as ic
from admin_app.services.exchange.import_files import ImportFileError, read_marks, read_upload
from admin_app.services.exchange.import_plan import ImportRefused, ImportSpec
from admin_app.services.exchange.import_sql import id_scope
from admin_app.services.exchange.importer import NEVER_IMPORTED, Importer
from models import Customer, ImportBatch, now
from views import background
from views.access import RoleCheckedView, find_view
from views.custom_field_import import LedgerFieldsMixin

log = logging.getLogger(__name__)

IMPORTABLE = ("customer", "feedback", "complaint", "repair", "returnexchange")
PREVIEW_ROWS = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spec_for(view):
    """Return the ImportSpec of a list for the current user: editable fields, labels, validators, masks."""
    withheld = view.withheld_fields()
    excluded = set(view.form_excluded_columns or ()) | NEVER_IMPORTED | withheld
    access = getattr(view, "field_access", None)
    fields = [f.name for f in view.model._meta.sorted_fields
              if f.name not in excluded and (access is None or access(f.name) == "edit")]
    labels = {name: view.get_column_name(name) for name in [*fields, *withheld, "id", "version", "updated_at"]}
    checks = {name: tuple(opts.get("validators", ())) for name, opts in (view.form_args or {}).items()}
    # "phone" too: a customer cell is matched by the customer's phone (import_refs), masked or not by role
    masked = frozenset(name for name in {*fields, "phone"} if not sees_unmasked(name))
    return ImportSpec(view.model, fields, labels, checks, masked, str(view.name), frozenset(withheld))


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
        return Importer(spec_for(view), current_app.config.get("LANGUAGES", ("zh_Hans_CN", "en")))

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
            plan = self._importer(view).check(read_upload(upload.filename, data, self._limit()), marks=read_marks(data))
        except ImportFileError as ex:
            flash(str(ex), "error")
            return redirect(url_for(".upload", table=endpoint))
        batch = self._store(endpoint, upload.filename, plan)
        import_commit.source_of(batch).write_bytes(data)
        return self._render_preview(view, batch, plan)

    @expose("/<table>/<int:batch_id>/commit/", methods=("POST",))
    def commit(self, table, batch_id):
        endpoint = table
        view = self._model_view(endpoint)
        taken = request.form.getlist("take", type=int)
        if taken and not self.may_take(view, ic.taken_fields(self._reload(endpoint, batch_id, view)[1], taken)):
            abort(403)
        started = background.start_import(endpoint, batch_id, taken)  # large imports go to the queue (issue 15)
        if started is not None:
            return started
        batch, plan = self._reload(endpoint, batch_id, view)
        ic.take_file_values(plan, taken)
        try:
            counts = import_commit.commit(view.model, plan, after=getattr(view, "after_import", None),
                                          actor=(current_user.id, current_user.username))
        except ImportRefused as ex:
            flash(str(ex), "error")
            return self._render_preview(view, batch, self._reload(endpoint, batch_id, view)[1], taken)
        except Exception:  # noqa: BLE001 - the transaction rolled back; say so instead of a 500
            log.exception("import %s failed", batch.id)
            flash(_("The database refused the import; nothing was imported."), "error")
            return self._render_preview(view, batch, self._reload(endpoint, batch_id, view)[1], taken)
        ImportBatch.update(status="committed", committed_at=now()).where(ImportBatch.id == batch.id).execute()
        import_commit.forget(batch)
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

    def _store(self, endpoint, filename, plan):
        hours = current_app.config.get("IMPORT_PREVIEW_HOURS", 24)
        import_commit.expire_previews(now() - dt.timedelta(hours=hours))  # abandoned uploads must not pile up
        folder = Path(current_app.instance_path) / "imports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{secrets.token_hex(12)}.json"  # the checked rows: the commit never parses the file again
        path.write_text(import_store.dump(plan), encoding="utf-8")
        return ImportBatch.create(
            user=current_user.id, username=current_user.username, endpoint=endpoint, filename=filename[:255],
            stored_as=str(path), total_rows=len(plan.rows), new_rows=plan.count("new"),
            updated_rows=plan.count("update"), unchanged_rows=plan.count("unchanged"),
            error_rows=plan.count("error"), conflict_rows=plan.count("conflict"))

    def _reload(self, endpoint, batch_id, view):
        """Return the batch and its checked plan; the commit re-checks versions and keys (import_commit.commit)."""
        batch = ImportBatch.get_or_none(ImportBatch.id == batch_id, ImportBatch.endpoint == endpoint)
        if batch is None or batch.user_id != current_user.id or batch.status != "preview":
            abort(404)
        try:
            return batch, import_store.load(view.model, Path(batch.stored_as).read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError):
            abort(404)

    def _recheck(self, batch, view):
        """Check a preview's uploaded file again (the list's fields changed) and keep the new plan; return it."""
        data = import_commit.source_of(batch).read_bytes()
        plan = self._importer(view).check(read_upload(batch.filename, data, self._limit()), marks=read_marks(data))
        Path(batch.stored_as).write_text(import_store.dump(plan), encoding="utf-8")
        ImportBatch.update(total_rows=len(plan.rows), new_rows=plan.count("new"), updated_rows=plan.count("update"),
                           unchanged_rows=plan.count("unchanged"), error_rows=plan.count("error"),
                           conflict_rows=plan.count("conflict")).where(ImportBatch.id == batch.id).execute()
        return plan

    @staticmethod
    def may_take(view, fields=()):
        """Tell whether the user may let the file win a conflict: edit on the list and on every field it writes."""
        withheld = view.withheld_fields()
        return allowed(view.endpoint, "edit") and all(view.field_access(name) == "edit" and name not in withheld
                                                      for name in fields)

    def _render_preview(self, view, batch, plan, taken=()):
        shown = [row for row in plan.rows if row.action != "unchanged"][:PREVIEW_ROWS]
        conflicts = [row for row in shown if row.action == "conflict"]
        return self.render("admin/exchange/import_preview.html", target=view, batch=batch, plan=plan,
                           shown=shown, labels=import_commit.ACTION_LABELS, preview_rows=PREVIEW_ROWS,
                           field_label=lambda name: view.get_column_name(name), taken=set(taken),
                           may_take=self.may_take(view), conflict_lines=ic.readable_conflicts(
                               view.model, conflicts, lambda name: str(view.get_column_name(name))))


IMPORT_NAME = _l("Import")


class CustomerImportMixin:
    """Imported customers are graded by the same rules at once, inside the import's transaction."""

    def after_import(self, ids):
        from admin_app.services.grading import grading_sql  # grading loads its settings model; import when used

        if ids:
            grading_sql.apply(Customer.select().where(id_scope(Customer.id, ids)), source="edit",
                              actor=(current_user.id, current_user.username))
