"""Time the dashboard, the deadline filters and "my work" on a large database.

Usage: nice .venv/bin/python bench/workflow_bench.py [--customers 100000] [--db /tmp/bench_wf.db] [--runs 10]
Builds the database with bench/dataset.py when the file is missing, then requests each page through a logged-in
test client of the real app and prints median, p95 and max wall-clock ms and the median CPU ms of this process
(SQLite runs in it, so the database's work counts). The machine may be shared: wall-clock times then include
waiting for a core, CPU times much less so. Writes bench/out/workflow_bench.json.
"""
import argparse
import datetime as dt
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FILTER_ARG = re.compile(r'"arg": "(\d+)", "index": \d+, "operation": "[^"]*", "options": \[\["overdue"')


def timed(client, url, runs):
    """Return (sorted wall ms, sorted CPU ms of this process, last status) of `runs` GETs (no warm-up)."""
    walls, cpus, status = [], [], None
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        response = client.get(url)
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - used) * 1000)
        status = response.status_code
    return sorted(walls), sorted(cpus), status


def urls(client):
    """Return [(label, url)] of the pages measured."""
    found = [("dashboard", "/admin/"), ("my work", "/admin/mywork/")]
    for endpoint in ("complaint", "repair", "feedback", "returnexchange"):
        page = client.get(f"/admin/{endpoint}/").get_data(as_text=True)
        arg = FILTER_ARG.search(page).group(1)
        found += [(f"{endpoint} list", f"/admin/{endpoint}/"),
                  (f"{endpoint} overdue", f"/admin/{endpoint}/?flt0_{arg}=overdue")]
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--db", default="/tmp/bench_wf.db")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    if not Path(args.db).exists():
        from bench.dataset import build

        print(f"building {args.customers:,} customers at {args.db} …", flush=True)
        build(args.db, args.customers)
    from admin_app import create_app
    from admin_app.db import create_schema
    from bench.list_bench import logged_in_client

    app = create_app({"DATABASE_URL": f"sqlite:///{args.db}", "SECRET_KEY": "bench", "LOG_LEVEL": "WARNING"})
    with app.app_context():
        create_schema()
    client = logged_in_client(app)
    rows = []
    print(f"{'request':<24} {'median':>8} {'p95':>8} {'max':>8} {'cpu med':>8}  (ms; the first dashboard request "
          "computes the year figures, the max shows it)")
    for label, url in urls(client):
        walls, cpus, status = timed(client, url, args.runs)
        row = {"request": label, "url": url, "status": status, "median_ms": round(walls[len(walls) // 2], 1),
               "p95_ms": round(walls[max(0, round(0.95 * len(walls)) - 1)], 1), "max_ms": round(walls[-1], 1),
               "cpu_median_ms": round(cpus[len(cpus) // 2], 1)}
        rows.append(row)
        print(f"{label:<24} {row['median_ms']:>8.1f} {row['p95_ms']:>8.1f} {row['max_ms']:>8.1f} "
              f"{row['cpu_median_ms']:>8.1f}  {status}", flush=True)
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "workflow_bench.json").write_text(json.dumps(
        {"database": args.db, "runs": args.runs, "rows": rows, "when": dt.datetime.now().isoformat(timespec="seconds"),
         "note": "wall-clock ms through a Flask test client; machine shared with other work"}, indent=1))


if __name__ == "__main__":
    main()
