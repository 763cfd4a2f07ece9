"""Permission and mask decisions are made once per column per request, and follow the user within a request."""
import re

import pytest
from flask_login import login_user, logout_user

from admin_app import permissions
from admin_app.permissions import allowed, field_access, sees_unmasked


def test_decisions_follow_a_login_and_logout_within_one_request(app, make_user):
    user = make_user("clerk")
    with app.test_request_context("/"):
        assert not allowed("customer") and field_access("customer", "phone") == "hidden"
        login_user(user)
        assert allowed("customer") and field_access("customer", "phone") == "edit" and sees_unmasked("phone")
        logout_user()
        assert not allowed("customer") and not sees_unmasked("phone")


@pytest.mark.parametrize(("role", "phone_shown"), [("admin", "13912345678"), ("quality", "139****5678"),
                                                   ("technician", "139****5678")])
def test_a_list_page_asks_each_permission_once_and_still_masks(app, login_as, make_customer, monkeypatch, role,
                                                               phone_shown):
    for i in range(25):
        make_customer(name=f"逐列{i:02d}", phone="13912345678", urgent=i % 5 == 0)
    asked = {}

    def counting(real):
        def ask(*args):
            asked[(real.__name__, *args)] = asked.get((real.__name__, *args), 0) + 1
            return real(*args)
        return ask

    for name in ("_allowed", "_field_access"):
        monkeypatch.setattr(permissions, name, counting(getattr(permissions, name)))
    client = login_as(role)
    asked.clear()
    page = client.get("/admin/customer/").get_data(as_text=True)
    assert page.count(f"{phone_shown}") >= 20 and ("13912345678" in page) == (role == "admin")
    assert len(re.findall(r'<td class="col-name">逐列\d\d</td>', page)) == 20
    assert asked and max(asked.values()) == 1, {k: v for k, v in asked.items() if v > 1}


def test_sqlite_connections_are_kept_between_requests_but_never_cross_a_fork(tmp_path):
    """A request's close() keeps the connection for the next; a forked worker opens its own."""
    import os

    from admin_app.db import open_database

    database = open_database(f"sqlite:///{tmp_path / 'pool.db'}")
    database.connect()
    database.execute_sql("CREATE TABLE seen (pid INTEGER)")
    parent = database.connection()
    database.close()
    database.connect()
    assert database.connection() is parent  # reused, not opened again
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        inherited = not database.is_closed()
        database.connect()
        fresh = not inherited and database.connection() is not parent
        database.execute_sql("INSERT INTO seen VALUES (?)", (os.getpid(),))
        database.close()
        os._exit(0 if fresh else 1)
    _pid, status = os.waitpid(child, 0)
    assert status == 0
    assert database.connection() is parent and database.execute_sql("SELECT count(*) FROM seen").fetchone() == (1,)
    database.close()
