"""Workflow settings and registers: the exchange ledger, the holiday calendar, the core areas."""
from flask_babel import lazy_gettext as _l

from models import ReturnExchange
from views.base import CUSTOMER_FILTERS, SecureModelView

LEDGER_STATUSES = ("approved", "goods_received", "shipped", "closed")


class ExchangeLedgerView(SecureModelView):
    """The exchange ledger (换货登记台账): every approved exchange, read-only."""

    can_create = can_edit = can_delete = False
    column_list = ("id", "customer", "product_name", "model_no", "quantity", "purchase_date", "reason",
                   "approver", "goods_received_at", "shipped_at", "status")
    column_filters = ("status", "purchase_date", "goods_received_at", "shipped_at", *CUSTOMER_FILTERS)
    column_searchable_list = ("product_name", "model_no", "reason")
    column_sortable_list = ("id", "purchase_date", "goods_received_at", "shipped_at", "status")
    column_default_sort = ("id", True)
    column_details_exclude_list = ("version",)

    @staticmethod
    def ledger_condition():
        """Return the condition selecting approved exchanges."""
        return (ReturnExchange.decision == "exchange") & ReturnExchange.status.in_(list(LEDGER_STATUSES))

    def get_query(self):
        return super().get_query().where(self.ledger_condition())

    def get_count_query(self):
        return super().get_count_query().where(self.ledger_condition())

    def get_one(self, record_id):
        return self.get_query().where(ReturnExchange.id == record_id).first()


class HolidayView(SecureModelView):
    """The working-day calendar: holidays and adjusted working weekends (调休)."""

    column_list = ("day", "kind", "name")
    column_filters = ("day", "kind")
    column_searchable_list = ("name",)
    column_sortable_list = ("day", "kind")
    column_default_sort = ("day", False)
    form_columns = ("day", "kind", "name", "row_version")
    column_descriptions = {"kind": _l("A holiday takes a weekday off; an adjusted working day makes a weekend "
                                      "day a working day.")}


class CoreAreaView(SecureModelView):
    """Regions whose customers get the 12-hour repair response."""

    column_list = ("region", "note")
    column_searchable_list = ("region", "note")
    column_sortable_list = ("region",)
    form_columns = ("region", "note", "row_version")
