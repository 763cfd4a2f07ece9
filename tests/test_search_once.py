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


def first_ids_refused(self, *args):
    return None  # as for a word a custom field also matches: the list walks its order instead


@sqlite_only
@pytest.mark.parametrize("path", ["first ids from the index", "walking the list order"])
def test_a_word_past_the_count_cap_reads_the_same_page(app, admin_client, crowd, monkeypatch, path):
    """10 of 242 rows hold "yj": past a count cap of 5 (and too many to read at once) the page comes from the
    index's first ids in id order plus its first urgent ones, or else from walking the list order asking the index
    row by row; either way the pages, their order and the count are those of reading and sorting every match."""
    view = admin_view(app, "customer")
    monkeypatch.setattr(view, "page_size", 4)
    query = {"search": "yj"}
    pages = [listed_names(admin_client.get("/admin/customer/", query_string={**query, "page": n})) for n in (0, 1, 2)]
    assert list_count(admin_client.get("/admin/customer/", query_string=query)) == str(len(like_ids("yj"))) == "10"
    assert pages[0][:2] == ["杨建120", "杨建030"] and pages[0][2:4] == ["于娟", "严静薇"]  # urgent first, then newest
    monkeypatch.setattr(view, "count_cap", 5)
    monkeypatch.setattr(view, "sort_after_filter_below", 3)
    if path == "walking the list order":
        monkeypatch.setattr(type(view), "search_first_ids", first_ids_refused)
    after = [listed_names(admin_client.get("/admin/customer/", query_string={**query, "page": n})) for n in (0, 1, 2)]
    assert after == pages and len(sum(pages, [])) == 10
    assert list_count(admin_client.get("/admin/customer/", query_string=query)) == "5+"


def test_few_matches_page_and_count_from_their_ids(app, admin_client, crowd, monkeypatch):
    """Below the cap the count is the number of matching ids, and each page a slice of them, urgent first."""
    monkeypatch.setattr(admin_view(app, "customer"), "page_size", 3)
    query = {"search": "杨建"}
    pages = [listed_names(admin_client.get("/admin/customer/", query_string={**query, "page": n})) for n in (0, 1, 2)]
    assert pages[0][:2] == ["杨建120", "杨建030"]
    expected = ["杨建120", "杨建030", *(f"杨建{i:03d}" for i in (210, 180, 150, 90, 60, 0))]
    assert sum(pages, []) == expected
    assert list_count(admin_client.get("/admin/customer/", query_string=query)) == "8"


def test_the_next_request_looks_again(admin_client, crowd, make_customer):
    """A look-up lives for one request: a customer added since shows in the next search (also where a test, or a
    job, keeps one application context across requests)."""
    search_for = {"search": "yanjingwei", "page_size": 50}
    assert listed_names(admin_client.get("/admin/customer/", query_string=search_for)) == ["严静薇"]
    make_customer(name="严静薇贸易")
    assert set(listed_names(admin_client.get("/admin/customer/", query_string=search_for))) == {"严静薇", "严静薇贸易"}
