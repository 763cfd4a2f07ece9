"""Each user's jobs page (progress, cancel, download, failure reason) and notifications page (the bell)."""
from pathlib import Path

from flask import abort, flash, g, jsonify, redirect, request, send_file, url_for
from flask_admin import expose
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from admin_app.services.jobs import runner
from admin_app.services.notify import inbox
from models import Job, Notification
from views.access import RoleCheckedView, find_view

STATUS_LABELS = {"queued": _l("Waiting"), "running": _l("Running"), "done": _l("Done"), "failed": _l("Failed"),
                 "cancelled": _l("Cancelled")}
KIND_TITLES = {"export": _l("Export of %(list)s"), "import": _l("Import into %(list)s"),
               "regrade": _l("Regrade of %(list)s"), "dispatch": _l("Survey dispatch to %(list)s")}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AnyUserView(RoleCheckedView):
    """A page every signed-in user has for themselves (not in the menu; reached from the top bar)."""

    def role_may_open(self):
        return True

    def is_visible(self):
        return False


def _duration(seconds):
    if seconds is None:
        return ""
    minutes, seconds = divmod(int(seconds), 60)
    return _("%(m)d min %(s)d s", m=minutes, s=seconds) if minutes else _("%(s)d s", s=seconds)


class JobsView(AnyUserView):
    """/admin/jobs/: the current user's jobs, newest first, with live progress."""

    def _own(self, job_id):
        job = Job.get_or_none(Job.id == job_id)
        if job is None or job.owner_id != current_user.id:
            abort(404)
        return job

    def title(self, job):
        """Return the job's title in the current language."""
        view = find_view(self.admin, runner.params(job).get("endpoint", ""))
        return KIND_TITLES.get(job.kind, job.kind) % {"list": view.name if view else ""}

    def state(self, job):
        """Return the job's progress as plain data with its texts in the current language."""
        shown = runner.snapshot(job)
        done, total = shown["done"], shown["total"]
        parts = [f"{format_decimal(done)} / {format_decimal(total)}" if total else format_decimal(done)]
        if shown["rate"]:
            parts.append(_("%(rate)s rows/s", rate=format_decimal(round(shown["rate"]))))
        if shown["seconds_left"] is not None:
            parts.append(_("%(time)s left", time=_duration(shown["seconds_left"])))
        status = _("Cancelling…") if shown["cancelling"] else str(STATUS_LABELS[job.status])
        return {**shown, "title": self.title(job), "status_label": status, "progress_text": " · ".join(parts),
                "download_url": url_for(".download", job_id=job.id) if shown["has_result"] else None,
                "cancel_url": None if job.finished else url_for(".cancel", job_id=job.id)}

    @expose("/")
    def index(self):
        jobs = list(Job.of(current_user.id).limit(50))
        return self.render("admin/jobs/list.html", jobs=[(job, self.state(job)) for job in jobs])

    @expose("/state")
    def state_json(self):
        ids = [int(i) for i in request.args.get("ids", "").split(",") if i.strip().isdigit()][:50]
        jobs = Job.select().where(Job.id.in_(ids), Job.owner == current_user.id)
        return jsonify(jobs=[self.state(job) for job in jobs])

    @expose("/<int:job_id>/cancel", methods=("POST",))
    def cancel(self, job_id):
        job = runner.cancel(self._own(job_id))
        if request.accept_mimetypes.best == "application/json":
            return jsonify(self.state(job))
        flash(_("Job #%(id)s: cancel requested.", id=job.id), "info")
        return redirect(url_for(".index"))

    @expose("/<int:job_id>/download")
    def download(self, job_id):
        job = self._own(job_id)
        if job.status != "done" or not job.result_path or not Path(job.result_path).exists():
            abort(404)
        return send_file(job.result_path, mimetype=XLSX, as_attachment=True, max_age=0,
                         download_name=job.result_name or Path(job.result_path).name)


class NotificationsView(AnyUserView):
    """/admin/notifications/: what happened to my work, mark read, and which kinds also come by e-mail."""

    @expose("/")
    def index(self):
        notes = inbox.latest(current_user.id)
        shown = [(note, inbox.render(note)) for note in notes]
        settings = inbox.settings_for(current_user.id)
        kinds = [(kind, self.kind_label(kind)) for kind in inbox.EMAIL_KINDS]
        return self.render("admin/jobs/notifications.html", notes=shown, settings=settings, kinds=kinds)

    @staticmethod
    def kind_label(kind):
        """Return the settings label of a notification kind."""
        return {"assigned": _("Something was assigned to me"),
                "legal_signoff": _("A complaint involving legal action needs my sign-off"),
                "due_tomorrow": _("Due tomorrow (working day)"), "overdue": _("Overdue"),
                "job_finished": _("My job has ended"),
                "digest": _("Daily digest of overdue work (managers)"),
                "retention_due": _("Records past retention (administrators)")}[kind]

    @expose("/read", methods=("POST",))
    def read(self):
        ids = request.form.getlist("id", type=int)
        changed = inbox.mark_read(current_user.id, ids or None)
        flash(_("%(num)d notifications marked read.", num=changed), "success")
        return redirect(request.form.get("next") or url_for(".index"))

    @expose("/open/<int:note_id>")
    def open(self, note_id):
        note = Notification.get_or_none(Notification.id == note_id, Notification.user == current_user.id)
        if note is None:
            abort(404)
        inbox.mark_read(current_user.id, [note.id])
        return redirect(inbox.link(note) or url_for(".index"))

    @expose("/settings", methods=("POST",))
    def settings(self):
        email = request.form.get("email", "").strip()
        kinds = request.form.getlist("kind")
        if kinds and not _valid_email(email):
            flash(_("Enter a valid e-mail address to receive notifications by e-mail."), "error")
            return redirect(url_for(".index"))
        inbox.save_settings(current_user.id, email, kinds)
        flash(_("Notification settings saved."), "success")
        return redirect(url_for(".index"))


def _valid_email(address):
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return len(address) <= 128


def unread_count():
    """Return the signed-in user's unread notification count for the top bar (0 when signed out)."""
    if not current_user.is_authenticated:
        return 0
    if "unread_notifications" not in g:  # the top bar asks twice (wide and narrow screens)
        g.unread_notifications = inbox.unread_count(current_user.id)
    return g.unread_notifications


def add_views(admin):
    """Register the jobs and notifications pages and the top bar's unread count."""
    admin.add_view(JobsView(name=_l("My jobs"), endpoint="jobs", url="/admin/jobs"))
    admin.add_view(NotificationsView(name=_l("Notifications"), endpoint="notifications",
                                     url="/admin/notifications"))
    admin.app.context_processor(lambda: {"unread_notifications": unread_count})
