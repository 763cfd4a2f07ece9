"""Requests per second of one worker serving a browse and search mix: ours vs the stock Flask-Admin view.

Usage: nice .venv/bin/python bench/throughput_bench.py [--db /work/bench-data/bench_100k.db] [--rounds 5]
One process, one thread: each app answers the same mix of customer-list requests (pages, searches, filters,
sorts) through its WSGI test client, the apps taking turns round by round so that load from other work on the
machine falls on each. Ours runs with every feature on (roles, masks, field rules, in-place editors, saved
views, menu badges) for a logged-in administrator and for a quality inspector, who sees phones masked. Prints
requests per second (per wall-clock second, and per CPU second of this process, which other work on the
machine disturbs less) and the ratio to stock, and writes bench/out/throughput_bench.json.
"""
import argparse
import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.list_bench import (  # noqa: E402 - after the path is set
    filter_key,
    logged_in_client,
    sample,
    stock_app,
    views_of,
)

#: (label, weight) of the requests in one round of the mix
MIX = (("page 1", 4), ("page 2..", 3), ("search 2-char name", 2), ("search 4-char name", 2),
       ("search phone", 1), ("filter grade", 1), ("sort name", 1))


def mix_urls(views, facts):
    """Return the mix's URLs for one app, in a fixed interleaved order."""
    customer, _complaint = views
    base = "/admin/customer/"
    sort_index = {name: i for i, (name, _label) in enumerate(customer._list_columns)}
    by_label = {
        "page 1": [base], "page 2..": [f"{base}?page={n}" for n in (1, 2, 3)],
        "search 2-char name": [f"{base}?search={facts['name2']}"],
        "search 4-char name": [f"{base}?search={facts['name4']}"],
        "search phone": [f"{base}?search={facts['phone']}"],
        "filter grade": [f"{base}?{filter_key(customer, 'grade', 'equal')}=A"],
        "sort name": [f"{base}?sort={sort_index['name']}"],
    }
    urls = []
    for label, weight in MIX:
        options = by_label[label]
        urls += [options[i % len(options)] for i in range(weight)]
    return urls


def one_round(client, urls):
    """Serve the mix once; return (requests per wall-clock second, requests per CPU second)."""
    started, used = time.perf_counter(), time.process_time()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return len(urls) / (time.perf_counter() - started), len(urls) / (time.process_time() - used)


def masked_client(app):
    """Return a client logged in as a bench quality inspector: phones masked, with a reveal button."""
    from bench.list_bench import CSRF_RE, PASSWORD
    from models import User

    with app.app_context():
        user = User.get_or_none(User.username == "bench_quality") or User(username="bench_quality", role="quality",
                                                                          display_name="质检")
        user.set_password(PASSWORD)
        user.save()
    client = app.test_client()
    token = CSRF_RE.search(client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"username": "bench_quality", "password": PASSWORD, "csrf_token": token})
    return client


def run(path, rounds):
    """Return {who: [rps per round]} for ours (admin, masked role) and stock over the database at path."""
    from admin_app import create_app
    from admin_app.db import create_schema

    ours = create_app({"DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "bench", "LOG_LEVEL": "WARNING"})
    with ours.app_context():
        create_schema()
        facts = sample()
    stock = stock_app(views_of(ours))
    clients = {"ours (admin)": (logged_in_client(ours), mix_urls(views_of(ours), facts)),
               "ours (quality, masked)": (masked_client(ours), mix_urls(views_of(ours), facts)),
               "stock": (stock.test_client(), mix_urls(views_of(stock), facts))}
    for client, urls in clients.values():
        one_round(client, urls)  # warm-up: templates compiled, caches filled
    found = {who: [] for who in clients}
    for _ in range(rounds):
        for who, (client, urls) in clients.items():
            found[who].append(one_round(client, urls))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="/work/bench-data/bench_100k.db")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    found = run(args.db, args.rounds)
    stock = [statistics.median(v[i] for v in found["stock"]) for i in (0, 1)]
    rows = []
    print(f"{'':<24} {'wall req/s':>10} {'vs stock':>8}  {'cpu req/s':>10} {'vs stock':>8}")
    for who, values in found.items():
        wall, cpu = (statistics.median(v[i] for v in values) for i in (0, 1))
        rows.append({"server": who, "rps_wall": round(wall, 1), "rps_cpu": round(cpu, 1),
                     "vs_stock_wall": round(wall / stock[0], 2), "vs_stock_cpu": round(cpu / stock[1], 2),
                     "rounds": [[round(w, 1), round(c, 1)] for w, c in values]})
        print(f"{who:<24} {wall:10.1f} {wall / stock[0]:7.2f}x  {cpu:10.1f} {cpu / stock[1]:7.2f}x", flush=True)
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "throughput_bench.json").write_text(json.dumps(
        {"database": args.db, "rounds": args.rounds, "mix": MIX, "rows": rows,
         "when": dt.datetime.now().isoformat(timespec="seconds"),
         "note": "one process, one thread, WSGI test clients taking turns; machine shared with other work"},
        ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
