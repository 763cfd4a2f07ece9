"""Menus alike for a role (navigation, a list's filters) are kept per role, yet each user sees them as they are now."""
import datetime as dt
import html
import json
import re

import pytest
from conftest import login

from models import Complaint, Repair, User
from models.security import RolePermission

NAV_RE = re.compile(r'<ul class="nav navbar-nav mr-auto">.*?</ul>\s*<ul class="nav navbar-nav navbar-right">', re.S)
#: a highlighted top-level item, or a highlighted entry of a drop-down
ACTIVE_RE = re.compile(r'(?:<li class="active">\s*<a class="nav-link[^"]*"|class="dropdown-item active[^"]*") '
                       r'href="([^"]+)"')


def nav(client, url="/admin/"):
    page = client.get(url)
    assert page.status_code == 200, url
    return NAV_RE.search(page.get_data(as_text=True)).group(0)


def test_the_cached_menu_is_the_menu_as_rendered_afresh(app, login_as):
    clerk = login_as("clerk")
    first = nav(clerk, "/admin/customer/")
    assert app.extensions["role_cache"], "the menu was kept"
    assert nav(clerk, "/admin/customer/") == first
    app.extensions["role_cache"].clear()
    assert nav(clerk, "/admin/customer/") == first


@pytest.mark.parametrize(("url", "other"), [("/admin/complaint/", "/admin/feedback/"),
                                            ("/admin/customer/", "/admin/complaint/")])
def test_the_active_item_is_the_page_shown(login_as, url, other):
    clerk = login_as("clerk")
    for _ in range(2):  # the second time from the cache
        assert ACTIVE_RE.findall(nav(clerk, url)) == [url]
        assert ACTIVE_RE.findall(nav(clerk, other)) == [other]


def test_the_menu_differs_per_role(login_as):
    menus = {role: nav(login_as(role)) for role in ("technician", "clerk", "manager", "admin")}
    assert "/admin/changelog/" in menus["manager"] and "/admin/changelog/" not in menus["clerk"]
    assert "/admin/user/" in menus["admin"] and "/admin/user/" not in menus["manager"]
    assert "/admin/complaint/" in menus["clerk"] and "/admin/complaint/" not in menus["technician"]


def test_the_menu_follows_the_language(login_as):
    clerk = login_as("clerk")
    assert "顾客" in nav(clerk) and ">\n        Customers</a>" not in nav(clerk)
    clerk.post("/language", data={"language": "en", "next": "/admin/"})
    english = nav(clerk)
    assert "Customers</a>" in english and "顾客" not in english
    clerk.post("/language", data={"language": "zh_Hans_CN", "next": "/admin/"})
    assert "顾客" in nav(clerk)


def test_a_rule_the_admin_saves_shows_on_the_next_page(admin_client, login_as):
    clerk = login_as("clerk")
    assert "/admin/complaint/" in nav(clerk)
    response = admin_client.post("/admin/rolepermission/new/", data={
        "role": "clerk", "endpoint": "complaint", "operation": "view", "access": "deny", "field": ""})
    assert response.status_code == 302
    assert "/admin/complaint/" not in nav(clerk)
    assert "/admin/rolepermission/" in nav(admin_client)  # the admin's own menu is unchanged
    RolePermission.delete().execute()
    assert "/admin/complaint/" in nav(clerk)


def test_a_changed_role_shows_on_the_next_page(app, admin_client, login_as):
    clerk = login_as("clerk")
    assert "/admin/changelog/" not in nav(clerk)
    user = User.get_by_id(clerk.user.id)
    admin_client.post(f"/admin/user/edit/?id={user.id}", data={
        "username": user.username, "display_name": user.display_name, "role": "manager",
        "language": "zh_Hans_CN", "active": "y", "row_version": str(user.version)})
    assert User.get_by_id(user.id).role == "manager"
    assert clerk.get("/admin/").status_code == 302  # another role ends the user's sessions
    assert "/admin/changelog/" in nav(login(app.test_client(), user))


def test_each_user_sees_their_own_badges_from_the_shared_menu(app, login_as, make_record, make_user):
    """Two technicians share the cached menu; the overdue count of My work is each one's own."""
    app.config["WORKFLOW_BADGE_TTL"] = 0
    late, soon = login_as("technician"), login_as("technician")
    past = dt.datetime.now() - dt.timedelta(hours=2)
    make_record(Repair, technician=late.user, response_due=past)
    make_record(Repair, technician=late.user, response_due=past)
    badge = re.compile(r'/admin/mywork/">[^<]*<span class="badge badge-danger wf-menu-badge">(\d+)</span>')
    assert badge.findall(nav(late)) == ["2"]
    assert badge.findall(nav(soon)) == []
    make_record(Repair, technician=soon.user, response_due=past)
    assert badge.findall(nav(soon)) == ["1"]
    assert badge.findall(nav(late)) == ["2"]


def test_the_overdue_badge_of_a_list_counts_anew(app, login_as, make_record):
    app.config["WORKFLOW_BADGE_TTL"] = 0
    clerk = login_as("clerk")
    badge = re.compile(r'/admin/complaint/">\s*[^<]*<span class="badge badge-danger wf-menu-badge">(\d+)</span>')
    assert badge.findall(nav(clerk)) == []
    make_record(Complaint, investigation_due=dt.date.today() - dt.timedelta(days=1))
    assert badge.findall(nav(clerk)) == ["1"]


FILTERS_RE = re.compile(r'<div id="filter-groups-data" class="d-none">(.*?)</div>', re.S)


def filter_menu(client, url="/admin/customer/"):
    """Return {filter group label: [(operation, [option labels])]} of a list's filter menu."""
    page = client.get(url).get_data(as_text=True)
    groups = json.loads(html.unescape(FILTERS_RE.search(page).group(1)))
    return {label: [(item["operation"], [text for _value, text in item["options"] or ()]) for item in items]
            for label, items in groups.items()}


def test_a_field_rule_the_admin_saves_changes_the_filter_menu_of_that_role_only(admin_client, login_as):
    clerk = login_as("clerk")
    assert "地区" in filter_menu(clerk) and "地区" in filter_menu(admin_client)
    response = admin_client.post("/admin/rolepermission/new/", data={
        "role": "clerk", "endpoint": "customer", "operation": "field", "field": "region", "access": "hidden"})
    assert response.status_code == 302
    assert "地区" not in filter_menu(clerk)
    assert "地区" in filter_menu(admin_client)


def test_the_filter_menu_follows_the_language(login_as):
    clerk = login_as("clerk")
    assert "信用等级" in filter_menu(clerk)
    clerk.post("/language", data={"language": "en", "next": "/admin/"})
    english = filter_menu(clerk)
    assert "Credit grade" in english and "信用等级" not in english
    assert any(operation == "equals" for operation, _options in english["Credit grade"])


def test_a_new_user_is_offered_by_the_owner_filter_on_the_next_page(login_as, make_user):
    clerk = login_as("clerk")
    before = filter_menu(clerk)["负责人"][0][1]
    make_user("clerk", display_name="新来的业务员")
    after = filter_menu(clerk)["负责人"][0][1]
    assert "新来的业务员" not in before and "新来的业务员" in after


def test_a_masked_role_gets_no_filter_on_the_masked_field(login_as):
    assert "电话" in filter_menu(login_as("clerk"))
    assert "电话" not in filter_menu(login_as("quality"))  # phones masked: no probing them with filters
    assert "电话" in filter_menu(login_as("clerk"))
