"""Long list work moved to the queue: export, import, regrade and survey dispatch above a size.

Each kind has a `start_*` hook that the list's own endpoint calls (it returns a response when the work goes to
the background, None when it is small enough to do at once) and a work function the worker runs as the job's
owner: in a request context for the list's own URL, logged in as the owner, so filters, roles, masks and
language are exactly those of the page the job was started from.
"""
import contextlib
import datetime as dt
from pathlib import Path

from flask import current_app, flash, g, jsonify, redirect, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user

from admin_app.permissions import allowed
from admin_app.services.exchange import import_commit, import_conflicts, import_store
from admin_app.services.exchange import xlsx_export as xw
from admin_app.services.exchange.import_plan import ImportCancelled
from admin_app.services.jobs import runner
from admin_app.services.jobs.runner import JobCancelled
from models import ExportLog, ImportBatch, Questionnaire, User, now
from views.access import find_view

REPORT_EVERY = 500  # rows between progress reports and cancel checks


def _limit(name, default):
    return int(current_app.config.get(name) or default)


def wants_json():
    """Tell whether the caller is the page's script (it asks for JSON) rather than a plain form."""
    return request.accept_mimetypes.best == "application/json"


def _started(job, back):
    """Answer a request that started a job: its state for the page's script, else the jobs page."""
    if wants_json():
        return jsonify(job=job.id, state_url=url_for("jobs.state_json", ids=job.id))
    flash(_("Job #%(id)s started; follow it on the jobs page.", id=job.id), "info")
    return redirect(url_for("jobs.index") if back is None else back)


def _start(kind, total, **params):
    params.update(path=request.path, query=request.query_string.decode(), language=str(get_locale()))
    return runner.start(current_user.id, kind, total=total, **params)


@contextlib.contextmanager
def as_owner(job):
    """Run inside a request for the job's own page, logged in as its owner, in the language it was started in."""
    p = runner.params(job)
    app = current_app._get_current_object()
    with app.app_context(), app.test_request_context(p["path"], query_string=p.get("query", ""),
                                                      method=p.get("method", "GET"), data=p.get("form")):
        owner = User.get_or_none(User.id == job.owner_id)
        if owner is None or not owner.active:
            raise PermissionError(_("The owner of this job can no longer sign in."))
        g.keep_db_open = True  # the worker's (or caller's) connection outlives this request
        login_user(owner)
        with force_locale(p.get("language") or owner.language):
            yield current_app.extensions["admin"][0]


def tracked(rows, progress, cancelled, total, every=REPORT_EVERY):
    """Yield rows, reporting progress and checking for cancellation every `every` rows."""
    done = 0
    progress(0, total)
    try:
        for row in rows:
            yield row
            done += 1
            if done % every == 0:
                progress(done, total)
                if cancelled():
                    raise JobCancelled()
        progress(done, total)
    finally:
        # end the source now: a PostgreSQL export reads inside a transaction that must not outlive the job
        getattr(rows, "close", lambda: None)()


# --- export --------------------------------------------------------------------------------------------
def start_export(view, kind):
    """Start a background export when the list is larger than EXPORT_JOB_ROWS (or the script asks); else None."""
    count = view.rows_for_request().count()
    if count <= _limit("EXPORT_JOB_ROWS", 5000):
        return jsonify(direct=True) if request.method == "POST" and wants_json() else None
    if request.method == "GET":
        return view.render("admin/jobs/start.html", count=count, back=url_for(".index_view"),
                           what=_("Export %(num)d rows of %(list)s to Excel", num=count, list=view.name))
    job = _start("export", count, endpoint=view.endpoint, export_kind=kind)
    return _started(job, None)


@runner.work("export")
def export_work(job, progress, cancelled):
    """Write the list's rows to the job's .xlsx as its owner sees them; log the export."""
    p = runner.params(job)
    with as_owner(job) as admin:
        view = find_view(admin, p["endpoint"])
        if not allowed(view.endpoint, "export"):
            raise PermissionError(_("You may no longer export this list."))
        marks = view.export_marks()
        query = view.rows_for_request()
        total = query.count()
        names = view.export_column_names()
        columns, fields, lookups = view.export_columns(names)
        title = view.export_title()
        rows = tracked(xw.stream_rows(query, fields, lookups), progress, cancelled, total)
        sheet = xw.Sheet(str(view.name), columns, rows, title)
        path = runner.result_file(job, ".xlsx")
        try:
            xw.write_workbook(str(path), [sheet], marks)
        finally:
            rows.close()
        ExportLog.create(user=job.owner_id, username=current_user.username, endpoint=view.endpoint,
                         kind=p.get("export_kind", "list"), filters=title[0][:2000], columns=",".join(names),
                         row_count=sheet.count)
        return {"result_path": path, "result_name": f"{view.endpoint}-{now():%Y%m%d-%H%M%S}.xlsx",
                "summary": _("%(num)d rows exported.", num=sheet.count)}


# --- import --------------------------------------------------------------------------------------------
def start_import(endpoint, batch_id, taken=()):
    """Commit an import in the background when its preview had more than IMPORT_JOB_ROWS rows; else None.

    taken: the sheet row numbers of conflicts whose file values the user chose (import_conflicts.take_file_values).
    """
    batch = ImportBatch.get_or_none(ImportBatch.id == batch_id, ImportBatch.endpoint == endpoint,
                                    ImportBatch.user == current_user.id, ImportBatch.status == "preview")
    if batch is None or batch.total_rows <= _limit("IMPORT_JOB_ROWS", 20000):
        return jsonify(direct=True) if wants_json() else None  # the page's script then submits the form
    ImportBatch.update(status="queued").where(ImportBatch.id == batch.id).execute()  # no second commit
    job = _start("import", batch.total_rows, endpoint=endpoint, batch_id=batch.id, taken=list(taken))
    return _started(job, None)


def commit_import(view, plan, progress, cancelled):
    """Commit a checked plan with progress and cancellation; return the counts (see import_commit.commit)."""
    return import_commit.commit(view.model, plan, after=getattr(view, "after_import", None),
                                actor=(current_user.id, current_user.username), progress=progress, cancelled=cancelled)


@runner.work("import")
def import_work(job, progress, cancelled):
    """Commit the previewed rows whole, or nothing (the batch returns to its preview)."""
    p = runner.params(job)
    with as_owner(job) as admin:
        importer_view = find_view(admin, "import")
        view = importer_view._model_view(p["endpoint"])
        batch = ImportBatch.get_by_id(p["batch_id"])
        try:
            # the preview stored the checked rows (import_store); the commit re-checks versions and keys
            plan = import_store.load(view.model, Path(batch.stored_as).read_text(encoding="utf-8"))
            import_conflicts.take_file_values(plan, p.get("taken", ()))
            counts = commit_import(view, plan, progress, cancelled)
        except BaseException as error:
            ImportBatch.update(status="preview").where(ImportBatch.id == batch.id).execute()
            if isinstance(error, ImportCancelled):  # the owner's cancel: the job ends cancelled, not failed
                raise JobCancelled() from error
            raise
        ImportBatch.update(status="committed", committed_at=now()).where(ImportBatch.id == batch.id).execute()
        import_commit.forget(batch)
        return {"summary": _("Imported: %(new)d new, %(update)d updated, %(unchanged)d unchanged, %(conflict)d "
                             "conflicts not overwritten.", **counts)}


@runner.undo("import")
def import_undo(job):
    """Give a batch whose commit job died back to its preview, so it can be committed again."""
    batch_id = runner.params(job).get("batch_id")
    ImportBatch.update(status="preview").where(ImportBatch.id == batch_id, ImportBatch.status == "queued").execute()


# --- regrade -------------------------------------------------------------------------------------------
def start_regrade(view):
    """Recompute grades in the background when more than REGRADE_JOB_ROWS customers are concerned; else None."""
    count = view.rows_for_request().count()
    if count <= _limit("REGRADE_JOB_ROWS", 5000):
        return None
    job = _start("regrade", count, endpoint=view.endpoint)
    return _started(job, None)


@runner.work("regrade")
def regrade_work(job, progress, cancelled):
    """Regrade the list's customers in one transaction (set-based SQL; progress moves when it commits)."""
    from admin_app.services.grading import grading_sql

    with as_owner(job) as admin:
        view = find_view(admin, "customer")
        if not allowed("customer", "grade"):
            raise PermissionError(_("You may no longer recompute grades."))
        query = view.rows_for_request()
        total = query.count()
        progress(0, total)
        if cancelled():
            raise JobCancelled()
        result = grading_sql.apply(query, actor=(current_user.id, current_user.username))
        progress(total, total)
        return {"summary": _("Grades recomputed: %(moved)d customers changed grade, %(updated)d records updated.",
                             moved=result["moved"], updated=result["updated"])}


# --- survey dispatch -----------------------------------------------------------------------------------
def start_dispatch(form, plan, selection, message):
    """Create a survey batch in the background when it invites more than DISPATCH_JOB_ROWS; else None."""
    if plan.sample_size <= _limit("DISPATCH_JOB_ROWS", 2000):
        return None
    job = _start("dispatch", plan.sample_size, questionnaire=form.questionnaire.data, channel=form.channel.data,
                 percent=form.sample_percent.data or 100, exclude_days=form.exclude_days.data or 0,
                 expires_on=form.expires_on.data.isoformat(), selection=selection, message=message)
    return _started(job, url_for("surveybatch.index_view"))


@runner.work("dispatch")
def dispatch_work(job, progress, cancelled):
    """Plan the dispatch again over the list as it is now and create the batch in one transaction."""
    from admin_app.services.notify import outbox
    from admin_app.services.surveys.survey import create_batch, plan_dispatch

    p = runner.params(job)
    with as_owner(job) as admin:
        if not allowed("surveybatch", "create"):
            raise PermissionError(_("You may no longer send surveys."))
        view = find_view(admin, "customer")
        plan = plan_dispatch(view.rows_for_request(), p["channel"], p["percent"], p["exclude_days"])
        progress(0, plan.sample_size)
        if cancelled():
            raise JobCancelled()
        message = tuple(p["message"]) if p.get("message") else None
        batch = create_batch(plan, Questionnaire.get_by_id(p["questionnaire"]), p["channel"],
                             dt.date.fromisoformat(p["expires_on"]), user=job.owner_id, selection=p["selection"],
                             message=message)
        progress(batch.sent_count, plan.sample_size)
        if message:
            outbox.kick(current_app.config)
        return {"summary": _("Survey batch #%(id)s created: %(sent)d invitations, %(skipped)d customers not "
                             "included.", id=batch.id, sent=batch.sent_count, skipped=batch.excluded_count)}

