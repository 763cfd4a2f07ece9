"""Accounts and the read-only logs."""
from flask import current_app, flash, session
from flask_admin.actions import action
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from wtforms import PasswordField
from wtforms.validators import Length, Optional

from admin_app.services.trust import password_policy, sessions
from models import User
from views import log_formatters as fmt
from views.base import SecureModelView


class UserView(SecureModelView):
    """Accounts and their roles; only the administrator manages them."""

    column_list = ("username", "display_name", "role", "language", "active", "last_login")
    column_searchable_list = ("username", "display_name")
    column_filters = ("role", "active", "language", "last_login")
    form_columns = ("username", "display_name", "role", "language", "active", "password")
    form_extra_fields = {
        **SecureModelView.form_extra_fields,
        "password": PasswordField(
            _l("Password"), validators=[Optional(), Length(max=128), password_policy.validator()],
            description=_l("At least 10 characters of two kinds, not the username; leave empty to keep.")),
    }

    column_exclude_list = ("password_hash", "totp_secret", "totp_last_step")
    column_details_exclude_list = ("password_hash", "totp_secret", "totp_last_step", "version")

    def on_model_change(self, form, model, is_created):
        if form.password.data:
            model.set_password(form.password.data)
        elif is_created:
            raise ValueError(_l("A new account needs a password."))
        if not is_created:
            reason = sessions.change_reason(User.get_by_id(model.id), model)
            if reason:
                # a new password, another role or a deactivation ends the user's sessions (the admin's own
                # current one survives when they edit themselves)
                keep = session.get("sid") if model.id == current_user.id else None
                sessions.end_all(model.id, reason, keep_key=keep)

    def after_model_change(self, form, model, is_created):
        super().after_model_change(form, model, is_created)
        if model.id == current_user.id and not is_created:
            session["auth"] = sessions.credentials_stamp(model, current_app.config["SECRET_KEY"])

    @action("end_sessions", _l("Sign out everywhere"), _l("End every session of the selected users?"))
    def action_end_sessions(self, ids):
        keep = session.get("sid")
        count = sum(sessions.end_all(int(i), "others", keep_key=keep) for i in ids)
        flash(ngettext("%(num)d session was ended.", "%(num)d sessions were ended.", count), "success")

    @action("reset_two_factor", _l("Reset second factor"),
            _l("Turn off the second factor of the selected users? They set it up again at their next login."))
    def action_reset_two_factor(self, ids):
        count = (User.update(totp_secret=None, totp_last_step=0)
                 .where(User.id.in_([int(i) for i in ids]), User.totp_secret.is_null(False)).execute())
        flash(ngettext("The second factor of %(num)d user was reset.",
                       "The second factor of %(num)d users were reset.", count), "success")


class LogView(SecureModelView):
    """A log that can be read and filtered but never changed from the panel."""

    # people read "who" and "what kind of record", not a login name and a table
    column_labels = {**SecureModelView.column_labels, "username": _l("User"), "table": _l("Kind of record")}

    column_default_sort = ("id", True)
    page_size = 50


class ChangeLogView(LogView):
    """Every change to every record."""

    column_list = ("at", "username", "table", "record_id", "action", "changes")
    column_card_list = ("record_id", "at", "username", "action", "changes")  # on a phone: what changed, by whom
    column_filters = ("table", "action", "username", "record_id", "at")
    column_searchable_list = ("username", "changes")
    column_formatters = {"at": fmt.when, "username": fmt.who, "table": fmt.table_label,
                         "record_id": fmt.record_name, "action": fmt.history_action, "changes": fmt.changes}


class AccessLogView(LogView):
    """Who opened or revealed personal data."""

    column_list = ("at", "username", "action", "table", "record_id", "customer_id", "purpose", "detail")
    column_card_list = ("customer_id", "record_id", "at", "username", "action", "purpose")
    column_filters = ("action", "username", "customer_id", "at")
    column_searchable_list = ("username", "detail", "purpose")
    column_formatters = {"at": fmt.when, "username": fmt.who, "table": fmt.table_label,
                         "record_id": fmt.record_name, "action": fmt.access_action,
                         "customer_id": fmt.customer_name}
