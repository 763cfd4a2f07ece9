"""Demo data: staff accounts, customers of every type and grade, and their records in every state.

Loaded once: a second load finds the demo customers (notes start with DEMO_MARK) and adds nothing.
The demo staff accounts (clerk1 … manager1) log in with $DEMO_PASSWORD, or "demo-pass-2026" if unset.
"""
import datetime as dt
import os
import random
from collections import defaultdict

import peewee as pw

from admin_app.db import is_sqlite, write_transaction
from models import (
    ArchiveRecord,
    Complaint,
    CoreArea,
    Customer,
    Feedback,
    GradeHistory,
    Holiday,
    Repair,
    ReturnExchange,
    UrgentEvent,
    User,
    db,
)
from seeds.cases import complaint_row, feedback_row
from seeds.common import Picker, reference
from seeds.people import DEMO_MARK, credit_event_rows, customer_row, grade_history_row, grading_facts
from seeds.service import archive_rows, repair_row, return_row

SEED = 2026
DEFAULT_PASSWORD = "demo-pass-2026"
STAFF = (("clerk1", "clerk", "张敏"), ("clerk2", "clerk", "刘洋"), ("clerk3", "clerk", "陈静"),
         ("tech1", "technician", "王建国"), ("tech2", "technician", "李强"), ("quality1", "quality", "赵丽"),
         ("supervisor1", "supervisor", "孙海涛"), ("manager1", "manager", "周晓东"))
#: customers generated and written per round, so large sets stream instead of filling memory
BATCH = 1000
#: stay below SQLite's limit of bound variables per statement
MAX_VARIABLES = 30000


def demo_present():
    """Tell whether the demo customers are already in the database."""
    return Customer.select().where(Customer.notes.startswith(DEMO_MARK)).exists()


def load_demo(customers=240, seed=SEED, now=None):
    """Load demo data; return how many customers were added (0 when the demo set is already there)."""
    if customers <= 0:
        return 0
    now = (now or dt.datetime.now()).replace(microsecond=0)
    pick = Picker(random.Random(seed))
    grader = _grader()
    with write_transaction():
        # Checked under the write lock, so two loads started together still add the set once.
        if demo_present():
            return 0
        staff = ensure_staff()
        settings = _service_settings(now)
        for start in range(0, customers, BATCH):
            _load_batch(pick, staff, now, min(BATCH, customers - start), grader, settings)
    return customers


def ensure_staff():
    """Create the missing demo staff accounts; return the accounts by role."""
    existing = {u.username: u for u in User.select().where(User.username.in_([s[0] for s in STAFF]))}
    missing = [s for s in STAFF if s[0] not in existing]
    if missing:
        # One hash for all: scrypt is slow on purpose, and the accounts share the documented demo password.
        template = User()
        template.set_password(os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD)
        for username, role, name in missing:
            existing[username] = User.create(username=username, role=role, display_name=name,
                                             password_hash=template.password_hash)
    staff = defaultdict(list)
    for username, role, _name in STAFF:
        staff[role].append(existing[username])
    return staff


def _service_settings(now):
    """Return (core regions, holiday calendar) the deadlines use; name the demo's core cities if none are set."""
    if not CoreArea.select().exists():
        cities = [city["city"] for city in reference("places")["cities"] if city["core"]]
        CoreArea.insert_many([{"region": city, "note": "演示数据"} for city in cities]).execute()
    core = {row.region for row in CoreArea.select(CoreArea.region)}
    since = now.date() - dt.timedelta(days=600)
    calendar = {row.day: row.kind for row in Holiday.select(Holiday.day, Holiday.kind).where(Holiday.day >= since)}
    return core, calendar


def _grader():
    """Return (grade_customer, cadence function or None) from the grading service, if it exists yet."""
    try:
        from admin_app.services.grading import rules as grading
    except ImportError:
        return None, None
    return getattr(grading, "grade_customer", None), getattr(grading, "next_report_due", None)


def _grade(row, grader, now):
    grade_customer, next_due = grader
    grade, reasons = grade_customer(grading_facts(row), today=now.date()) if grade_customer else (
        "C", ["not_designated"])
    row.update(grade=grade, grade_reasons=",".join(reasons), graded_at=now)
    if next_due:
        row["next_report_due"] = next_due(grade, now.date())


def _load_batch(pick, staff, now, count, grader, settings):
    owners = [user.id for user in staff["clerk"] + staff["supervisor"]]
    rows = [customer_row(pick, now.date(), owners) for _ in range(count)]
    for row in rows:
        _grade(row, grader, now)
    ids = insert_rows(Customer, rows)
    records = defaultdict(list)
    for row, customer_id in zip(rows, ids, strict=True):
        records[GradeHistory].append(grade_history_row(row, customer_id, now))
        records[UrgentEvent] += credit_event_rows(pick, row, customer_id, staff, now)
        _customer_records(pick, _who(row, customer_id, settings), staff, now, records)
    _link_feedback(records)
    for model in (Complaint, Repair, ReturnExchange, ArchiveRecord, GradeHistory, UrgentEvent):
        insert_rows(model, records[model])


def _who(row, customer_id, settings):
    """Return what every record of a customer repeats: who reports, how to reach them, where, since when."""
    organisation = row["customer_type"] != "individual"
    since = max(row["first_trade_date"], row["_today"] - dt.timedelta(days=540))
    return {"customer": customer_id, "org": row["name"] if organisation else None, "phone": row["phone"],
            "reporter": row["contact_person"].split("（")[0] if organisation else row["name"],
            "since": dt.datetime.combine(since, dt.time(9)), "city": row["_city"]["short"],
            "district": row["_district"], "street": row["_street"], "core": row["region"] in settings[0],
            "calendar": settings[1]}


def _customer_records(pick, who, staff, now, records):
    rng = pick.rng
    records[ArchiveRecord] += archive_rows(pick, who, staff, now, rng.randint(1, 4))
    for _ in range(rng.choice((0, 1, 1, 2))):
        records[Feedback].append(feedback_row(pick, who, staff, now))
    for model, build, odds in ((Complaint, complaint_row, (55, 37, 8)), (Repair, repair_row, (55, 38, 7)),
                               (ReturnExchange, return_row, (75, 23, 2))):
        for _ in range(rng.choices((0, 1, 2), weights=odds)[0]):
            records[model].append(build(pick, who, staff, now))


def _link_feedback(records):
    """Insert all feedback, then point each complaint or repair at the feedback it was routed from."""
    linked = [row for model in (Complaint, Repair) for row in records[model] if "_feedback" in row]
    feedback = records[Feedback] + [row["_feedback"] for row in linked]
    ids = insert_rows(Feedback, feedback)
    for row, feedback_id in zip(linked, ids[len(records[Feedback]):], strict=True):
        row["feedback"] = feedback_id


def insert_rows(model, rows):
    """Insert rows (dicts; keys starting with _ are ignored, missing ones take defaults); return their ids."""
    if not rows:
        return []
    fields = [field for field in model._meta.sorted_fields if field.name != "id"]
    defaults = {field.name: _default(field) for field in fields}
    clean = [{field.name: row.get(field.name, defaults[field.name]) for field in fields} for row in rows]
    if hasattr(model, "keyed_row"):  # derived columns (a customer's search key) are written with the row
        clean = [model.keyed_row(row) for row in clean]
    if is_sqlite():
        return _insert_sqlite(model, fields, clean)
    ids = []
    size = max(1, MAX_VARIABLES // len(fields))
    for start in range(0, len(clean), size):
        cursor = model.insert_many(clean[start:start + size]).returning(model.id).execute()
        ids.extend(row[0] if isinstance(row, tuple) else row.id for row in cursor)
    return ids


def _insert_sqlite(model, fields, rows):
    """Insert with explicit ids after the highest ever used (AUTOINCREMENT's rule), via executemany: fast."""
    table = model._meta.table_name
    used = db.execute_sql("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
    start = max(used[0] if used else 0, model.select(pw.fn.MAX(model.id)).scalar() or 0) + 1
    ids = list(range(start, start + len(rows)))
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    marks = ", ".join("?" * (len(fields) + 1))
    # sqlite3 adapts str, int, bool, date and datetime itself (peewee registers the adapters); round money only.
    money = [field for field in fields if isinstance(field, pw.DecimalField)]
    for row in rows:
        for field in money:
            row[field.name] = field.db_value(row[field.name])
    names = [field.name for field in fields]
    params = [(new_id, *map(row.__getitem__, names)) for new_id, row in zip(ids, rows, strict=True)]
    db.cursor().executemany(f'INSERT INTO "{table}" ("id", {columns}) VALUES ({marks})', params)
    return ids


def _default(field):
    return field.default() if callable(field.default) else field.default
