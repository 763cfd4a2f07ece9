"""Working-day arithmetic over weekends and the configurable holiday calendar, and the service deadlines.

The calendar is the Holiday table: a row of kind "holiday" takes a day off, a row of kind "workday" makes a
weekend day a working day (China's adjusted working weekends, 调休). Every other Monday-Friday is a working day.
"""
import datetime as dt

from flask import g, has_request_context

from admin_app.services.settings import store
from models import Customer, db
from models.workflow import CoreArea, Holiday

#: the widest stretch of consecutive days off the arithmetic will look through (Spring Festival is ~9)
MAX_SPAN = 60


def load_calendar(start, end):
    """Return {date: kind} of the calendar exceptions between two dates, inclusive."""
    if has_request_context():
        # lists compute a deadline per row: read the (small) calendar once per request
        if "workday_calendar" not in g:
            g.workday_calendar = {row.day: row.kind for row in Holiday.select(Holiday.day, Holiday.kind)}
        return {day: kind for day, kind in g.workday_calendar.items() if start <= day <= end}
    rows = Holiday.select(Holiday.day, Holiday.kind).where(Holiday.day.between(start, end))
    return {row.day: row.kind for row in rows}


def is_workday(day, calendar):
    """Tell whether a date is a working day under a {date: kind} calendar."""
    kind = calendar.get(day)
    if kind is not None:
        return kind == "workday"
    return day.weekday() < 5


def add_workdays(start, count, calendar=None):
    """Return the date `count` working days after `start` (the start day itself does not count)."""
    calendar = load_calendar(start, start + dt.timedelta(days=count * 7 + MAX_SPAN)) if calendar is None else calendar
    day, left = start, count
    while left > 0:
        day += dt.timedelta(days=1)
        if is_workday(day, calendar):
            left -= 1
    return day


def workdays_between(start, end, calendar=None):
    """Return how many working days lie after `start` up to and including `end`."""
    calendar = load_calendar(start, end) if calendar is None else calendar
    days = (end - start).days
    return sum(is_workday(start + dt.timedelta(days=i), calendar) for i in range(1, days + 1))


def latest_start(today, count, calendar=None, strict=True):
    """Return the latest start date whose deadline (`count` working days later) is before `today`.

    With strict=False: the latest start whose deadline is on or before `today`. Deadlines only grow with
    the start date, so `start <= latest_start(...)` is the SQL condition for "overdue" / "due by today".
    """
    low = today - dt.timedelta(days=count * 7 + MAX_SPAN)
    calendar = load_calendar(low, today + dt.timedelta(days=1)) if calendar is None else calendar
    day = today
    while day > low:
        due = add_workdays(day, count, calendar)
        if due < today or (not strict and due == today):
            return day
        day -= dt.timedelta(days=1)
    return low


def _as_date(value):
    return value.date() if isinstance(value, dt.datetime) else value


def investigation_due(received_at, calendar=None):
    """Return the date a complaint's investigation is due: N working days after receipt (seed 002 第五篇: 3).

    3個工作日內: 以内 includes the number, so the 3rd working day itself is still in time.
    """
    return add_workdays(_as_date(received_at), store.get("complaint_investigation_workdays"), calendar)


def is_core_area(region, core_areas=None):
    """Tell whether a region is in the configured core areas."""
    if not region:
        return False
    if core_areas is None:
        core_areas = {row.region for row in CoreArea.select(CoreArea.region)}
    return region.strip() in core_areas


def response_due(received_at, region=None, core_areas=None):
    """Return when a repair must be answered: 24 clock hours after receipt, 12 in a core area (002 第一篇; settings)."""
    hours = store.get("repair_response_core_hours" if is_core_area(region, core_areas) else "repair_response_hours")
    return received_at + dt.timedelta(hours=hours)


def customer_region(customer_id):
    """Return the region of a customer, or None."""
    row = Customer.select(Customer.region).where(Customer.id == customer_id).first()
    return row.region if row else None


def official_calendar(year):
    """Return [(date, kind, name)] of China's official holidays and adjusted working days for a year."""
    import chinese_calendar

    rows = [(day, "holiday", _bilingual(name)) for day, name in chinese_calendar.holidays.items()
            if day.year == year and day.weekday() < 5]
    rows += [(day, "workday", _bilingual(name)) for day, name in chinese_calendar.workdays.items()
             if day.year == year and day.weekday() >= 5]
    return sorted(rows)


def _bilingual(name):
    """Return a package holiday name as '国庆节 National Day' (it names them in English only)."""
    from chinese_calendar.constants import Holiday as Official

    chinese = {member.value: member.chinese for member in Official}.get(str(name))
    return f"{chinese} {name}" if chinese else str(name)


def seed_official_calendar(year):
    """Insert the official calendar of a year into the Holiday table, keeping rows already there; return the count."""
    rows = official_calendar(year)
    if not rows:
        return 0
    existing = {row.day for row in Holiday.select(Holiday.day).where(Holiday.day.between(rows[0][0], rows[-1][0]))}
    new = [{"day": day, "kind": kind, "name": name} for day, kind, name in rows if day not in existing]
    with db.atomic():
        if new:
            Holiday.insert_many(new).execute()
    return len(new)
