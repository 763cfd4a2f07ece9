"""Background jobs: large exports, imports and regrading run on the queue, all or nothing, owner only."""
import datetime as dt
import io
import json
import re

import pytest

from admin_app.services.exchange import import_commit
from admin_app.services.jobs import queue, runner
from models import ChangeLog, Customer, ExportLog, ImportBatch, Job, Notification
from tests.jobs_helpers import data_rows, real_queue, redis_queue, wait_for, workbook  # noqa: F401 - fixtures

JSON = {"Accept": "application/json"}


def start_export(client, url="/admin/customer/export/xlsx/"):
    response = client.post(url, data={}, headers=JSON)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()


def preview(client, rows):
    """Upload rows for the customer list and return the id of the previewed batch."""
    page = client.post("/admin/import/customer/", data={"file": (io.BytesIO(workbook(rows)), "big.xlsx")},
                       content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    return re.search(r"/admin/import/customer/(\d+)/commit/", page).group(1)


def commit_in_background(client, batch_id):
    return client.post(f"/admin/import/customer/{batch_id}/commit/", data={}, headers=JSON).get_json()


def customers(make_customer, count):
    return [make_customer(name=f"作业顾客{i:03d}") for i in range(count)]


@pytest.fixture()
def small_limits(app):
    app.config.update(EXPORT_JOB_ROWS=10, IMPORT_JOB_ROWS=10, REGRADE_JOB_ROWS=10)


def test_a_large_export_runs_as_a_job_and_only_its_owner_downloads_it(app, small_limits, clerk_client, login_as,
                                                                      make_customer):
    customers(make_customer, 25)
    started = start_export(clerk_client, "/admin/customer/export/xlsx/?search=作业顾客")
    job = Job.get_by_id(started["job"])
    assert (job.status, job.done, job.total, job.owner_id) == ("done", 25, 25, clerk_client.user.id)
    assert job.started_at and job.finished_at and job.rate and job.rate > 0
    download = clerk_client.get(f"/admin/jobs/{job.id}/download")
    assert download.status_code == 200 and download.headers["Content-Disposition"].startswith("attachment")
    names = sorted(row["名称"] for row in data_rows(download.data))
    assert names == [f"作业顾客{i:03d}" for i in range(25)]
    assert ExportLog.get().row_count == 25
    for other in (login_as("clerk"), login_as("admin")):
        assert other.get(f"/admin/jobs/{job.id}/download").status_code == 404
        assert other.get(f"/admin/jobs/state?ids={job.id}").get_json() == {"jobs": []}


def test_a_small_export_is_sent_at_once(small_limits, clerk_client, make_customer):
    customers(make_customer, 3)
    assert start_export(clerk_client) == {"direct": True}
    assert clerk_client.get("/admin/customer/export/xlsx/").headers["Content-Type"].startswith(
        "application/vnd.openxmlformats")
    assert Job.select().count() == 0


def test_opening_a_large_export_link_asks_before_starting(small_limits, clerk_client, make_customer):
    customers(make_customer, 12)
    page = clerk_client.get("/admin/customer/export/xlsx/").get_data(as_text=True)
    assert 'id="start-job"' in page and "12" in page and Job.select().count() == 0
    response = clerk_client.post("/admin/customer/export/xlsx/", data={})
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/jobs/")
    assert Job.get().status == "done"


def rows_per_insert(monkeypatch, rows):
    """Make the import commit insert customers `rows` at a time (import_commit.BATCH_VARIABLES)."""
    fields = len(Customer._meta.sorted_fields) - 1
    monkeypatch.setattr(import_commit, "BATCH_VARIABLES", rows * fields)


def test_a_job_that_fails_midway_writes_nothing(small_limits, clerk_client, monkeypatch):
    """The third insert of ten rows (rows 21-30 of 50) fails: no customer, no history, the reason on the jobs page."""
    rows = [["名称", "电话", "地区"]] + [[f"后台{i}", f"137{i:08d}", "华东"] for i in range(50)]
    batch_id = preview(clerk_client, rows)
    rows_per_insert(monkeypatch, 10)
    real, calls = import_commit._insert, []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise ValueError("disk full")
        return real(*args, **kwargs)
    monkeypatch.setattr(import_commit, "_insert", failing)
    started = commit_in_background(clerk_client, batch_id)
    job = Job.get_by_id(started["job"])
    assert (job.status, job.error) == ("failed", "disk full")
    assert Customer.select().count() == 0 and ChangeLog.select().count() == 0
    assert ImportBatch.get_by_id(batch_id).status == "preview"  # the user may correct and commit again
    jobs_page = clerk_client.get("/admin/jobs/").get_data(as_text=True)
    assert "disk full" in jobs_page and "失败" in jobs_page
    note = Notification.get(Notification.user == clerk_client.user.id)
    assert note.kind == "job_finished" and json.loads(note.params)["status"] == "failed"


def test_a_cancelled_import_rolls_back_between_batches(small_limits, clerk_client, monkeypatch):
    """The job hands import_commit.commit its progress and cancelled callables: a cancel seen after three inserts of
    100 rows ends the job cancelled (not failed), with nothing written and the preview kept."""
    rows = [["名称", "电话", "地区"]] + [[f"取消{i}", f"136{i:08d}", "华北"] for i in range(400)]
    batch_id = preview(clerk_client, rows)
    rows_per_insert(monkeypatch, 100)
    checks = []

    def cancel_after_three_batches(tracker):
        checks.append(tracker.done)
        return tracker.done >= 200
    monkeypatch.setattr(runner.Tracker, "cancelled", cancel_after_three_batches)
    job = Job.get_by_id(commit_in_background(clerk_client, batch_id)["job"])
    assert job.status == "cancelled" and job.cancel_requested and checks[-1] == 200 and job.done == 200
    assert Customer.select().count() == 0 and ChangeLog.select().count() == 0
    assert ImportBatch.get_by_id(batch_id).status == "preview"


def test_a_cancelled_export_leaves_no_file(app, small_limits, clerk_client, make_customer, monkeypatch):
    customers(make_customer, 1200)
    monkeypatch.setattr(runner.Tracker, "cancelled", lambda tracker: tracker.done >= 1000)
    job = Job.get_by_id(start_export(clerk_client)["job"])
    assert job.status == "cancelled" and not job.result_path
    assert not list(runner.jobs_dir().glob(f"job-{job.id}.*"))
    assert clerk_client.get(f"/admin/jobs/{job.id}/download").status_code == 404


def test_cancel_is_for_the_owner_and_stops_a_waiting_job_before_it_starts(clerk_client, login_as):
    job = Job.create(owner=clerk_client.user.id, kind="export", params=json.dumps({"endpoint": "customer"}))
    assert login_as("admin").post(f"/admin/jobs/{job.id}/cancel", data={}).status_code == 404
    state = clerk_client.post(f"/admin/jobs/{job.id}/cancel", data={}, headers=JSON).get_json()
    assert state["status"] == "cancelled"
    assert runner.execute(job.id) is None and Job.get_by_id(job.id).started_at is None


def test_regrading_many_customers_runs_as_a_job(small_limits, login_as, make_customer):
    customers(make_customer, 12)
    manager = login_as("manager")
    response = manager.post("/admin/customer/grading/recompute", data={})
    job = Job.get()
    assert response.status_code == 302 and (job.kind, job.status, job.done) == ("regrade", "done", 12)
    assert all(c.grade for c in Customer.select())


@pytest.mark.parametrize("language,words", [("zh_Hans_CN", ["我的作业", "导出：顾客", "下载"]),
                                            ("en", ["My jobs", "Export of Customers", "Download"])])
def test_jobs_page_lists_my_jobs_in_my_language(small_limits, login_as, make_customer, language, words):
    customers(make_customer, 11)
    client = login_as("clerk", language=language)
    start_export(client)
    login_as("clerk").post("/admin/customer/export/xlsx/", data={}, headers=JSON)  # someone else's job
    page = client.get("/admin/jobs/").get_data(as_text=True)
    assert page.count('class="card mb-2 job-card"') == 1
    for word in words:
        assert word in page


@pytest.mark.usefixtures("real_queue")
def test_a_real_consumer_thread_runs_the_job_and_publishes_progress(small_limits, clerk_client, make_customer):
    customers(make_customer, 30)
    started = start_export(clerk_client)
    assert Job.get_by_id(started["job"]).status in ("queued", "running", "done")
    job = wait_for(started["job"])
    assert job.status == "done" and job.done == 30
    state = clerk_client.get(started["state_url"]).get_json()["jobs"][0]
    assert state["percent"] == 100 and state["download_url"] and queue.peek(f"job:{job.id}:progress") is None


@pytest.mark.usefixtures("redis_queue")
def test_the_same_jobs_run_on_redis(small_limits, clerk_client, make_customer):
    customers(make_customer, 15)
    job = wait_for(start_export(clerk_client)["job"])
    assert (job.status, job.done) == ("done", 15)
    assert len(data_rows(clerk_client.get(f"/admin/jobs/{job.id}/download").data)) == 15


def test_a_large_survey_dispatch_runs_as_a_job(app, clerk_client, make_customer):
    from survey_helpers import CONSENTED

    from admin_app.services.surveys.survey import load_reference_questionnaire
    from models import OutboxMessage, SurveyBatch

    app.config["DISPATCH_JOB_ROWS"] = 2
    questionnaire = load_reference_questionnaire()
    wanted = [make_customer(name=f"华南商行{i}", **CONSENTED) for i in range(4)]
    expires = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    options = {"questionnaire": str(questionnaire.id), "channel": "email", "sample_percent": "100",
               "exclude_days": "90", "expires_on": expires}
    response = clerk_client.post("/admin/customer/survey/?search=华南", data={
        **options, "step": "confirm", "previewed": f"{questionnaire.id}|email|100|90|{expires}"})
    job = Job.get()
    assert response.status_code == 302 and (job.kind, job.status, job.done) == ("dispatch", "done", 4)
    batch = SurveyBatch.get()
    assert {i.customer_id for i in batch.invitations} == {c.id for c in wanted}
    assert batch.created_by_id == clerk_client.user.id and OutboxMessage.select().count() == 4


def test_the_nightly_sweep_removes_old_results_and_tells_admins_about_retention(app, make_user, make_record):
    from admin_app.services.jobs import sweeps
    from models import Complaint

    admin = make_user("admin")
    make_record(Complaint, status="closed", closed_at=dt.datetime(2020, 1, 1))
    old, fresh = (runner.jobs_dir() / name for name in ("job-901.xlsx", "job-902.xlsx"))
    for path in (old, fresh):
        path.write_bytes(b"x")
    Job.create(kind="export", status="done", result_path=str(old), finished_at=dt.datetime.now() - dt.timedelta(8))
    Job.create(kind="export", status="done", result_path=str(fresh), finished_at=dt.datetime.now())
    assert sweeps.nightly() == {"previews": 0, "results": 1, "retention": 1, "claims": 0}
    assert not old.exists() and fresh.exists()
    assert Notification.get(Notification.user == admin.id).kind == "retention_due"
    fresh.unlink()
