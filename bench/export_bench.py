"""Benchmark the customer export against a bare xlsxwriter loop writing the same cells.

Usage: nice .venv/bin/python bench/export_bench.py [--rows 1000 100000] [--db /tmp/export_bench.db] [--keep]
Times are CPU seconds of the writing process (the machine may be shared, so wall time is noisy).
Prints one table row per size: rows/s of both, the throughput ratio (target >= 0.90, issue 15) and the peak RSS
of the exporting process (flat: about the same at every size). The database of each size is <db>.<rows>.
Both sides run `--repeat` times, interleaved (bare, ours, bare, ours ...), and the median counts. Our side is a
serving process: one untimed export first (the translation catalogue, the first query plans), then the timed
one, and the export runs in the request (EXPORT_JOB_ROWS raised) so every size measures the same writer.
"""
import argparse
import datetime as dt
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-password-1"
#: the customer list's columns as our export writes them (the urgent flag as 是/否, empty reasons as no cell)
COLUMNS = ("id", "urgent", "name", "customer_type", "phone", "region", "grade", "grade_reasons", "designation",
           "next_report_due", "owner_id", "updated_at", "version")


def build(path, rows):
    """Create the schema and insert `rows` customers with plain sqlite3 executemany."""
    from admin_app.db import open_database
    from models import ALL_MODELS, User, db

    if os.path.exists(path):
        os.remove(path)
    db.initialize(open_database(f"sqlite:///{path}"))
    with db.connection_context():
        db.create_tables(ALL_MODELS)
        user = User(username="bench", role="manager", display_name="基准测试")
        user.set_password(PASSWORD)
        user.save()
        owners = [User.create(username=f"owner{i}", password_hash="x", display_name=f"业务员{i}").id
                  for i in range(20)]
    db.close()
    getattr(db.obj, "close_all", lambda: None)()  # a pooled connection left open would lock the file below
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    rng = random.Random(5)
    stamp = dt.datetime(2026, 11, 1, 9, 30).isoformat(" ")
    sql = ("INSERT INTO customer (name, customer_type, phone, region, grade, designation, next_report_due, "
           "owner_id, updated_at, created_at, version, is_wholesaler, receivable, trade_volume_12m, "
           "prior_incident, bad_reputation, grade_reasons, urgent) VALUES (?,?,?,?,?,?,?,?,?,?,1,0,0,0,0,0,'',0)")
    step = 50_000
    for start in range(0, rows, step):
        batch = [(f"顾客{i}", rng.choice(("individual", "company", "store")), f"139{i:08d}",
                  rng.choice(("华东", "华北", "=cmd|' /C calc'!A0", "华南")), rng.choice("ABC"),
                  rng.choice(("A", "B", None)), (dt.date(2026, 1, 1) + dt.timedelta(days=i % 365)).isoformat(),
                  rng.choice(owners), stamp, stamp) for i in range(start, min(rows, start + step))]
        con.executemany(sql, batch)
        con.commit()
    con.close()


def bare(path, out):
    """Time bare constant-memory xlsxwriter writing the same cells from pre-fetched, pre-converted tuples.

    Timed: creating the workbook, its two formats and the header row, the cell loop and close(); not timed:
    reading and converting the rows (our side pays for both, in the request).
    """
    import xlsxwriter

    con = sqlite3.connect(path)
    owners = dict(con.execute("SELECT id, display_name FROM users"))
    kinds = {"individual": "个人", "company": "企业", "store": "门店"}
    flags = {0: "否", 1: "是"}
    cursor = con.execute(f"SELECT {', '.join(COLUMNS)} FROM customer ORDER BY id DESC")
    started = time.process_time()  # the workbook, its formats and header count: every writer pays them
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    dt_fmt = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    ws = book.add_worksheet("bare")
    for c, name in enumerate(COLUMNS):
        ws.write_string(2, c, name)
    elapsed, r = time.process_time() - started, 2
    while True:
        fetched = cursor.fetchmany(50_000)
        if not fetched:
            break
        cells = [(i, flags[urgent], n, kinds[t], p, reg, g, why, d, dt.date.fromisoformat(due), owners[o],
                  dt.datetime.fromisoformat(u), v) for i, urgent, n, t, p, reg, g, why, d, due, o, u, v in fetched]
        started = time.process_time()
        for i, urgent, n, t, p, reg, g, why, d, due, o, u, v in cells:
            r += 1
            ws.write_number(r, 0, i)
            ws.write_string(r, 1, urgent)
            ws.write_string(r, 2, n)
            ws.write_string(r, 3, t)
            ws.write_string(r, 4, p)
            ws.write_string(r, 5, reg)
            ws.write_string(r, 6, g)
            if why:
                ws.write_string(r, 7, why)
            if d is not None:
                ws.write_string(r, 8, d)
            ws.write_datetime(r, 9, due, date_fmt)
            ws.write_string(r, 10, o)
            ws.write_datetime(r, 11, u, dt_fmt)
            ws.write_number(r, 12, v)
        elapsed += time.process_time() - started
    started = time.process_time()
    book.close()
    return elapsed + time.process_time() - started, r - 2


def ours(path):
    """Run the real export request in this process and report time, rows and peak RSS as JSON."""
    from admin_app import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                      "TESTING": True, "EXPORT_JOB_ROWS": 10**9})  # the writer in the request, not a queued job
    client = app.test_client()
    assert client.post("/login", data={"username": "bench", "password": PASSWORD}).status_code == 302
    warm = client.get("/admin/customer/export/xlsx/?search=顾客1", buffered=False)  # a served process is warm
    assert warm.status_code == 200 and sum(len(chunk) for chunk in warm.response)
    started, wall = time.process_time(), time.perf_counter()
    response = client.get("/admin/customer/export/xlsx/", buffered=False)
    size = sum(len(chunk) for chunk in response.response)
    elapsed, wall = time.process_time() - started, time.perf_counter() - wall
    assert response.status_code == 200, response.status_code
    print(json.dumps({"seconds": elapsed, "wall": wall, "bytes": size, "peak_rss_mb": peak_rss_mb()}))


def peak_rss_mb():
    """Return this process's peak resident set size in MB (VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000, 100_000])
    parser.add_argument("--db", default=os.path.join(tempfile.gettempdir(), "export_bench.db"))
    parser.add_argument("--ours", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help="reuse an existing scratch database")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side, interleaved; the median counts")
    args = parser.parse_args()
    if args.ours:
        return ours(args.db)
    print("| rows | bare xlsxwriter rows/s | our export rows/s | ratio (target >= 90%) | our peak RSS |")
    print("|---:|---:|---:|---:|---:|")
    for size in args.rows:
        compare(f"{args.db}.{size}", size, args.keep, args.repeat)


def compare(path, size, keep, repeat):
    """Build (or reuse) a database of `size` customers, run both writers interleaved and print one table row."""
    if not (keep and os.path.exists(path)):
        build(path, size)
    bares, results = [], []
    for _run in range(repeat):
        seconds, rows = bare(path, os.path.join(tempfile.gettempdir(), "export_bench_bare.xlsx"))
        bares.append(seconds)
        child = subprocess.run([sys.executable, __file__, "--ours", "--db", path], capture_output=True, text=True,
                               check=True, env={**os.environ, "LOG_LEVEL": "WARNING"})
        results.append(json.loads(child.stdout.strip().splitlines()[-1]))
    bare_seconds = statistics.median(bares)
    ours_seconds = statistics.median(r["seconds"] for r in results)
    print(f"| {rows:,} | {rows / bare_seconds:,.0f} | {rows / ours_seconds:,.0f} | "
          f"{bare_seconds / ours_seconds:.0%} | {max(r['peak_rss_mb'] for r in results):.0f} MB |", flush=True)


if __name__ == "__main__":
    main()
