"""Logging in and out: the form, CSRF, one message for every failure, safe redirects, lockout."""
import datetime as dt
import re

import pytest
from conftest import PASSWORD, login

from models import User, now

ALERT_RE = re.compile(r'class="alert[^"]*"[^>]*>(.*?)</div>', re.S)


def _alert(response):
    found = ALERT_RE.findall(response.get_data(as_text=True))
    return found[0].strip() if found else None


def _is_logged_in(client):
    response = client.get("/admin/")
    return response.status_code == 200


def test_login_page_has_username_password_and_csrf(client):
    page = client.get("/login").get_data(as_text=True)
    for name in ("username", "password", "csrf_token"):
        assert f'name="{name}"' in page
    assert 'type="password"' in page


def test_right_password_logs_in_and_lands_on_the_panel(client, make_user):
    user = make_user("clerk")
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.location == "/admin/"
    assert _is_logged_in(client)
    assert User.get_by_id(user.id).last_login is not None


def test_password_is_stored_hashed(make_user):
    user = make_user("clerk")
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith("scrypt:")


def test_login_without_csrf_token_is_rejected(client, make_user):
    user = make_user("clerk")
    response = client.post("/login", data={"username": user.username, "password": PASSWORD}, csrf=False)
    assert response.status_code == 400
    assert not _is_logged_in(client)


def test_wrong_password_and_unknown_user_get_the_same_message(app, make_user):
    user = make_user("clerk")
    wrong = app.test_client().post("/login", data={"username": user.username, "password": "not-the-password"})
    unknown = app.test_client().post("/login", data={"username": "nobody-here", "password": "not-the-password"})
    inactive_user = make_user("clerk", active=False)
    inactive = app.test_client().post("/login", data={"username": inactive_user.username, "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == inactive.status_code == 200
    assert _alert(wrong) and _alert(wrong) == _alert(unknown) == _alert(inactive)


def test_empty_form_is_refused_with_a_message(client):
    response = client.post("/login", data={"username": "", "password": ""})
    assert response.status_code == 200
    assert 'class="text-danger' in response.get_data(as_text=True)
    assert not _is_logged_in(client)


def test_anonymous_is_sent_to_login_and_back_after(client, make_user):
    user = make_user("clerk")
    response = client.get("/admin/complaint/?search=abc")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")
    back = client.post(response.location, data={"username": user.username, "password": PASSWORD})
    assert back.location == "/admin/complaint/?search=abc"


def test_logout_is_post_only(clerk_client):
    assert clerk_client.get("/logout").status_code == 405
    assert _is_logged_in(clerk_client)
    assert clerk_client.post("/logout", data={}, csrf=False).status_code == 400
    assert _is_logged_in(clerk_client)
    response = clerk_client.post("/logout", data={})
    assert response.status_code == 302
    assert response.location.startswith("/login")
    assert clerk_client.get("/admin/customer/").status_code == 302


@pytest.mark.parametrize("target", [
    "//evil.com", "https://evil.com", "/\\evil.com", "\\\\evil.com", "///evil.com", "////evil.com",
    "/\t/evil.com", "javascript:alert(1)", "http:/evil.com", "evil.com", " //evil.com",
])
def test_next_cannot_leave_the_site(client, make_user, target):
    user = make_user("clerk")
    response = client.post("/login", query_string={"next": target},
                           data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.location == "/admin/"
    again = client.get("/login", query_string={"next": target})
    assert again.location == "/admin/"


def test_next_on_the_site_is_followed(client, make_user):
    user = make_user("clerk")
    response = client.post("/login?next=/admin/customer/", data={"username": user.username, "password": PASSWORD})
    assert response.location == "/admin/customer/"


def test_language_switch_cannot_redirect_off_site(clerk_client):
    response = clerk_client.post("/language", data={"language": "en", "next": "//evil.com"})
    assert response.location == "/admin/"


def test_lockout_after_repeated_failures(app, client, make_user):
    user = make_user("clerk")
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        client.post("/login", data={"username": user.username, "password": "wrong-password"})
    refused = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert refused.status_code == 200, "the right password does not open a locked account"
    assert not _is_logged_in(client)
    assert User.get_by_id(user.id).locked_until > now()
    User.update(locked_until=now() - dt.timedelta(seconds=1)).where(User.id == user.id).execute()
    login(client, user)
    assert User.get_by_id(user.id).failed_logins == 0


def test_failures_below_the_limit_do_not_lock(app, client, make_user):
    user = make_user("clerk")
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        client.post("/login", data={"username": user.username, "password": "wrong-password"})
    login(client, user)
    assert _is_logged_in(client)


def test_login_starts_a_new_session(client, make_user):
    user = make_user("clerk")
    client.get("/login?lang=en")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, user)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_session_cookie_is_http_only(client, make_user):
    user = make_user("clerk")
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
