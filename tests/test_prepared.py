"""Queries asked on every page keep their SQL between calls, yet each call reads the rows as they are now."""
import pytest

from admin_app.services.notify import inbox
from admin_app.services.trust import sessions
from models import Notification, SavedView, User
from models.exchange import ListColumns
from models.prepared import Prepared
from models.security import RolePermission
from models.sessions import TwoFactorPolicy


def test_each_call_binds_its_own_values_and_reads_fresh_rows(app, make_user):
    clerk, manager = make_user("clerk", display_name="甲"), make_user("manager", display_name="乙")
    by_name = Prepared(lambda name: User.select().where(User.display_name == Prepared.value(name)), 1)
    assert [u.id for u in by_name.rows("甲")] == [clerk.id]
    assert [u.id for u in by_name.rows("乙")] == [manager.id]
    User.update(display_name="甲").where(User.id == manager.id).execute()
    assert sorted(u.id for u in by_name.rows("甲")) == sorted([clerk.id, manager.id])
    assert by_name.first("无此人") is None


def test_a_value_missing_from_the_query_is_refused(app):
    with pytest.raises(ValueError, match="each of the 2 values"):
        Prepared(lambda a, b: User.select().where(User.username == Prepared.value(a)), 2).rows("x", "y")


def test_the_session_look_up_finds_only_the_open_session_of_that_user(app, make_user):
    alice, bob = make_user("clerk"), make_user("clerk")
    key = sessions.start(alice, "127.0.0.1", "pytest")
    hours = sessions.dt.timedelta(hours=8)
    found = sessions.find(alice.id, key, hours, hours)
    assert found is not None and found.user.id == alice.id and found.user.username == alice.username
    assert sessions.find(bob.id, key, hours, hours) is None
    sessions.end(found.id, "logout")
    assert sessions.find(alice.id, key, hours, hours) is None


def test_rules_policy_bell_saved_views_and_columns_read_as_stored(app, make_user):
    clerk, other = make_user("clerk"), make_user("clerk")
    assert RolePermission.rules_for("clerk") == {}
    RolePermission.create(role="clerk", endpoint="customer", operation="export", field="", access="deny")
    RolePermission.create(role="quality", endpoint="customer", operation="field", field="phone", access="hidden")
    assert RolePermission.rules_for("clerk") == {("customer", "export", ""): "deny"}
    assert RolePermission.rules_for("quality") == {("customer", "field", "phone"): "hidden"}
    assert not TwoFactorPolicy.required_for("admin")
    TwoFactorPolicy.create(role="admin", required=True)
    assert TwoFactorPolicy.required_for("admin") and not TwoFactorPolicy.required_for("manager")
    for kind in ("assigned", "due", "job"):
        Notification.create(user=clerk.id, kind=kind)
    Notification.create(user=clerk.id, kind="old", read_at=Notification.at.default())
    assert inbox.unread_count(clerk.id) == Notification.unread(clerk.id).count() == 3
    assert inbox.unread_count(other.id) == 0
    SavedView.create(user=clerk.id, endpoint="customer", name="b mine", query="")
    SavedView.create(user=other.id, endpoint="customer", name="a shared", query="", shared_role="clerk")
    SavedView.create(user=other.id, endpoint="customer", name="c private", query="")
    SavedView.create(user=clerk.id, endpoint="complaint", name="d elsewhere", query="")
    assert [v.name for v in SavedView.visible_to(clerk, "customer")] == ["a shared", "b mine"]
    assert [v.name for v in SavedView.visible_to(other, "customer")] == ["a shared", "c private"]
    assert ListColumns.chosen(clerk.id, "customer") == []
    ListColumns.create(user=clerk.id, endpoint="customer", columns='["name", "phone"]')
    assert ListColumns.chosen(clerk.id, "customer") == ["name", "phone"]
    assert ListColumns.chosen(other.id, "customer") == []
