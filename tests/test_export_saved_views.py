"""Saved views: save a list state under a name, share it with a role, make it the default."""
import re

from models import SavedView


def _save(client, query, **form):
    return client.post(f"/admin/customer/saved-views/new/?{query}", data={"name": "华东A级", **form})


def test_save_and_reopen_a_view(clerk_client, make_customer):
    make_customer(name="甲顾客")
    make_customer(name="乙顾客")
    response = _save(clerk_client, "search=甲&columns=name,grade")
    assert response.status_code == 302
    saved = SavedView.get()
    assert saved.name == "华东A级" and "search=%E7%94%B2" in saved.query and saved.column_names() == ["name", "grade"]
    page = clerk_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "甲顾客" in page and "乙顾客" not in page
    assert "华东A级" in clerk_client.get("/admin/customer/?sv=0").get_data(as_text=True)


def test_default_view_opens_on_a_bare_list(clerk_client, make_customer):
    make_customer(name="甲顾客")
    _save(clerk_client, "search=甲", is_default="1")
    response = clerk_client.get("/admin/customer/")
    assert response.status_code == 302 and "search=" in response.headers["Location"]
    assert clerk_client.get("/admin/customer/?sv=0").status_code == 200


def test_view_shared_with_a_role_is_seen_by_that_role_only(login_as, make_customer):
    make_customer()
    _save(login_as("clerk"), "search=x", shared_role="supervisor")
    assert "华东A级" in login_as("supervisor").get("/admin/customer/?sv=0").get_data(as_text=True)
    assert "华东A级" not in login_as("clerk").get("/admin/customer/?sv=0").get_data(as_text=True)


def test_only_the_owner_deletes_a_view(login_as, make_customer):
    owner, other = login_as("clerk"), login_as("clerk")
    _save(owner, "search=x", shared_role="clerk")
    saved = SavedView.get()
    assert other.post(f"/admin/customer/saved-views/{saved.id}/delete/", data={}).status_code == 404
    assert owner.post(f"/admin/customer/saved-views/{saved.id}/delete/", data={}).status_code == 302
    assert SavedView.select().count() == 0


def test_saving_needs_a_name_and_a_post_with_csrf(clerk_client):
    page = clerk_client.post("/admin/customer/saved-views/new/", data={"name": " "})
    assert page.status_code == 200 and SavedView.select().count() == 0
    refused = clerk_client.post("/admin/customer/saved-views/new/", data={"name": "x"}, csrf=False)
    assert refused.status_code == 400 and SavedView.select().count() == 0
    assert re.search(r'id="saved-view-form"', page.get_data(as_text=True))


def test_saved_columns_narrow_the_list_and_the_export(clerk_client, make_customer):
    make_customer(name="甲顾客", region="西藏")
    response = _save(clerk_client, "columns=name,grade")
    page = clerk_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "甲顾客" in page and "西藏" not in page
    assert "export/xlsx/?columns=name%2Cgrade" in page or "export/xlsx/?columns=name,grade" in page
