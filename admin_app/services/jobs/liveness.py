"""Heartbeats of running jobs, the sweep that fails jobs whose worker died, and periodic runs claimed once.

A running job's worker writes Job.heartbeat_at every JOB_HEARTBEAT_SECONDS from a thread of its own (its own
database connection, so a job's long transaction does not hide the beat). A job still "running" whose last beat
is older than JOB_STALE_SECONDS lost its worker: the database already rolled its open transaction back when the
process died, and sweeps.reap_dead_jobs fails the job with a reason and undoes what lives outside the database
(result files, an import batch waiting on it). On SQLite a beat waits while another connection writes; the stale
limit (default five minutes) is far above a transaction's length, so a busy job is never taken for a dead one.
"""
import datetime as dt
import logging
import threading

import peewee as pw
from flask import current_app

from models import Job, PeriodicClaim, db, now

log = logging.getLogger(__name__)
#: the reason stored on a job whose worker died; shown translated (runner.snapshot)
WORKER_LOST = "worker-lost"
SLOTS = {"minute": "%Y-%m-%dT%H:%M", "day": "%Y-%m-%d"}


class Heartbeat:
    """Write a running job's heartbeat every `seconds` until stopped (a context manager around the work)."""

    def __init__(self, job_id, seconds):
        self.job_id, self.seconds = job_id, seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"job-{job_id}-heartbeat", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        while not self._stop.wait(self.seconds):
            beat(self.job_id)


def beat(job_id):
    """Record that a running job's worker is alive now; return whether the job was still running."""
    try:
        with db.connection_context():
            return bool(Job.update(heartbeat_at=now()).where(Job.id == job_id, Job.status == "running").execute())
    except pw.OperationalError:  # SQLite busy past its timeout: the next beat tries again
        log.warning("heartbeat of job %s skipped: database busy", job_id)
        return False


def stale(before):
    """Return the running jobs with no sign of life since a moment (heartbeat, else start, before it)."""
    last = pw.fn.COALESCE(Job.heartbeat_at, Job.started_at, Job.created_at)
    return list(Job.select().where(Job.status == "running", last < before).order_by(Job.id))


def fail_stale(moment=None):
    """Mark failed every running job with no beat for JOB_STALE_SECONDS; return those Jobs (as they were)."""
    limit = dt.timedelta(seconds=current_app.config.get("JOB_STALE_SECONDS", 300))
    before = (moment or now()) - limit
    reaped = []
    for job in stale(before):
        last = pw.fn.COALESCE(Job.heartbeat_at, Job.started_at, Job.created_at)
        claimed = Job.update(status="failed", error=WORKER_LOST, finished_at=now()).where(
            Job.id == job.id, Job.status == "running", last < before).execute()
        if claimed:  # another sweep, or the job itself finishing, did not get there first
            reaped.append(job)
    return reaped


def claim(name, every, moment=None):
    """Claim a periodic task's run in the current slot ("minute" or "day"); False when another worker has it."""
    slot = (moment or now()).strftime(SLOTS[every])
    try:
        with db.atomic():
            PeriodicClaim.create(name=name, slot=slot)
    except pw.IntegrityError:
        return False
    return True


def worker_alive(within=180):
    """Return True when some queue worker claimed a periodic run in the last `within` seconds (they run each minute)."""
    since = now() - dt.timedelta(seconds=within)
    return PeriodicClaim.select().where(PeriodicClaim.created_at >= since).exists()


def prune_claims(before):
    """Delete periodic claims older than a moment; return how many."""
    return PeriodicClaim.delete().where(PeriodicClaim.created_at < before).execute()
