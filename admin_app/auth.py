"""Log in, log out and pick a language."""
import datetime as dt
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from admin_app import throttle
from models import User, now

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to continue.")
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(user_id):
    """Load the logged-in user from the session."""
    user = User.get_or_none(User.id == int(user_id))
    return user if user and user.active else None


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])


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


def _locked(user):
    return user is not None and user.locked_until is not None and user.locked_until > now()


def _record_failure(user):
    if user is None:
        return
    user.failed_logins += 1
    if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
        user.locked_until = now() + dt.timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
    user.save(only=[User.failed_logins, User.locked_until])


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form and check the credentials."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = User.by_name(form.username.data)
        ok = user is not None and user.active and not _locked(user) and user.check_password(form.password.data)
        if user is None:
            throttle.spend_hash_time(form.password.data)  # unknown names answer as slowly as wrong passwords
        if throttle.address_blocked(request.remote_addr):
            ok = False
        if ok:
            session.clear()
            session.permanent = True
            login_user(user)
            user.touch_login()
            return redirect(safe_next(request.args.get("next")))
        _record_failure(user)
        throttle.record_failure(request.remote_addr, form.username.data)
        flash(_("Wrong username or password, or the account is locked for a while."), "error")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """End the session."""
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


def init_app(app):
    """Register login handling and the auth routes."""
    login_manager.init_app(app)
    app.register_blueprint(bp)

    @app.before_request
    def _refresh_session():
        # sliding idle timeout: each request renews the session lifetime
        session.modified = session.permanent = True
