"""An owner (负责人) filter on every list whose records have an owner: "me" first, then each active user by name."""
from flask_admin.babel import lazy_gettext as admin_lazy_gettext
from flask_admin.contrib.peewee import filters as pf
from flask_babel import gettext as _
from flask_login import current_user

from models import User
from models.prepared import Prepared
from views.labels import LABELS

ME = "me"

_ACTIVE_USERS = Prepared(lambda: User.select(User.id, User.username, User.display_name).where(User.active)
                         .order_by(User.username), 0)


def owner_options():
    """Return [(value, label)]: "me", then the active users by display name."""
    users = _ACTIVE_USERS.cursor().fetchall()  # every list page with an owner filter: SQL built once
    return [(ME, _("Me")), *((str(uid), display or username) for uid, username, display in users)]


class OwnerOptions:
    """The filter's options, read when a page shows them (Flask-Admin keeps what it is given from start-up)."""

    def __bool__(self):
        return True

    def __iter__(self):
        return iter(owner_options())


class OwnerFilter(pf.BasePeeweeFilter):
    """Records whose owner is the chosen user; "me" is whoever is looking."""

    def validate(self, value):
        return value == ME or str(value).isdigit()

    def clean(self, value):
        return current_user.id if value == ME else int(value)

    def apply(self, query, value):
        return query.where(self.column == value)

    def operation(self):
        return admin_lazy_gettext("equals")


def with_owner_filter(model, filters):
    """Return `filters` plus an owner filter at the end when the model has an owner and none filters it yet."""
    filters = tuple(filters or ())
    field = model._meta.fields.get("owner")
    # peewee fields compare into SQL expressions: test them by identity, names as strings
    taken = any(isinstance(f, OwnerFilter) or f is field or (isinstance(f, str) and f == "owner") for f in filters)
    if field is None or taken:
        return filters
    return (*filters, OwnerFilter(field, LABELS["owner"], options=OwnerOptions()))


class OwnerFilterMixin:
    """Offer the owner filter's users as they are now (the filter menu's text is otherwise kept per process)."""

    def _get_filter_groups(self):
        groups = super()._get_filter_groups()
        label = str(LABELS["owner"])
        if not groups or label not in groups:
            return groups
        fresh = [(value, str(text)) for value, text in owner_options()]
        items = [dict(item, options=fresh) if isinstance(self._filters[item["index"]], OwnerFilter) else item
                 for item in groups[label]]
        return {**groups, label: items}
