"""The queue's tasks: one that runs any Job, and the periodic sweeps (outbox, dead jobs, reminders, retention).

Tasks return nothing: Huey would keep every return value in its store until someone reads it; they log instead.
Every worker's scheduler enqueues the periodic tasks (Huey has no leader among consumers, and its lock_task only
keeps two runs from overlapping), so each periodic run first claims its time slot in the app database
(liveness.claim): the first worker to claim it does the work, the others skip it.
"""
import functools
import logging

from huey import crontab
from huey.exceptions import TaskLockedException

from admin_app.services.jobs import liveness, queue, runner
from admin_app.services.jobs.queue import huey

log = logging.getLogger(__name__)


def once_per(every):
    """Run a periodic task's body in an app context, only on the worker that claims the slot (decorator)."""
    def wrap(fn):
        @functools.wraps(fn)
        def run():
            with queue.app_context():
                if not liveness.claim(fn.__name__, every):
                    log.debug("%s: this %s's run was claimed by another worker", fn.__name__, every)
                    return
                fn()
        return run
    return wrap


@huey.task()
def run_job(job_id):
    """Run one Job (see runner.execute)."""
    with queue.app_context():
        runner.execute(job_id)


@huey.task()
def send_outbox():
    """Send the e-mails waiting in the outbox (when MAIL_SERVER is set)."""
    with queue.app_context():
        from admin_app.services.jobs import sweeps

        _log("outbox: sent %s, failed %s", *sweeps.send_outbox())


@huey.periodic_task(crontab(minute="*"))
@once_per("minute")
def send_outbox_every_minute():
    """Retry and send what waits in the outbox, every minute."""
    from admin_app.services.jobs import sweeps

    _log("outbox: sent %s, failed %s", *sweeps.send_outbox())


@huey.periodic_task(crontab(minute="*"))
@once_per("minute")
def reap_dead_jobs():
    """Fail the jobs whose worker died (no heartbeat for JOB_STALE_SECONDS) and undo their leftovers."""
    from admin_app.services.jobs import sweeps

    reaped = sweeps.reap_dead_jobs()
    if reaped:
        log.warning("jobs whose worker died, now failed: %s", reaped)


@huey.periodic_task(crontab(minute="0", hour="8"))
@once_per("day")
def morning_reminders():
    """Tell owners what is due tomorrow or overdue and send managers their digest, every morning at 08:00."""
    from admin_app.services.notify import reminders

    log.info("reminders: %s", reminders.run_daily())


@huey.periodic_task(crontab(minute="30", hour="2"))
@once_per("day")
def nightly_sweep():
    """Expire abandoned import previews and old job results; tell admins what is past retention (02:30)."""
    from admin_app.services.jobs import sweeps

    log.info("nightly sweep: %s", sweeps.nightly())


@huey.task()
def refresh_dashboard(older_than=0):
    """Compute the dashboard's year-long figures unless another worker is at it or they are younger than given."""
    with queue.app_context():
        _refresh_dashboard(older_than)


@huey.periodic_task(crontab(minute="*"))
def refresh_dashboard_when_old():
    """Recompute the dashboard's year-long figures once older than DASHBOARD_CACHE_SECONDS (checked every minute)."""
    from flask import current_app

    with queue.app_context():
        _refresh_dashboard(current_app.config.get("DASHBOARD_CACHE_SECONDS", 300))


@huey.on_startup()
def warm_dashboard():
    """Queue the dashboard's figures when a worker starts, so the first page after a restart has them."""
    refresh_dashboard(older_than=60)


def _refresh_dashboard(older_than):
    from admin_app.services.workflow import dashboard

    try:
        with huey.lock_task("dashboard-figures"):
            if dashboard.refresh(older_than=older_than):
                log.info("dashboard figures refreshed")
    except TaskLockedException:
        pass  # another worker thread is computing the same figures


def _log(message, sent, failed):
    if sent or failed:
        log.info(message, sent, failed)
