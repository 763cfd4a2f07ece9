"""Web hardening: security headers, CSP nonce, error pages in both languages, database errors never raw."""
import peewee as pw
import pytest

from models import Customer


def test_every_page_carries_the_security_headers(clerk_client):
    response = clerk_client.get("/admin/customer/")
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in headers


def test_login_page_has_headers_too(client):
    assert client.get("/login").headers["X-Frame-Options"] == "DENY"


def test_every_inline_script_carries_the_request_nonce(clerk_client, make_customer):
    make_customer()
    response = clerk_client.get("/admin/customer/")
    nonce = response.headers["Content-Security-Policy"].split("'nonce-", 1)[1].split("'", 1)[0]
    page = response.get_data(as_text=True)
    scripts = page.count("<script")
    assert scripts > 0
    assert page.count(f'nonce="{nonce}"') >= scripts


def test_nonce_changes_per_request(clerk_client):
    first = clerk_client.get("/admin/").headers["Content-Security-Policy"]
    second = clerk_client.get("/admin/").headers["Content-Security-Policy"]
    assert first != second


def test_hsts_only_with_secure_cookies(app, clerk_client):
    app.config["SESSION_COOKIE_SECURE"] = True
    try:
        assert "max-age=" in clerk_client.get("/admin/").headers["Strict-Transport-Security"]
    finally:
        app.config["SESSION_COOKIE_SECURE"] = False


@pytest.mark.parametrize("language, text", [("en", "does not exist"), ("zh_Hans_CN", "<html lang=\"zh-CN\"")])
def test_not_found_page_is_friendly_in_both_languages(client, language, text):
    response = client.get(f"/no-such-page?lang={language}")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert 'id="error-page"' in page and text in page


def test_forbidden_page_for_another_roles_view(technician_client):
    response = technician_client.get("/admin/user/")
    assert response.status_code == 403
    assert 'data-code="403"' in response.get_data(as_text=True)


def test_get_on_a_post_only_route_is_refused(clerk_client):
    response = clerk_client.get("/logout")
    assert response.status_code == 405
    assert 'data-code="405"' in response.get_data(as_text=True)


def test_oversized_upload_is_refused_cleanly(app, clerk_client):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = clerk_client.post("/admin/customer/new/", data={"name": "x" * 5000})
    assert response.status_code == 413
    assert 'data-code="413"' in response.get_data(as_text=True)


def test_database_error_is_logged_not_shown(app, clerk_client, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise pw.OperationalError("no such column: secret_internal_name")

    monkeypatch.setattr(Customer, "select", classmethod(broken))
    response = clerk_client.get("/admin/customer/")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret_internal_name" not in page and 'data-code="500"' in page
    assert "secret_internal_name" in caplog.text
