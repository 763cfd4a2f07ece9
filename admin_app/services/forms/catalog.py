"""The single-record forms of seed 004 第12篇 (公司顾客服务管理程序, 10.0 附件) and what each prints.

Each form lists its sections as (title, field names); a field reads through the caller's policy, which
masks or hides personal data for the viewer's role, so a printed form never shows more than the screen.
"""
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from admin_app.services.forms.values import field_text, identity, text
from views.labels import labels_for

#: fields printed across the whole width (long text)
WIDE = frozenset({"content", "customer_request", "findings", "root_cause", "resolution", "corrective_preventive",
                  "fault_reported", "fault_found", "handling_method", "reason"})


@dataclass(frozen=True)
class PrintForm:
    """One paper form: its seed number and title, the record view it prints from and its sections."""

    code: str
    number: str
    title: object
    endpoint: str
    seed: str
    sections: tuple
    signatures: tuple = ()
    applies: object = field(default=lambda record: True)
    template: str = "admin/print/record_form.html"


def _charged(repair):
    return repair.warranty_status == "out_of_warranty" or bool(repair.parts_cost) or bool(repair.labour_cost)


FORMS = {form.code: form for form in (
    PrintForm(
        "complaint", "bs-cp0703-fm004", _l("Customer complaint handling form"), "complaint",
        "004 第12篇 5.2.1.2 / 5.3.1 / 5.4 / 5.6.1",
        ((_l("Complaint"), ("customer", "complainant", "contact_phone", "received_at", "channel", "complaint_type",
                            "nature", "severity", "content", "customer_request")),
         (_l("Product"), ("product_name", "batch_no", "purchase_date", "purchase_place")),
         (_l("Cause analysis (quality department)"), ("findings", "root_cause", "responsible_dept")),
         (_l("Handling and corrective action"), ("resolution", "corrective_preventive", "no_action_reason",
                                                 "mgmt_rep_approved", "involves_return", "involves_compensation",
                                                 "involves_legal")),
         (_l("Customer's confirmation"), ("followup_method", "followup_date", "followup_satisfaction"))),
        (_l("Customer service department"), _l("Quality department"), _l("Responsible department"),
         _l("Management representative"), _l("Customer's confirmation")),
        template="admin/print/complaint.html"),
    PrintForm(
        "repair_report", "bs-cp0703-fm005", _l("Repair service report"), "repair",
        "004 第12篇 5.3.2; 002 第四篇 4-5",
        ((_l("Request"), ("customer", "reporter", "contact_phone", "product_name", "model_no", "serial_no",
                          "received_at", "fault_reported")),
         (_l("Service"), ("technician", "arrived_at", "warranty_status", "fault_found", "handling_method")),
         (_l("Confirmation and follow-up"), ("customer_confirmed_at", "followup_date", "followup_evaluation"))),
        (_l("Technician"), _l("Reporter's confirmation and signature"), _l("Checked by the service desk")),
        template="admin/print/repair_report.html"),
    PrintForm(
        "repair_charge", "bs-cp0703f-m002", _l("Repair charge form"), "repair", "004 第12篇 5.1.1.1",
        ((_l("Repair"), ("customer", "reporter", "product_name", "model_no", "serial_no", "warranty_status",
                         "main_component", "fault_found")),
         (_l("Charges"), ("quote_amount", "customer_consent_at", "parts_cost", "labour_cost"))),
        (_l("Issued by the service desk"), _l("Customer")),
        applies=_charged, template="admin/print/repair_charge.html"),
    PrintForm(
        "return_feedback", "bs-cp0703-fm001", _l("Returned item information feedback form"), "repair",
        "004 第12篇 5.1.1.1",
        ((_l("Returned item"), ("customer", "reporter", "contact_phone", "product_name", "model_no", "serial_no",
                                "received_at", "fault_reported", "fault_found", "warranty_status",
                                "main_component")),
         (_l("Charge to be collected"), ("quote_amount", "parts_cost", "labour_cost"))),
        (_l("Repair group"), _l("Handler")),
        applies=lambda repair: repair.main_component and repair.warranty_status == "out_of_warranty",
        template="admin/print/return_feedback.html"),
    PrintForm(
        "factory_shipment", "bs-cp0703-fm003", _l("Repaired goods dispatch note"), "repair",
        "004 第12篇 5.1.2",
        ((_l("Dispatch"), ("shipped_at", "customer", "ship_quantity", "ship_method")),
         (_l("Repaired goods"), ("product_name", "model_no", "serial_no", "handling_method")),
         (_l("Quality inspection"), ("inspection_passed", "inspected_at"))),
        (_l("Issued by the service desk"), _l("Quality inspector"), _l("Warehouse")),
        applies=lambda repair: repair.returned_to_factory, template="admin/print/factory_shipment.html"),
)}


def forms_for(endpoint, record):
    """Return the forms that print from a record of a view, in catalog order."""
    return [form for form in FORMS.values() if form.endpoint == endpoint and form.applies(record)]


def form_number(form, record):
    """Return the printed serial of a filled form, e.g. fm004-000012."""
    return f"{form.number.rsplit('-', 1)[-1]}-{record.id:06d}"


def build(form, record, policy=identity):
    """Return {sections: [(title, [(label, text, wide)])], totals} for one record; policy(name, text) masks."""
    sections = []
    for title, names in form.sections:
        labels = labels_for(record._meta.table_name)
        rows = [(labels.get(name, name), policy(name, field_text(record, name)), name in WIDE) for name in names]
        sections.append((title, rows))
    total = None
    if form.code in ("repair_charge", "return_feedback"):
        total = text((record.parts_cost or 0) + (record.labour_cost or 0))
    return {"sections": sections, "total": total, "number": form_number(form, record)}
