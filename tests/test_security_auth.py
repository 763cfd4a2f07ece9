"""Login throttling per address, password policy, idle timeout, double-submit protection."""
import datetime as dt
import re
import time

import pytest

from admin_app.services.trust import password_policy
from models import Customer, User
from tests.conftest import PASSWORD

MESSAGE_RE = re.compile(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', re.S)


def _login(client, username, password, address="10.0.0.1"):
    return client.post("/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def _message(response):
    return " ".join(MESSAGE_RE.findall(response.get_data(as_text=True))).strip()


def test_unknown_user_and_wrong_password_get_the_same_answer(app, make_user):
    user = make_user("clerk")
    unknown = _login(app.test_client(), "nobody-here", "whatever-123")
    wrong = _login(app.test_client(), user.username, "wrong-password-1")
    assert unknown.status_code == wrong.status_code == 200
    assert _message(unknown) == _message(wrong) != ""


def test_an_address_with_many_failures_must_wait(app, make_user):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    user = make_user("clerk")
    for name in ("a1", "a2", "a3"):
        _login(app.test_client(), name, "guess-guess-1", address="10.9.9.9")
    blocked = _login(app.test_client(), user.username, PASSWORD, address="10.9.9.9")
    assert blocked.status_code == 429 and "_user_id" not in (blocked.headers.get("Set-Cookie") or "")
    assert _login(app.test_client(), user.username, PASSWORD, address="10.1.1.1").status_code == 302


@pytest.mark.parametrize("password, username, ok", [
    ("short1A", "li", False),
    ("aaaaaaaaaaaa", "li", False),
    ("123456789012", "li", False),
    ("zhangwei2026", "zhangwei2026", False),
    ("ZhangWei2026", "zhangwei2026", False),
    ("horse-battery-7", "li", True),
    ("客服台账密码很长很长123", "li", True),
])
def test_password_policy(password, username, ok):
    assert (password_policy.problems(password, username) == []) is ok


def test_user_form_refuses_a_weak_password(admin_client):
    page = admin_client.post("/admin/user/new/", data={
        "username": "wangfang", "display_name": "王芳", "role": "clerk", "language": "zh_Hans_CN",
        "active": "y", "password": "1234567890"}).get_data(as_text=True)
    assert User.get_or_none(User.username == "wangfang") is None
    assert "has-error" in page or "invalid-feedback" in page


def test_create_user_command_applies_the_policy(app):
    runner = app.test_cli_runner()
    weak = runner.invoke(args=["create-user", "zhaolei", "--password", "zhaolei"])
    assert weak.exit_code != 0 and User.get_or_none(User.username == "zhaolei") is None
    good = runner.invoke(args=["create-user", "zhaolei", "--password", "Tea-house-42"])
    assert good.exit_code == 0, good.output


def test_set_password_command_recovers_a_lost_admin_password(app, client, make_user):
    """A lost admin password: the command sets a new one (policy applied), unlocks the account, ends sessions."""
    from models import UserSession

    admin = make_user("admin", username="boss")
    User.update(failed_logins=9, locked_until=dt.datetime.now() + dt.timedelta(hours=1)).where(
        User.id == admin.id).execute()
    UserSession.create(user=admin, key_hash="x" * 64, user_agent="old")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["set-password", "boss", "--password", "boss"]).exit_code != 0  # the policy
    assert runner.invoke(args=["set-password", "nobody", "--password", "Tea-house-42"]).exit_code != 0
    done = runner.invoke(args=["set-password", "boss", "--password", "Tea-house-42"])
    assert done.exit_code == 0, done.output
    assert not UserSession.select().where(UserSession.user == admin.id, UserSession.ended_at.is_null()).exists()
    response = client.post("/login", data={"username": "boss", "password": "Tea-house-42"})
    assert response.status_code == 302 and "/login" not in response.location


REAL_TIME = time.time


def _shift_clock(monkeypatch, minutes):
    """Pretend `minutes` have passed since the test began, for the session signature's clock."""
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: REAL_TIME() + minutes * 60)


def test_idle_session_expires(app, clerk_client, monkeypatch):
    app.permanent_session_lifetime = app.config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(minutes=30)
    assert clerk_client.get("/admin/customer/").status_code == 200
    _shift_clock(monkeypatch, 31)
    response = clerk_client.get("/admin/customer/")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_activity_keeps_the_session_alive(app, clerk_client, monkeypatch):
    app.permanent_session_lifetime = app.config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(minutes=30)
    _shift_clock(monkeypatch, 20)
    assert clerk_client.get("/admin/customer/").status_code == 200
    _shift_clock(monkeypatch, 45)
    assert clerk_client.get("/admin/customer/").status_code == 200


def _create_form(client):
    page = client.get("/admin/customer/new/").get_data(as_text=True)
    token = re.search(r'name="submit_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="submit_token"', page)
    return next(g for g in token.groups() if g)


def test_submitting_the_same_create_twice_makes_one_record(clerk_client):
    form = {"name": "重复提交", "customer_type": "individual", "submit_token": _create_form(clerk_client)}
    first = clerk_client.post("/admin/customer/new/", data=form)
    second = clerk_client.post("/admin/customer/new/", data=form, follow_redirects=True)
    assert first.status_code == 302
    assert Customer.select().where(Customer.name == "重复提交").count() == 1
    assert "alert-danger" in second.get_data(as_text=True)


def test_two_create_forms_make_two_records(clerk_client):
    for token in (_create_form(clerk_client), _create_form(clerk_client)):
        clerk_client.post("/admin/customer/new/", data={"name": "两次", "customer_type": "individual",
                                                        "submit_token": token})
    assert Customer.select().where(Customer.name == "两次").count() == 2
