"""Start, run, follow and cancel jobs: a task calls a plain work function with `progress` and `cancelled`.

A work function has the shape `work(job, progress, cancelled) -> dict | None`:
- `progress(done, total)` reports units (rows) done out of a total (None when unknown);
- `cancelled()` tells whether the owner asked to stop; the work checks it between batches and raises JobCancelled
  (from inside its transaction, so nothing it wrote stays);
- the dict it returns may carry `summary` (text), `result_name` (download name) and `result_path` (a file it wrote,
  see `result_file`). Any exception fails the job; its result file is removed and its message kept as the reason.
A kind whose work leaves state outside its transaction registers `undo(kind)`: it also runs when the worker died
mid-job (liveness.reap), so a failed job never leaves anything half-done.
"""
import json
import logging
import time
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from admin_app.services.jobs import liveness, queue
from models import Job, now

log = logging.getLogger(__name__)
WORK, UNDO = {}, {}
PUBLISH_EVERY = 0.25  # seconds between progress writes to the queue store


class JobCancelled(Exception):
    """The owner cancelled the job; raised inside the work so its transaction rolls back."""


def work(kind):
    """Register a work function for a job kind (decorator)."""
    def register(fn):
        WORK[kind] = fn
        return fn
    return register


def undo(kind):
    """Register `fn(job)` that puts back what a failed job of a kind left outside its transaction (decorator)."""
    def register(fn):
        UNDO[kind] = fn
        return fn
    return register


def _key(job_id, what):
    return f"job:{job_id}:{what}"


def params(job):
    """Return a job's parameters as a dict."""
    return json.loads(job.params or "{}")


def start(owner_id, kind, total=None, **job_params):
    """Create a queued Job and hand it to the queue; return the Job (run already in immediate mode)."""
    if kind not in WORK:
        raise KeyError(kind)
    job = Job.create(owner=owner_id, kind=kind, total=total, params=json.dumps(job_params, default=str))
    for what in ("progress", "cancel"):  # a restored or emptied database can hand out an old id again
        queue.forget(_key(job.id, what))
    from admin_app.services.jobs.tasks import run_job  # the task module registers on the queue at import

    run_job(job.id)
    return Job.get_by_id(job.id)


def jobs_dir():
    """Return the folder result files are written to (JOBS_DIR, default instance/jobs)."""
    folder = Path(current_app.config.get("JOBS_DIR") or Path(current_app.instance_path) / "jobs")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def result_file(job, suffix):
    """Return the path a job writes its result to (removed again if the job fails or is cancelled)."""
    return jobs_dir() / f"job-{job.id}{suffix}"


class Tracker:
    """The two callables handed to a work function, publishing to the queue's key-value store."""

    def __init__(self, job):
        self.job_id, self.started = job.id, time.monotonic()
        self.done, self.total = 0, job.total
        self._published = self._checked = 0.0
        self._cancel = False

    def progress(self, done, total=None):
        self.done, self.total = done, total if total is not None else self.total
        moment = time.monotonic()
        if moment - self._published >= PUBLISH_EVERY or (self.total and done >= self.total):
            self._published = moment
            queue.put(_key(self.job_id, "progress"), (self.done, self.total, self.rate()))

    def cancelled(self):
        moment = time.monotonic()
        if not self._cancel and moment - self._checked >= PUBLISH_EVERY / 2:
            self._checked = moment
            self._cancel = bool(queue.peek(_key(self.job_id, "cancel")))
        return self._cancel

    def rate(self):
        elapsed = time.monotonic() - self.started
        return round(self.done / elapsed, 1) if elapsed > 0 and self.done else None


def execute(job_id):
    """Run a queued job to its end: done, failed (with the reason) or cancelled; notify its owner."""
    job = Job.get_or_none(Job.id == job_id)
    if job is None or job.status != "queued":
        return None
    if queue.peek(_key(job.id, "cancel")):
        return _finish(job, None, "cancelled", {})
    moment = now()
    Job.update(status="running", started_at=moment, heartbeat_at=moment).where(Job.id == job.id).execute()
    tracker = Tracker(job)
    try:
        with liveness.Heartbeat(job.id, current_app.config.get("JOB_HEARTBEAT_SECONDS", 15)):
            outcome = WORK[job.kind](job, tracker.progress, tracker.cancelled) or {}
    except JobCancelled:
        return _finish(job, tracker, "cancelled", {})
    except Exception as error:  # noqa: BLE001 - any failure ends the job with its reason, never half done
        log.exception("job %s (%s) failed", job.id, job.kind)
        return _finish(job, tracker, "failed", {"error": _reason(error)})
    return _finish(job, tracker, "done", outcome)


def _reason(error):
    text = str(error).strip()
    return text if text else _("The job stopped with an error (%(kind)s).", kind=type(error).__name__)


def _finish(job, tracker, status, outcome):
    if status != "done":
        _remove_results(job)
    cancelled = status == "cancelled"
    values = {"status": status, "finished_at": now(), "cancel_requested": cancelled or job.cancel_requested,
              "error": outcome.get("error"), "summary": outcome.get("summary"),
              "result_path": str(outcome["result_path"]) if outcome.get("result_path") else None,
              "result_name": outcome.get("result_name")}
    if tracker is not None:
        values.update(done=tracker.done, total=tracker.total, rate=tracker.rate())
    Job.update(**values).where(Job.id == job.id).execute()
    return _tell(job)


def abandon(job):
    """Clean up after a job whose worker died (already marked failed): files, its kind's undo, owner told."""
    _remove_results(job)
    if job.kind in UNDO:
        UNDO[job.kind](job)
    return _tell(job)


def _remove_results(job):
    for stale in jobs_dir().glob(f"job-{job.id}.*"):
        stale.unlink(missing_ok=True)


def _tell(job):
    """Drop the job's live keys and notify its owner of how it ended; return the Job as stored."""
    for what in ("progress", "cancel"):
        queue.forget(_key(job.id, what))
    finished = Job.get_by_id(job.id)
    if finished.owner_id:
        from admin_app.services.notify import notify

        notify(finished.owner_id, "job_finished", job=finished.id, job_kind=finished.kind, status=finished.status)
    return finished


def reason(job):
    """Return why a job failed, in the reader's language, or None."""
    if job.error == liveness.WORKER_LOST:
        return _("The worker running this job stopped; nothing it started was kept. Start it again.")
    return job.error


def cancel(job):
    """Ask a job to stop: a queued one is cancelled at once, a running one at its next batch; return the Job."""
    if job.finished:
        return job
    queue.put(_key(job.id, "cancel"), True)
    Job.update(status="cancelled", cancel_requested=True, finished_at=now()).where(
        Job.id == job.id, Job.status == "queued").execute()
    return Job.get_by_id(job.id)


def snapshot(job):
    """Return a job's state as plain data: status, done, total, rate (per second), seconds left, percent."""
    done, total, rate = job.done, job.total, job.rate
    cancelling = job.cancel_requested
    if job.status == "running":
        live = queue.peek(_key(job.id, "progress"))
        if live:
            done, total, rate = live
        cancelling = cancelling or bool(queue.peek(_key(job.id, "cancel")))
    left = round((total - done) / rate) if rate and total and job.status == "running" else None
    percent = 100 if job.status == "done" else (min(100, int(done * 100 / total)) if total else 0)
    return {"id": job.id, "status": job.status, "done": done, "total": total, "rate": rate, "seconds_left": left,
            "percent": percent, "cancelling": cancelling and not job.finished, "error": reason(job),
            "summary": job.summary, "has_result": bool(job.result_path) and job.status == "done"}
