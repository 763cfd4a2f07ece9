"""Customer credit grade A/B/C by seed 004 §13/§14: the rules as plain functions.

`grade_customer` is the one definition of the rules; the set-based SQL in
`admin_app.services.grading.grading_sql` is built from the same thresholds and is tested to agree with it.
"""
import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l

#: the seed's thresholds; an admin changes them on the rule settings page (keys there: "grading_" + name)
DEFAULT_SETTINGS = {
    "receivable_high": Decimal("500000"),  # 達50萬元以上: at or above
    "receivable_low": Decimal("200000"),  # 達20萬元或未滿: at or below
    "receivable_ratio": Decimal("0.5"),
    "small_staff": 20,  # 20人以下: 以下 includes the number, so 20 staff or fewer
    "new_customer_months": 12,  # 一年間: C until the first anniversary of the first trade
}
SETTING_NAMES = tuple(DEFAULT_SETTINGS)

#: reason codes in the order they are listed to users (triggers first, in the seed's order)
TRIGGERS = ("wholesaler", "receivable_high", "receivable_ratio", "small_company", "prior_incident",
            "bad_reputation", "new_customer")
REASON_CODES = (*TRIGGERS, "designated", "not_designated")
REASONS = {
    "wholesaler": _l("Intermediate wholesaler: watched whatever its size."),
    "receivable_high": _l("Outstanding receivable at or above the high threshold and not designated A."),
    "receivable_ratio": _l("Outstanding receivable up to the low threshold but large relative to its trade "
                           "with us."),
    "small_company": _l("A store, or a company with no more staff than the small-company limit."),
    "prior_incident": _l("Has a prior incident (bounced cheque, default)."),
    "bad_reputation": _l("Has a bad reputation."),
    "new_customer": _l("Newly developed customer, still in its first period of trade."),
    "designated": _l("Designated by the sales supervisor; no rule makes it C."),
    "not_designated": _l("Not designated A or B by the sales supervisor."),
}

#: report months per grade (seed: A every 6 months, B every 3 months, C every month)
REPORT_MONTHS = {"A": (3, 9), "B": (1, 4, 7, 10), "C": tuple(range(1, 13))}
GRADES = ("A", "B", "C")
DESIGNATIONS = ("A", "B")
CENT = Decimal("0.01")
MAX_RATIO_PLACES = 3


def settings_with_defaults(settings=None):
    """Return the complete thresholds: the defaults overridden by `settings`."""
    merged = dict(DEFAULT_SETTINGS)
    merged.update({k: v for k, v in (settings or {}).items() if k in DEFAULT_SETTINGS and v is not None})
    for name in ("receivable_high", "receivable_low", "receivable_ratio"):
        merged[name] = to_decimal(merged[name])
    merged["small_staff"] = int(merged["small_staff"])
    merged["new_customer_months"] = int(merged["new_customer_months"])
    return merged


def to_decimal(value):
    """Return a money or ratio value as Decimal (None counts as 0)."""
    if value is None:
        return Decimal(0)
    return value if isinstance(value, Decimal) else Decimal(str(value))


def cents(value):
    """Return a money amount in whole cents, rounded half away from zero like SQL ROUND."""
    return int((to_decimal(value) / CENT).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def ratio_fraction(ratio):
    """Return the ratio as (numerator, denominator) integers, exact to MAX_RATIO_PLACES decimals."""
    denominator = 10 ** MAX_RATIO_PLACES
    return int((to_decimal(ratio) * denominator).quantize(Decimal(1), rounding=ROUND_HALF_UP)), denominator


def add_months(day, months):
    """Return the same day `months` calendar months later, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def new_customer_cutoff(today, months):
    """Return the latest first-trade date that is no longer new on `today` (new means a later date)."""
    cutoff = add_months(today, -months)
    # Clamping (e.g. 29 Feb + 12 months = 28 Feb) can let a few later days expire too.
    while add_months(cutoff + dt.timedelta(days=1), months) <= today:
        cutoff += dt.timedelta(days=1)
    return cutoff


def _is_designated(facts):
    return facts.get("designation") in DESIGNATIONS


def _receivable_ratio(receivable, trade, cfg):
    numerator, denominator = ratio_fraction(cfg["receivable_ratio"])
    return 0 < receivable <= cents(cfg["receivable_low"]) and receivable * denominator >= numerator * trade


def _small_company(facts, cfg):
    if facts.get("customer_type") == "store":
        return True
    staff = facts.get("staff_count")
    return facts.get("customer_type") == "company" and staff is not None and int(staff) <= cfg["small_staff"]


def _new_customer(facts, cfg, today):
    first = facts.get("first_trade_date")
    if isinstance(first, dt.datetime):
        first = first.date()
    return first is not None and today < add_months(first, cfg["new_customer_months"])


def triggers(facts, settings=None, today=None):
    """Return the codes of the rules that make this customer C, in the seed's order."""
    cfg = settings_with_defaults(settings)
    today = today or dt.date.today()
    receivable, trade = cents(facts.get("receivable")), cents(facts.get("trade_volume_12m"))
    checks = {
        "wholesaler": bool(facts.get("is_wholesaler")),
        "receivable_high": receivable >= cents(cfg["receivable_high"]) and facts.get("designation") != "A",
        "receivable_ratio": _receivable_ratio(receivable, trade, cfg),
        "small_company": _small_company(facts, cfg),
        "prior_incident": bool(facts.get("prior_incident")),
        "bad_reputation": bool(facts.get("bad_reputation")),
        "new_customer": _new_customer(facts, cfg, today),
    }
    return [code for code in TRIGGERS if checks[code]]


def grade_customer(facts, settings=None, today=None):
    """Return (grade, reason codes) for one customer's facts under the given thresholds."""
    found = triggers(facts, settings, today)
    designated = _is_designated(facts)
    if found:
        return "C", found if designated else [*found, "not_designated"]
    if designated:
        return facts["designation"], ["designated"]
    return "C", ["not_designated"]


def join_reasons(codes):
    """Return reason codes as the comma-separated text stored on the customer."""
    return ",".join(codes)


def split_reasons(text):
    """Return the reason codes stored as comma-separated text."""
    return [code for code in (text or "").split(",") if code]


def reason_text(code):
    """Return the translated sentence explaining one reason code."""
    return str(REASONS.get(code, code))


def reasons_text(codes, separator=" "):
    """Return the translated sentences for reason codes (a list or the stored text)."""
    if isinstance(codes, str):
        codes = split_reasons(codes)
    return separator.join(reason_text(code) for code in codes)


def report_months(grade):
    """Return the months in which a customer of this grade is reported."""
    return REPORT_MONTHS.get(grade, REPORT_MONTHS["C"])


def month_end(year, month):
    """Return the last day of a month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def next_report_due(grade, today=None):
    """Return the next report due date: the last day of the first report month on or after today.

    The seed (004 §13 定期报告 (三)) has reports handed to the sales supervisor at each month's end,
    so a report is due on the last day of its month; a month in progress still counts.
    """
    today = today or dt.date.today()
    months = report_months(grade)
    for step in range(12):
        year, month = divmod(today.year * 12 + today.month - 1 + step, 12)
        if month + 1 in months:
            return month_end(year, month + 1)
    raise ValueError(grade)


def grades_due_in(year, month):
    """Return the grades whose report is due in a given month."""
    return [grade for grade in GRADES if month in report_months(grade)]
