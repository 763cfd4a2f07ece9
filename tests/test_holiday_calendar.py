"""Working days from the first start (issue 14.1): official holidays loaded, missing years flagged, years entered."""
import datetime as dt

import pytest

from admin_app import create_app
from admin_app.services.workflow import calendar_years, deadlines, workflow_ops
from models import Complaint, Holiday
from models.settings import HolidayYear, RecomputeLog

D = dt.date
YEAR_PAGE = "/admin/holiday/year/"
THIS_YEAR = dt.date.today().year


def received(make_record, when, **values):
    record = make_record(Complaint, received_at=when, **values)
    workflow_ops.fill_deadlines(record)
    record.save()
    return Complaint.get_by_id(record.id)


def test_init_db_loads_every_official_year_so_national_day_is_off(tmp_path):
    """002 第五篇: 質量管理員應在一周內(3個工作日內)完成質量投訴的調查 — working days skip the National Day holiday.

    A fresh database: `init-db` alone, no extra command, gives a complaint received 2026-09-30 its due date after
    the holiday (1-7 October off, Saturday 10 October worked).
    """
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}", "SECRET_KEY": "t",
                      "ADMIN_PASSWORD": "first-admin-pass"})
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "Official holiday calendar" in result.output
    from admin_app.services.workflow import workdays
    from models import db

    with app.app_context(), db.connection_context():
        assert workdays.investigation_due(dt.datetime(2026, 9, 30, 10)) == D(2026, 10, 10)
        assert set(calendar_years.package_years()) <= {row.year for row in HolidayYear.select()}
        assert Holiday.get(Holiday.day == D(2026, 10, 1)).name.startswith("国庆节")
    again = app.test_cli_runner().invoke(args=["db-upgrade"])
    assert again.exit_code == 0 and "0 days added" in again.output


def test_loading_keeps_days_an_admin_changed_and_recomputes_open_due_dates(app, make_record):
    Holiday.create(day=D(2026, 10, 8), kind="holiday", name="公司假日")
    complaint = received(make_record, dt.datetime(2026, 9, 30, 10))
    assert complaint.investigation_due == D(2026, 10, 5)  # before the calendar: weekends only
    added, years = calendar_years.sync_package()
    assert added > 0 and THIS_YEAR - 1 in years
    assert Holiday.get(Holiday.day == D(2026, 10, 8)).name == "公司假日"
    assert Complaint.get_by_id(complaint.id).investigation_due == D(2026, 10, 12)  # 9, 10 (worked Sat), 12
    assert RecomputeLog.get().reason == "package"
    assert calendar_years.sync_package() == (0, [])
    assert RecomputeLog.select().count() == 1


@pytest.mark.parametrize(("role", "sees"), [("admin", True), ("manager", True), ("clerk", False),
                                            ("supervisor", False)])
def test_admins_and_managers_see_a_banner_for_a_missing_year(login_as, role, sees):
    HolidayYear.create(year=THIS_YEAR)
    client = login_as(role)
    page = client.get("/admin/mywork/").get_data(as_text=True)
    assert ('id="calendar-banner"' in page) is sees
    if sees:
        assert str(THIS_YEAR + 1) in page
    HolidayYear.create(year=THIS_YEAR + 1)
    assert 'id="calendar-banner"' not in client.get("/admin/mywork/").get_data(as_text=True)


def test_deadlines_in_a_year_without_a_calendar_are_marked_estimated(admin_client, make_record):
    HolidayYear.create(year=2026)
    estimated = received(make_record, dt.datetime(2026, 12, 30, 9))  # due in 2027
    firm = received(make_record, dt.datetime(2026, 11, 2, 9))
    page = admin_client.get("/admin/complaint/").get_data(as_text=True)
    assert page.count("due-estimated") == 1 and str(estimated.investigation_due) in page
    assert str(firm.investigation_due) in page
    assert calendar_years.is_estimated(estimated.investigation_due)


HOLIDAYS_2027 = "2027-01-01 元旦\n2027-02-06..2027-02-12 春节\n2027-10-01..2027-10-07 国庆节"


def test_an_admin_enters_a_year_and_open_due_dates_follow(admin_client, make_record):
    complaint = received(make_record, dt.datetime(2027, 2, 5, 9))  # Friday before the Spring Festival
    assert complaint.investigation_due == D(2027, 2, 10)
    response = admin_client.post(YEAR_PAGE, data={"year": "2027", "holidays": HOLIDAYS_2027,
                                                  "workdays": "2027-02-20 春节调休"})
    assert response.status_code == 302
    kinds = {h.day: h.kind for h in Holiday.select()}
    assert kinds[D(2027, 2, 8)] == "holiday" and D(2027, 2, 6) not in kinds  # weekend days stay implicit
    assert kinds[D(2027, 2, 20)] == "workday"
    assert HolidayYear.get(HolidayYear.year == 2027).source == "admin"
    # 15, 16, 17 February are the first working days after the holiday
    assert Complaint.get_by_id(complaint.id).investigation_due == D(2027, 2, 17)
    log = RecomputeLog.get()
    assert (log.reason, log.detail, log.changed, log.username) == ("year", "2027", 1, admin_client.user.username)
    page = admin_client.get(f"{YEAR_PAGE}?year=2027").get_data(as_text=True)
    assert "2027-02-08 春节" in page and 'id="year-official"' in page


@pytest.mark.parametrize(("holidays", "workdays", "message"), [
    ("2027-13-01 错", "", "不是有效日期"),
    ("2026-12-31 跨年", "", "日期不在 2027 年内"),
    ("国庆节", "", "请写日期"),
    ("", "2027-02-22 周一", "调休上班日必须是星期六或星期日"),
    ("2027-02-20 春节", "2027-02-20 调休", "同一天不能既是假日又是调休上班日"),
])
def test_bad_lines_are_refused_and_nothing_is_saved(admin_client, holidays, workdays, message):
    Holiday.create(day=D(2027, 5, 3), kind="holiday", name="劳动节")
    page = admin_client.post(YEAR_PAGE, data={"year": "2027", "holidays": holidays, "workdays": workdays})
    assert page.status_code == 200 and message in page.get_data(as_text=True)
    assert [h.day for h in Holiday.select()] == [D(2027, 5, 3)]
    assert HolidayYear.select().count() == 0 and RecomputeLog.select().count() == 0


@pytest.mark.parametrize("role", ["clerk", "technician", "supervisor"])
def test_only_managers_and_admins_enter_a_year(login_as, role):
    client = login_as(role)
    assert client.post(YEAR_PAGE, data={"year": "2027", "holidays": HOLIDAYS_2027}).status_code == 403
    assert Holiday.select().count() == 0


def test_editing_one_calendar_day_recomputes_and_logs(manager_client, make_record):
    complaint = received(make_record, dt.datetime(2026, 11, 2, 9))
    assert complaint.investigation_due == D(2026, 11, 5)
    response = manager_client.post("/admin/holiday/new/", data={"day": "2026-11-04", "kind": "holiday",
                                                                "name": "公司庆典"})
    assert response.status_code == 302
    assert Complaint.get_by_id(complaint.id).investigation_due == D(2026, 11, 6)
    assert (RecomputeLog.get().reason, RecomputeLog.get().detail) == ("day", "2026-11-04")
    assert deadlines.due_of(Complaint.get_by_id(complaint.id)) == D(2026, 11, 6)


def test_seed_holidays_marks_the_year_and_refuses_a_year_without_data(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-holidays", "--year", "2025"])
    assert result.exit_code == 0, result.output
    assert HolidayYear.get(HolidayYear.year == 2025).source == "package"
    assert RecomputeLog.get().detail == "2025"
    missing = runner.invoke(args=["seed-holidays", "--year", "2099"])
    assert missing.exit_code != 0 and "enter it in the panel" in missing.output
    assert not HolidayYear.select().where(HolidayYear.year == 2099).exists()
