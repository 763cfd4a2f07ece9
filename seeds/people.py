"""Demo customers: Chinese names, addresses, phones, ID cards and the facts the credit grade reads."""
import datetime as dt
from decimal import Decimal

from admin_app.validators import ID_CHECK, ID_WEIGHTS
from models.choices import CONSENT_CHANNELS, CUSTOMER_TYPES
from seeds.common import codes, reference

MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
                   "156", "157", "158", "159", "166", "176", "177", "180", "181", "186", "187", "188", "189",
                   "191", "198", "199")
TRIGGERS = ("wholesaler", "receivable_high", "receivable_ratio", "small_company", "prior_incident",
            "bad_reputation", "new_customer")
DEMO_MARK = "【演示数据】"


def person_name(pick, gender=None):
    """Return (name, pinyin, gender) of a random Chinese person."""
    names = reference("names")
    gender = gender or pick.rng.choice(("male", "female"))
    surname, s_py = pick.rng.choice(names["surnames"])
    chars = [pick.rng.choice(names[gender]) for _ in range(pick.rng.choice((1, 2, 2)))]
    return surname + "".join(c for c, _p in chars), s_py + "".join(p for _c, p in chars), gender


def mobile(rng):
    """Return a mainland mobile number."""
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"


def landline(rng, city):
    """Return a landline number with the city's area code (8 digits, 7 for small codes)."""
    digits = 8 if len(city["area_code"]) == 3 or rng.random() < 0.7 else 7
    number = str(rng.randint(2, 8)) + "".join(str(rng.randint(0, 9)) for _ in range(digits - 1))
    return f"{city['area_code']}-{number}"


def id_card(rng, region_code, birth, gender):
    """Return a valid 18-digit resident ID number (GB 11643) for a birth date and gender."""
    sequence = rng.randrange(1, 999, 2) if gender == "male" else rng.randrange(2, 999, 2)
    body = f"{region_code}{birth:%Y%m%d}{sequence:03d}"
    return body + ID_CHECK[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def place(rng):
    """Return (city, district, district code, street) at random."""
    city = rng.choice(reference("places")["cities"])
    district, code = rng.choice(city["districts"])
    return city, district, code, rng.choice(city["streets"])


def full_address(city, district, street, rest):
    """Return a postal address; a municipality's name is not repeated."""
    head = city["city"] if city["province"] == city["city"] else city["province"] + city["city"]
    return f"{head}{district}{street}{rest}"


def _individual(pick, row, city, code):
    rng = pick.rng
    recorded = pick.cover("gender", ("male", "female", "unknown"), weights=(48, 48, 4))
    name, pinyin, gender = person_name(pick, None if recorded == "unknown" else recorded)
    today = row["_today"]
    birth = today - dt.timedelta(days=rng.randint(22 * 365, 75 * 365))
    row.update(name=name, gender=recorded, occupation=rng.choice(reference("names")["occupations"]),
               phone=mobile(rng) if rng.random() < 0.9 else landline(rng, city))
    if rng.random() < 0.8:
        row["birth_date"] = birth
    else:
        row["age"] = (today - birth).days // 365
    if recorded != "unknown" and rng.random() < 0.45:
        row["id_card"] = id_card(rng, code, birth, gender)
    if rng.random() < 0.7:
        row["email"] = f"{pinyin}{rng.choice(('', str(rng.randint(1, 99)), str(birth.year)))}@" + rng.choice(
            reference("names")["email_domains"])
    residence = rng.choice(reference("places")["residences"])
    row["_address_rest"] = (f"{rng.randint(1, 399)}号{residence}{rng.randint(1, 30)}栋"
                            f"{rng.randint(1, 4)}单元{rng.randint(1, 33)}{rng.randint(1, 4):02d}室")
    row["trade_volume_12m"] = Decimal(rng.randint(3, 300) * 100)
    return pinyin


def _organisation(pick, row, city, district, street, kind):
    rng = pick.rng
    brand, brand_py = rng.choice(reference("companies")["brands"])
    contact, _py, _g = person_name(pick)
    if kind == "company":
        spec = rng.choice(reference("companies")["company_kinds"])
        row.update(name=f"{city['short']}{brand}{spec['suffix']}", staff_count=rng.randint(*spec["staff"]),
                   is_wholesaler=rng.random() < spec["wholesaler"], occupation=spec["occupation"],
                   contact_person=f"{contact}（{rng.choice(('采购经理', '总经理', '行政主管', '工程部经理'))}）")
        row["trade_volume_12m"] = Decimal(rng.randint(20, 2000) * 10_000)
        row["_top"] = spec["top"]
        domain = f"{brand_py}{spec['tag']}.com.cn"
    else:
        pattern = rng.choice(reference("companies")["store_patterns"])
        row.update(name=pattern.format(brand=brand, district=district.rstrip("区"), street=street),
                   staff_count=rng.randint(2, 15), occupation="零售门店", contact_person=f"{contact}（店长）")
        row["trade_volume_12m"] = Decimal(rng.randint(2, 80) * 10_000)
        domain = f"{brand_py}.cn"
    row["phone"] = landline(rng, city) if rng.random() < 0.6 else mobile(rng)
    if kind == "company" and row["staff_count"] > 500 and rng.random() < 0.5:
        row["phone"] = f"400-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"
    if rng.random() < (0.85 if kind == "company" else 0.4):
        row["email"] = f"{rng.choice(('service', 'info', 'caigou', 'kefu'))}@{domain}"
    building = rng.choice(reference("places")["buildings"])
    row["_address_rest"] = f"{rng.randint(1, 999)}号{building}{rng.randint(1, 28)}层"
    if kind == "store":
        row["_address_rest"] = f"{rng.randint(1, 999)}号临街商铺"


def _profile(pick, kind, top):
    """Return the target grade profile: A only for companies, stores are always small (C)."""
    if kind == "store":
        return "C"
    profile = pick.cover(f"profile_{kind}", ("A", "B", "C") if kind == "company" else ("B", "C"),
                         weights=(3, 8, 9) if kind == "company" else (5, 5))
    return "A" if profile == "A" or (top and profile == "B" and pick.chance(0.4)) else profile


def _credit_facts(pick, row, kind, today):
    """Set designation and the facts so the rules give the profile's grade (or C with a trigger)."""
    rng = pick.rng
    profile = _profile(pick, kind, row.pop("_top", False))
    trade = row["trade_volume_12m"]
    row["first_trade_date"] = today - dt.timedelta(days=rng.randint(400, 3650))
    row["receivable"] = Decimal(0) if kind == "individual" or rng.random() < 0.4 else (
        trade * Decimal(rng.randint(1, 30)) / 100).quantize(Decimal("1"))
    if row["receivable"] >= 500_000 and profile != "A":
        row["receivable"] = Decimal(rng.randint(100, 480) * 1000).min(trade * Decimal("0.3")).quantize(Decimal("1"))
    if kind == "company" and profile != "C":
        row["staff_count"] = max(row["staff_count"], 20)
    row["is_wholesaler"] = row.get("is_wholesaler", False) and profile == "C"
    row["designation"] = profile if profile in ("A", "B") else None
    if profile == "C":
        if pick.chance(0.35):
            row["designation"] = rng.choice(("A", "B")) if kind == "company" else "B"
        if pick.chance(0.65) or row["designation"]:
            _trigger(pick, row, kind, today)


def _trigger(pick, row, kind, today):
    """Give a C customer one of the seed's C reasons."""
    rng = pick.rng
    reason = pick.cover(f"trigger_{kind}", TRIGGERS if kind == "company" else (
        "prior_incident", "bad_reputation", "new_customer"))
    if reason == "wholesaler":
        row["is_wholesaler"] = True
    elif reason == "receivable_high":
        row["receivable"] = Decimal(rng.randint(500, 1500) * 1000)
        row["designation"] = "B" if row["designation"] == "A" else row["designation"]
    elif reason == "receivable_ratio":
        row["receivable"] = Decimal(rng.randint(50, 200) * 1000)
        row["trade_volume_12m"] = (row["receivable"] * Decimal(rng.uniform(0.6, 1.9))).quantize(Decimal("1"))
    elif reason == "small_company":
        row["staff_count"] = rng.randint(3, 19)
    elif reason == "new_customer":
        row["first_trade_date"] = today - dt.timedelta(days=rng.randint(45, 360))
    else:
        row[reason] = True
        row["urgent"] = reason == "prior_incident" and pick.chance(0.3)


def customer_row(pick, today, owners):
    """Return one customer's column values (keys starting with _ are for the generator only)."""
    rng = pick.rng
    kind = pick.cover("customer_type", codes(CUSTOMER_TYPES), weights=(45, 40, 15))
    city, district, code, street = place(rng)
    row = {"customer_type": kind, "region": city["city"], "_today": today, "_city": city, "_district": district,
           "_street": street, "is_wholesaler": False, "prior_incident": False, "bad_reputation": False,
           "urgent": False, "owner": rng.choice(owners)}
    if kind == "individual":
        _individual(pick, row, city, code)
    else:
        _organisation(pick, row, city, district, street, kind)
    row["address"] = full_address(city, district, street, row.pop("_address_rest"))
    _credit_facts(pick, row, kind, today)
    _consent_and_notes(pick, row, kind, today)
    row["created_at"] = row["updated_at"] = dt.datetime.combine(
        max(row["first_trade_date"], today - dt.timedelta(days=560)), dt.time(9, rng.randint(0, 59)))
    return row


def _consent_and_notes(pick, row, kind, today):
    rng = pick.rng
    if rng.random() < 0.9:
        row["consent_date"] = min(today, row["first_trade_date"] + dt.timedelta(days=rng.randint(0, 10)))
        row["consent_channel"] = pick.cover("consent_channel", codes(CONSENT_CHANNELS))
    if rng.random() < 0.25:
        row["special_needs"] = rng.choice(reference("texts")["special_needs"])
    pool = reference("companies")["individual_notes" if kind == "individual" else "company_notes"]
    row["notes"] = DEMO_MARK + rng.choice(pool)


def grading_facts(row):
    """Return the facts mapping grade_customer reads, from a customer row."""
    keys = ("customer_type", "is_wholesaler", "receivable", "trade_volume_12m", "staff_count", "prior_incident",
            "bad_reputation", "first_trade_date", "designation")
    return {key: row.get(key) for key in keys}


URGENT_TEXTS = {
    "bounced_cheque": "对方开具的转账支票被银行退票，金额{amount}元，已电话催款并报告营业主管。",
    "cheque_deferral": "对方来电要求将到期支票延期{days}天兑付，已报告营业主管。",
    "other": "对方法定代表人变更，付款审批暂停，已报告营业主管。",
}


def credit_event_rows(pick, row, customer_id, staff, now):
    """Return the urgent credit events (紧急报告) behind a customer's prior incident: open ones flag it urgent."""
    if not row["prior_incident"]:
        return []
    rng = pick.rng
    kind = pick.cover("urgent_kind", ("bounced_cheque", "cheque_deferral", "other"), weights=(5, 3, 1))
    amount = Decimal(rng.randint(2, 60) * 5000)
    day = now.date() - dt.timedelta(days=rng.randint(2, 25) if row["urgent"] else rng.randint(60, 500))
    event = {"customer": customer_id, "kind": kind, "occurred_on": day, "amount": amount,
             "description": URGENT_TEXTS[kind].format(amount=amount, days=rng.choice((15, 30, 45))),
             "reported_by": staff["supervisor"][0].id, "resolved": not row["urgent"],
             "created_at": dt.datetime.combine(day, dt.time(10, rng.randint(0, 59)))}
    if not row["urgent"]:
        event["resolved_at"] = event["created_at"] + dt.timedelta(days=rng.randint(3, 40))
    event["updated_at"] = event.get("resolved_at", event["created_at"])
    return [event]


def grade_history_row(row, customer_id, now):
    """Return the grade history entry of the demo's initial grading."""
    return {"customer": customer_id, "old_grade": None, "new_grade": row["grade"], "reasons": row["grade_reasons"],
            "source": "cli", "designation": row["designation"], "remark": "演示数据初始评级", "username": "seed-demo",
            "at": now, "created_at": now, "updated_at": now}
