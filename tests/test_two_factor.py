"""The optional second factor (issue 16, item 8): TOTP for admin and manager accounts, required per role."""
import re

import pyotp
import pytest

from admin_app.services.trust import two_factor
from models import TwoFactorPolicy, User, UserSession
from tests.conftest import CSRF_RE, PASSWORD


def enrol(client):
    """Set up the second factor through the page; return the secret."""
    page = client.get("/admin/account/two-factor/").get_data(as_text=True)
    assert "<svg" in page
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    token = CSRF_RE.search(page).group(1)  # the home page (the client's usual source) waits for enrolment
    sealed = SEALED_RE.search(page).group(1)
    response = client.post("/admin/account/two-factor/",
                           data={"code": pyotp.TOTP(secret).now(), "csrf_token": token, "sealed": sealed})
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    return secret


SEALED_RE = re.compile(r'name="sealed" type="hidden" value="([^"]+)"')


def password_step(app, user):
    client = app.test_client()
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    return client, response


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_enrolled_accounts_log_in_with_password_and_code(app, login_as, role):
    client = login_as(role)
    secret = enrol(client)
    assert User.get_by_id(client.user.id).totp_secret == secret
    fresh, response = password_step(app, client.user)
    assert response.location.endswith("/login/two-factor")
    assert fresh.get("/admin/customer/").status_code == 302  # not logged in after the password alone
    step = int(pyotp.TOTP(secret).timecode(__import__("datetime").datetime.now()))
    code = pyotp.TOTP(secret).generate_otp(step + 1)  # the next step: the enrolment used the current one
    assert fresh.post("/login/two-factor", data={"code": code}).status_code == 302
    assert fresh.get("/admin/customer/").status_code == 200


def test_a_code_typed_in_full_width_digits_is_accepted(app, login_as):
    """A Chinese input method types １２３４５６: the login step reads it as 123456, as every form does."""
    client = login_as("manager")
    secret = enrol(client)
    fresh, _response = password_step(app, client.user)
    step = int(pyotp.TOTP(secret).timecode(__import__("datetime").datetime.now()))
    code = pyotp.TOTP(secret).generate_otp(step + 1)
    full_width = "".join(chr(ord(digit) + 0xFEE0) for digit in code)
    assert fresh.post("/login/two-factor", data={"code": f"\u3000{full_width} "}).status_code == 302
    assert fresh.get("/admin/customer/").status_code == 200


def test_a_wrong_or_reused_code_is_refused(app, login_as):
    client = login_as("manager")
    secret = enrol(client)
    fresh, _ = password_step(app, client.user)
    assert fresh.post("/login/two-factor", data={"code": "000000"}).status_code == 200
    used = User.get_by_id(client.user.id).totp_last_step
    reused = pyotp.TOTP(secret).generate_otp(used)
    page = fresh.post("/login/two-factor", data={"code": reused})
    assert page.status_code == 200 and fresh.get("/admin/customer/").status_code == 302
    assert User.get_by_id(client.user.id).failed_logins == 2


def test_enrolment_survives_a_session_rewritten_in_between(manager_client):
    """A response that rewrites the session cookie between the QR code and the confirm keeps the shown code valid."""
    page = manager_client.get("/admin/account/two-factor/").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    with manager_client.session_transaction() as stored:
        stored.pop("totp_enrol", None)  # what a stale concurrent response used to do to the pending secret
    response = manager_client.post("/admin/account/two-factor/", data={
        "code": pyotp.TOTP(secret).now(), "sealed": SEALED_RE.search(page).group(1)})
    assert response.status_code == 302 and User.get_by_id(manager_client.user.id).totp_secret == secret


def test_a_secret_sealed_for_someone_else_is_refused(app, login_as):
    other = login_as("admin")
    page = other.get("/admin/account/two-factor/").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    manager = login_as("manager")
    response = manager.post("/admin/account/two-factor/", data={
        "code": pyotp.TOTP(secret).now(), "sealed": SEALED_RE.search(page).group(1)})
    assert response.status_code == 200 and "已过期" in response.get_data(as_text=True)
    assert User.get_by_id(manager.user.id).totp_secret is None


def test_a_wrong_code_at_enrolment_turns_nothing_on(manager_client):
    manager_client.get("/admin/account/two-factor/")
    page = manager_client.post("/admin/account/two-factor/", data={"code": "123456"})
    assert page.status_code == 200 and User.get_by_id(manager_client.user.id).totp_secret is None


@pytest.mark.parametrize("role", ["clerk", "technician", "quality", "supervisor"])
def test_other_roles_cannot_enrol(login_as, role):
    assert login_as(role).get("/admin/account/two-factor/").status_code == 403


def test_the_administrator_requires_it_for_a_role(app, admin_client, login_as):
    manager = login_as("manager")
    admin_client.post("/admin/two-factor-policy/", data={"required": ["manager"]})
    assert two_factor.required("manager") and not two_factor.required("admin")
    response = manager.get("/admin/customer/")
    assert response.status_code == 302 and response.location.endswith("/admin/account/two-factor/")
    enrol(manager)
    assert manager.get("/admin/customer/").status_code == 200
    assert manager.post("/admin/account/two-factor/off/", data={}).status_code == 302  # refused with a message
    assert User.get_by_id(manager.user.id).totp_secret is not None  # required: it cannot be turned off


@pytest.mark.parametrize("role", ["manager", "clerk"])
def test_only_the_administrator_sets_the_policy(login_as, role):
    client = login_as(role)
    assert client.get("/admin/two-factor-policy/").status_code == 403
    assert client.post("/admin/two-factor-policy/", data={"required": ["admin"]}).status_code == 403
    assert not TwoFactorPolicy.select().exists()


def test_the_administrator_resets_a_lost_second_factor(app, admin_client, login_as):
    manager = login_as("manager")
    enrol(manager)
    admin_client.post("/admin/user/action/", data={"action": "reset_two_factor", "rowid": [manager.user.id]})
    assert User.get_by_id(manager.user.id).totp_secret is None
    _fresh, response = password_step(app, manager.user)
    assert response.status_code == 302 and not response.location.endswith("/login/two-factor")


@pytest.mark.parametrize("language, words", [("zh_Hans_CN", "验证码"), ("en", "Verification code")])
def test_the_pages_speak_both_languages(app, login_as, language, words):
    client = login_as("manager", language=language)
    enrol(client)
    fresh, _ = password_step(app, client.user)
    assert words in fresh.get(f"/login/two-factor?lang={language}").get_data(as_text=True)
    assert words in client.get(f"/admin/account/two-factor/?lang={language}").get_data(as_text=True)


def test_enrolling_ends_the_other_sessions(app, login_as):
    manager = login_as("manager")
    other, _ = password_step(app, manager.user)
    enrol(manager)
    assert other.get("/admin/customer/").status_code == 302
    assert UserSession.select().where(UserSession.end_reason == "2fa").count() == 1
