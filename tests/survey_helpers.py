"""Helpers shared by the survey tests: the reference questionnaire, batches and answer forms."""
import datetime as dt
import random

from admin_app.services.surveys.survey import create_batch, load_reference_questionnaire, plan_dispatch
from models import Customer

CONSENTED = {"consent_date": dt.date(2025, 1, 1), "email": "kunde@example.com"}


def dispatch(customer_ids, channel="email", percent=100, expires_on=None, seed=7, message=None):
    """Create a batch for these customers with the standard questionnaire; return it."""
    questionnaire = load_reference_questionnaire()
    plan = plan_dispatch(Customer.select().where(Customer.id.in_(customer_ids)), channel, percent)
    expires_on = expires_on or dt.date.today() + dt.timedelta(days=30)
    return create_batch(plan, questionnaire, channel, expires_on, message=message, rng=random.Random(seed))


def answer_data(questionnaire, level="very_satisfied", overall=None, **overrides):
    """Return the form data answering every item with one level."""
    data = {f"item_{item.id}": level for item in questionnaire.ordered_items()}
    data["overall"] = overall or level
    data.update(overrides)
    return data
