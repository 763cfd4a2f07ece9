"""Deep list pages read their ids first (deferred join) and show the same rows as plain OFFSET pages; a page
past the end shows the last page."""
import pytest

from models import Customer
from tests.panel_specs import admin_view, filter_arg
from tests.test_fastlist import list_count, listed_names


@pytest.fixture()
def many(make_customer):
    """130 customers over three grades and two regions, a few urgent (the list's default order puts them first)."""
    return [make_customer(name=f"翻页{i:03d}", grade="ABC"[i % 3], region=("上海", "北京")[i % 2],
                          urgent=i in (7, 30, 101)) for i in range(130)]


def _queries(view):
    grade = f"flt0_{filter_arg(view, Customer.grade, 'FilterEqual')}"
    name, region = list(view.column_list).index("name"), list(view.column_list).index("region")
    return {"default order": {}, "by name": {"sort": name}, "by region, descending": {"sort": region, "desc": 1},
            "grade filter": {grade: "C"}, "grade filter by name": {grade: "A", "sort": name, "desc": 1},
            "search": {"search": "翻页"}, "search and filter": {"search": "翻页0", grade: "B"}}


@pytest.mark.parametrize("case", ["default order", "by name", "by region, descending", "grade filter",
                                  "grade filter by name", "search", "search and filter"])
def test_deferred_pages_list_the_same_rows_as_offset_pages(app, admin_client, many, monkeypatch, case):
    view = admin_view(app, "customer")
    query = {**_queries(view)[case], "page_size": 20}
    count = int(list_count(admin_client.get("/admin/customer/", query_string=query)))

    def pages(client):
        return [listed_names(client.get("/admin/customer/", query_string={**query, "page": page}))
                for page in range((count + 19) // 20)]

    monkeypatch.setattr(view, "deferred_page_offset", 10 ** 9)
    plain = pages(admin_client)
    monkeypatch.setattr(view, "deferred_page_offset", 1)  # every page after the first reads its ids first
    deferred = pages(admin_client)
    assert deferred == plain and len(plain) >= 2
    listed = [name for page in plain for name in page]
    assert len(listed) == len(set(listed)) == count  # every row once across the pages


def test_a_page_past_the_end_shows_the_last_page(app, admin_client, many):
    view = admin_view(app, "customer")
    grade = f"flt0_{filter_arg(view, Customer.grade, 'FilterEqual')}"
    last = listed_names(admin_client.get("/admin/customer/", query_string={"page_size": 20, "page": 6}))
    response = admin_client.get("/admin/customer/", query_string={"page_size": 20, "page": 4999})
    assert listed_names(response) == last and len(last) == 10
    assert list_count(response) == "130" and "page=5" in response.get_data(as_text=True)  # the pager around it
    filtered = {"page_size": 20, grade: "B"}  # 43 rows: three pages
    assert (listed_names(admin_client.get("/admin/customer/", query_string={**filtered, "page": 99}))
            == listed_names(admin_client.get("/admin/customer/", query_string={**filtered, "page": 2})))


def test_a_page_past_a_capped_count_stays_as_asked(app, admin_client, many, monkeypatch):
    """Beyond a count that stopped at its cap the end is unknown: the page asked for is read (here empty)."""
    monkeypatch.setattr(admin_view(app, "customer"), "count_cap", 5)
    response = admin_client.get("/admin/customer/", query_string={"search": "翻页", "page_size": 20, "page": 50})
    assert listed_names(response) == [] and response.status_code == 200
