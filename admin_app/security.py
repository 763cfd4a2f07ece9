"""Web hardening: security headers with a nonce-based CSP, and error pages that never leak internals."""
import decimal
import logging
import secrets

import peewee as pw
from flask import current_app, g, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

#: what may precede an inline handler attribute (ASCII whitespace, as HTML allows between attributes)
HANDLER_SPACES = " \n\t\r\f\v"
JS_URL = 'href="javascript:void(0)"'
ERRORS = {
    400: (_l("Bad request"), _l("The request could not be understood. If you submitted a form, reload it and "
                                "try again.")),
    403: (_l("Not allowed"), _l("Your role does not allow this page or operation.")),
    404: (_l("Not found"), _l("This page or record does not exist (it may have been deleted).")),
    405: (_l("Method not allowed"), _l("This address cannot be used that way.")),
    413: (_l("Too large"), _l("The upload is larger than the allowed size.")),
    500: (_l("Something went wrong"), _l("The request could not be completed. It has been logged; nothing was "
                                         "half-saved. Please try again.")),
    503: (_l("Busy"), _l("The database is busy. Nothing was saved; please try again in a moment.")),
}


def csp_nonce():
    """Return this request's CSP nonce, creating it on first use."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def content_security_policy(nonce):
    """Return the CSP: scripts only from this site or with the request's nonce, no framing."""
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        # Bootstrap widgets and select2 set inline styles; styles cannot run code
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def _defuse_inline_handlers(response):
    # Flask-Admin's stock templates carry a few onclick="..." attributes, which the CSP blocks (Chrome reports
    # them as they are parsed); rename them so static/js/csp-handlers.js re-attaches them as listeners.
    # User data cannot match: it is escaped, so its quotes never appear as a raw `="`.
    if response.mimetype == "text/html" and not response.direct_passthrough and not response.is_streamed:
        body = response.get_data(as_text=True)
        if " onclick=\"" in body or JS_URL in body:
            for space in HANDLER_SPACES:  # plain replaces: a regex scan of the page cost more
                body = body.replace(f'{space}onclick="', ' data-csp-onclick="')
            response.set_data(body.replace(JS_URL, 'href="#" data-csp-noop="1"'))


def set_security_headers(response):
    """Add the security headers to every response."""
    _defuse_inline_handlers(response)
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.endpoint not in ("static", "admin.static"):
        # pages may show personal data: keep them out of shared caches and the back-button cache
        headers.setdefault("Cache-Control", "no-store")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def error_page(code):
    """Render the translated error page for an HTTP status."""
    title, message = ERRORS.get(code, ERRORS[500])
    return render_template("errors/error.html", code=code, title=title, message=message), code


def _http_error(error):
    if not isinstance(error, HTTPException) or error.code not in ERRORS:
        return error
    return error_page(error.code)


def _database_error(error):
    # the raw message can name tables and values: log it, show a plain sentence
    if isinstance(error, pw.DataError):
        # a value the column cannot hold (text for a number, say): the request is bad, not the server
        log.info("bad value on %s %s: %s", request.method, request.path, error)
        return error_page(400)
    log.exception("database error on %s %s", request.method, request.path, exc_info=error)
    busy = isinstance(error, pw.OperationalError) and "locked" in str(error).lower()
    return error_page(503 if busy else 500)


def _too_big(error):
    # a number too large for the database in an id, filter or form: the request is bad, not the server
    log.info("number out of range on %s %s: %s", request.method, request.path, error)
    return error_page(400)


def _server_error(error):
    original = getattr(error, "original_exception", None)
    if isinstance(original, pw.DatabaseError):
        return _database_error(original)
    log.error("server error on %s %s", request.method, request.path, exc_info=original or error)
    return error_page(500)


def init_app(app):
    """Install headers, the CSP nonce and the error pages."""
    app.after_request(set_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    for code in ERRORS:
        if code != 500:
            app.register_error_handler(code, _http_error)
    app.register_error_handler(pw.DatabaseError, _database_error)
    app.register_error_handler(OverflowError, _too_big)
    app.register_error_handler(decimal.InvalidOperation, _too_big)
    app.register_error_handler(InternalServerError, _server_error)
