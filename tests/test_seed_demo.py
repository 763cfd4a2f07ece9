"""The demo data set: loaded once, complete, valid and consistent with each record's state."""
import datetime as dt
import random

import peewee as pw
import pytest
from conftest import login

from admin_app.validators import is_id_card, is_phone
from models import (
    RECORD_MODELS,
    ArchiveRecord,
    Complaint,
    Customer,
    Feedback,
    GradeHistory,
    Repair,
    ReturnExchange,
    UrgentEvent,
    User,
)
from seeds.common import Picker, add_working_days
from seeds.demo import DEFAULT_PASSWORD, STAFF, load_demo
from seeds.people import customer_row

DEMO_MODELS = [Customer, *RECORD_MODELS, UrgentEvent]
#: deadlines and retention ends lie in the future by design
FUTURE_ALLOWED = {"retention_until", "investigation_due", "response_due", "next_report_due"}


@pytest.fixture()
def demo(app):
    assert load_demo() == 240
    return app


def _values(model, field):
    return {getattr(row, field.name) for row in model.select(field).distinct()}


def _categorical_fields():
    return [(model, field) for model in DEMO_MODELS for field in model._meta.sorted_fields if field.choices]


def test_second_load_adds_nothing(demo):
    counts = {model: model.select().count() for model in [*DEMO_MODELS, User]}
    assert load_demo() == 0
    assert {model: model.select().count() for model in counts} == counts
    assert counts[Customer] == 240


def test_every_choice_of_every_categorical_field_occurs(demo):
    missing = {f"{model.__name__}.{field.name}": {code for code, _label in field.choices} - _values(model, field)
               for model, field in _categorical_fields()}
    assert {name: codes for name, codes in missing.items() if codes} == {}
    assert len(missing) > 25


def test_every_type_has_customers_and_grades_follow_the_rules(demo):
    from admin_app.services.grading.rules import grade_customer

    assert _values(Customer, Customer.customer_type) == {"individual", "company", "store"}
    for customer in Customer.select():
        grade, reasons = grade_customer(customer.facts())
        assert (customer.grade, customer.grade_reasons) == (grade, ",".join(reasons)), customer.name
        assert customer.next_report_due and customer.next_report_due >= dt.date.today()


def test_contact_data_is_valid(demo):
    individuals = Customer.select().where(Customer.customer_type == "individual")
    assert all(is_phone(c.phone) for c in Customer.select())
    for model in (Complaint, Repair):
        assert all(is_phone(phone) for (phone,) in model.select(model.contact_phone).tuples())
    cards = [c.id_card for c in individuals if c.id_card]
    assert len(cards) > 20 and all(is_id_card(card) for card in cards)
    emails = [c.email for c in Customer.select() if c.email]
    assert len(emails) > 100 and all("@" in email and "." in email.split("@")[1] for email in emails)
    assert all(c.consent_channel for c in Customer.select() if c.consent_date)


def test_no_date_in_the_future(demo):
    now, today = dt.datetime.now(), dt.date.today()
    for model in DEMO_MODELS:
        for field in model._meta.sorted_fields:
            if field.name in FUTURE_ALLOWED or not isinstance(field, pw.DateField | pw.DateTimeField):
                continue
            latest = model.select(pw.fn.MAX(field)).scalar()
            limit = now if isinstance(field, pw.DateTimeField) else today
            assert latest is None or latest <= limit, (model.__name__, field.name, latest)


def test_complaints_carry_what_their_state_implies(demo):
    for complaint in Complaint.select():
        assert complaint.investigation_due == add_working_days(complaint.received_at.date(), 3)
        resolved = complaint.status in ("resolution_proposed", "customer_informed", "followed_up", "closed")
        assert bool(complaint.resolution and complaint.root_cause and complaint.findings) == resolved
        assert bool(complaint.followup_satisfaction) == (complaint.status in ("followed_up", "closed"))
        assert bool(complaint.closed_at) == (complaint.status == "closed")
        if resolved and not complaint.corrective_action:
            assert complaint.no_action_reason
        if complaint.feedback_id:
            assert complaint.feedback.nature == "complaint" and complaint.feedback.customer_id == complaint.customer_id


def test_repairs_and_returns_carry_what_their_state_implies(demo):
    for repair in Repair.select():
        assert (repair.status == "inspected") <= repair.inspection_passed
        assert bool(repair.shipped_at) <= (repair.returned_to_factory and repair.inspection_passed)
        if repair.warranty_status == "out_of_warranty" and repair.main_component and repair.handling_method:
            assert repair.quote_amount and repair.customer_consent_at
        assert bool(repair.followup_evaluation) == (repair.status == "followed_up")
    for item in ReturnExchange.select():
        assert (item.decision is None) == (item.status == "requested")
        if item.shipped_at:
            assert item.decision == "exchange" and item.goods_received_at <= item.shipped_at
        assert (item.status == "refunded") <= item.finance_handled
        assert not (item.non_returnable and item.decision in ("return", "exchange") and not item.quality_problem)
    for feedback in Feedback.select().where(Feedback.status.in_(["replied", "closed"])):
        assert feedback.reply and feedback.replied_at and feedback.nature


def test_every_customer_has_a_dossier_and_an_initial_grade_entry(demo):
    with_archive = ArchiveRecord.select(ArchiveRecord.customer).distinct().count()
    assert with_archive == Customer.select().count() == GradeHistory.select().count()


def test_urgent_customers_are_those_with_an_open_credit_event(demo):
    urgent = {c.id for c in Customer.select().where(Customer.urgent == True)}  # noqa: E712
    open_events = {e.customer_id for e in UrgentEvent.select().where(UrgentEvent.resolved == False)}  # noqa: E712
    assert urgent and urgent == open_events
    assert all(event.customer.prior_incident for event in UrgentEvent.select())


def test_a_demo_clerk_sees_the_demo_customers(demo):
    client = demo.test_client()
    login(client, User.by_name("clerk1"), password=DEFAULT_PASSWORD)
    page = client.get("/admin/customer/").get_data(as_text=True)
    newest = Customer.select().order_by(Customer.id.desc()).first()
    assert newest.name in page


def test_staff_accounts_use_the_demo_password_from_the_environment(app, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-secret")
    assert load_demo(customers=12) == 12
    assert Customer.select().count() == 12
    roles = {user.username: user.role for user in User.select()}
    assert roles == {username: role for username, role, _name in STAFF}
    assert User.by_name("tech1").check_password("another-demo-secret")


def test_the_generator_is_deterministic():
    def rows(seed):
        pick = Picker(random.Random(seed))
        return [customer_row(pick, dt.date(2026, 11, 23), [1, 2]) for _ in range(30)]

    assert rows(7) == rows(7)
    assert [r["name"] for r in rows(7)] != [r["name"] for r in rows(8)]
