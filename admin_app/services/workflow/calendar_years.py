"""Which years have an official holiday schedule, loading the package's years, and an admin entering a year.

A year counts as official when the chinese-calendar package has it (loaded at `init-db` and every upgrade) or an
admin entered it in the panel. Deadlines falling in any other year are estimates (weekends only).
"""
import datetime as dt
import re

from flask import g, has_request_context
from flask_babel import lazy_gettext as _l

from admin_app.db import write_transaction
from admin_app.services.workflow import recompute, workdays
from models import Holiday
from models.prepared import Prepared
from models.settings import HolidayYear

_LINE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})(?:\s*(?:\.\.|~|至|—|-{2})\s*(\d{4}-\d{1,2}-\d{1,2}))?\s*(.*)$")
MAX_RANGE_DAYS = 31


#: the years with an official schedule, read on every page of admins and managers (the banner): SQL built once
_YEARS = Prepared(lambda: HolidayYear.select(HolidayYear.year), 0)


def package_years():
    """Return the years the chinese-calendar package covers, oldest first."""
    import chinese_calendar

    return sorted({day.year for day in chinese_calendar.holidays})


def official_years():
    """Return the set of years with an official schedule (read once per request)."""
    if has_request_context() and "holiday_years" in g:
        return g.holiday_years
    years = {year for (year,) in _YEARS.cursor().fetchall()}
    if has_request_context():
        g.holiday_years = years
    return years


def missing_years(today=None):
    """Return the years among this one and the next that have no official schedule."""
    today = today or dt.date.today()
    return [year for year in (today.year, today.year + 1) if year not in official_years()]


def is_estimated(day):
    """Tell whether a working-day due date falls in a year without an official schedule (clock-hour ones never)."""
    if day is None or isinstance(day, dt.datetime):
        return False
    return day.year not in official_years()


def sync_package(actor=(None, "system")):
    """Load every year the package covers: add missing days (admin edits are kept), mark the years; recompute.

    Returns (days added, years newly marked). Open records' due dates are recomputed (and logged) when
    anything was added.
    """
    added, marked = 0, []
    known = {row.year for row in HolidayYear.select(HolidayYear.year)}
    with write_transaction():
        for year in package_years():
            added += workdays.seed_official_calendar(year)
            if year not in known:
                HolidayYear.create(year=year, source="package", username=actor[1])
                marked.append(year)
    if added:
        years = package_years()
        recompute.recompute_open("package", f"{years[0]}-{years[-1]}", actor)
    return added, marked


def parse_days(text, kind, year):
    """Return ([(date, name)], [errors]) from lines 'YYYY-MM-DD[..YYYY-MM-DD] name' for one year.

    An adjusted working day must be a weekend day; a holiday range keeps every day (enter_year stores weekdays).
    """
    rows, errors = [], []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        try:
            rows += _parse_line(line, kind, year)
        except ValueError as exc:
            errors.append(str(_l("Line %(n)d: %(error)s", n=number, error=str(exc.args[0]))))
    return rows, errors


def _parse_line(line, kind, year):
    match = _LINE.match(line)
    if not match:
        raise ValueError(_l("write a date as YYYY-MM-DD, or a range as YYYY-MM-DD..YYYY-MM-DD, then a name"))
    try:
        first = dt.date.fromisoformat(_padded(match.group(1)))
        last = dt.date.fromisoformat(_padded(match.group(2))) if match.group(2) else first
    except ValueError:
        raise ValueError(_l("not a valid date")) from None
    if first.year != year or last.year != year:
        raise ValueError(_l("the date is not in %(year)d", year=year))
    if last < first or (last - first).days >= MAX_RANGE_DAYS:
        raise ValueError(_l("a range runs forward and at most %(n)d days", n=MAX_RANGE_DAYS))
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    name = match.group(3).strip()[:64]
    if kind == "workday" and any(day.weekday() < 5 for day in days):
        raise ValueError(_l("an adjusted working day must be a Saturday or Sunday"))
    return [(day, name) for day in days]


def _padded(text):
    year, month, day = text.split("-")
    return f"{year}-{int(month):02d}-{int(day):02d}"


def year_text(year):
    """Return (holidays text, working days text) of a year's calendar as the entry form shows it."""
    rows = Holiday.select().where(Holiday.day.between(dt.date(year, 1, 1), dt.date(year, 12, 31))).order_by(Holiday.day)
    lines = {"holiday": [], "workday": []}
    for row in rows:
        lines[row.kind].append(f"{row.day.isoformat()} {row.name}".strip())
    return "\n".join(lines["holiday"]), "\n".join(lines["workday"])


def enter_year(year, holidays, working_days, actor=(None, "system")):
    """Replace a year's calendar with the given days, mark it official, recompute open deadlines.

    holidays / working_days: [(date, name)]. Returns how many open records changed due date.
    """
    # weekend days inside a holiday range are off anyway: only weekdays need a row
    chosen = {d: ("holiday", n) for d, n in holidays if d.weekday() < 5}
    chosen.update({d: ("workday", n) for d, n in working_days})
    rows = [{"day": d, "kind": kind, "name": n} for d, (kind, n) in sorted(chosen.items())]
    with write_transaction():
        Holiday.delete().where(Holiday.day.between(dt.date(year, 1, 1), dt.date(year, 12, 31))).execute()
        if rows:
            Holiday.insert_many(rows).execute()
        updated = HolidayYear.update(source="admin", username=actor[1]).where(HolidayYear.year == year).execute()
        if not updated:
            HolidayYear.create(year=year, source="admin", username=actor[1])
        changed = recompute.recompute_open("year", str(year), actor)
    if has_request_context():
        g.pop("holiday_years", None)
    return changed
