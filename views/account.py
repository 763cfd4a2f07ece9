"""The user's own account: active sessions, password, second factor; the administrator's two-factor policy."""
from flask import abort, current_app, flash, g, redirect, request, session, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from admin_app.permissions import allowed
from admin_app.services.trust import password_policy, sessions, two_factor
from admin_app.services.trust.login_check import check_credentials
from admin_app.typed_forms import TypedValuesMixin
from models import User, now
from models.choices import ROLES
from views.access import RoleCheckedView
from views.my_defaults import MyDefaultsMixin


class PasswordForm(FlaskForm):
    """Change one's own password: the current one, then the new one twice."""

    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=256)])
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=128)])
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The two entries differ."))])


class CodeForm(TypedValuesMixin, FlaskForm):
    """The code shown by the authenticator app, and the signed secret it was scanned from."""

    code = StringField(_l("Verification code"), validators=[DataRequired(), Length(max=16)])
    sealed = HiddenField()


class AccountView(MyDefaultsMixin, RoleCheckedView):
    """My account: where I am logged in (and ending any of it), my password, my second factor."""

    def is_visible(self):
        return False  # reached from the user menu, not the navigation bar

    def _page(self, form):
        return self.render("admin/account.html", rows=sessions.open_sessions(current_user.id),
                           current_id=g.user_session.id, form=form, may_enrol=two_factor.may_enrol(current_user.role),
                           browser_label=sessions.browser_label)

    @expose("/")
    def index(self):
        return self._page(PasswordForm())

    @expose("/sessions/end/", methods=("POST",))
    def end_session(self):
        target = request.form.get("id", type=int)
        if not target or not sessions.end(target, "ended", user_id=current_user.id):
            abort(404)
        if target == g.user_session.id:
            logout_user()
            session.clear()
            flash(_("You have been logged out."), "info")
            return redirect(url_for("auth.login"))
        flash(_("The session was ended; that browser must log in again."), "success")
        return redirect(url_for(".index"))

    @expose("/sessions/end-others/", methods=("POST",))
    def end_others(self):
        count = sessions.end_all(current_user.id, "others", keep_key=session.get("sid"))
        flash(ngettext("%(num)d other session was ended.", "%(num)d other sessions were ended.", count), "success")
        return redirect(url_for(".index"))

    @expose("/password/", methods=("POST",))
    def change_password(self):
        form = PasswordForm()
        valid = form.validate_on_submit()
        reasons = password_policy.problems(form.password.data or "", current_user.username) if valid else []
        if reasons:
            form.password.errors.extend(str(r) for r in reasons)
        if not valid or reasons:
            return self._page(form)
        user = User.get_by_id(current_user.id)
        if not check_credentials(user, form.current.data, now()):
            flash(_("The current password is wrong."), "error")
            return redirect(url_for(".index"))
        user.set_password(form.password.data)
        user.save(only=[User.password_hash])
        count = sessions.end_all(user.id, "password", keep_key=session.get("sid"))
        session["auth"] = sessions.credentials_stamp(user, current_app.config["SECRET_KEY"])
        flash(ngettext("Your password was changed; %(num)d other session was ended.",
                       "Your password was changed; %(num)d other sessions were ended.", count), "success")
        return redirect(url_for(".index"))

    @expose("/two-factor/", methods=("GET", "POST"))
    def two_factor(self):
        if not two_factor.may_enrol(current_user.role):
            abort(403)
        form = CodeForm()
        key = current_app.config["SECRET_KEY"]
        # the secret being enrolled rides in a signed form field: a concurrent request rewriting the
        # session cookie cannot swap it for another one between showing the QR code and confirming it
        shown = two_factor.open_secret(form.sealed.data, current_user.id, key) if request.method == "POST" else None
        secret = shown or two_factor.new_secret()
        if form.validate_on_submit():
            step = two_factor.verify(shown, form.code.data)
            if step:
                User.update(totp_secret=secret, totp_last_step=step).where(User.id == current_user.id).execute()
                sessions.end_all(current_user.id, "2fa", keep_key=session.get("sid"))
                flash(_("The second factor is on: from now on you log in with a code from your app."), "success")
                return redirect(url_for(".index"))
            form.code.errors.append(_("The code is wrong. Type the current code of your authenticator app.") if shown
                                    else _("This code has expired. Scan the new code below and type what it shows."))
        form.sealed.data = two_factor.seal_secret(secret, current_user.id, key)
        uri = two_factor.provisioning_uri(secret, current_user.username, _("Customer Service Back Office"))
        return self.render("admin/two_factor.html", form=form, qr=Markup(two_factor.qr_svg(uri)), secret=secret,
                           enrolled=bool(current_user.totp_secret), required=two_factor.required(current_user.role))

    @expose("/two-factor/off/", methods=("POST",))
    def two_factor_off(self):
        if two_factor.required(current_user.role):
            flash(_("Your role must use a second factor; it cannot be turned off."), "error")
        else:
            User.update(totp_secret=None, totp_last_step=0).where(User.id == current_user.id).execute()
            flash(_("The second factor is off."), "success")
        return redirect(url_for(".index"))


class TwoFactorPolicyView(RoleCheckedView):
    """The administrator decides which roles must log in with a second factor."""

    @expose("/", methods=("GET", "POST"))
    def index(self):
        if request.method == "POST":
            if not allowed(self.endpoint, "edit"):
                abort(403)
            two_factor.set_policy(request.form.getlist("required"))
            flash(_("The second-factor requirement was saved."), "success")
            return redirect(url_for(".index"))
        labels = dict(ROLES)
        rows = [(role, labels.get(role, role), required) for role, required in two_factor.policy().items()]
        enrolled = {role: User.select().where(User.role == role, User.active == True,  # noqa: E712
                                              User.totp_secret.is_null(False)).count() for role, _l2, _r in rows}
        return self.render("admin/two_factor_policy.html", rows=rows, enrolled=enrolled)
