"""KPI figures against the seed targets, compared exactly (unrounded fractions, never the rounded percentage).

79.99% does not meet ≥ 80%; 2.04% does not meet ≤ 2%. Targets, the complaint-rate denominator and what a
regular customer is (activity within N months) are rule settings.
"""
import datetime as dt
from decimal import ROUND_DOWN, ROUND_UP, Decimal
from fractions import Fraction

import peewee as pw
from dateutil.relativedelta import relativedelta

from admin_app.services.settings import registry, store
from models import ArchiveRecord, Complaint, Customer, Feedback, Repair, ReturnExchange

#: the date each record type's activity is dated by (as the dashboard's complaint rate counts it)
ACTIVITY_DATES = ((Feedback, "feedback_date"), (Complaint, "received_at"), (Repair, "received_at"),
                  (ReturnExchange, "created_at"), (ArchiveRecord, "entry_date"))
RESPONSE_TARGETS = ("target_response_q4", "target_response_opinion", "target_response_survey")


def exact_percent(part, whole):
    """Return part ÷ whole × 100 as an exact Fraction, or None when whole is 0."""
    return Fraction(part * 100, whole) if whole else None


def meets(part, whole, target, bound):
    """Tell whether part/whole meets a target percentage under bound '≥' or '≤'; None without data."""
    rate = exact_percent(part, whole)
    if rate is None:
        return None
    target = Fraction(Decimal(str(target)))
    return rate >= target if bound == "≥" else rate <= target


def shown(part, whole, bound):
    """Return the rate as text with two decimals, rounded away from the target's side ('79.99%', '2.05%')."""
    rate = exact_percent(part, whole)
    if rate is None:
        return "—"
    value = Decimal(rate.numerator) / Decimal(rate.denominator)
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_DOWN if bound == '≥' else ROUND_UP)}%"


def activity_ids(first, last):
    """Return a query of the distinct ids of customers with any record dated between two dates (inclusive)."""
    start, end = dt.datetime.combine(first, dt.time()), dt.datetime.combine(last, dt.time(23, 59, 59))
    union = None
    for model, name in ACTIVITY_DATES:
        column = getattr(model, name)
        bounds = (start, end) if isinstance(column, pw.DateTimeField) else (first, last)
        query = model.select(model.customer.alias("cid")).where(column.between(*bounds))
        union = query if union is None else union | query  # UNION removes duplicates
    return union


def complaint_rate_customers(first, last, active_count):
    """Return the complaint rate's denominator under the setting: active customers (given) or all on file."""
    if store.get("complaint_rate_denominator") == "all":
        return Customer.select().count()
    return active_count() if callable(active_count) else active_count


def survey_coverage(today=None):
    """Return (regular customers surveyed, regular customers) over the regular-customer window.

    Regular customer (常住户, 004 第5篇 4.3.4 a): any activity within the last N months (setting, default 12);
    surveyed: invited to a survey within the same window.
    """
    from models.survey import Invitation, SurveyBatch

    today = today or dt.date.today()
    first = today - relativedelta(months=store.get("regular_customer_months"))
    regular = activity_ids(first, today)
    total = regular.count()  # UNION keeps each id once, and every record's customer exists (foreign key)
    since = dt.datetime.combine(first, dt.time())
    surveyed = (Invitation.select(Invitation.customer).join(SurveyBatch)
                .where(SurveyBatch.created_at >= since, Invitation.customer.in_(regular)).distinct().count())
    return surveyed, total


def response_counts(first, last):
    """Return (answered, sent) of the invitations of the survey batches created between two dates."""
    from models.survey import Invitation, SurveyBatch

    start, end = dt.datetime.combine(first, dt.time()), dt.datetime.combine(last, dt.time(23, 59, 59))
    return (Invitation.select(pw.fn.COUNT(Invitation.answered_at), pw.fn.COUNT(Invitation.id)).join(SurveyBatch)
            .where(SurveyBatch.created_at.between(start, end)).tuples().get())


def row(key, part, whole):
    """Return one KPI line: the setting, the figures, the rate as shown, and whether the target is met."""
    setting = registry.BY_KEY[key]
    target = store.get(key)
    return {"key": key, "label": setting.label, "seed": setting.seed, "bound": setting.bound,
            "target": store.fmt(target), "part": part, "whole": whole,
            "shown": shown(part, whole, setting.bound), "met": meets(part, whole, target, setting.bound)}


def kpi_rows(figures, today=None):
    """Return the KPI lines of the dashboard period: resolution, complaint rate, satisfaction, responses, coverage."""
    closed, received, _rate = figures["resolution"]
    complaints, customers, _rate = figures["complaint_rate"]
    satisfaction = figures.get("satisfaction") or []
    satisfied, returned = sum(s for s, _t, _r in satisfaction), sum(t for _s, t, _r in satisfaction)
    answered, sent = figures.get("responses") or response_counts(figures["first"], figures["last"])
    rows = [row("target_resolution", closed, received), row("target_complaint_rate", complaints, customers),
            row("target_satisfaction", satisfied, returned)]
    rows += [row(key, answered, sent) for key in RESPONSE_TARGETS]
    return [*rows, row("target_survey_coverage", *(figures.get("coverage") or survey_coverage(today)))]
