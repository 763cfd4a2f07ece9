"""Translated column and field labels shared by every view."""
from flask_babel import lazy_gettext as _l

LABELS = {
    "id": _l("ID"), "customer": _l("Customer"), "owner": _l("Owner"), "status": _l("Status"),
    "created_at": _l("Created at"), "updated_at": _l("Updated at"), "closed_at": _l("Closed at"),
    "version": _l("Version"), "name": _l("Name"), "customer_type": _l("Customer type"),
    "gender": _l("Gender"), "birth_date": _l("Birth date"), "age": _l("Age"),
    "occupation": _l("Occupation"), "contact_person": _l("Contact person"), "phone": _l("Phone"),
    "email": _l("Email"), "address": _l("Address"), "region": _l("Region"),
    "id_card": _l("ID-card number"), "staff_count": _l("Staff count"),
    "is_wholesaler": _l("Intermediate wholesaler"), "receivable": _l("Outstanding receivable (yuan)"),
    "trade_volume_12m": _l("Trade volume, last 12 months (yuan)"),
    "first_trade_date": _l("First trade date"), "prior_incident": _l("Prior incident"),
    "bad_reputation": _l("Bad reputation"), "designation": _l("Supervisor designation"),
    "grade": _l("Credit grade"), "grade_reasons": _l("Grade reasons"), "graded_at": _l("Graded at"),
    "next_report_due": _l("Next report due"), "urgent": _l("Urgent event"),
    "special_needs": _l("Special needs"), "consent_date": _l("Consent date"),
    "consent_channel": _l("Consent channel"), "notes": _l("Notes"),
    "search_key": _l("Name in pinyin or initials"),
    "kind": _l("Kind"), "entry_date": _l("Date"), "amount": _l("Amount (yuan)"),
    "items": _l("Items"), "satisfaction": _l("Satisfaction"), "staff": _l("Staff"),
    "content": _l("Content"), "document_no": _l("Document number"),
    "last_checked": _l("Last checked"), "retention_until": _l("Keep until"),
    "product_name": _l("Product"), "specification": _l("Specification"), "model_no": _l("Model"),
    "manufacture_date": _l("Manufacture date"), "serial_no": _l("Serial number"),
    "feedback_date": _l("Feedback date"), "reporter": _l("Reported by"),
    "reporter_org": _l("Reporter's organisation"), "reporter_phone": _l("Reporter's phone"),
    "channel": _l("Channel"), "category": _l("Category"), "nature": _l("Nature"),
    "responsibility": _l("Responsibility"), "corrective_action": _l("Corrective action taken"),
    "action_plan": _l("Action plan"), "no_action_reason": _l("Reason for no action"),
    "reply": _l("Reply"), "replied_at": _l("Replied at"), "result_tracking": _l("Result tracking"),
    "completed_at": _l("Completed at"), "recorder": _l("Recorded by"), "feedback": _l("Feedback"),
    "complainant": _l("Complainant"), "contact_phone": _l("Contact phone"),
    "received_at": _l("Received at"), "complaint_type": _l("Complaint type"),
    "severity": _l("Severity"), "batch_no": _l("Batch number"), "purchase_date": _l("Purchase date"),
    "purchase_place": _l("Place of purchase"), "customer_request": _l("Customer's request"),
    "investigation_due": _l("Investigation due"), "findings": _l("Investigation findings"),
    "root_cause": _l("Root cause"), "responsible_dept": _l("Responsible department"),
    "resolution": _l("Resolution"), "corrective_preventive": _l("Corrective and preventive action"),
    "mgmt_rep_approved": _l("Approved by management representative"),
    "involves_return": _l("Involves return or exchange"),
    "involves_compensation": _l("Involves cash compensation"), "involves_legal": _l("Involves legal action"),
    "followup_method": _l("Follow-up method"), "followup_date": _l("Follow-up date"),
    "followup_satisfaction": _l("Customer's satisfaction at follow-up"),
    "fault_reported": _l("Fault reported"), "response_due": _l("Response due"),
    "technician": _l("Technician"), "arrived_at": _l("Arrived on site at"),
    "fault_found": _l("Fault found"), "handling_method": _l("Handling method"),
    "warranty_status": _l("Warranty"), "main_component": _l("Main component to replace"),
    "quote_amount": _l("Quote (yuan)"), "customer_consent_at": _l("Customer's written consent at"),
    "parts_cost": _l("Parts and material cost (yuan)"), "labour_cost": _l("Labour cost (yuan)"),
    "returned_to_factory": _l("Returned to factory"), "inspection_passed": _l("Quality inspection passed"),
    "inspected_at": _l("Inspected at"), "shipped_at": _l("Shipped at"),
    "ship_quantity": _l("Quantity shipped"), "ship_method": _l("Shipping method"),
    "customer_confirmed_at": _l("Customer confirmed at"), "followup_evaluation": _l("Customer's evaluation"),
    "quantity": _l("Quantity"), "reason": _l("Reason"), "proof_checked": _l("Proof of purchase checked"),
    "quality_problem": _l("Quality problem"), "inspection_report": _l("Quality inspection report"),
    "non_returnable": _l("Non-returnable goods"), "decision": _l("Decision"),
    "exception_reason": _l("Reason for exception"), "approver": _l("Approved by"),
    "finance_handled": _l("Handled by finance"), "goods_received_at": _l("Returned goods received on"),
    "username": _l("Username"), "display_name": _l("Display name"), "role": _l("Role"),
    "language": _l("Language"), "active": _l("Active"), "last_login": _l("Last login"),
    "failed_logins": _l("Failed logins"), "locked_until": _l("Locked until"),
    "password": _l("Password"), "table": _l("Table"), "record_id": _l("Record"),
    "action": _l("Action"), "user": _l("User"), "at": _l("Time"), "changes": _l("Changes"),
    "detail": _l("Detail"), "customer_id": _l("Customer"),
    # credit grading (issue 3)
    "occurred_on": _l("Occurred on"), "description": _l("Description"), "reported_by": _l("Reported by"),
    "resolved": _l("Resolved"), "resolved_at": _l("Resolved at"), "old_grade": _l("Old grade"),
    "new_grade": _l("New grade"), "reasons": _l("Reasons"), "source": _l("Source"), "remark": _l("Remark"),
    # workflow (issue 6)
    "day": _l("Date"), "note": _l("Note"), "from_status": _l("From status"), "to_status": _l("To status"),
    # security (issue 7): role permissions, deleted records and retention pages
    "endpoint": _l("View"), "operation": _l("Operation"), "field": _l("Field"), "access": _l("Access"),
    "archive_record": _l("Archive record"), "complaint": _l("Complaint"), "repair": _l("Repair"),
    "return_exchange": _l("Return / exchange"), "users": _l("User"),
    "questionnaire": _l("Questionnaire"), "title": _l("Title"), "revision": _l("Revision"),
    "survey_response": _l("Survey responses"), "survey_batch": _l("Survey batches"),
}
# regulations round two (issue 14): routing by nature, legal sign-off, shipment date, dossier checks
LABELS.update({
    "assessment": _l("Assessment"), "assessed_by": _l("Assessed by"), "assessed_at": _l("Assessed at"),
    "legal_contact": _l("Legal or management contact"), "legal_notified_at": _l("Legal contact notified at"),
    "legal_signoff_at": _l("Legal sign-off at"), "legal_signoff_note": _l("Legal sign-off note"),
    "factory_date": _l("Shipment (factory) date"), "purpose": _l("Purpose"),
    "checked_on": _l("Checked on"), "checker": _l("Checker"), "items_checked": _l("Items checked"),
    "corrections": _l("Corrections"),
})

#: labels one table words its own way: a repair's reporter asked for the repair (报修人), a feedback's gave it (反馈人)
TABLE_LABELS = {"repair": {"reporter": _l("Requested by")}}


def labels_for(table):
    """Return the field labels of one table ({name: lazy label}): LABELS with the table's own wording."""
    own = TABLE_LABELS.get(table)
    return {**LABELS, **own} if own else LABELS
