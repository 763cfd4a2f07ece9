"""The dashboard's kept year figures: equal to a direct count after every kind of write, with their time."""
import datetime as dt
import re

import pytest

from admin_app.services.jobs import liveness, tasks
from admin_app.services.workflow import dashboard, snapshot
from models import ArchiveRecord, Complaint, DashboardSnapshot, Feedback, PeriodicClaim, Repair, ReturnExchange

TODAY = dt.date.today()
THIS_MONTH = dt.datetime.combine(TODAY.replace(day=1), dt.time(9, 0))


def _shown(page, element_id):
    return re.search(rf'id="{element_id}"[^>]*>(.*?)</', page, re.S).group(1)


@pytest.fixture()
def base(app, make_customer, make_record):
    """Three customers, two complaints this month (one closed), one feedback; figures kept for five minutes."""
    app.config["DASHBOARD_CACHE_SECONDS"] = 300
    customers = [make_customer(grade=g) for g in ("A", "B", "C")]
    make_record(Complaint, customer=customers[0], received_at=THIS_MONTH, status="closed")
    make_record(Complaint, customer=customers[1], received_at=THIS_MONTH, status="received")
    make_record(Feedback, customer=customers[2], feedback_date=TODAY)
    return customers


def _survey_response(customer):
    from models.survey import Questionnaire, Response

    questionnaire = Questionnaire.get_or_none(Questionnaire.code == "QS") or Questionnaire.create(code="QS",
                                                                                                 title="调查")
    Response.create(questionnaire=questionnaire, customer=customer, overall="satisfied")


#: one write of each kind the year figures count; each changes at least one of them
WRITES = {
    "complaint received": lambda c, mk, mr: mr(Complaint, customer=c[2], received_at=THIS_MONTH),
    "complaint closed": lambda c, mk, mr: Complaint.update(status="closed").where(
        Complaint.status == "received").execute(),
    "complaint deleted": lambda c, mk, mr: Complaint.delete().where(Complaint.status == "closed").execute(),
    "new customer's feedback": lambda c, mk, mr: mr(Feedback, customer=mk(), feedback_date=TODAY),
    "dossier entry": lambda c, mk, mr: mr(ArchiveRecord, customer=mk(), entry_date=TODAY),
    "repair": lambda c, mk, mr: mr(Repair, customer=mk(), received_at=THIS_MONTH),
    "return": lambda c, mk, mr: mr(ReturnExchange, customer=mk()),
    "grade changed": lambda c, mk, mr: c[0].__class__.update(grade="C").where(
        c[0].__class__.id == c[0].id).execute(),
    "survey response": lambda c, mk, mr: _survey_response(c[0]),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_kept_figures_equal_a_direct_count_after_each_kind_of_write(app, base, make_customer, make_record,
                                                                    write):
    """The page shows the kept figures with their time; once the worker refreshes, they equal a direct count."""
    month_starts = dashboard.months(TODAY)
    kept, as_of = dashboard.cached_year_figures(month_starts, TODAY)
    assert kept == dashboard.year_figures(month_starts, TODAY)
    WRITES[write](base, make_customer, make_record)
    direct = dashboard.year_figures(month_starts, TODAY)
    assert direct != kept, "the write changes a year figure"
    assert dashboard.cached_year_figures(month_starts, TODAY) == (kept, as_of)  # kept until refreshed
    DashboardSnapshot.update(as_of=as_of - dt.timedelta(seconds=301)).execute()
    tasks.refresh_dashboard_when_old()  # the worker's every-minute check (immediate in tests)
    refreshed, new_as_of = dashboard.cached_year_figures(month_starts, TODAY)
    assert refreshed == direct and new_as_of > as_of - dt.timedelta(seconds=301)


def test_page_shows_old_figures_with_their_time_until_the_worker_refreshes(app, base, manager_client,
                                                                           make_record):
    first = manager_client.get("/admin/").get_data(as_text=True)
    assert _shown(first, "resolution-rate") == "50.0%"
    make_record(Complaint, customer=base[0], received_at=THIS_MONTH, status="closed")
    stale = manager_client.get("/admin/").get_data(as_text=True)
    assert _shown(stale, "resolution-rate") == "50.0%"
    assert _shown(stale, "as-of") == _shown(first, "as-of")
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", _shown(stale, "as-of"))
    tasks.refresh_dashboard_when_old()  # younger than DASHBOARD_CACHE_SECONDS: left alone
    assert _shown(manager_client.get("/admin/").get_data(as_text=True), "resolution-rate") == "50.0%"
    DashboardSnapshot.update(as_of=dt.datetime.now() - dt.timedelta(seconds=301)).execute()
    tasks.refresh_dashboard_when_old()
    assert _shown(manager_client.get("/admin/").get_data(as_text=True), "resolution-rate") == "66.7%"  # 2 of 3


def test_before_the_worker_has_computed_them_the_page_says_so_and_asks_once(app, base, manager_client,
                                                                            monkeypatch):
    """No page reads a year of records: the first one shows the current counts and queues the computation."""
    asked = []
    monkeypatch.setattr(tasks, "refresh_dashboard", lambda *a, **k: asked.append(a))
    monkeypatch.setattr(dashboard, "_asked", -60.0)
    monkeypatch.setattr(tasks.huey, "immediate", False)
    liveness.claim("send_outbox", "minute")  # a worker is running: it claimed this minute's outbox run
    for language in ("zh", "en"):
        page = manager_client.get(f"/admin/?lang={language}").get_data(as_text=True)
        assert 'id="resolution-rate"' not in page and 'data-endpoint="complaint"' in page
        assert ("正在后台计算" if language == "zh" else "being computed in the background") in page
    assert len(asked) == 1  # once a minute per process, not once per page
    assert DashboardSnapshot.select().count() == 0


def test_without_a_running_worker_the_page_computes_the_figures_once(app, base, manager_client, monkeypatch):
    """A server started without its worker still shows the year's figures, not "being computed" for ever."""
    asked = []
    monkeypatch.setattr(tasks, "refresh_dashboard", lambda *a, **k: asked.append(a))
    monkeypatch.setattr(dashboard, "_asked", -60.0)
    monkeypatch.setattr(tasks.huey, "immediate", False)
    gone = dt.datetime.now() - dt.timedelta(minutes=10)  # the worker's last periodic run, then it stopped
    PeriodicClaim.create(name="send_outbox", slot=f"{gone:%Y-%m-%dT%H:%M}", created_at=gone)
    page = manager_client.get("/admin/?lang=zh").get_data(as_text=True)
    assert "正在后台计算" not in page
    assert _shown(page, "resolution-rate") == "50.0%"
    assert DashboardSnapshot.select().count() == 1  # kept: the next page reads it
    english = manager_client.get("/admin/?lang=en").get_data(as_text=True)
    assert "as of" in _shown(english, "as-of") and _shown(english, "resolution-rate") == "50.0%"


def test_without_a_worker_a_database_refusing_the_write_still_shows_the_figures(app, base, manager_client,
                                                                                 monkeypatch):
    """A read-only or locked database: the page shows what it computed rather than an error page."""
    import peewee as pw

    def refuse(*_args, **_kwargs):
        raise pw.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(tasks, "refresh_dashboard", lambda *a, **k: None)
    monkeypatch.setattr(tasks.huey, "immediate", False)
    monkeypatch.setattr(snapshot, "save", refuse)
    response = manager_client.get("/admin/?lang=zh")
    assert response.status_code == 200
    assert _shown(response.get_data(as_text=True), "resolution-rate") == "50.0%"


def test_snapshot_keeps_one_period_and_reads_back_the_same_shapes(app, base):
    month_starts = dashboard.months(TODAY)
    snapshot.save("old", lambda: {"grades": {}})
    figures, _as_of = snapshot.save(dashboard.period_key(month_starts, TODAY),
                                    lambda: dashboard.year_figures(month_starts, TODAY))
    assert figures == dashboard.year_figures(month_starts, TODAY)
    assert [row.period for row in DashboardSnapshot.select()] == [dashboard.period_key(month_starts, TODAY)]


def test_a_changed_denominator_setting_is_a_new_period(app, base):
    from admin_app.services.settings import store

    month_starts = dashboard.months(TODAY)
    before = dashboard.period_key(month_starts, TODAY)
    store.save({"complaint_rate_denominator": "all"})
    assert dashboard.period_key(month_starts, TODAY) != before


def test_a_starting_worker_computes_the_figures_before_any_page_asks(app, base):
    from admin_app.services.jobs.queue import huey

    assert DashboardSnapshot.select().count() == 0
    huey._startup["warm_dashboard"]()  # what each consumer worker runs when it starts
    month_starts = dashboard.months(TODAY)
    kept = snapshot.load(dashboard.period_key(month_starts, TODAY))
    assert kept is not None and kept[0] == dashboard.year_figures(month_starts, TODAY)
