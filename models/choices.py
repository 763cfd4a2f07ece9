"""Enumerations for every categorical field, with translated labels."""
from flask_babel import lazy_gettext as _l

CUSTOMER_TYPES = [("individual", _l("Individual")), ("company", _l("Company")), ("store", _l("Store"))]
GENDERS = [("male", _l("Male")), ("female", _l("Female")), ("unknown", _l("Unknown"))]
GRADES = [("A", "A"), ("B", "B"), ("C", "C")]
DESIGNATIONS = [("A", "A"), ("B", "B")]
CONSENT_CHANNELS = [
    ("paper", _l("Signed paper form")), ("online", _l("Online form")),
    ("phone", _l("Recorded phone call")), ("email", _l("Email")),
]
SATISFACTION = [
    ("very_satisfied", _l("Very satisfied")), ("satisfied", _l("Satisfied")),
    ("fair", _l("Fairly satisfied")), ("unsatisfied", _l("Not very satisfied")),
    ("very_unsatisfied", _l("Dissatisfied")),
]
ARCHIVE_KINDS = [
    ("consumption", _l("Consumption")), ("service", _l("Service")),
    ("special_request", _l("Special request")), ("visit", _l("Visit / return visit")),
    ("document", _l("Document")),
]
CHANNELS = [
    ("letter", _l("Letter")), ("phone", _l("Phone")), ("fax", _l("Fax")),
    ("visit", _l("Visit")), ("email", _l("Email")), ("online", _l("Website / online")),
    ("face_to_face", _l("Face to face")),
]
FEEDBACK_CATEGORIES = [
    ("product_quality", _l("Product quality")), ("customer_service", _l("Customer service")),
    ("logistics", _l("Logistics / delivery")), ("price", _l("Price")), ("other", _l("Other")),
]
FEEDBACK_NATURES = [
    ("consultation", _l("Usage consultation")), ("fault", _l("Product fault (repair)")),
    ("complaint", _l("Complaint or adverse event")), ("suggestion", _l("Suggestion or requirement")),
]
RESPONSIBILITIES = [
    ("internal", _l("Internal")), ("supplier", _l("Supplier")),
    ("outsourced", _l("Outsourced processor")), ("customer", _l("Customer")),
]
NO_ACTION_REASONS = [
    ("isolated", _l("Isolated incident without serious consequence")),
    ("supplier", _l("Supplier's problem, supplier notified")),
    ("beyond_requirements", _l("Beyond legal or standard requirements")),
    ("beyond_capability", _l("Beyond current design or processing capability")),
    ("no_resources", _l("Needs resources not yet available")),
]
ASSESSMENTS = [("accepted", _l("Accepted")), ("declined", _l("Declined")), ("planned", _l("Planned"))]
FEEDBACK_STATUSES = [
    ("new", _l("New")), ("analysing", _l("Analysing")), ("routed", _l("Routed")),
    ("replied", _l("Replied")), ("closed", _l("Closed")),
]
COMPLAINT_TYPES = [
    ("product_quality", _l("Product quality")), ("service_quality", _l("Service quality")),
    ("service_attitude", _l("Service attitude")), ("emergency", _l("Emergency / force majeure")),
]
COMPLAINT_NATURES = [
    ("valid", _l("Valid complaint")), ("help_seeking", _l("Communicative: help-seeking")),
    ("consultation", _l("Communicative: consultation")), ("venting", _l("Communicative: venting")),
]
SEVERITIES = [("low", _l("Low")), ("medium", _l("Medium")), ("high", _l("High")), ("critical", _l("Critical"))]
COMPLAINT_STATUSES = [
    ("received", _l("Received")), ("investigating", _l("Investigating")),
    ("resolution_proposed", _l("Resolution proposed")), ("customer_informed", _l("Customer informed")),
    ("followed_up", _l("Follow-up done")), ("closed", _l("Closed")), ("joint_review", _l("Joint review")),
]
FOLLOWUP_METHODS = [("phone", _l("Phone")), ("on_site", _l("On site"))]
WARRANTY_STATUSES = [("in_warranty", _l("In warranty")), ("out_of_warranty", _l("Out of warranty"))]
REPAIR_STATUSES = [
    ("received", _l("Received")), ("assigned", _l("Assigned")), ("on_site", _l("On site")),
    ("returned_to_factory", _l("Returned to factory")), ("quoted", _l("Quote sent")),
    ("consented", _l("Customer consented")), ("repaired", _l("Repaired")),
    ("inspected", _l("Quality inspection passed")), ("shipped_back", _l("Shipped back")),
    ("confirmed", _l("Customer confirmed")), ("followed_up", _l("Follow-up done")),
]
SHIP_METHODS = [
    ("courier", _l("Courier")), ("logistics", _l("Logistics")),
    ("pickup", _l("Customer pickup")), ("delivery", _l("Our delivery")),
]
RETURN_DECISIONS = [("return", _l("Return")), ("exchange", _l("Exchange")), ("refuse", _l("Refuse"))]
RETURN_STATUSES = [
    ("requested", _l("Requested")), ("approved", _l("Approved")), ("refused", _l("Refused")),
    ("goods_received", _l("Returned goods received")), ("shipped", _l("Replacement shipped")),
    ("refunded", _l("Refunded")), ("closed", _l("Closed")),
]
ROLES = [
    ("clerk", _l("Clerk")), ("technician", _l("Technician")), ("quality", _l("Quality department")),
    ("supervisor", _l("Sales supervisor")), ("manager", _l("Manager")), ("admin", _l("Administrator")),
]
LANGUAGES = [("zh_Hans_CN", "简体中文"), ("en", "English")]
#: operations of the role permission matrix
PERMISSION_OPERATIONS = [("view", _l("Open")), ("create", _l("Create")), ("edit", _l("Edit")), ("delete", _l("Delete")),
                         ("export", _l("Export")), ("import", _l("Import")), ("reveal", _l("Reveal masked value")),
                         ("field", _l("Field"))]
#: what the permission matrix grants
PERMISSION_ACCESS = [("allow", _l("Allow")), ("deny", _l("Deny")), ("hidden", _l("Hidden")),
                     ("read", _l("Read only")), ("edit", _l("Editable"))]
#: what the access register records
ACCESS_ACTIONS = [("reveal", _l("Revealed a masked value")), ("open_dossier", _l("Opened a dossier"))]


def label(choices, value):
    """Return the translated label of a value in a choice list."""
    return dict(choices).get(value, value or "")
