"""The set-based recompute agrees with grade_customer row by row and writes history in one go."""
import datetime as dt
import random
from decimal import Decimal

import pytest

from admin_app.services.grading import grading_sql, rules
from models import Customer, GradeHistory

TODAY = dt.date(2026, 11, 23)
MONEY = [Decimal(v) for v in ("0", "0.01", "1", "99999.99", "100000", "100000.01", "150000", "199999.99",
                              "200000", "200000.01", "250000", "499999.99", "500000", "500000.01", "900000")]
TRADES = [Decimal(v) for v in ("0", "1", "199999.98", "200000", "300000", "399999.98", "400000", "400000.02",
                               "1000000", "5000000")]
FIRST_DATES = [None, dt.date(2025, 11, 23), dt.date(2025, 11, 24), dt.date(2025, 11, 22), dt.date(2024, 2, 29),
               dt.date(2024, 2, 28), dt.date(2024, 3, 1), dt.date(2025, 12, 31), dt.date(2026, 1, 1),
               dt.date(2026, 1, 31), dt.date(2019, 6, 1), dt.date(2026, 11, 23)]


def random_facts(rng):
    """Return varied customer facts that land on and around every boundary."""
    return {
        "name": f"样本{rng.randrange(10**9)}",
        "customer_type": rng.choice(["individual", "company", "company", "store"]),
        "is_wholesaler": rng.random() < 0.1,
        "receivable": rng.choice(MONEY),
        "trade_volume_12m": rng.choice(TRADES),
        "staff_count": rng.choice([None, 0, 5, 19, 20, 21, 300]),
        "prior_incident": rng.random() < 0.1,
        "bad_reputation": rng.random() < 0.1,
        "first_trade_date": rng.choice(FIRST_DATES),
        "designation": rng.choice([None, None, "A", "B"]),
    }


SETTINGS = [None, {"receivable_high": Decimal("250000"), "receivable_low": Decimal("100000"),
                   "receivable_ratio": Decimal("0.125"), "small_staff": 21, "new_customer_months": 24}]


@pytest.mark.parametrize(("settings", "today"), [(SETTINGS[0], TODAY), (SETTINGS[1], TODAY),
                                                 (None, dt.date(2025, 2, 28)), (None, dt.date(2026, 12, 31))])
def test_set_based_recompute_equals_grade_customer(app, settings, today):
    rng = random.Random(4)
    customers = [Customer.create(**random_facts(rng)) for _ in range(240)]
    result = grading_sql.apply(settings=settings, today=today)
    assert result["updated"] == len(customers)
    for customer in Customer.select():
        grade, reasons = rules.grade_customer(customer.facts(), settings, today)
        assert (customer.grade, customer.grade_reasons) == (grade, rules.join_reasons(reasons)), customer.facts()
        assert customer.next_report_due == rules.next_report_due(grade, today)


def test_preview_counts_movements_and_changes_nothing(app, make_customer):
    make_customer(designation="B")
    make_customer(designation="A", is_wholesaler=True)
    make_customer(customer_type="store")
    before = list(Customer.select(Customer.grade).tuples())
    result = grading_sql.preview(today=TODAY)
    assert {(m["old"], m["new"]): m["count"] for m in result["movements"]} == {("C", "B"): 1}
    assert result["total"] == 3 and result["reasons_only"] == 2
    assert [m["new_grade"] for m in result["movers"]] == ["B"]
    assert list(Customer.select(Customer.grade).tuples()) == before
    assert GradeHistory.select().count() == 0


def test_apply_writes_history_once_per_change(app, make_customer):
    moved = make_customer(designation="B")
    make_customer(designation="B", grade="B", grade_reasons="designated")
    first = grading_sql.apply(today=TODAY, actor=(None, "tester"))
    assert first["moved"] == 1
    entry = GradeHistory.get()
    assert (entry.customer_id, entry.old_grade, entry.new_grade, entry.reasons, entry.username) == (
        moved.id, "C", "B", "designated", "tester")
    grading_sql.apply(today=TODAY)
    assert GradeHistory.select().count() == 1


def test_apply_limited_to_query(app, make_customer):
    inside = make_customer(designation="B")
    outside = make_customer(designation="B")
    grading_sql.apply(Customer.select().where(Customer.id == inside.id), today=TODAY)
    assert Customer.get_by_id(inside.id).grade == "B"
    assert Customer.get_by_id(outside.id).grade == "C"


def test_designate_regrades_and_records_remark(app, make_customer):
    good = make_customer()
    watched = make_customer(prior_incident=True)
    count = grading_sql.designate([good.id, watched.id], "A", "一流企业", actor=(None, "boss"), today=TODAY)
    assert count == 2
    assert Customer.get_by_id(good.id).grade == "A"
    assert Customer.get_by_id(watched.id).grade == "C"
    rows = {h.customer_id: h for h in GradeHistory.select()}
    assert rows[watched.id].reasons == "prior_incident"
    assert (rows[good.id].new_grade, rows[good.id].remark, rows[good.id].source) == ("A", "一流企业", "designation")


@pytest.mark.parametrize("remark", ["", "   "])
def test_designate_requires_remark(app, make_customer, remark):
    customer = make_customer()
    with pytest.raises(ValueError):
        grading_sql.designate([customer.id], "A", remark)
    assert Customer.get_by_id(customer.id).designation is None
