"""The tables of the customer's records: archive, feedback, complaints, repairs, returns."""
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from admin_app import validators as v
from admin_app.services.trust import retention
from models import Complaint, Customer, Repair
from views.base import CUSTOMER_FILTERS, SecureModelView
from views.dossier import NeedToKnowMixin
from views.labels import labels_for
from views.refs import CUSTOMER_REF, FEEDBACK_REF, USER_REF
from views.regulations import LegalSignoffMixin, window_formatter
from views.workflow import FeedbackRoutingMixin, WorkflowMixin

MONEY_CHECKS = {"validators": [v.non_negative]}


def retention_years():
    """Return the retention period in years (RETENTION_YEARS, else the rule setting; the seed's 3 by default)."""
    return retention.configured_years()


def keep_until_rule(form, field):
    """Refuse a keep-until date earlier than the entry date + the retention period (004 第12篇 8.0)."""
    entry = form.entry_date.data if "entry_date" in form else None
    message = retention.keep_until_error(entry, field.data, retention_years())
    if message:
        raise ValidationError(message)


class CaseView(SecureModelView):
    """Common set-up of a view over records that belong to a customer."""

    column_default_sort = ("id", True)
    column_details_exclude_list = ("version",)
    form_ajax_refs = {"customer": CUSTOMER_REF, "owner": USER_REF}


class ArchiveRecordView(NeedToKnowMixin, CaseView):
    """Dated entries of the customer's dossier (客史档案)."""

    access_action = "open_archive_record"

    column_list = ("customer", "entry_date", "kind", "content", "amount", "satisfaction", "staff", "owner")
    column_searchable_list = ("content", "items", "staff", "document_no", Customer.name, Customer.search_key)
    column_filters = ("kind", "entry_date", "amount", "satisfaction", "last_checked",
                      "retention_until", *CUSTOMER_FILTERS)
    column_sortable_list = ("entry_date", "kind", "amount", "created_at")
    form_args = {"amount": MONEY_CHECKS, "entry_date": {"validators": [v.not_future]},
                 "retention_until": {"validators": [keep_until_rule]}}
    form_sections = (
        (_l("Entry"), ["customer", "kind", "content", "entry_date", "owner"]),
        (_l("Consumption"), ["amount", "items", "satisfaction", "staff"]),
        (_l("Document and retention"), ["document_no", "last_checked", "retention_until"]),
    )

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        # in-place and bulk edits skip the form's validator: the rule holds on every path
        message = retention.keep_until_error(model.entry_date, model.retention_until, retention_years())
        if message:
            raise ValueError(message)


class FeedbackView(FeedbackRoutingMixin, WorkflowMixin, CaseView):
    """Customer feedback and its analysis (顾客反馈)."""

    column_list = ("customer", "feedback_date", "channel", "category", "nature", "product_name",
                   "content", "status", "owner")
    column_card_list = ("customer", "status", "channel", "content")
    column_searchable_list = ("content", "reporter", "reporter_org", "product_name", "serial_no", "reply",
                              Customer.name, Customer.search_key)
    column_filters = ("channel", "category", "nature", "responsibility", "status", "corrective_action",
                      "no_action_reason", "feedback_date", "manufacture_date", "completed_at",
                      *CUSTOMER_FILTERS)
    column_sortable_list = ("feedback_date", "channel", "category", "nature", "status", "created_at")
    form_args = {"feedback_date": {"validators": [v.not_future]},
                 "manufacture_date": {"validators": [v.not_future]},
                 "reporter_phone": {"validators": [v.phone]}}
    form_sections = (
        (_l("Feedback"), ["customer", "channel", "reporter", "reporter_phone", "content", "category",
                          "feedback_date", "reporter_org", "recorder", "owner"]),
        (_l("Product"), ["product_name", "specification", "model_no", "manufacture_date", "serial_no"]),
        (_l("Analysis and action"), ["nature", "technician", "assessment", "responsibility", "corrective_action",
                                     "action_plan", "no_action_reason"]),
        (_l("Reply and result"), ["reply", "replied_at", "result_tracking", "completed_at"]),
    )
    form_excluded_columns = (*CaseView.form_excluded_columns, "status", "assessed_by", "assessed_at")
    form_ajax_refs = {**CaseView.form_ajax_refs, "technician": USER_REF}
    dependents = ((_l("Complaint"), Complaint, Complaint.feedback), (_l("Repair"), Repair, Repair.feedback))


class ComplaintView(LegalSignoffMixin, WorkflowMixin, CaseView):
    """Complaints and their handling (投诉处理)."""

    column_list = ("customer", "received_at", "complaint_type", "nature", "severity", "content",
                   "investigation_due", "status", "owner")
    column_card_list = ("customer", "status", "investigation_due", "complaint_type", "content")
    column_searchable_list = ("content", "complainant", "contact_phone", "product_name", "batch_no",
                              "findings", "resolution", Customer.name, Customer.search_key)
    column_filters = ("complaint_type", "nature", "severity", "status", "channel", "responsible_dept",
                      "involves_return", "involves_compensation", "involves_legal", "corrective_action",
                      "followup_satisfaction", "received_at", "purchase_date", "investigation_due",
                      *CUSTOMER_FILTERS)
    column_sortable_list = ("received_at", "complaint_type", "severity", "status", "investigation_due")
    form_ajax_refs = {**CaseView.form_ajax_refs, "feedback": FEEDBACK_REF, "legal_contact": USER_REF}
    form_args = {"purchase_date": {"validators": [v.not_future]},
                 "received_at": {"validators": [v.not_future]},
                 "contact_phone": {"validators": [v.phone]}}
    form_sections = (
        (_l("Complaint"), ["customer", "complainant", "contact_phone", "channel", "complaint_type", "content",
                           "customer_request", "severity", "nature", "received_at", "feedback", "owner"]),
        (_l("Product"), ["product_name", "batch_no", "purchase_date", "purchase_place"]),
        (_l("Investigation"), ["investigation_due", "findings", "root_cause", "responsible_dept"]),
        (_l("Resolution"), ["resolution", "corrective_action", "corrective_preventive", "no_action_reason",
                            "mgmt_rep_approved", "involves_return", "involves_compensation",
                            "involves_legal", "legal_contact"]),
        (_l("Follow-up"), ["followup_method", "followup_date", "followup_satisfaction"]),
    )
    form_excluded_columns = (*CaseView.form_excluded_columns, "status", "legal_notified_at", "legal_signoff_at",
                             "legal_signoff_note")


class RepairView(WorkflowMixin, CaseView):
    """Repair requests and their handling (报修)."""

    column_labels = labels_for("repair")  # 报修人, not a feedback's 反馈人
    column_list = ("customer", "received_at", "product_name", "fault_reported", "technician",
                   "warranty_status", "response_due", "status")
    column_card_list = ("customer", "status", "response_due", "product_name", "fault_reported")
    column_searchable_list = ("product_name", "fault_reported", "reporter", "contact_phone", "serial_no",
                              "fault_found", Customer.name, Customer.search_key)
    column_filters = ("status", "warranty_status", "main_component", "returned_to_factory",
                      "inspection_passed", "ship_method", "followup_evaluation", "received_at",
                      "response_due", "shipped_at", "parts_cost", "labour_cost", "quote_amount",
                      *CUSTOMER_FILTERS)
    column_sortable_list = ("received_at", "product_name", "warranty_status", "response_due", "status")
    form_ajax_refs = {**CaseView.form_ajax_refs, "technician": USER_REF,
                      "feedback": FEEDBACK_REF}
    form_args = {"received_at": {"validators": [v.not_future]}, "contact_phone": {"validators": [v.phone]},
                 "parts_cost": MONEY_CHECKS, "labour_cost": MONEY_CHECKS, "quote_amount": MONEY_CHECKS,
                 "ship_quantity": MONEY_CHECKS}
    form_sections = (
        (_l("Request"), ["customer", "reporter", "contact_phone", "product_name", "fault_reported", "model_no",
                         "serial_no", "received_at", "response_due", "feedback", "owner"]),
        (_l("Handling"), ["technician", "arrived_at", "fault_found", "handling_method", "warranty_status",
                          "main_component", "quote_amount", "customer_consent_at", "parts_cost",
                          "labour_cost"]),
        (_l("Factory return and shipping"), ["returned_to_factory", "shipped_at", "ship_quantity",
                                             "ship_method"]),
        (_l("Confirmation and follow-up"), ["customer_confirmed_at", "followup_date",
                                            "followup_evaluation"]),
    )
    form_excluded_columns = (*CaseView.form_excluded_columns, "status", "inspection_passed", "inspected_at")


class ReturnExchangeView(WorkflowMixin, CaseView):
    """Returns and exchanges (退换货)."""

    column_list = ("customer", "created_at", "product_name", "quantity", "factory_date", "purchase_date",
                   "quality_problem", "decision", "status", "owner")
    column_card_list = ("customer", "status", "product_name", "decision")
    column_searchable_list = ("product_name", "model_no", "reason", "inspection_report", Customer.name,
                              Customer.search_key)
    column_filters = ("decision", "status", "quality_problem", "proof_checked", "non_returnable",
                      "finance_handled", "responsibility", "factory_date", "purchase_date", "goods_received_at",
                      "shipped_at", "amount", "quantity", *CUSTOMER_FILTERS)
    column_sortable_list = ("created_at", "product_name", "factory_date", "purchase_date", "decision", "status")
    column_formatters_detail = {"factory_date": window_formatter}
    form_ajax_refs = {**CaseView.form_ajax_refs, "approver": USER_REF}
    form_args = {"purchase_date": {"validators": [v.not_future]}, "quantity": MONEY_CHECKS,
                 "amount": MONEY_CHECKS, "factory_date": {"validators": [v.not_future]}}
    form_sections = (
        (_l("Request"), ["customer", "product_name", "reason", "quantity", "purchase_date", "factory_date",
                         "model_no", "amount", "proof_checked", "owner"]),
        (_l("Quality check"), ["quality_problem", "inspection_report", "responsibility", "non_returnable"]),
        (_l("Decision"), ["decision", "exception_reason", "finance_handled"]),
        (_l("Goods"), ["goods_received_at", "shipped_at"]),
    )
    form_excluded_columns = (*CaseView.form_excluded_columns, "status", "approver")
