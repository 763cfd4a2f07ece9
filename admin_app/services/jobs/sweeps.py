"""Periodic housekeeping run by the queue worker: the outbox, dead jobs, abandoned uploads, old results, retention."""
import datetime as dt
from pathlib import Path

from flask import current_app

from admin_app.services.exchange import import_commit
from admin_app.services.jobs import liveness, runner
from admin_app.services.notify import notify, outbox
from admin_app.services.trust import retention
from models import RECORD_MODELS, Job, User, now


def send_outbox():
    """Send what is due in the outbox; return (sent, failed), (0, 0) when no MAIL_SERVER is set."""
    settings = outbox.mail_settings(current_app.config)
    if not settings["server"]:
        return 0, 0
    outbox.release_stale()
    return outbox.send_pending(settings, limit=500)


def reap_dead_jobs(moment=None):
    """Fail the jobs whose worker died and undo what they left outside the database; return their ids."""
    return [runner.abandon(job).id for job in liveness.fail_stale(moment)]


def expire_results(before):
    """Delete result files of jobs finished before a moment; return how many."""
    old = list(Job.select().where(Job.finished_at < before, Job.result_path.is_null(False)))
    for job in old:
        Path(job.result_path).unlink(missing_ok=True)
    if old:
        Job.update(result_path=None).where(Job.id.in_([j.id for j in old])).execute()
    return len(old)


def retention_notice(today=None):
    """Tell every active admin how many records are past retention and wait for review; return that count."""
    years = retention.configured_years()  # the period the retention page uses (RETENTION_YEARS or the setting)
    count = sum(len(retention.due(model, years, today)) for model in RECORD_MODELS)
    if count:
        day = (today or dt.date.today()).isoformat()
        for admin_id in User.select(User.id).where(User.role == "admin", User.active).tuples():
            notify(admin_id[0], "retention_due", key=f"retention:{day}", count=count)
    return count


def nightly(today=None):
    """Run the nightly sweep; return what it did as a dict of counts."""
    moment = now()
    hours = current_app.config.get("IMPORT_PREVIEW_HOURS", 24)
    days = current_app.config.get("JOB_RESULT_DAYS", 7)
    return {"previews": import_commit.expire_previews(moment - dt.timedelta(hours=hours)),
            "results": expire_results(moment - dt.timedelta(days=days)),
            "retention": retention_notice(today),
            "claims": liveness.prune_claims(moment - dt.timedelta(days=2))}
