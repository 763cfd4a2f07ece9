"""The queue's tasks: one that runs any Job, and the periodic sweeps (outbox, reminders, digest, retention).

Tasks return nothing: Huey would keep every return value in its store until someone reads it; they log instead.
"""
import logging

from huey import crontab

from admin_app.services.jobs import queue, runner
from admin_app.services.jobs.queue import huey

log = logging.getLogger(__name__)


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
def send_outbox_every_minute():
    """Retry and send what waits in the outbox, every minute."""
    with queue.app_context():
        from admin_app.services.jobs import sweeps

        _log("outbox: sent %s, failed %s", *sweeps.send_outbox())


@huey.periodic_task(crontab(minute="0", hour="8"))
def morning_reminders():
    """Tell owners what is due tomorrow or overdue and send managers their digest, every morning at 08:00."""
    with queue.app_context():
        from admin_app.services.notify import reminders

        log.info("reminders: %s", reminders.run_daily())


@huey.periodic_task(crontab(minute="30", hour="2"))
def nightly_sweep():
    """Expire abandoned import previews and old job results; tell admins what is past retention (02:30)."""
    with queue.app_context():
        from admin_app.services.jobs import sweeps

        log.info("nightly sweep: %s", sweeps.nightly())


def _log(message, sent, failed):
    if sent or failed:
        log.info(message, sent, failed)
