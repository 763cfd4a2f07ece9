"""Shared helpers of the demo generator: reference data, covering picks, timelines, texts."""
import datetime as dt
import json
from collections import defaultdict
from functools import cache
from pathlib import Path

REFERENCE = Path(__file__).parent / "reference"
#: the furthest back a demo record goes (about 18 months)
MAX_AGE_HOURS = 540 * 24


@cache
def reference(name):
    """Return the parsed reference file seeds/reference/<name>.json."""
    return json.loads((REFERENCE / f"{name}.json").read_text(encoding="utf-8"))


class _Blank(dict):
    def __missing__(self, key):
        return ""


def fill(template, **values):
    """Return a text template with its {placeholders} filled, unknown ones left empty."""
    return template.format_map(_Blank(values))


class Picker:
    """Random choices that first walk through every value once, so even a small set covers them all."""

    def __init__(self, rng):
        self.rng = rng
        self.seen = defaultdict(int)

    def cover(self, key, values, weights=None):
        """Return the next unseen value of this key, or a (weighted) random one once all were seen."""
        values = list(values)
        count = self.seen[key]
        self.seen[key] += 1
        if count < len(values):
            return values[count]
        return self.rng.choices(values, weights=weights)[0]

    def chance(self, probability):
        """Return True with the given probability."""
        return self.rng.random() < probability

    def between(self, low, high):
        """Return a random float between low and high."""
        return self.rng.uniform(low, high)


def codes(choices):
    """Return the stored values of a choice list."""
    return [code for code, _label in choices]


def add_working_days(day, count, calendar=None):
    """Return the date count working days after day; calendar maps dates to "holiday" or "workday"."""
    calendar = calendar or {}
    while count > 0:
        day += dt.timedelta(days=1)
        if calendar.get(day, "workday" if day.weekday() < 5 else "holiday") == "workday":
            count -= 1
    return day


def office_hour(rng, day):
    """Return a datetime on day during office hours."""
    return dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.choice((0, 5, 10, 20, 30, 40, 45, 50))))


def timeline(rng, now, steps, since, terminal, stale=0.1):
    """Return event times: a start, then one per (low, high) hour step, all between since and now.

    Finished cases spread over the whole window; open ones are recent, a few of them stale (overdue).
    """
    gaps = [rng.uniform(low, high) for low, high in steps]
    span = sum(gaps)
    room = max(0.0, min(MAX_AGE_HOURS, (now - since).total_seconds() / 3600) - span - 1)
    if terminal:
        slack = rng.uniform(0, room)
    elif rng.random() < stale:
        slack = rng.uniform(0, min(room, 24 * 45))
    else:
        slack = rng.uniform(0, min(room, 30))
    moment = now - dt.timedelta(hours=span + slack + 0.5)
    times = []
    for gap in [0.0, *gaps]:
        moment += dt.timedelta(hours=gap)
        at = _office_time(moment)
        times.append(max(at, times[-1] + dt.timedelta(minutes=10)) if times else at)
    return times


def _office_time(moment):
    """Return the moment moved back into office hours (8:00-18:00), never later than it was."""
    moment = moment.replace(second=0, microsecond=0)
    hour = 8 + (moment.day * 7 + moment.minute) % 10  # spread over the working day, yet reproducible
    if moment.hour >= 18:
        return moment.replace(hour=hour)
    if moment.hour < 8:
        return (moment - dt.timedelta(days=1)).replace(hour=hour)
    return moment


def stages_until(order, status):
    """Return the stages of an ordered lifecycle up to and including status."""
    return order[: order.index(status) + 1]
