"""Table tests of the grading rules (seed 004 §13/§14) and the report cadence."""
import datetime as dt
from decimal import Decimal

import pytest

from admin_app.services.grading import rules

TODAY = dt.date(2026, 11, 23)
GOOD = {"customer_type": "company", "is_wholesaler": False, "receivable": Decimal("0"),
        "trade_volume_12m": Decimal("1000000"), "staff_count": 50, "prior_incident": False,
        "bad_reputation": False, "first_trade_date": dt.date(2020, 1, 1), "designation": "B"}


def grade(settings=None, today=TODAY, **changes):
    return rules.grade_customer({**GOOD, **changes}, settings, today)


@pytest.mark.parametrize(("changes", "expected"), [
    ({}, ("B", ["designated"])),
    ({"designation": "A"}, ("A", ["designated"])),
    ({"designation": None}, ("C", ["not_designated"])),
    ({"is_wholesaler": True}, ("C", ["wholesaler"])),
    ({"is_wholesaler": True, "designation": "A"}, ("C", ["wholesaler"])),
    # receivable_high: exactly 500,000 triggers, a cent less does not (it is then above the low band)
    ({"receivable": Decimal("500000")}, ("C", ["receivable_high"])),
    ({"receivable": Decimal("499999.99")}, ("B", ["designated"])),
    ({"receivable": Decimal("600000"), "designation": "A"}, ("A", ["designated"])),
    ({"receivable": Decimal("600000"), "designation": None}, ("C", ["receivable_high", "not_designated"])),
    # receivable_ratio: up to and including 200,000, and at least half of the trade
    ({"receivable": Decimal("200000"), "trade_volume_12m": Decimal("400000")}, ("C", ["receivable_ratio"])),
    ({"receivable": Decimal("200000"), "trade_volume_12m": Decimal("400000.02")}, ("B", ["designated"])),
    ({"receivable": Decimal("200000.01"), "trade_volume_12m": Decimal("0")}, ("B", ["designated"])),
    ({"receivable": Decimal("0.01"), "trade_volume_12m": Decimal("0")}, ("C", ["receivable_ratio"])),
    ({"receivable": Decimal("0"), "trade_volume_12m": Decimal("0")}, ("B", ["designated"])),
    ({"receivable": Decimal("50000.01"), "trade_volume_12m": Decimal("100000.02")}, ("C", ["receivable_ratio"])),
    ({"receivable": Decimal("50000"), "trade_volume_12m": Decimal("100000.02")}, ("B", ["designated"])),
    # small_company: 從業人員20人以下 — 以下 includes 20, so 20 triggers and 21 does not; unknown staff never
    ({"staff_count": 20}, ("C", ["small_company"])),
    ({"staff_count": 21}, ("B", ["designated"])),
    ({"staff_count": None}, ("B", ["designated"])),
    ({"customer_type": "store", "staff_count": 500}, ("C", ["small_company"])),
    ({"customer_type": "individual", "staff_count": 1}, ("B", ["designated"])),
    ({"prior_incident": True}, ("C", ["prior_incident"])),
    ({"bad_reputation": True}, ("C", ["bad_reputation"])),
    # new_customer: the day before the first anniversary is new, the anniversary itself is not
    ({"first_trade_date": dt.date(2025, 11, 24)}, ("C", ["new_customer"])),
    ({"first_trade_date": dt.date(2025, 11, 23)}, ("B", ["designated"])),
    ({"first_trade_date": None}, ("B", ["designated"])),
    ({"is_wholesaler": True, "receivable": Decimal("700000"), "customer_type": "store", "prior_incident": True,
      "bad_reputation": True, "first_trade_date": TODAY, "designation": None},
     ("C", ["wholesaler", "receivable_high", "small_company", "prior_incident", "bad_reputation", "new_customer",
            "not_designated"])),
    ({"receivable": Decimal("100000"), "trade_volume_12m": Decimal("0"), "staff_count": 3, "designation": "A"},
     ("C", ["receivable_ratio", "small_company"])),
])
def test_grade_customer_rules(changes, expected):
    assert grade(**changes) == expected


@pytest.mark.parametrize(("first", "today", "new"), [
    (dt.date(2024, 2, 29), dt.date(2025, 2, 27), True),
    (dt.date(2024, 2, 29), dt.date(2025, 2, 28), False),
    (dt.date(2025, 12, 31), dt.date(2026, 12, 30), True),
    (dt.date(2025, 12, 31), dt.date(2026, 12, 31), False),
])
def test_first_anniversary_in_calendar_months(first, today, new):
    codes = grade(first_trade_date=first, today=today)[1]
    assert ("new_customer" in codes) is new
    assert (first > rules.new_customer_cutoff(today, 12)) is new


CHANGED = {"receivable_high": Decimal("300000"), "receivable_low": Decimal("100000"),
           "receivable_ratio": Decimal("0.2"), "small_staff": 10, "new_customer_months": 24}


@pytest.mark.parametrize(("changes", "default_grade", "changed_grade"), [
    ({"receivable": Decimal("300000")}, "B", "C"),
    ({"receivable": Decimal("150000"), "trade_volume_12m": Decimal("300000")}, "C", "B"),
    ({"receivable": Decimal("50000"), "trade_volume_12m": Decimal("250000")}, "B", "C"),
    ({"staff_count": 15}, "C", "B"),
    ({"first_trade_date": dt.date(2025, 1, 1)}, "B", "C"),
])
def test_changed_settings(changes, default_grade, changed_grade):
    assert grade(**changes)[0] == default_grade
    assert grade(CHANGED, **changes)[0] == changed_grade


def test_partial_settings_keep_other_defaults():
    assert grade({"small_staff": 60})[1] == ["small_company"]
    assert grade({"small_staff": 60}, receivable=Decimal("500000"))[1] == ["receivable_high", "small_company"]


def test_reasons_are_sentences_not_codes():
    for code in rules.REASON_CODES:
        text = rules.reason_text(code)
        assert text != code and text.endswith(".")
    both = rules.reason_text("wholesaler") + " " + rules.reason_text("not_designated")
    assert rules.reasons_text("wholesaler,not_designated") == both


@pytest.mark.parametrize(("grade_", "today", "due"), [
    ("A", dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
    ("A", dt.date(2026, 4, 1), dt.date(2026, 9, 30)),
    ("A", dt.date(2026, 10, 1), dt.date(2027, 3, 31)),
    ("A", dt.date(2026, 12, 31), dt.date(2027, 3, 31)),
    ("B", dt.date(2026, 11, 15), dt.date(2027, 1, 31)),
    ("B", dt.date(2026, 10, 31), dt.date(2026, 10, 31)),
    ("B", dt.date(2027, 2, 1), dt.date(2027, 4, 30)),
    ("C", dt.date(2026, 12, 31), dt.date(2026, 12, 31)),
    ("C", dt.date(2027, 1, 1), dt.date(2027, 1, 31)),
    ("C", dt.date(2028, 2, 3), dt.date(2028, 2, 29)),
])
def test_next_report_due_across_year_end(grade_, today, due):
    assert rules.next_report_due(grade_, today) == due


@pytest.mark.parametrize(("month", "grades"), [(1, ["B", "C"]), (3, ["A", "C"]), (2, ["C"]), (10, ["B", "C"])])
def test_grades_due_in_month(month, grades):
    assert rules.grades_due_in(2026, month) == grades
