"""Fast lists: indexed customer search finds exactly what LIKE finds, counts are bounded, lists still page,
filter and sort."""
import datetime as dt
import os
import re

import pytest

from admin_app.db import is_sqlite
from admin_app.services.lists import search
from models import Customer, db
from tests.panel_specs import admin_view, filter_arg
from views.fastlist import CappedCount
from views.fields import KeySearch

PEOPLE = [
    # name, phone, contact person, email, notes
    ("王小明", "13800138000", None, None, None),
    ("王明", "13912345678", "李四", "wm@example.com", None),
    ("北京王府井百货有限公司", "01065120000", "张三丰", "Shop-A@BJ.cn", "老客户，年底回访"),
    ("李明亮", "13600000001", "王五", None, "王总的朋友"),
    ("Zhang Wei", "+86 138-0000-1111", None, "zw@example.org", "100% 满意"),
    ("欧阳娜娜", "18600001234", None, None, None),
]
FRAGMENTS = ["王", "明", "z", "Z", "@", "8", "王明", "小明", "13", "com", "-", "王府井", "13800", "欧阳娜娜",
             "example", "北京王府井百货", "回访", "访", "满", "shop-a", "不存在", "0000"]


def like_ids(term):
    """Return the ids the LIKE search finds for one word (the name's search key by the word's spellings)."""
    pattern = f"%{term}%"
    condition = KeySearch(Customer.search_key) ** pattern
    for column in search.PLAIN_COLUMNS:
        condition = condition | (getattr(Customer, column) ** pattern)
    return {c.id for c in Customer.select(Customer.id).where(condition)}


def index_ids(term):
    """Return the ids the full-text indexes find for one word."""
    subquery = search.matching_customer_ids(db.obj, term)
    assert subquery is not None
    return {row[0] for row in db.execute_sql(f"SELECT id FROM customer WHERE id IN ({subquery.sql})",
                                              subquery.params)}


@pytest.fixture()
def people(make_customer):
    return [make_customer(name=name, phone=phone, contact_person=contact, email=email, notes=notes)
            for name, phone, contact, email, notes in PEOPLE]


sqlite_only = pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")),
                                 reason="FTS5 indexes exist on SQLite only; PostgreSQL uses pg_trgm with LIKE")


@sqlite_only
@pytest.mark.parametrize("term", FRAGMENTS)
def test_index_search_finds_what_like_finds(app, people, term):
    assert index_ids(term) == like_ids(term)


@sqlite_only
def test_index_follows_updates_inserts_and_deletes(app, people, make_customer):
    first, second, third = people[:3]
    Customer.update(name="赵明月", phone="15000000000").where(Customer.id == first.id).execute()
    second.contact_person, second.notes = None, "王小明介绍的"
    second.save()
    third.delete_instance()
    make_customer(name="明月商行", phone="15000000001", email="moon@明月.cn")
    for term in ("王", "王小明", "明月", "月", "15000", "王五", "moon", "介绍", "张三丰", "百货"):
        assert index_ids(term) == like_ids(term), term


@sqlite_only
def test_install_is_idempotent_and_rebuilds_an_outdated_index(app, people):
    search.install(db.obj)
    db.execute_sql("DROP TRIGGER customer_search_au")  # an older or damaged installation
    assert search.matching_customer_ids(db.obj, "王") is None  # falls back to LIKE meanwhile
    search.install(db.obj)
    assert index_ids("王") == like_ids("王")


def listed_names(response):
    """Return the customer names in the order the list page shows them."""
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:300]
    return re.findall(r'<td class="col-name">\s*(.*?)\s*</td>', page)


@pytest.mark.parametrize("words", ["王", "小明", "王 明", "138", "王府井", "zw@", "欧阳娜娜", "明 138"])
def test_list_search_shows_the_like_matches(app, admin_client, people, words):
    expected = set.intersection(*(like_ids(word) for word in words.split()))
    response = admin_client.get("/admin/customer/", query_string={"search": words, "page_size": 50})
    names = {c.id: c.name for c in people}
    assert set(listed_names(response)) == {names[i] for i in expected}


def list_count(response):
    """Return the count in the list tab, e.g. "12" or "3+"."""
    match = re.search(r"nav-link active\">[^<(]*\(([^)]*)\)", response.get_data(as_text=True))
    return match.group(1) if match else None


def test_count_is_exact_below_the_cap_and_capped_above(app, admin_client, make_customer, monkeypatch):
    for i in range(7):
        make_customer(name=f"批次{i}")
    view = admin_view(app, "customer")
    assert list_count(admin_client.get("/admin/customer/?search=批次")) == "7"
    monkeypatch.setattr(view, "count_cap", 5)
    monkeypatch.setattr(view, "page_size", 2)
    response = admin_client.get("/admin/customer/?search=批次")
    assert list_count(response) == "5+"
    assert "page=2" in response.get_data(as_text=True)  # the full pager still renders: 6 rows = 3 pages
    assert list_count(admin_client.get("/admin/customer/")) == "7"  # the whole table is counted exactly


def test_capped_count_reads_as_a_number_with_a_plus():
    count = CappedCount(10_001)
    assert str(count) == "10,000+" and count // 20 == 500


def test_whole_table_count_follows_inserts_and_deletes_through_the_view(app, admin_client, make_customer):
    first = make_customer(name="计数一")
    assert list_count(admin_client.get("/admin/customer/")) == "1"
    make_customer(name="计数二")
    assert list_count(admin_client.get("/admin/customer/")) == "2"
    response = admin_client.post("/admin/customer/delete/", data={"id": first.id, "url": "/admin/customer/"})
    assert response.status_code == 302
    assert list_count(admin_client.get("/admin/customer/")) == "1"


def test_list_pages_filters_and_sorts(app, admin_client, make_customer):
    for i in range(50):
        make_customer(name=f"排序{i:02d}", grade="A" if i % 2 else "B")
    view = admin_view(app, "customer")
    grade_arg = f"flt0_{filter_arg(view, Customer.grade, 'FilterEqual')}"
    sort = list(view.column_list).index("name")
    names = [f"排序{i:02d}" for i in range(50)]
    odd = [n for i, n in enumerate(names) if i % 2]
    query = {grade_arg: "A", "sort": sort, "desc": 1, "page_size": 20}
    first = listed_names(admin_client.get("/admin/customer/", query_string=query))
    second = listed_names(admin_client.get("/admin/customer/", query_string={**query, "page": 1}))
    assert first == sorted(odd, reverse=True)[:20] and second == sorted(odd, reverse=True)[20:]
    assert list_count(admin_client.get("/admin/customer/", query_string=query)) == "25"


def test_search_combines_with_filters(app, admin_client, people):
    view = admin_view(app, "customer")
    grade_arg = f"flt0_{filter_arg(view, Customer.grade, 'FilterEqual')}"
    response = admin_client.get("/admin/customer/", query_string={"search": "王", grade_arg: "C"})
    expected = {c.name for c in Customer.select().where(Customer.id.in_(list(like_ids("王"))),
                                                         Customer.grade == "C")}
    assert set(listed_names(response)) == expected


def test_postgres_search_uses_trigram_indexes(app):
    if is_sqlite():
        pytest.skip("pg_trgm indexes are a PostgreSQL feature")
    names = {row[0] for row in db.execute_sql("SELECT indexname FROM pg_indexes WHERE tablename = 'customer'")}
    assert {"customer_name_trgm", "customer_phone_trgm"} <= names


@sqlite_only
@pytest.mark.parametrize("path", ["first ids from the index", "walking the list order"])
@pytest.mark.parametrize("word", ["商贸", "有限公司"])
def test_a_word_most_rows_hold_lists_the_same_page_in_the_same_order(app, admin_client, make_customer,
                                                                     monkeypatch, word, path):
    """A word held by many rows reads its first ids from the index (urgent ones first), or is checked row by row
    along the list order: same rows, order, pages and count as reading and sorting every match."""
    for i in range(30):
        urgent = i in (4, 21)
        if i % 3:
            make_customer(name=f"上海{i:02d}商贸有限公司", urgent=urgent)
        else:
            make_customer(name=f"客户{i:02d}", urgent=urgent, notes="商贸伙伴有限公司" if i == 9 else None)
    view = admin_view(app, "customer")
    query = {"search": word, "page_size": 20}
    before = [listed_names(admin_client.get("/admin/customer/", query_string={**query, "page": p})) for p in (0, 1)]
    assert list_count(admin_client.get("/admin/customer/", query_string=query)) == str(len(like_ids(word)))
    walked = []
    monkeypatch.setattr(view, "count_cap", 5)  # 20+ of 30 rows hold the word: now it is "dense"
    monkeypatch.setattr(view, "sort_after_filter_below", 3)  # and too many to read at once
    monkeypatch.setattr(type(view), "search_row_condition",
                        lambda self, w, real=type(view).search_row_condition: walked.append(w) or real(self, w))
    if path == "walking the list order":
        monkeypatch.setattr(type(view), "search_first_ids", lambda self, *args: None)
    after = [listed_names(admin_client.get("/admin/customer/", query_string={**query, "page": p})) for p in (0, 1)]
    assert bool(walked) == (path == "walking the list order") and after == before
    assert sum(map(len, after)) == len(like_ids(word)) and after[0][0].startswith(("上海21", "上海04"))
    assert list_count(admin_client.get("/admin/customer/", query_string=query)) == "5+"
    sort = list(view.column_list).index("name")
    walked.clear()
    sorted_page = listed_names(admin_client.get("/admin/customer/", query_string={**query, "sort": sort}))
    assert not walked and sorted_page == sorted(sorted_page)  # another order reads and sorts the matches


@pytest.mark.parametrize("path", ["sorted from the filter's index", "walking the list order"])
def test_a_range_filter_lists_its_pages_in_the_list_order(app, admin_client, make_customer, monkeypatch, path):
    """A range filter keeping too many rows for the plain threshold lists urgent first, then newest, page by page
    (a deep page too), whether the page's ids are sorted from the (column, urgent) index or the list order walked."""
    import views.fastlist as fastlist

    for i in range(50):
        make_customer(name=f"区间{i:02d}", first_trade_date=dt.date(2026, 1, 1) + dt.timedelta(days=i),
                      urgent=i in (13, 40, 41))
    view = admin_view(app, "customer")
    after = f"flt0_{filter_arg(view, Customer.first_trade_date, 'DateGreaterFilter')}"
    kept = Customer.select().where(Customer.first_trade_date > dt.date(2026, 1, 10))
    expected = [c.name for c in kept.order_by(Customer.urgent.desc(), Customer.id.desc())]
    sorted_pages = []
    monkeypatch.setattr(view, "sort_after_filter_below", 5)  # the 40 matches are past the plain threshold
    monkeypatch.setattr(view, "deferred_page_offset", 20)  # and the second page is a "deep" one
    monkeypatch.setattr(fastlist, "sort_after_filtering",
                        lambda q, m, real=fastlist.sort_after_filtering: sorted_pages.append(1) or real(q, m))
    if path == "walking the list order":
        monkeypatch.setattr(view, "order_covering_columns", frozenset())
    query = {after: "2026-01-10", "page_size": 20}
    pages = [listed_names(admin_client.get("/admin/customer/", query_string={**query, "page": p})) for p in (0, 1)]
    assert pages == [expected[:20], expected[20:]] and expected[:3] == ["区间41", "区间40", "区间13"]
    assert bool(sorted_pages) == (is_sqlite() and path == "sorted from the filter's index")
