"""Demo repairs, returns/exchanges and archive entries, each consistent with its state."""
import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from models import choices as c
from seeds.cases import feedback_base, product_case, serial, story
from seeds.common import codes, fill, office_hour, reference, timeline

ONSITE = ["received", "assigned", "on_site", "quoted", "consented", "repaired", "confirmed", "followed_up"]
FACTORY = ["received", "assigned", "returned_to_factory", "quoted", "consented", "repaired", "inspected",
           "shipped_back", "confirmed", "followed_up"]
REPAIR_STEPS = {"assigned": (1, 6), "on_site": (2, 20), "returned_to_factory": (2, 20), "quoted": (4, 48),
                "consented": (12, 96), "repaired": (2, 72), "inspected": (4, 24), "shipped_back": (12, 48),
                "confirmed": (24, 96), "followed_up": (48, 240)}
QUOTE_STAGES = ("quoted", "consented")


def _repair_plan(pick, status):
    """Return (lifecycle path, needs a quote) for a repair that has reached status."""
    if status == "on_site":
        path = ONSITE
    elif status in ("returned_to_factory", "inspected", "shipped_back"):
        path = FACTORY
    else:
        path = FACTORY if pick.chance(0.35) else ONSITE
    reached = path[: path.index(status) + 1]
    quote = status in QUOTE_STAGES or (len(reached) > 3 and pick.chance(0.25))
    return [s for s in path if quote or s not in QUOTE_STAGES], quote


def repair_row(pick, who, staff, now):
    """Return a repair in any state; some carry the feedback they came from (key _feedback)."""
    rng = pick.rng
    status = pick.cover("repair_status", codes(c.REPAIR_STATUSES), weights=(1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 18))
    path, quote = _repair_plan(pick, status)
    stages = path[: path.index(status) + 1]
    warranty = "out_of_warranty" if quote else pick.cover("warranty", codes(c.WARRANTY_STATUSES), weights=(7, 3))
    product, model, scenario = product_case(rng, repairable=True, main=True if quote else (
        False if warranty == "out_of_warranty" else None))
    times = dict(zip(stages, timeline(rng, now, [REPAIR_STEPS[s] for s in stages[1:]], who["since"],
                                      status == "followed_up", stale=0.2), strict=True))
    received = times["received"]
    made = received.date() - dt.timedelta(days=rng.randint(60, 900))
    row = {"customer": who["customer"], "owner": rng.choice(staff["clerk"]).id, "reporter": who["reporter"],
           "contact_phone": who["phone"], "product_name": product["name"], "model_no": model,
           "serial_no": serial(rng, model, made), "fault_reported": scenario["fault"], "received_at": received,
           "created_at": received, "warranty_status": warranty,
           "response_due": received + dt.timedelta(hours=12 if who["core"] else 24), "status": status,
           "updated_at": times[status]}
    _repair_progress(pick, row, stages, times, scenario, staff)
    if pick.chance(0.3):
        row["_feedback"] = _repair_feedback(pick, who, staff, row, product, model, made)
    return row


def _repair_progress(pick, row, stages, times, scenario, staff):
    rng = pick.rng
    if "assigned" in stages:
        row["technician"] = rng.choice(staff["technician"]).id
    visit = "on_site" if "on_site" in stages else "returned_to_factory" if "returned_to_factory" in stages else None
    if visit:
        row.update(arrived_at=times[visit], fault_found=scenario["found"], main_component=scenario["main"],
                   returned_to_factory=visit == "returned_to_factory")
    if "quoted" in stages:
        row["quote_amount"] = Decimal(rng.randint(18, 90) * 10)
    if "consented" in stages:
        row["customer_consent_at"] = times["consented"]
    if "repaired" in stages:
        parts = Decimal(rng.randint(3, 60) * 10)
        labour = Decimal(0) if row["warranty_status"] == "in_warranty" else Decimal(rng.choice((50, 80, 100, 150)))
        row.update(handling_method=scenario["method"], parts_cost=parts, labour_cost=labour)
        if row.get("quote_amount"):
            row["quote_amount"] = max(row["quote_amount"], parts + labour)
    if "inspected" in stages:
        row.update(inspection_passed=True, inspected_at=times["inspected"])
    if "shipped_back" in stages:
        row.update(shipped_at=times["shipped_back"].date(), ship_quantity=1,
                   ship_method=pick.cover("ship_method", codes(c.SHIP_METHODS)))
    if "confirmed" in stages:
        row["customer_confirmed_at"] = times["confirmed"]
    if "followed_up" in stages:
        row.update(followup_date=times["followed_up"].date(), closed_at=times["followed_up"],
                   followup_evaluation=pick.cover("repair_evaluation", codes(c.SATISFACTION), weights=(6, 4, 2, 1, 1)))


def _repair_feedback(pick, who, staff, repair, product, model, made):
    """Return the fault report (feedback routed to repair) a repair came from."""
    when = repair["received_at"] - dt.timedelta(minutes=20)
    item = pick.rng.choice(reference("texts")["feedback"]["fault"])
    content = fill(item["content"], product=product["name"], model=model, fault=repair["fault_reported"])
    row = feedback_base(pick, who, staff, when, "product_quality", content)
    row.update(nature="fault", product_name=product["name"], model_no=model, specification=product["spec"],
               manufacture_date=made, serial_no=repair["serial_no"], status="routed",
               responsibility="internal", updated_at=when)
    if repair.get("arrived_at"):
        row.update(status="replied", reply=item["reply"], replied_at=repair["arrived_at"],
                   updated_at=repair["arrived_at"])
    if repair.get("closed_at"):
        row.update(status="closed", corrective_action=False, no_action_reason="isolated",
                   result_tracking=reference("texts")["feedback_tracking"][4], completed_at=repair["closed_at"],
                   closed_at=repair["closed_at"], updated_at=repair["closed_at"])
    return row


RETURN_PATH = {"requested": ["requested"], "refused": ["requested", "refused"],
               "approved": ["requested", "approved"], "goods_received": ["requested", "approved", "goods_received"],
               "shipped": ["requested", "approved", "goods_received", "shipped"],
               "refunded": ["requested", "approved", "goods_received", "refunded"]}
RETURN_STEPS = {"refused": (4, 72), "approved": (4, 72), "goods_received": (24, 120), "shipped": (12, 72),
                "refunded": (24, 120), "closed": (2, 72)}


def return_row(pick, who, staff, now):
    """Return a return/exchange request in any state."""
    rng = pick.rng
    status = pick.cover("return_status", codes(c.RETURN_STATUSES), weights=(1, 1, 2, 1, 1, 1, 14))
    decision = {"refused": "refuse", "shipped": "exchange", "refunded": "return"}.get(status)
    if decision is None and status != "requested":
        decision = pick.cover("return_decision", ("return", "exchange"))
    stages = RETURN_PATH.get(status) or RETURN_PATH["shipped" if decision == "exchange" else "refunded"] + ["closed"]
    times = dict(zip(stages, timeline(rng, now, [RETURN_STEPS[s] for s in stages[1:]], who["since"],
                                      status in ("closed", "refused")), strict=True))
    product, model, scenario = product_case(rng)
    quality = decision != "refuse" and (pick.chance(0.85) or product["non_returnable"])
    late = pick.chance(0.15 if decision != "refuse" else 0.5)
    requested = times["requested"]
    purchase = requested.date() - (relativedelta(months=3, days=rng.randint(5, 60)) if late else dt.timedelta(
        days=rng.randint(2, 80)))
    quantity = 1 if pick.chance(0.8) else rng.randint(2, 6)
    reasons = reference("texts")["returns"]["quality" if quality else "other"]
    row = {"customer": who["customer"], "owner": rng.choice(staff["clerk"]).id, "product_name": product["name"],
           "model_no": model, "purchase_date": purchase, "quantity": quantity,
           "amount": Decimal(product["price"] * quantity), "non_returnable": product["non_returnable"],
           "reason": fill(rng.choice(reasons), **story(product, model, scenario)), "proof_checked": pick.chance(0.5),
           "created_at": requested, "updated_at": times[stages[-1]], "status": status}
    if decision:
        _return_decision(pick, row, decision, quality, late, scenario, staff)
    if "goods_received" in stages:
        row["goods_received_at"] = times["goods_received"].date()
    if "shipped" in stages:
        row["shipped_at"] = times["shipped"].date()
    if "refunded" in stages:
        row["finance_handled"] = True
    if status in ("closed", "refused"):
        row["closed_at"] = times[status]
    return row


def _return_decision(pick, row, decision, quality, late, scenario, staff):
    texts = reference("texts")["returns"]
    row.update(decision=decision, approver=pick.rng.choice(staff["manager"]).id, quality_problem=quality,
               proof_checked=True if decision != "refuse" else row["proof_checked"])
    row["inspection_report"] = fill(texts["report_quality"], **scenario) if quality else texts["report_ok"]
    if quality:
        row["responsibility"] = pick.cover("return_responsibility", codes(c.RESPONSIBILITIES))
    if decision != "refuse" and (late or not quality):
        row["exception_reason"] = pick.rng.choice(texts["exception"])


def archive_rows(pick, who, staff, now, count):
    """Return count dossier entries spread between the customer's start and today."""
    rng = pick.rng
    rows = []
    for _ in range(count):
        kind = pick.cover("archive_kind", codes(c.ARCHIVE_KINDS), weights=(4, 3, 1, 3, 1))
        day = now.date() - dt.timedelta(days=rng.randint(1, max(2, min(540, (now - who["since"]).days))))
        product, model, _scenario = product_case(rng)
        doc = f"{rng.choice(('HT', 'BX', 'FP', 'WX'))}{day:%Y%m}{rng.randint(1, 9999):04d}"
        row = {"customer": who["customer"], "owner": rng.choice(staff["clerk"]).id, "kind": kind, "entry_date": day,
               "content": fill(rng.choice(reference("texts")["archive"][kind]), product=product["name"],
                               model=model, doc=doc),
               "retention_until": _years_later(day, 3), "last_checked": _last_check(day, now.date()),
               "created_at": office_hour(rng, day)}
        checked = dt.datetime.combine(row["last_checked"] or day, dt.time(17))
        row["updated_at"] = min(now, max(row["created_at"], checked))
        _archive_details(pick, row, kind, product, model, staff, doc)
        rows.append(row)
    return rows


def _archive_details(pick, row, kind, product, model, staff, doc):
    rng = pick.rng
    if kind == "consumption":
        quantity = rng.choice((1, 1, 1, 2, 5, 20))
        row.update(amount=Decimal(product["price"] * quantity), items=f"{product['name']} {model} ×{quantity}",
                   satisfaction=pick.cover("archive_satisfaction", codes(c.SATISFACTION), weights=(6, 4, 2, 1, 1)))
    elif kind in ("service", "visit"):
        person = rng.choice(staff["technician"] if kind == "service" else staff["clerk"])
        row["staff"] = person.display_name
        if kind == "visit":
            row["satisfaction"] = pick.cover("archive_satisfaction", codes(c.SATISFACTION), weights=(6, 4, 2, 1, 1))
    elif kind == "document":
        row["document_no"] = doc


def _years_later(day, years):
    """Return the same date some years later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _last_check(day, today):
    """Return the latest half-yearly dossier check (30 June / 31 December) after day, or None."""
    last = dt.date(today.year, 6, 30) if today >= dt.date(today.year, 6, 30) else dt.date(today.year - 1, 12, 31)
    return last if day < last else None
