"""Jobs whose worker died are failed and undone by the sweep; periodic tasks run once however many workers."""
import datetime as dt
import json
import time

import pytest

from admin_app.services.jobs import liveness, queue, runner, sweeps, tasks
from admin_app.services.jobs.queue import huey
from models import Customer, ImportBatch, Job, Notification, PeriodicClaim, now
from tests.jobs_helpers import workbook  # noqa: F401 - used through the import helpers below
from tests.test_jobs import commit_in_background, preview


@pytest.fixture()
def small_limits(app):
    app.config.update(IMPORT_JOB_ROWS=10, JOB_STALE_SECONDS=300)


def dead_import(client, minutes_silent):
    """Leave an import job "running" as a killed worker would: batch queued, a half-written file, live progress."""
    rows = [["名称", "电话", "地区"]] + [[f"中断{i}", f"135{i:08d}", "华南"] for i in range(20)]
    batch_id = int(preview(client, rows))
    ImportBatch.update(status="queued").where(ImportBatch.id == batch_id).execute()
    moment = now() - dt.timedelta(minutes=minutes_silent)
    job = Job.create(owner=client.user.id, kind="import", status="running", total=20, started_at=moment,
                     heartbeat_at=moment, params=json.dumps({"endpoint": "customer", "batch_id": batch_id}))
    (runner.jobs_dir() / f"job-{job.id}.xlsx").write_bytes(b"half")
    queue.put(f"job:{job.id}:progress", (10, 20, 5.0))
    return job, batch_id


@pytest.mark.parametrize("language,reason", [
    ("zh_Hans_CN", "运行此作业的后台进程已中止；作业已做的部分均未保留。请重新开始。"),
    ("en", "The worker running this job stopped; nothing it started was kept. Start it again.")])
def test_a_job_whose_worker_died_is_failed_and_its_import_can_be_committed_again(small_limits, login_as, language,
                                                                                 reason):
    client = login_as("clerk", language=language)
    job, batch_id = dead_import(client, minutes_silent=6)
    assert sweeps.reap_dead_jobs() == [job.id]
    failed = Job.get_by_id(job.id)
    assert failed.status == "failed" and failed.finished_at
    assert not list(runner.jobs_dir().glob(f"job-{job.id}.*")) and queue.peek(f"job:{job.id}:progress") is None
    assert ImportBatch.get_by_id(batch_id).status == "preview" and Customer.select().count() == 0
    note = Notification.get(Notification.user == client.user.id)
    assert note.kind == "job_finished" and json.loads(note.params)["status"] == "failed"
    assert reason in client.get("/admin/jobs/").get_data(as_text=True)
    assert client.get(f"/admin/jobs/state?ids={job.id}").get_json()["jobs"][0]["error"] == reason
    again = Job.get_by_id(commit_in_background(client, batch_id)["job"])
    assert again.status == "done" and Customer.select().count() == 20
    assert sweeps.reap_dead_jobs() == []  # a second sweep finds nothing more to do


def test_a_job_with_a_recent_heartbeat_is_left_running(small_limits, clerk_client):
    job, batch_id = dead_import(clerk_client, minutes_silent=4)
    assert sweeps.reap_dead_jobs() == []
    assert Job.get_by_id(job.id).status == "running" and ImportBatch.get_by_id(batch_id).status == "queued"
    assert sweeps.reap_dead_jobs(now() + dt.timedelta(minutes=2)) == [job.id]


def test_a_running_job_beats_while_it_works(app, clerk_client, monkeypatch):
    """The heartbeat comes from its own thread and connection, so it moves while the work holds its transaction."""
    app.config.update(JOB_HEARTBEAT_SECONDS=0.05)
    monkeypatch.setattr(liveness, "now", lambda: dt.datetime(2030, 1, 1, 12, 0))
    seen = []

    def slow(job, progress, cancelled):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not seen:
            time.sleep(0.05)
            seen.extend(Job.select(Job.heartbeat_at).where(
                Job.id == job.id, Job.heartbeat_at == dt.datetime(2030, 1, 1, 12, 0)).tuples())
        return {}
    monkeypatch.setitem(runner.WORK, "slow", slow)
    job = runner.start(clerk_client.user.id, "slow")
    assert seen and job.status == "done"


def test_periodic_tasks_run_once_per_slot_however_many_workers_enqueue_them(app, monkeypatch):
    """Three workers' schedulers each enqueue the 02:30 and 08:00 tasks; each body runs once that day."""
    calls = []
    monkeypatch.setattr(sweeps, "nightly", lambda: calls.append("nightly") or {})
    from admin_app.services.notify import reminders
    monkeypatch.setattr(reminders, "run_daily", lambda: calls.append("reminders") or {})
    today = dt.date.today()  # the task bodies claim today's slot: the clock's, not the schedule's moment
    for moment in (dt.datetime.combine(today, dt.time(2, 30)), dt.datetime.combine(today, dt.time(8, 0))):
        for _worker in range(3):
            for task in huey.read_periodic(moment):
                if task.name in ("nightly_sweep", "morning_reminders"):
                    huey.execute(task)
    assert sorted(calls) == ["nightly", "reminders"]
    assert PeriodicClaim.select().count() == 2
    tomorrow = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(2, 30))
    assert liveness.claim("nightly_sweep", "day", tomorrow)  # the next day runs again
    assert not liveness.claim("nightly_sweep", "day", tomorrow + dt.timedelta(minutes=1))


def test_the_outbox_and_the_dead_job_sweep_are_claimed_each_minute(app, monkeypatch):
    swept = []
    monkeypatch.setattr(sweeps, "reap_dead_jobs", lambda: swept.append(1) or [])
    monkeypatch.setattr(liveness, "now", lambda: dt.datetime(2026, 12, 1, 9, 41, 30))
    tasks.reap_dead_jobs.call_local()
    tasks.reap_dead_jobs.call_local()
    assert len(swept) == 1
    assert [c.slot for c in PeriodicClaim.select()] == ["2026-12-01T09:41"]
