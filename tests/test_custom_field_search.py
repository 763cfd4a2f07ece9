"""A searchable custom field on customers keeps customer search on its full-text index (issue 12, items 2 and 4).

Issue 12, item 2: a custom field gets "search" like a built-in field; item 4: "Still fast". The built-in text keeps
being answered by the index; the custom field's matches are added beside it.
"""
import os
import re

import pytest

from admin_app.services.fields import catalog, schema
from admin_app.services.lists import search
from models import Customer

PEOPLE = [("王小明", None), ("北京王府井百货有限公司", "VIP王8888"), ("李明亮", "金卡-0001"), ("Zhang Wei", None),
          ("欧阳娜娜", "vip-7777")]


@pytest.fixture(autouse=True)
def _drop_custom_columns(no_custom_columns):
    """Leave no custom column behind (conftest.no_custom_columns)."""


@pytest.fixture()
def people(app, make_customer):
    catalog.add("customer", "会员卡号", "text", label_en="Member card no", searchable=True)
    schema.sync_models()
    return [make_customer(name=name, cf_member_card_no=card) for name, card in PEOPLE]


def listed(response):
    return set(re.findall(r'<td class="col-name">\s*(.*?)\s*</td>', response.get_data(as_text=True)))


def expected(word):
    """Return the names a plain LIKE over the built-in text columns and the custom field finds."""
    found = set()
    for customer in Customer.select():
        values = [getattr(customer, c) for c in (*search.TEXT_COLUMNS, "cf_member_card_no")]
        if any(v and word.lower() in v.lower() for v in values):
            found.add(customer.name)
    return found


@pytest.mark.parametrize("word", ["王", "8888", "王府井", "VIP王", "vip", "明", "金卡", "不存在"])
def test_search_finds_built_in_and_custom_matches_through_the_index(admin_client, people, monkeypatch, word):
    asked = []
    real = search.matching_customer_ids
    monkeypatch.setattr(search, "matching_customer_ids", lambda *a: asked.append(a) or real(*a))
    response = admin_client.get("/admin/customer/", query_string={"search": word, "page_size": 50})
    assert listed(response) == expected(word)
    if not os.environ.get("TEST_DATABASE_URL"):  # SQLite: the full-text index still answers the built-in text
        assert asked, "customer search fell back to LIKE"
        assert re.search(r"customer_(tri|short)", str(real(*asked[0])) + str(getattr(real(*asked[0]), "sql", "")))


def test_a_role_that_may_not_search_the_custom_field_does_not_find_by_it(admin_client, clerk_client, people):
    from models import RolePermission

    RolePermission.create(role="clerk", endpoint="customer", operation="field", field="cf_member_card_no",
                          access="hidden")
    response = clerk_client.get("/admin/customer/", query_string={"search": "8888"})
    assert "北京王府井百货有限公司" not in listed(response)
