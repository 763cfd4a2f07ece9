"""Demo feedback and complaints, each consistent with the state it has reached."""
import datetime as dt

from models import choices as c
from seeds.common import add_working_days, codes, fill, reference, stages_until, timeline

FEEDBACK_ORDER = ["new", "analysing", "routed", "replied", "closed"]
FEEDBACK_STEPS = [(2, 24), (2, 48), (4, 72), (24, 240)]
COMPLAINT_ORDER = ["received", "investigating", "resolution_proposed", "customer_informed", "followed_up", "closed"]
COMPLAINT_STEPS = [(2, 24), (24, 60), (4, 48), (72, 240), (2, 48)]
TYPE_CATEGORY = {"product_quality": "product_quality", "service_quality": "customer_service",
                 "service_attitude": "customer_service", "emergency": "other"}


def product_case(rng, repairable=False, main=None, names=None):
    """Return (product, model, scenario) from the catalogue, optionally only repairable / main-part / named ones."""
    products = [p for p in reference("products")["products"] if (p["repairable"] or not repairable)
                and (names is None or p["name"] in names)]
    if main is not None:
        products = [p for p in products if any(s["main"] == main for s in p["scenarios"])]
    product = rng.choice(products)
    scenarios = [s for s in product["scenarios"] if main is None or s["main"] == main]
    return product, rng.choice(product["models"]), rng.choice(scenarios)


def story(product, model, scenario, **extra):
    """Return the placeholder values that tie one case's texts together."""
    return {"product": product["name"], "model": model, **scenario, **extra}


def serial(rng, model, made):
    """Return a plausible serial number for a model made on a date."""
    return f"{model.split('-')[0]}{made:%y%m}{rng.randint(0, 99999):05d}"


def _product_fields(rng, product, model, when):
    made = when.date() - dt.timedelta(days=rng.randint(60, 900))
    return {"product_name": product["name"], "model_no": model, "specification": product["spec"],
            "manufacture_date": made, "serial_no": serial(rng, model, made)}


def _no_action(pick, key):
    reason = pick.cover(key, codes(c.NO_ACTION_REASONS))
    return reason, reference("texts")["no_action"][reason]


def feedback_row(pick, who, staff, now):
    """Return an independent feedback (consultation or suggestion once analysed) in any state."""
    rng = pick.rng
    status = pick.cover("feedback_status", FEEDBACK_ORDER, weights=(1, 1, 1, 2, 14))
    nature = pick.cover("feedback_nature", ("consultation", "suggestion"))
    item = rng.choice(reference("texts")["feedback"][nature])
    product, model, scenario = product_case(rng, repairable=True, names=item.get("products"))
    stages = stages_until(FEEDBACK_ORDER, status)
    times = timeline(rng, now, FEEDBACK_STEPS[: len(stages) - 1], who["since"], status == "closed")
    values = story(product, model, scenario)
    row = feedback_base(pick, who, staff, times[0], item["category"], fill(item["content"], **values))
    if "{product}" in item["content"]:
        row.update(_product_fields(rng, product, model, times[0]))
    if "routed" in stages:
        row["nature"] = nature
        _route_by_nature(pick, row, nature, staff, times[2])
    if "replied" in stages:
        row.update(reply=item["reply"], replied_at=times[3])
        if nature == "suggestion":
            _feedback_action(pick, row, item.get("plan"))
    if status == "closed":
        row.update(result_tracking=rng.choice(reference("texts")["feedback_tracking"]), completed_at=times[4],
                   closed_at=times[4])
    row.update(status=status, updated_at=times[-1])
    return row


def _route_by_nature(pick, row, nature, staff, when):
    """000 §4.4.5: a consultation goes to a technician; a suggestion is assessed by the quality department."""
    if nature == "consultation":
        row["technician"] = pick.rng.choice(staff["technician"]).id
    else:
        row.update(assessment=pick.cover("feedback_assessment", ("accepted", "planned", "declined")),
                   assessed_by=pick.rng.choice(staff["quality"]).id, assessed_at=when)


def feedback_base(pick, who, staff, when, category, content):
    return {"customer": who["customer"], "owner": pick.rng.choice(staff["clerk"]).id, "feedback_date": when.date(),
            "reporter": who["reporter"], "reporter_org": who["org"], "reporter_phone": who["phone"],
            "channel": pick.cover("feedback_channel", codes(c.CHANNELS)), "category": category, "content": content,
            "recorder": pick.rng.choice(staff["clerk"]).display_name, "created_at": when, "status": "new"}


def _feedback_action(pick, row, plan):
    if plan and pick.chance(0.7):
        row.update(corrective_action=True, action_plan=plan)
    else:
        reason, _text = _no_action(pick, "feedback_no_action")
        row.update(corrective_action=False, no_action_reason=reason)
    row["responsibility"] = pick.cover("feedback_responsibility", codes(c.RESPONSIBILITIES))


def complaint_row(pick, who, staff, now):
    """Return a complaint in any state; some carry the feedback record they came from (key _feedback)."""
    rng = pick.rng
    status = pick.cover("complaint_status", codes(c.COMPLAINT_STATUSES), weights=(1, 1, 1, 1, 1, 80, 1))
    kind = pick.cover("complaint_type", codes(c.COMPLAINT_TYPES), weights=(5, 3, 3, 1))
    item = rng.choice(reference("texts")["complaints"][kind])
    product, model, scenario = product_case(rng, repairable=True, names=item.get("products"))
    if status == "joint_review":
        stages, steps = ["received", "investigating", "joint_review"], [COMPLAINT_STEPS[0], (24, 96)]
    else:
        stages = stages_until(COMPLAINT_ORDER, status)
        steps = COMPLAINT_STEPS[: len(stages) - 1]
    times = timeline(rng, now, steps, who["since"], status in ("closed", "joint_review"), stale=0.25)
    values = story(product, model, scenario, months=rng.randint(1, 11))
    row = _complaint_base(pick, who, staff, times[0], kind, fill(item["content"], **values))
    row.update(product_name=product["name"], customer_request=item["request"],
               involves_return=item["involves_return"], involves_compensation=item["involves_compensation"],
               purchase_date=times[0].date() - dt.timedelta(days=rng.randint(20, 330)))
    if kind == "product_quality":
        row["batch_no"] = f"{times[0]:%Y}{rng.randint(1, 52):02d}-{rng.randint(1, 40):02d}"
    if row["severity"] == "critical" and pick.chance(0.5):
        row["involves_legal"] = True
        row["customer_request"] += "；" + reference("texts")["legal_note"]
        # 001: 涉及法律诉讼的要及时与公司法务人员沟通 — a manager is the contact, told at once, signs off before closing
        row.update(legal_contact=rng.choice(staff["manager"]).id, legal_notified_at=times[0])
        if status == "closed":
            row.update(legal_signoff_at=times[-1] - dt.timedelta(hours=1),
                       legal_signoff_note=reference("texts")["legal_note"])
    if "investigating" in stages:
        row["responsible_dept"] = item["dept"]
    if status == "joint_review":
        row["findings"] = rng.choice(reference("texts")["joint_review"])
    if "resolution_proposed" in stages:
        _complaint_resolution(pick, row, item, values, informed="customer_informed" in stages)
    if "followed_up" in stages:
        row.update(followup_method=pick.cover("complaint_followup", codes(c.FOLLOWUP_METHODS)),
                   followup_date=times[4].date(),
                   followup_satisfaction=pick.cover("complaint_satisfaction", codes(c.SATISFACTION),
                                                    weights=(5, 4, 2, 1, 1)))
    if status == "closed":
        row["closed_at"] = times[5]
    row.update(status=status, updated_at=times[-1])
    if pick.chance(0.35):
        row["_feedback"] = _source_feedback(pick, who, staff, row, stages, times)
    return row


def _complaint_base(pick, who, staff, when, kind, content):
    owner = pick.rng.choice(staff["clerk"] + staff["quality"])
    return {"customer": who["customer"], "owner": owner.id, "complainant": who["reporter"],
            "contact_phone": who["phone"], "received_at": when, "created_at": when,
            "channel": pick.cover("complaint_channel", codes(c.CHANNELS)), "complaint_type": kind,
            "nature": pick.cover("complaint_nature", codes(c.COMPLAINT_NATURES), weights=(6, 2, 1, 1)),
            "severity": pick.cover("complaint_severity", codes(c.SEVERITIES), weights=(3, 5, 2, 1)),
            "purchase_place": fill(pick.rng.choice(reference("texts")["purchase_places"]), city=who["city"],
                                   district=who["district"], street=who["street"]),
            "content": content, "investigation_due": add_working_days(when.date(), 3, who["calendar"]),
            "status": "received"}


def _complaint_resolution(pick, row, item, values, informed):
    row.update(findings=fill(item["findings"], **values), root_cause=fill(item["root_cause"], **values),
               resolution=fill(item["resolution"], **values))
    if item["cpa"] and pick.chance(0.8):
        row.update(corrective_action=True, corrective_preventive=fill(item["cpa"], **values))
        return
    reason, text = _no_action(pick, "complaint_no_action")
    # The management representative signs off on "no action" before the customer is told.
    row.update(corrective_action=False, no_action_reason=reason, corrective_preventive=text,
               mgmt_rep_approved=informed or pick.chance(0.5))


def _source_feedback(pick, who, staff, complaint, stages, times):
    """Return the feedback a complaint was routed from, in the state the complaint's progress implies."""
    status = "closed" if "closed" in stages else "replied" if "customer_informed" in stages else "routed"
    row = feedback_base(pick, who, staff, times[0] - dt.timedelta(minutes=30),
                         TYPE_CATEGORY[complaint["complaint_type"]], complaint["content"])
    row.update(channel=complaint["channel"], nature="complaint", product_name=complaint["product_name"],
               responsibility=pick.cover("feedback_responsibility", codes(c.RESPONSIBILITIES)), status=status,
               updated_at=complaint["updated_at"])
    if status != "routed":
        row.update(reply=complaint["resolution"], replied_at=times[3], corrective_action=complaint["corrective_action"],
                   action_plan=complaint.get("corrective_preventive") if complaint["corrective_action"] else None,
                   no_action_reason=complaint.get("no_action_reason"))
    if status == "closed":
        row.update(result_tracking=reference("texts")["feedback_tracking"][0], completed_at=times[5],
                   closed_at=times[5])
    return row
