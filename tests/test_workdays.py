"""Working-day arithmetic and the service deadlines."""
import datetime as dt

import pytest

from admin_app.services.workflow import workdays
from models import Complaint, Repair
from models.workflow import CoreArea, Holiday

D = dt.date
# a constructed National Day calendar: Oct 1-7 off, Sunday Sep 27 and Saturday Oct 10 worked
NATIONAL_DAY = {**{D(2026, 10, d): "holiday" for d in (1, 2, 5, 6, 7)},
                D(2026, 9, 27): "workday", D(2026, 10, 10): "workday"}
NEW_YEAR = {D(2026, 12, 31): "holiday", D(2027, 1, 1): "holiday", D(2027, 1, 4): "workday"}


@pytest.mark.parametrize(("start", "count", "calendar", "expected"), [
    (D(2026, 11, 2), 3, {}, D(2026, 11, 5)),  # Monday -> Thursday
    (D(2026, 11, 6), 3, {}, D(2026, 11, 11)),  # Friday -> Wednesday, over the weekend
    (D(2026, 11, 7), 1, {}, D(2026, 11, 9)),  # received on Saturday -> Monday
    (D(2026, 9, 30), 3, NATIONAL_DAY, D(2026, 10, 10)),  # over National Day: 8th, 9th, adjusted Saturday
    (D(2026, 9, 25), 1, NATIONAL_DAY, D(2026, 9, 27)),  # Friday -> the adjusted working Sunday
    (D(2026, 10, 9), 1, NATIONAL_DAY, D(2026, 10, 10)),  # Friday -> adjusted working Saturday
    (D(2026, 12, 30), 3, NEW_YEAR, D(2027, 1, 6)),  # across the year end with holidays
    (D(2026, 12, 30), 3, {}, D(2027, 1, 4)),  # across the year end, weekends only
    (D(2026, 12, 31), 0, {}, D(2026, 12, 31)),
])
def test_add_workdays(start, count, calendar, expected):
    assert workdays.add_workdays(start, count, calendar) == expected


@pytest.mark.parametrize(("day", "calendar", "expected"), [
    (D(2026, 11, 7), {}, False), (D(2026, 11, 9), {}, True),
    (D(2026, 10, 1), NATIONAL_DAY, False), (D(2026, 9, 27), NATIONAL_DAY, True),
])
def test_is_workday(day, calendar, expected):
    assert workdays.is_workday(day, calendar) is expected


def test_workdays_between_counts_only_working_days():
    assert workdays.workdays_between(D(2026, 9, 30), D(2026, 10, 10), NATIONAL_DAY) == 3  # 9/30 excl.: 8, 9, 10


def test_latest_start_is_the_boundary_of_overdue():
    today = D(2026, 11, 11)  # Wednesday
    cutoff = workdays.latest_start(today, 3, {})
    assert workdays.add_workdays(cutoff, 3, {}) < today
    assert workdays.add_workdays(cutoff + dt.timedelta(days=1), 3, {}) >= today
    due_by_today = workdays.latest_start(today, 3, {}, strict=False)
    assert workdays.add_workdays(due_by_today, 3, {}) == today


def test_calendar_is_read_from_the_holiday_table(app):
    Holiday.create(day=D(2026, 11, 3), kind="holiday", name="公司庆典")
    Holiday.create(day=D(2026, 11, 7), kind="workday", name="调休")
    assert workdays.add_workdays(D(2026, 11, 2), 3) == D(2026, 11, 6)  # 4, 5, 6 — Tuesday off
    assert workdays.add_workdays(D(2026, 11, 5), 2) == D(2026, 11, 7)  # 6, Saturday worked


def test_official_calendar_seeds_holidays_and_adjusted_workdays(app):
    added = workdays.seed_official_calendar(2026)
    kinds = {h.day: h.kind for h in Holiday.select()}
    assert added == len(kinds) > 10
    assert kinds[D(2026, 10, 1)] == "holiday"
    assert kinds[D(2026, 9, 20)] == kinds[D(2026, 10, 10)] == "workday"  # the official 2026 调休 weekends
    assert all(d.weekday() < 5 for d, k in kinds.items() if k == "holiday")
    assert workdays.seed_official_calendar(2026) == 0  # idempotent, panel edits are kept


def test_complaint_investigation_due_three_working_days(app):
    assert workdays.investigation_due(dt.datetime(2026, 11, 6, 17, 30), {}) == D(2026, 11, 11)


@pytest.mark.parametrize(("region", "hours"), [("上海", 12), ("兰州", 24), (None, 24)])
def test_repair_response_due_by_region(app, region, hours):
    CoreArea.create(region="上海")
    received = dt.datetime(2026, 11, 6, 9, 0)
    assert workdays.response_due(received, region) == received + dt.timedelta(hours=hours)


def test_deadlines_set_when_a_clerk_creates_records(app, clerk_client, make_customer):
    CoreArea.create(region="北京")
    customer = make_customer(region="北京")
    common = {"customer": customer.id, "channel": "phone", "received_at": "2026-11-06 10:00:00"}
    response = clerk_client.post("/admin/complaint/new/", data={
        **common, "complainant": "张三", "complaint_type": "product_quality", "nature": "valid",
        "severity": "medium", "content": "漏水"})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    assert Complaint.get().investigation_due == D(2026, 11, 11)
    assert Complaint.get().owner_id == clerk_client.user.id  # every workflow record gets an owner
    response = clerk_client.post("/admin/repair/new/", data={
        "customer": customer.id, "reporter": "李四", "product_name": "净水器", "fault_reported": "不出水",
        "received_at": "2026-11-06 10:00:00", "warranty_status": "in_warranty"})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    assert Repair.get().response_due == dt.datetime(2026, 11, 6, 22, 0)
