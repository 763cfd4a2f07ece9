"""Time the customer list, its search, filters and sorts, the dossier and the overdue complaints: ours vs stock.

Usage: nice .venv/bin/python bench/list_bench.py [--customers 1000000] [--db /tmp/bench_1m.db] [--runs 20]
Builds the database with bench/dataset.py when the file is missing. Every request goes through a logged-in
test client of the real app (create_app) and, in the same run, of a minimal Flask app with a stock
flask_admin.contrib.peewee.ModelView over the same tables. Prints median and p95 per request and the ratio,
and writes bench/out/list_bench.json. Wall-clock times: on a shared machine they are noisy, so read the ratio.
"""
import argparse
import datetime as dt
import json
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-password-1"
TARGET_LIST, TARGET_P95, TARGET_DETAIL = 50, 150, 100
#: a 2-character word about 30% of the dataset's customers hold (every trading company: "…商贸有限公司")
MANY_HITS = "商贸"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
#: filter column -> (kind of operation, value typed into the filter box)
FILTER_VALUES = {
    "customer_type": ("equal", "company"), "grade": ("equal", "A"), "designation": ("equal", "A"),
    "gender": ("equal", "male"), "region": ("equal", "上海"), "is_wholesaler": ("equal", "1"),
    "prior_incident": ("equal", "1"), "bad_reputation": ("equal", "1"), "urgent": ("equal", "1"),
    "receivable": ("greater", "800000"), "trade_volume_12m": ("greater", "4900000"),
    "staff_count": ("equal", "20"), "first_trade_date": ("greater", "2026-10-01"),
    "birth_date": ("greater", "2000-01-01"), "consent_date": ("greater", "2026-01-01"),
    "consent_channel": ("equal", "paper"), "next_report_due": ("greater", "2026-12-01"),
    "created_at": ("greater", "2026-11-02 00:00:00"),
}


def stock_app(ours):
    """Return a Flask app with stock peewee ModelViews over Customer and Complaint, configured like ours."""
    from flask import Flask
    from flask_admin import Admin
    from flask_admin.contrib.peewee import ModelView
    from flask_babel import Babel

    from models import Complaint, Customer, db

    customer_view, complaint_view = ours

    class StockCustomer(ModelView):
        column_list = [name for name, _label in customer_view._list_columns]
        column_searchable_list = customer_view.column_searchable_list
        column_filters = customer_view.column_filters
        column_sortable_list = customer_view.column_sortable_list
        column_default_sort = customer_view.column_default_sort
        can_view_details = True
        page_size = 20

    class StockComplaint(ModelView):
        column_list = [name for name, _label in complaint_view._list_columns]
        column_filters = ("status", "investigation_due")
        column_default_sort = ("id", True)
        page_size = 20

    app = Flask("stock")
    app.config["SECRET_KEY"] = "stock"
    Babel(app, default_locale="zh_Hans_CN")
    admin = Admin(app, name="stock")
    admin.add_view(StockCustomer(Customer, endpoint="customer"))
    admin.add_view(StockComplaint(Complaint, endpoint="complaint"))
    @app.before_request
    def _connect():
        db.connect(reuse_if_open=True)

    return app


def filter_key(view, column, kind):
    """Return the `flt0_<arg>` URL key of a view's first filter of a kind ('equal'/'greater'/'in') on a column."""
    for key, (_idx, flt) in view._filter_args.items():
        name = type(flt).__name__
        if getattr(flt.column, "name", None) != column or "Not" in name:
            continue
        if {"equal": "Equal" in name, "greater": "Greater" in name, "in": "InList" in name,
            "smaller": "Smaller" in name}[kind]:
            return f"flt0_{key}"
    return None


def sample():
    """Return search fragments and a customer with a dossier, read from the data."""
    import peewee as pw

    from models import ArchiveRecord, Customer

    middle = Customer.select(pw.fn.MAX(Customer.id)).scalar() // 2
    person = Customer.select().where(Customer.customer_type == "individual", pw.fn.LENGTH(Customer.name) == 3,
                                     Customer.id > middle).first()
    company = Customer.select().where(Customer.customer_type == "company", Customer.id > middle).first()
    dossier = ArchiveRecord.select(ArchiveRecord.customer).order_by(ArchiveRecord.id.desc()).first().customer_id
    return {"name2": person.name[1:3], "name4": company.name[2:6], "phone": person.phone[3:8],
            "dossier": dossier}


def requests_for(views, facts, today):
    """Return [(label, url)] for one app's views (None where the app has no such request)."""
    customer, complaint = views
    base = "/admin/customer/"
    sort_index = {name: i for i, (name, _label) in enumerate(customer._list_columns)}
    reqs = [("list: default page", base), ("list: page 5,000", base + "?page=4999"),
            ("search: 2-char name", f"{base}?search={facts['name2']}"),
            ("search: 4-char name", f"{base}?search={facts['name4']}"),
            ("search: phone digits", f"{base}?search={facts['phone']}"),
            ("search: 2-char, many hits", f"{base}?search={MANY_HITS}")]
    for column, (kind, value) in FILTER_VALUES.items():
        key = filter_key(customer, column, kind)
        reqs.append((f"filter: {column} {kind}", f"{base}?{key}={value}" if key else None))
    for column in customer.column_sortable_list:
        index = sort_index.get(column)
        reqs.append((f"sort: {column}", f"{base}?sort={index}" if index is not None else None))
    reqs.append(("detail + dossier", f"{base}details/?id={facts['dossier']}"))
    if type(complaint).__name__ == "StockComplaint":
        status, due = filter_key(complaint, "status", "in"), filter_key(complaint, "investigation_due", "smaller")
        url = f"/admin/complaint/?{status}=received,investigating&{due.replace('flt0', 'flt1')}={today}"
    else:
        key = next(k for k, (_i, f) in complaint._filter_args.items() if type(f).__name__ == "OverdueFilter")
        url = f"/admin/complaint/?flt0_{key}=overdue"
    reqs.append(("overdue complaints", url))
    return reqs


def timed(client, url, runs, warm_up=True):
    """Return wall-clock and CPU ms per request (after one warm-up, unless told not) and the last status code."""
    if warm_up:
        client.get(url)
    wall, cpu, status = [], [], None
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
        status = response.status_code
    return wall, cpu, status


def summary(wall, cpu):
    ordered = sorted(wall)
    return {"median": statistics.median(ordered), "p95": ordered[max(0, round(0.95 * len(ordered)) - 1)],
            "cpu_median": statistics.median(cpu)}


def logged_in_client(app):
    """Return a test client of our app logged in as a bench administrator (created if missing)."""
    from models import User

    with app.app_context():
        user = User.get_or_none(User.username == "bench_admin") or User(username="bench_admin", role="admin",
                                                                          display_name="基准")
        user.set_password(PASSWORD)
        user.save()
    client = app.test_client()
    token = CSRF_RE.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/login", data={"username": "bench_admin", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, "bench login failed"
    return client


def views_of(app):
    admin = app.extensions["admin"][0]
    by_endpoint = {view.endpoint: view for view in admin._views}
    return by_endpoint["customer"], by_endpoint["complaint"]


def run(path, runs):
    """Measure every request on both apps; return the result rows."""
    from admin_app import create_app
    from admin_app.db import create_schema

    ours = create_app({"DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "bench", "LOG_LEVEL": "WARNING"})
    with ours.app_context():
        create_schema()  # applies what the code adds since the file was built (indexes, search triggers)
        facts = sample()
    stock = stock_app(views_of(ours))
    today = dt.date.today().isoformat()
    mine, theirs = logged_in_client(ours), stock.test_client()
    stock_reqs = dict(requests_for(views_of(stock), facts, today))
    rows = []
    for label, url in requests_for(views_of(ours), facts, today):
        if url is None:
            continue
        wall, cpu, ours_status = timed(mine, url, runs)
        row = {"request": label, "url": url, "ours": summary(wall, cpu), "ours_status": ours_status}
        if stock_reqs.get(label):
            wall, cpu, stock_status = timed(theirs, stock_reqs[label], runs)
            row.update(stock=summary(wall, cpu), stock_status=stock_status, stock_url=stock_reqs[label])
        rows.append(row)
        print(format_row(row), flush=True)
    return rows, facts


def format_row(row):
    ours, stock = row["ours"], row.get("stock")
    limit = (TARGET_DETAIL, TARGET_DETAIL) if row["request"].startswith("detail") else (TARGET_LIST, TARGET_P95)
    ok = "ok" if ours["median"] <= limit[0] and ours["p95"] <= limit[1] and row["ours_status"] == 200 else "MISS"
    mine = f"{ours['median']:8.1f} {ours['p95']:8.1f} {ours['cpu_median']:7.1f}"
    if stock:
        theirs = (f"{stock['median']:8.1f} {stock['p95']:8.1f} {stock['cpu_median']:7.1f} "
                  f"{stock['median'] / ours['median']:6.1f}x")
    else:
        theirs = f"{'-':>8} {'-':>8} {'-':>7} {'-':>7}"
    return f"{row['request']:<32} {mine} {theirs}  {ok}"


HEADER = (f"{'request':<32} {'ours':>8} {'':>8} {'':>7} {'stock':>8} {'':>8} {'':>7} {'stock/':>7}\n"
          f"{'':<32} {'median':>8} {'p95':>8} {'cpu':>7} {'median':>8} {'p95':>8} {'cpu':>7} {'ours':>7}  target")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--db", default="/tmp/bench_1m.db")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if not Path(args.db).exists():
        from bench.dataset import build

        print(f"building {args.customers:,} customers at {args.db} …", flush=True)
        build(args.db, args.customers)
    print(HEADER + "   (all in ms; cpu = median CPU time of the benchmark process)")
    rows, facts = run(args.db, args.runs)
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    result = {"database": args.db, "runs": args.runs, "facts": facts, "rows": rows,
              "when": dt.datetime.now().isoformat(timespec="seconds"),
              "note": "wall-clock ms through Flask test clients; machine shared with other work"}
    (out / "list_bench.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(f"wrote {out / 'list_bench.json'}")


if __name__ == "__main__":
    main()
