"""Sessions that really end (issue 16, item 1): server-side records checked on every request.

Logout ends the session on the server, so a copied cookie is refused afterwards; a password change (own or by
the administrator), a role change, deactivation and "sign out everywhere" end the user's other sessions; each
user lists and ends their sessions; an absolute lifetime holds however busy the session is.
"""
import datetime as dt

import pytest

from admin_app import create_app
from models import User, UserSession, now
from tests.conftest import PASSWORD, CSRFClient, login

NEW_PASSWORD = "another-horse-77"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0) AppleWebKit/605.1.15 Mobile Safari/604.1"


def cookie(client):
    """Return the value of the client's session cookie."""
    return client.get_cookie("session").value


def replay(client, value):
    """Send a request with an old cookie value; tell whether it was let in."""
    client.set_cookie("session", value)
    return client.get("/admin/customer/").status_code == 200


def works(client):
    return client.get("/admin/customer/").status_code == 200


def second_worker(app, database_url, **config):
    """Return another app instance on the same database, like a second gunicorn worker."""
    with app.test_request_context():
        other = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret", **config})
    other.test_client_class = CSRFClient
    return other


def second_login(app, user):
    return login(app.test_client(), user)


def test_a_cookie_copied_before_logout_is_refused_after_it(app, clerk_client):
    copied = cookie(clerk_client)
    assert works(clerk_client)
    clerk_client.post("/logout", data={})
    thief = app.test_client()
    assert not replay(thief, copied)
    assert UserSession.get(UserSession.user == clerk_client.user.id).end_reason == "logout"


def test_a_logout_in_one_worker_is_seen_by_another(app, clerk_client, database_url):
    """Two app instances on one database stand for two gunicorn workers."""
    copied = cookie(clerk_client)
    other = second_worker(app, database_url)
    with other.app_context():
        assert replay(other.test_client(), copied)
    clerk_client.post("/logout", data={})
    with other.app_context():
        assert not replay(other.test_client(), copied)


@pytest.mark.parametrize("change", ["password", "role", "deactivate"])
def test_an_administrator_change_ends_every_session_of_the_user(app, admin_client, make_user, change):
    user = make_user("clerk")
    first, second = second_login(app, user), second_login(app, user)
    assert works(first) and works(second)
    form = {"username": user.username, "display_name": user.display_name, "role": "clerk",
            "language": user.language, "active": "y", "row_version": str(User.get_by_id(user.id).version)}
    if change == "password":
        form["password"] = NEW_PASSWORD
    elif change == "role":
        form["role"] = "technician"
    else:
        form.pop("active")
    response = admin_client.post(f"/admin/user/edit/?id={user.id}", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    assert not works(first) and not works(second)
    reasons = {s.end_reason for s in UserSession.select().where(UserSession.user == user.id)}
    assert reasons == {{"deactivate": "inactive"}.get(change, change)}


def test_a_password_changed_outside_the_panel_ends_the_sessions_too(app, clerk_client):
    user = User.get_by_id(clerk_client.user.id)
    user.set_password(NEW_PASSWORD)
    user.save()  # e.g. a command-line reset: no session was ended explicitly
    assert not works(clerk_client)


def test_changing_my_password_keeps_this_session_and_ends_the_others(app, clerk_client):
    other = second_login(app, clerk_client.user)
    response = clerk_client.post("/admin/account/password/", data={
        "current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert works(clerk_client) and not works(other)
    assert User.get_by_id(clerk_client.user.id).check_password(NEW_PASSWORD)


@pytest.mark.parametrize("current, new, confirm", [
    ("wrong-password-1", NEW_PASSWORD, NEW_PASSWORD),
    (PASSWORD, NEW_PASSWORD, "something-else-9"),
    (PASSWORD, "short", "short"),
])
def test_a_refused_password_change_changes_nothing(app, clerk_client, current, new, confirm):
    other = second_login(app, clerk_client.user)
    clerk_client.post("/admin/account/password/", data={"current": current, "password": new, "confirm": confirm})
    assert User.get_by_id(clerk_client.user.id).check_password(PASSWORD)
    assert works(clerk_client) and works(other)


def test_sign_out_everywhere_else(app, clerk_client):
    others = [second_login(app, clerk_client.user) for _ in range(2)]
    clerk_client.post("/admin/account/sessions/end-others/", data={})
    assert works(clerk_client) and not any(works(c) for c in others)


@pytest.mark.parametrize("language, heading", [("zh_Hans_CN", "登录的地方"), ("en", "Where you are logged in")])
def test_the_sessions_page_lists_browser_address_and_ends_one(app, make_user, language, heading):
    user = make_user("quality", language=language)
    mine = app.test_client()
    mine.post("/login", data={"username": user.username, "password": PASSWORD},
              environ_base={"REMOTE_ADDR": "10.1.2.3"},
              headers={"User-Agent": FIREFOX})
    phone = app.test_client()
    phone.post("/login", data={"username": user.username, "password": PASSWORD},
               environ_base={"REMOTE_ADDR": "10.9.8.7"},
               headers={"User-Agent": IPHONE})
    page = mine.get(f"/admin/account/?lang={language}").get_data(as_text=True)
    assert heading in page
    assert "Firefox · Windows" in page and "Safari · iPhone" in page
    assert "10.1.2.3" in page and "10.9.8.7" in page
    target = UserSession.get(UserSession.address == "10.9.8.7")
    mine.post("/admin/account/sessions/end/", data={"id": str(target.id)})
    assert not works(phone) and works(mine)


def test_nobody_ends_another_users_session(app, clerk_client, make_user):
    victim = second_login(app, make_user("clerk"))
    theirs = UserSession.get(UserSession.user == victim.user.id) if hasattr(victim, "user") else \
        UserSession.select().order_by(UserSession.id.desc()).get()
    response = clerk_client.post("/admin/account/sessions/end/", data={"id": str(theirs.id)})
    assert response.status_code == 404 and works(victim)


@pytest.mark.parametrize("hours_ago, alive", [(11, True), (13, False)])
def test_the_absolute_lifetime_ends_even_a_busy_session(app, clerk_client, hours_ago, alive):
    app.config["SESSION_ABSOLUTE_HOURS"] = 12
    UserSession.update(created_at=now() - dt.timedelta(hours=hours_ago)).execute()
    assert works(clerk_client) is alive


def test_last_seen_is_written_at_most_once_a_minute(app, clerk_client):
    start = now() - dt.timedelta(seconds=20)
    UserSession.update(last_seen=start).execute()
    clerk_client.get("/admin/customer/")
    assert UserSession.get().last_seen == start  # within the minute: no write
    UserSession.update(last_seen=now() - dt.timedelta(seconds=90)).execute()
    clerk_client.get("/admin/customer/")
    assert UserSession.get().last_seen >= now() - dt.timedelta(seconds=5)


def test_the_server_side_idle_timeout_ends_a_session(app, clerk_client):
    app.config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(minutes=30)
    UserSession.update(last_seen=now() - dt.timedelta(minutes=45)).execute()
    assert not works(clerk_client)


def test_a_static_file_never_rewrites_the_session_cookie(clerk_client):
    """A stylesheet answered after a page changed the session must not put the old cookie back (lost messages)."""
    page = clerk_client.get("/admin/customer/")
    static = clerk_client.get("/static/css/app.css")
    assert "Set-Cookie" in page.headers
    assert static.status_code == 200 and "Set-Cookie" not in static.headers
