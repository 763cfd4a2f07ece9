"""Accounts and the read-only logs."""
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField
from wtforms.validators import Length, Optional

from admin_app.services.trust import password_policy
from views import log_formatters as fmt
from views.base import SecureModelView


class UserView(SecureModelView):
    """Accounts and their roles; only the administrator manages them."""

    column_list = ("username", "display_name", "role", "language", "active", "last_login")
    column_searchable_list = ("username", "display_name")
    column_filters = ("role", "active", "language", "last_login")
    column_exclude_list = ("password_hash",)
    column_details_exclude_list = ("password_hash", "version")
    form_columns = ("username", "display_name", "role", "language", "active", "password")
    form_extra_fields = {
        **SecureModelView.form_extra_fields,
        "password": PasswordField(
            _l("Password"), validators=[Optional(), Length(max=128), password_policy.validator()],
            description=_l("At least 10 characters of two kinds, not the username; leave empty to keep.")),
    }

    def on_model_change(self, form, model, is_created):
        if form.password.data:
            model.set_password(form.password.data)
        elif is_created:
            raise ValueError(_l("A new account needs a password."))


class LogView(SecureModelView):
    """A log that can be read and filtered but never changed from the panel."""

    column_default_sort = ("id", True)
    page_size = 50


class ChangeLogView(LogView):
    """Every change to every record."""

    column_list = ("at", "username", "table", "record_id", "action", "changes")
    column_filters = ("table", "action", "username", "record_id", "at")
    column_searchable_list = ("username", "changes")
    column_formatters = {"at": fmt.when, "username": fmt.who, "table": fmt.table_label,
                         "action": fmt.history_action, "changes": fmt.changes}


class AccessLogView(LogView):
    """Who opened or revealed personal data."""

    column_list = ("at", "username", "action", "table", "record_id", "customer_id", "detail")
    column_filters = ("action", "username", "customer_id", "at")
    column_searchable_list = ("username", "detail")
    column_formatters = {"at": fmt.when, "username": fmt.who, "table": fmt.table_label,
                         "action": fmt.access_action, "customer_id": fmt.customer_name}
