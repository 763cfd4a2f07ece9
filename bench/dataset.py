"""Build a large scratch database for benchmarks: N customers and proportional records.

Usage: nice .venv/bin/python bench/dataset.py --customers 1000000 --db /tmp/bench_1m.db
Per customer, on average: 2 archive records, 0.5 feedback, 0.2 complaints, 0.3 repairs, 0.1 returns.
Rows go in with executemany in one transaction per table, indexes and search indexes are built after.
"""
import argparse
import datetime as dt
import json
import os
import random
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = dt.date(2026, 11, 23)
CHUNK = 50_000
PER_CUSTOMER = {"archive_record": 2.0, "feedback": 0.5, "complaint": 0.2, "repair": 0.3, "return_exchange": 0.1}


def _names():
    data = json.loads((ROOT / "seeds/reference/names.json").read_text(encoding="utf-8"))
    given = [g for g, _py in data["male"] + data["female"]]
    return [s for s, _py in data["surnames"]], given


def customer_rows(count, rng):
    """Yield customer tuples: name, type, phone, region, grade, money, dates and the name's search key."""
    from admin_app.services.lists.pinyin_key import search_key

    surnames, given = _names()
    regions = ("北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "南京", "西安", "重庆")
    stamp = dt.datetime(2026, 11, 1, 9, 0).isoformat(" ")
    for _ in range(count):
        kind = rng.choices(("individual", "company", "store"), (6, 3, 1))[0]
        name = rng.choice(surnames) + "".join(rng.choice(given) for _ in range(rng.choice((1, 2, 2))))
        if kind != "individual":
            name = f"{rng.choice(regions)}{name}{'商贸有限公司' if kind == 'company' else '便利店'}"
        first = (TODAY - dt.timedelta(days=rng.randrange(30, 4000))).isoformat()
        yield (name, kind, f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}", rng.choice(regions),
               rng.choice("ABCCC"), rng.choice((0, 0, rng.randrange(0, 900_000))), rng.randrange(0, 5_000_000),
               rng.choice((None, 5, 19, 20, 80)), kind == "company" and rng.random() < 0.05, first,
               rng.random() < 0.03, rng.random() < 0.03, rng.random() < 0.01, "not_designated", stamp, stamp, 1,
               search_key(name))


CUSTOMER_COLUMNS = ("name", "customer_type", "phone", "region", "grade", "receivable", "trade_volume_12m",
                    "staff_count", "is_wholesaler", "first_trade_date", "prior_incident", "bad_reputation",
                    "urgent", "grade_reasons", "created_at", "updated_at", "version", "search_key")


def _status(table, when, rng):
    """Return a record's status: recent records are often open, older ones almost always finished."""
    recent = (MOMENT - when).days < 30
    open_share = 0.5 if recent else 0.002
    if rng.random() >= open_share:
        return FINISHED[table]
    return rng.choice(OPEN[table])


MOMENT = dt.datetime(2026, 11, 20, 12, 0)
OPEN = {"feedback": ("new", "analysing"), "complaint": ("received", "investigating"),
        "repair": ("received", "assigned"), "return_exchange": ("requested",)}
FINISHED = {"feedback": "closed", "complaint": "closed", "repair": "closed", "return_exchange": "closed"}


def record_rows(table, customers, rng):
    """Yield rows for one record table, `PER_CUSTOMER[table]` rows per customer on average."""
    total = int(customers * PER_CUSTOMER[table])
    for _ in range(total):
        cid = rng.randrange(1, customers + 1)
        when = MOMENT - dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 540))
        stamp = when.isoformat(" ")
        base = (cid, stamp, stamp, 1)
        if table == "archive_record":
            yield base + (rng.choice(("consumption", "service", "visit")), when.date().isoformat(), "消费与服务记录")
        elif table == "feedback":
            yield base + ("顾客", "phone", "product_quality", "产品使用反馈", when.date().isoformat(),
                          _status(table, when, rng))
        elif table == "complaint":
            due = (when.date() + dt.timedelta(days=5)).isoformat()
            yield base + ("顾客", stamp, "phone", "product_quality", "valid", "medium", "产品质量投诉", due,
                          _status(table, when, rng))
        elif table == "repair":
            due = (when + dt.timedelta(hours=24)).isoformat(" ")
            yield base + ("顾客", "热水器", "无法点火", stamp, due, _status(table, when, rng))
        else:
            yield base + ("电饭煲", when.date().isoformat(), "内胆涂层脱落", _status(table, when, rng))


RECORD_COLUMNS = {
    "archive_record": ("kind", "entry_date", "content"),
    "feedback": ("reporter", "channel", "category", "content", "feedback_date", "status"),
    "complaint": ("complainant", "received_at", "channel", "complaint_type", "nature", "severity", "content",
                  "investigation_due", "status"),
    "repair": ("reporter", "product_name", "fault_reported", "received_at", "response_due", "status"),
    "return_exchange": ("product_name", "purchase_date", "reason", "status"),
}


def _model_defaults(table, columns):
    """Return (columns, values) for the NOT NULL columns the generator leaves out: the model's defaults."""
    from models import ALL_MODELS

    model = next(m for m in ALL_MODELS if m._meta.table_name == table)
    extra, values = [], []
    for field in model._meta.sorted_fields:
        if field.column_name in columns or field.null or field.primary_key or field.default is None:
            continue
        value = field.default() if callable(field.default) else field.default
        extra.append(field.column_name)
        values.append(field.db_value(value))
    return tuple(extra), tuple(values)


def _insert(con, table, columns, rows):
    extra, values = _model_defaults(table, columns)
    columns = (*columns, *extra)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    batch = []
    for row in rows:
        batch.append(row + values)
        if len(batch) == CHUNK:
            con.executemany(sql, batch)
            batch.clear()
    if batch:
        con.executemany(sql, batch)


def _drop_indexes(con, tables):
    """Drop the secondary indexes of the tables to fill and return their SQL: building them after is faster."""
    marks = ", ".join("?" * len(tables))
    found = con.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                        f"AND tbl_name IN ({marks})", tables).fetchall()
    for name, _sql in found:
        con.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in found]


def build(path, customers, seed=11):
    """Create the schema at `path` and fill it; return the seconds it took."""
    from admin_app.db import create_schema, open_database
    from admin_app.services.lists import search
    from models import db

    started = time.perf_counter()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db.initialize(open_database(f"sqlite:///{path}"))
    create_schema()
    with db.connection_context():
        search.drop(db.obj)  # filled in one pass below instead of row by row through the triggers
    db.close_all()  # the pool keeps its connections open, and changing the journal mode needs none open
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=DELETE")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-1000000")
    indexes = _drop_indexes(con, ["customer", *RECORD_COLUMNS])
    rng = random.Random(seed)
    con.execute("BEGIN")
    _insert(con, "customer", CUSTOMER_COLUMNS, customer_rows(customers, rng))
    for table, columns in RECORD_COLUMNS.items():
        _insert(con, table, ("customer_id", "created_at", "updated_at", "version", *columns),
                record_rows(table, customers, rng))
    for sql in indexes:
        con.execute(sql)
    con.execute("COMMIT")
    con.execute("PRAGMA journal_mode=WAL")
    con.close()
    with db.connection_context():
        search.install(db.obj)
        db.execute_sql("ANALYZE")
    db.close()
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--db", default="/tmp/bench_1m.db")
    args = parser.parse_args()
    seconds = build(args.db, args.customers)
    print(f"built {args.customers:,} customers in {seconds:.1f} s at {args.db}")


if __name__ == "__main__":
    main()
