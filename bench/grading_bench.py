"""Benchmark the set-based credit-grade recompute on a scratch SQLite file.

Usage: nice .venv/bin/python bench/grading_bench.py [--rows 1000000] [--db /tmp/grading_bench.db] [--check 2000]
Builds N customers with varied credit facts (stored grade C / not_designated, as after an import), then times
the preview and two recomputes: the first moves most customers and writes their history, the second finds
nothing to change. Target: the first recompute of 1,000,000 customers under 30 s. On a shared machine the CPU
time printed beside the wall time shows what the recompute itself cost. `--check` compares that many
random rows with grade_customer afterwards.
"""
import argparse
import datetime as dt
import os
import random
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = dt.date(2026, 11, 23)
COLUMNS = ("name", "customer_type", "staff_count", "is_wholesaler", "receivable", "trade_volume_12m",
           "first_trade_date", "prior_incident", "bad_reputation", "designation", "grade", "grade_reasons",
           "urgent", "created_at", "updated_at", "version")


def fake_row(rng, i, stamp):
    """Return one customer's column values, spread over every rule and boundary."""
    kind = rng.choice(("individual", "company", "company", "company", "store"))
    receivable = rng.choice((0, 0, 0, rng.randrange(1, 20_000_000) / 100, 200000, 500000))
    first = TODAY - dt.timedelta(days=rng.randrange(0, 4000))
    return (f"顾客{i}", kind, rng.choice((None, 5, 19, 20, 80, 500)), rng.random() < 0.05, receivable,
            rng.choice((0, rng.randrange(0, 300_000_000) / 100)), first.isoformat(), rng.random() < 0.03,
            rng.random() < 0.03, rng.choice((None, None, "A", "B", "B")), "C", "not_designated", False, stamp,
            stamp, 1)


def build(path, rows, seed=7):
    """Create the schema and insert `rows` customers with executemany in chunks, one transaction."""
    from admin_app.db import open_database
    from models import ALL_MODELS, db

    if os.path.exists(path):
        os.remove(path)
    db.initialize(open_database(f"sqlite:///{path}"))
    with db.connection_context():
        db.create_tables(ALL_MODELS)
    db.close()
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA synchronous=OFF")
    rng, stamp = random.Random(seed), dt.datetime(2026, 11, 1, 9, 30).isoformat(" ")
    sql = f"INSERT INTO customer ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
    con.execute("BEGIN")
    for start in range(0, rows, 50_000):
        con.executemany(sql, [fake_row(rng, i, stamp) for i in range(start, min(rows, start + 50_000))])
    con.execute("COMMIT")
    con.close()


def timed(label, func, *args, **kwargs):
    """Run func, print how long it took, return its result."""
    started, cpu = time.perf_counter(), time.process_time()
    result = func(*args, **kwargs)
    counts = result if isinstance(result, dict) and "moved" in result else ""
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{label}: {time.perf_counter() - started:.2f} s wall, {time.process_time() - cpu:.2f} s CPU  {counts}  "
          f"(load average {load})", flush=True)
    return result


def check(sample):
    """Compare `sample` random customers with grade_customer; return the number that differ."""
    from peewee import fn

    from admin_app.services.grading import rules
    from models import Customer

    wrong = 0
    for customer in Customer.select().order_by(fn.RANDOM()).limit(sample):
        grade, reasons = rules.grade_customer(customer.facts(), None, TODAY)
        wrong += (customer.grade, customer.grade_reasons) != (grade, rules.join_reasons(reasons))
    return wrong


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", default="/tmp/grading_bench.db")
    parser.add_argument("--check", type=int, default=2000)
    args = parser.parse_args()
    from flask import Flask
    from flask_babel import Babel

    from admin_app.db import open_database
    from admin_app.services.grading import grading_sql
    from models import db

    timed(f"build {args.rows} customers", build, args.db, args.rows)
    app = Flask("grading_bench")
    Babel(app)
    with app.app_context():
        db.initialize(open_database(f"sqlite:///{args.db}"))
        with db.connection_context():
            preview = timed("preview", grading_sql.preview, today=TODAY)
            print("  movements:", {f"{m['old']}→{m['new']}": m["count"] for m in preview["movements"]})
            timed("recompute #1 (writes history)", grading_sql.apply, today=TODAY)
            timed("recompute #2 (nothing to change)", grading_sql.apply, today=TODAY)
            print(f"rows differing from grade_customer in a sample of {args.check}: {check(args.check)}")
    os.remove(args.db)


if __name__ == "__main__":
    main()
