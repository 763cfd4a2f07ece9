"""Benchmark what running an export as a background job costs: the same list exported in the request and as a job.

Usage: nice .venv/bin/python bench/jobs_bench.py [--rows 20000] [--repeat 3]
Both paths run in one process, interleaved, on one SQLite file; the job path runs the queue in immediate mode
(the worker's own code: runner, progress to the queue store every 0.25 s, a cancel check every 500 rows).
Prints the median rows per CPU second of each and their ratio.
"""
import argparse
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "bench-password-1"


def build(app, rows):
    """Create the schema, one manager and `rows` customers."""
    from admin_app.db import create_schema
    from models import Customer, User, db

    with app.app_context():
        create_schema()
        user = User(username="bench", role="manager", display_name="基准")
        user.set_password(PASSWORD)
        user.save()
        data = [{"name": f"基准顾客{i:07d}", "customer_type": "company", "phone": f"13{i:09d}", "region": "华东",
                 "staff_count": 10, "receivable": Decimal("0"), "trade_volume_12m": Decimal("1000")}
                for i in range(rows)]
        with db.atomic():
            for start in range(0, rows, 1000):
                Customer.insert_many(data[start:start + 1000]).execute()


def login(client):
    import re

    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post("/login", data={"username": "bench", "password": PASSWORD, "csrf_token": token})
    page = client.get("/admin/").get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def timed(fn):
    start = time.process_time()  # CPU seconds: the machine is shared, wall time is noisy
    fn()
    return time.process_time() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from admin_app import create_app

    folder = tempfile.mkdtemp(prefix="jobs-bench-")
    app = create_app({"DATABASE_URL": f"sqlite:///{folder}/bench.db", "SECRET_KEY": "bench", "HUEY_IMMEDIATE": True,
                      "JOBS_DIR": folder, "EXPORT_JOB_ROWS": 0})
    build(app, args.rows)
    client = app.test_client()
    token = login(client)
    url = "/admin/customer/export/xlsx/"

    def direct():
        app.config["EXPORT_JOB_ROWS"] = args.rows
        assert client.get(url).status_code == 200

    def job():
        app.config["EXPORT_JOB_ROWS"] = 0
        answer = client.post(url, headers={"Accept": "application/json", "X-CSRFToken": token}).get_json()
        assert client.get(f"/admin/jobs/{answer['job']}/download").status_code == 200

    times = {"in the request": [], "as a job": []}
    for _ in range(args.repeat):
        times["in the request"].append(timed(direct))
        times["as a job"].append(timed(job))
    rates = {name: args.rows / statistics.median(values) for name, values in times.items()}
    print(f"| export of {args.rows:,} customers | rows per CPU second (median of {args.repeat}) |")
    print("|---|---|")
    for name, rate in rates.items():
        print(f"| {name} | {rate:,.0f} |")
    print(f"| job / request | {rates['as a job'] / rates['in the request']:.2f} |")


if __name__ == "__main__":
    main()
