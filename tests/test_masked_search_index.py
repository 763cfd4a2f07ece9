"""A role that sees phones masked searches customers through the full-text index too, never by the phone."""
import pytest

from admin_app.services.lists import search, search_reads
from models import Customer, db
from tests.test_fastlist import FRAGMENTS, PEOPLE, listed_names, sqlite_only

WITHOUT_PHONE = tuple(c for c in search.TEXT_COLUMNS if c != "phone")


@pytest.fixture()
def people(make_customer):
    return [make_customer(name=name, phone=phone, contact_person=contact, email=email, notes=notes)
            for name, phone, contact, email, notes in PEOPLE]


def like_ids(term, columns):
    """Return the ids the stock LIKE search over some columns finds for one word."""
    condition = None
    for column in columns:
        clause = getattr(Customer, column) ** f"%{term}%"
        condition = clause if condition is None else condition | clause
    return {c.id for c in Customer.select(Customer.id).where(condition)}


def index_ids(term, columns):
    subquery = search.matching_customer_ids(db.obj, term, columns)
    assert subquery is not None
    return {row[0] for row in db.execute_sql(f"SELECT id FROM customer WHERE id IN ({subquery.sql})",
                                              subquery.params)}


def probed_ids(term, columns):
    """Return the ids the row-by-row probe (the plan for dense words) accepts."""
    condition = search_reads.row_matches(db.obj, term, Customer.id, Customer.notes, columns)
    return {c.id for c in Customer.select(Customer.id).where(condition)}


@sqlite_only
@pytest.mark.parametrize("term", FRAGMENTS)
def test_the_index_without_phones_finds_what_like_without_phones_finds(app, people, term):
    expected = like_ids(term, WITHOUT_PHONE)
    assert index_ids(term, WITHOUT_PHONE) == expected == probed_ids(term, WITHOUT_PHONE)
    hits = search_reads.indexed_hits(db.obj, term, 100, WITHOUT_PHONE)
    assert hits is not None and hits >= len(expected - {p.id for p in people if p.notes})


@sqlite_only
@pytest.mark.parametrize("words", ["王", "小明", "138", "13800138000", "0000", "zw@", "王 明"])
def test_a_masked_role_lists_what_like_without_phones_lists_and_uses_the_index(app, login_as, people, words):
    quality = login_as("quality")
    expected = set.intersection(*(like_ids(word, WITHOUT_PHONE) for word in words.split()))
    names = {c.id: c.name for c in people}
    response = quality.get("/admin/customer/", query_string={"search": words, "page_size": 50})
    assert set(listed_names(response)) == {names[i] for i in expected}
    with app.test_request_context():
        from flask_login import login_user

        from views.customer_search import CustomerSearchMixin
        login_user(quality.user)
        view = next(v for v in app.extensions["admin"][0]._views if isinstance(v, CustomerSearchMixin))
        assert view._index_columns() == tuple(sorted(WITHOUT_PHONE))
        assert all(view.search_subquery(word) is not None for word in words.split())


@sqlite_only
@pytest.mark.parametrize("term", FRAGMENTS)
@pytest.mark.parametrize("columns", [None, WITHOUT_PHONE], ids=["all columns", "phone masked"])
def test_first_ids_are_the_first_matches_in_id_order(app, people, term, columns):
    """The page of a list in id order: the index's first matches, newest or oldest first, urgent ones alone."""
    flagged = {person.id for person in people[1::2]}
    Customer.update(urgent=True).where(Customer.id.in_(list(flagged))).execute()
    expected = sorted(index_ids(term, columns), reverse=True)
    urgent = [i for i in expected if i in flagged]
    assert search_reads.first_ids(db.obj, term, 1000, True, columns) == expected
    assert search_reads.first_ids(db.obj, term, 2, False, columns) == sorted(expected)[:2]
    assert search_reads.first_ids(db.obj, term, 3, True, columns, flag="urgent") == urgent[:3]
