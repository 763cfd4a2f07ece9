"""The customer table and the customer's dossier page."""
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from admin_app import validators as v
from admin_app.permissions import allowed
from models import RECORD_MODELS, ArchiveRecord, Complaint, Feedback, Repair, ReturnExchange
from models.customer import LIST_RANGE_FILTERS
from views.access import find_view
from views.archive_check import ArchiveCheckHistoryMixin
from views.base import SecureModelView
from views.customer_search import CustomerSearchMixin
from views.dossier import NeedToKnowMixin
from views.grading import GradingActionsMixin
from views.importing import CustomerImportMixin
from views.refs import USER_REF
from views.survey_dispatch import SurveyDispatchMixin

RECORD_ENDPOINTS = {
    ArchiveRecord: ("archiverecord", _l("Archive record")),
    Feedback: ("feedback", _l("Feedback")),
    Complaint: ("complaint", _l("Complaint")),
    Repair: ("repair", _l("Repair")),
    ReturnExchange: ("returnexchange", _l("Return / exchange")),
}


class CustomerView(ArchiveCheckHistoryMixin, SurveyDispatchMixin, GradingActionsMixin, NeedToKnowMixin,
                   CustomerSearchMixin, CustomerImportMixin, SecureModelView):
    """Customers with their credit grade and their dossier on the detail page."""

    details_template = "admin/customer_details.html"
    deferred_page_offset = 1_000  # every list order has an index (models/customer.py): see deferred_page
    order_covering_columns = frozenset(LIST_RANGE_FILTERS)  # indexed as (column, urgent): see sort_after_filtering
    column_list = ("name", "customer_type", "phone", "region", "grade", "designation",
                   "next_report_due", "owner", "updated_at")
    column_searchable_list = ("name", "phone", "contact_person", "email", "notes", "search_key")
    column_filters = ("customer_type", "grade", "designation", "gender", "region", "is_wholesaler",
                      "prior_incident", "bad_reputation", "urgent", "receivable", "trade_volume_12m",
                      "staff_count", "first_trade_date", "birth_date", "consent_date",
                      "consent_channel", "next_report_due", "created_at", "phone")
    # phone last, so the positions of saved filters stay; roles that see phones masked get neither (fields.py)
    column_sortable_list = ("name", "customer_type", "grade", "receivable", "trade_volume_12m",
                            "first_trade_date", "next_report_due", "created_at", "updated_at", "phone")
    column_default_sort = ("id", True)
    column_card_list = ("name", "grade", "customer_type", "phone", "region")
    column_details_exclude_list = ("version", "search_key")
    column_export_exclude_list = ("search_key",)
    form_ajax_refs = {"owner": USER_REF}
    form_args = {
        "phone": {"validators": [v.phone]},
        "email": {"validators": [v.email_optional]},
        "id_card": {"validators": [v.id_card]},
        "birth_date": {"validators": [v.not_future]},
        "first_trade_date": {"validators": [v.not_future]},
        "consent_date": {"validators": [v.not_future]},
        "age": {"validators": [v.non_negative]},
        "staff_count": {"validators": [v.non_negative]},
        "receivable": {"validators": [v.non_negative]},
        "trade_volume_12m": {"validators": [v.non_negative]},
    }
    form_excluded_columns = (*SecureModelView.form_excluded_columns, "grade", "grade_reasons",
                             "graded_at", "next_report_due", "designation", "search_key")
    form_sections = (
        # most-used first: the first section is always open, the others open when they hold something
        (_l("Basic information"), ["name", "customer_type", "phone", "contact_person", "region", "owner",
                                   "gender", "occupation", "birth_date", "age"]),
        (_l("Contact"), ["address", "email", "id_card"]),
        (_l("Credit facts"), ["staff_count", "is_wholesaler", "receivable", "trade_volume_12m",
                              "first_trade_date", "prior_incident", "bad_reputation", "urgent"]),
        (_l("Consent and needs"), ["consent_date", "consent_channel", "special_needs", "notes"]),
    )
    dependents = tuple((label, model, model.customer) for model, (_e, label) in RECORD_ENDPOINTS.items())

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        if is_created and model.owner_id is None:
            model.owner = current_user.id  # whoever enters a customer looks after it (need-to-know) until handed on

    def timeline(self, customer):
        """Return the customer's records of the kinds the user may open, newest first."""
        entries = []
        for model in RECORD_MODELS:
            endpoint, label = RECORD_ENDPOINTS[model]
            if not allowed(endpoint, "view"):
                continue  # the dossier must not show what the role's own lists refuse
            custom = getattr(find_view(self.admin, endpoint), "custom_summary", lambda record: [])
            for record in model.for_customer(customer.id).limit(200):
                entries.append({"date": record.timeline_date(), "kind": label, "endpoint": endpoint,
                                "record": record, "status": getattr(record, "status", None),
                                "summary": record.summary(), "custom": custom(record)})
        entries.sort(key=lambda e: (e["date"], e["record"].created_at), reverse=True)
        return entries

    def record_kinds(self):
        """Return (endpoint, label) of every record kind the user may add from the dossier."""
        return [(endpoint, label) for endpoint, label in RECORD_ENDPOINTS.values() if allowed(endpoint, "create")]
