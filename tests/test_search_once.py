"""Customer search asks the index once per word and request; a word past the count cap walks the list order
(issue 13 item 7: the list targets hold at 1,000,000 customers)."""
import pytest

from admin_app.services.lists import pinyin_key, search
from models import Customer
from tests.panel_specs import admin_view
from tests.test_fastlist import like_ids, list_count, listed_names, sqlite_only

#: 严静薇 (yjw), 杨建 (yj) and 于娟 (yj) share the initials "yj"; 王芳 does not
NAMES = ["严静薇", "杨建", "于娟", "王芳"]


@pytest.fixture()
def crowd(app):
    """Insert 242 customers in one statement: 10 hold "yj" (杨建000 ... 杨建210, 严静薇, 于娟)."""
    names = [f"{NAMES[1]}{i:03d}" if i % 30 == 0 else NAMES[3] for i in range(240)] + [NAMES[0], NAMES[2]]
    Customer.insert_many([{"name": n, "search_key": pinyin_key.search_key(n), "phone": f"1390000{i:04d}",
                           "urgent": i in (30, 120)} for i, n in enumerate(names)]).execute()
    search.install(Customer._meta.database)  # PostgreSQL: trigram indexes; SQLite: the triggers filled FTS
    return names


@pytest.mark.parametrize("word", ["yj", "yanjingwei", "严jingwei", "顧客", "王芳"])
def test_each_word_is_looked_up_once_per_request(app, admin_client, crowd, monkeypatch, word):
    """The pager's count, the dense check and the page reuse one look-up (and one decision on columns)."""
    looked, decided = [], []
    real_lookup, real_columns = search.matching_customer_ids, type(admin_view(app, "customer"))._decide_index_columns
    monkeypatch.setattr(search, "matching_customer_ids", lambda *a, **k: looked.append(a[1]) or real_lookup(*a, **k))
    monkeypatch.setattr(type(admin_view(app, "customer")), "_decide_index_columns",
                        lambda self: decided.append(1) or real_columns(self))
    response = admin_client.get("/admin/customer/", query_string={"search": word, "page_size": 50})
    expected = {c.name for c in Customer.select().where(Customer.id.in_(list(like_ids(word))))}
    assert set(listed_names(response)) == expected
    if not looked:
        return  # PostgreSQL: ILIKE over the trigram indexes, no look-up of its own
    assert looked == [word] and len(decided) == 1


@sqlite_only
def test_a_word_past_the_count_cap_walks_the_list_order(app, admin_client, crowd, monkeypatch):
    """10 of 242 rows hold "yj", fewer than 1/20 of them: past a count cap of 5 the list still walks its own order,
    asking the index row by row; the page, its order and the count are those of reading and sorting every match."""
    view = admin_view(app, "customer")
    query = {"search": "yj", "page_size": 20}
    before = listed_names(admin_client.get("/admin/customer/", query_string=query))
    assert list_count(admin_client.get("/admin/customer/", query_string=query)) == str(len(like_ids("yj"))) == "10"
    assert before[:2] == ["杨建120", "杨建030"] and before[2:4] == ["于娟", "严静薇"]  # urgent first, then newest
    walked = []
    monkeypatch.setattr(view, "count_cap", 5)
    monkeypatch.setattr(type(view), "search_row_condition",
                        lambda self, w, real=type(view).search_row_condition: walked.append(w) or real(self, w))
    after = listed_names(admin_client.get("/admin/customer/", query_string=query))
    assert walked and after == before
    assert list_count(admin_client.get("/admin/customer/", query_string=query)) == "5+"


def test_the_next_request_looks_again(admin_client, crowd, make_customer):
    """A look-up lives for one request: a customer added since shows in the next search (also where a test, or a
    job, keeps one application context across requests)."""
    search_for = {"search": "yanjingwei", "page_size": 50}
    assert listed_names(admin_client.get("/admin/customer/", query_string=search_for)) == ["严静薇"]
    make_customer(name="严静薇贸易")
    assert set(listed_names(admin_client.get("/admin/customer/", query_string=search_for))) == {"严静薇", "严静薇贸易"}
