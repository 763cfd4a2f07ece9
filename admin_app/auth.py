"""Log in (password, then the second factor when enrolled), log out and pick a language."""
import datetime as dt
import time
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from admin_app.ratelimit import client_address, limiter
from admin_app.services.trust import sessions, two_factor
from admin_app.services.trust.login_check import check_credentials
from admin_app.typed_forms import TypedValuesMixin
from models import User, now

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to continue.")
login_manager.login_message_category = "info"
FAILED = _l("Wrong username or password, or the account is locked for a while.")
PENDING_SECONDS = 300  # time to type the second factor after the password


@login_manager.user_loader
def load_user(user_id):
    """Load the user of the open server-side session the cookie names (None when it ended)."""
    config = current_app.config
    row = sessions.find(int(user_id), session.get("sid"), config["PERMANENT_SESSION_LIFETIME"],
                        dt.timedelta(hours=config["SESSION_ABSOLUTE_HOURS"]), config["SESSION_TOUCH_SECONDS"])
    if row is None:
        return None
    if session.get("auth") != sessions.credentials_stamp(row.user, config["SECRET_KEY"]):
        sessions.end(row.id, "changed")  # password or role changed by a path that did not end it
        return None
    g.user_session = row
    return row.user


class LoginForm(TypedValuesMixin, FlaskForm):
    """Username and password."""

    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])


class CodeForm(TypedValuesMixin, FlaskForm):
    """The six digits of the authenticator app."""

    code = StringField(_l("Verification code"), validators=[DataRequired(), Length(max=16)])


def safe_next(target):
    """Return target when it stays on this site, else the admin home."""
    target = target or ""
    # "///evil.com" and "/<tab>/evil.com" look like paths here, but browsers read them as another host
    local = target.startswith("/") and not target.startswith("//") and "\\" not in target
    if local and not any(ch.isspace() or ord(ch) < 32 for ch in target):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("admin.index")


def _record_failure(user):
    g.login_failed = True  # counted against the address by the limiter (deduct_when)
    if user is None:
        return
    user.failed_logins += 1
    if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
        user.locked_until = now() + dt.timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
    user.save(only=[User.failed_logins, User.locked_until])


def complete_login(user):
    """Open a new server-side session for the user and put its key in a fresh cookie."""
    session.clear()
    session.permanent = True
    login_user(user)
    session["sid"] = sessions.start(user, client_address(), request.user_agent.string)
    session["auth"] = sessions.credentials_stamp(user, current_app.config["SECRET_KEY"])
    user.touch_login()


def _address_limit():
    config = current_app.config
    return f"{config['LOGIN_MAX_FAILURES_PER_ADDRESS']} per {config['LOGIN_LOCK_MINUTES']} minutes"


def _blocked(_limit):
    """Answer a login from an address that failed too often: the login form with the usual message."""
    flash(FAILED, "error")
    return current_app.make_response((render_template("auth/login.html", form=LoginForm()), 429))


def _failed(response):
    return bool(g.get("login_failed"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_address_limit, key_func=client_address, methods=["POST"], deduct_when=_failed,
               on_breach=_blocked)
def login():
    """Show the login form and check the credentials."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = User.by_name(form.username.data)
        if check_credentials(user, form.password.data, now()):
            if user.totp_secret:
                session.clear()
                session["pending_2fa"] = [user.id, int(time.time()), request.args.get("next") or ""]
                return redirect(url_for("auth.second_factor"))
            complete_login(user)
            return redirect(safe_next(request.args.get("next")))
        _record_failure(user)
        flash(FAILED, "error")
    return render_template("auth/login.html", form=form)


def _pending_user():
    pending = session.get("pending_2fa")
    if not pending or time.time() - pending[1] > PENDING_SECONDS:
        return None, ""
    user = User.get_or_none(User.id == pending[0])
    return (user if user and user.active and user.totp_secret else None), pending[2]


@bp.route("/login/two-factor", methods=["GET", "POST"])
@limiter.limit(_address_limit, key_func=client_address, methods=["POST"], deduct_when=_failed,
               on_breach=_blocked)
def second_factor():
    """Ask for the authenticator code after a right password."""
    user, target = _pending_user()
    if user is None:
        session.pop("pending_2fa", None)
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        locked = user.locked_until is not None and user.locked_until > now()
        step = two_factor.verify(user.totp_secret, form.code.data, user.totp_last_step)
        if step and not locked:
            User.update(totp_last_step=step).where(User.id == user.id).execute()
            complete_login(user)
            return redirect(safe_next(target))
        _record_failure(user)
        flash(_("The code is wrong or already used. Type the current code of your authenticator app."), "error")
    return render_template("auth/second_factor.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """End the session, on the server too: the old cookie no longer works."""
    sessions.end_by_key(session.get("sid"), "logout")
    logout_user()
    session.clear()
    flash(_("You have been logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
@login_required
def language():
    """Save the user's language and go back."""
    code = request.form.get("language")
    if code in current_app.config["LANGUAGES"]:
        current_user.language = code
        current_user.save(only=[User.language])
    return redirect(safe_next(request.form.get("next")))


ENROL_EXEMPT = {"static", "admin.static", "auth.logout", "auth.language", "account.two_factor",
                "account.index", "account.end_session", "account.end_others"}


class PageSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, except that static files never rewrite the cookie."""

    def should_set_cookie(self, app, session):
        # a stylesheet answered late would otherwise put back the cookie as it was before the page it
        # belongs to changed it, dropping flashed messages and pending login steps
        if (request.endpoint or "").endswith("static"):
            return False
        return super().should_set_cookie(app, session)


def init_app(app):
    """Register login handling and the auth routes."""
    login_manager.init_app(app)
    app.register_blueprint(bp)

    app.session_interface = PageSessionInterface()

    @app.before_request
    def _refresh_session():
        # sliding idle timeout: each page request renews the session lifetime
        session.modified = session.permanent = True

    @app.before_request
    def _require_second_factor():
        # a role the administrator requires the second factor of must enrol before anything else
        if request.endpoint in ENROL_EXEMPT or not current_user.is_authenticated:
            return None
        if not current_user.totp_secret and two_factor.required(current_user.role):
            flash(_("Your role must log in with a second factor. Set up your authenticator app to continue."),
                  "info")
            return redirect(url_for("account.two_factor"))
        return None
