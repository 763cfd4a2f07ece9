"""Load test: gunicorn with 4 workers on loopback, 50 simulated clerks browsing, searching, editing, exporting.

Usage: nice .venv/bin/python bench/load_test.py [--customers 20000] [--clients 50] [--seconds 60]
                                                [--pg-url postgresql://user@127.0.0.1:5432/scratch_db]
Builds a scratch SQLite database (bench/dataset.py), copies it into the PostgreSQL database when --pg-url is
given (that database is emptied first: pass a scratch one), starts gunicorn on 127.0.0.1, runs the clerks for
a fixed time and stops everything. Only loopback is contacted. Edits are real form posts with the CSRF token and
row_version; a clerk whose save meets a version conflict reloads the form and tries again.
Reports requests per second, p50/p95 per kind of request and errors (5xx, unexpected status, no answer).
"""
import argparse
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.http_clerk import Clerk  # noqa: E402

PASSWORD = "load-test-pass-1"
FRAGMENTS = ("王", "李", "明", "华", "伟", "138", "139", "商贸", "便利店", "上海", "北京王", "张伟", "1390", "88")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(url, sqlite_path, customers, clients):
    """Fill the database at `url` (built at sqlite_path, copied for PostgreSQL) and create the clerk accounts."""
    from admin_app.db import create_schema, open_database
    from bench.dataset import build
    from models import User, db

    if not os.path.exists(sqlite_path):
        build(sqlite_path, customers)
    if not url.startswith("sqlite"):
        from bench.pg_copy import copy_sqlite_to

        copy_sqlite_to(sqlite_path, url)
    db.initialize(open_database(url))
    with db.connection_context():
        create_schema()
        User.delete().where(User.username.startswith("load_clerk")).execute()
        template = User(username="x", role="clerk")
        template.set_password(PASSWORD)
        User.insert_many([{"username": f"load_clerk{i}", "role": "clerk", "display_name": f"客服{i}",
                           "password_hash": template.password_hash} for i in range(clients)]).execute()
        top = db.execute_sql("SELECT max(id) FROM customer").fetchone()[0]
    db.close()
    return top


def start_server(url, port, workers):
    """Start gunicorn on loopback; return the process once it answers."""
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "load-test", "LOG_LEVEL": "WARNING",
           "LOGIN_MAX_FAILURES_PER_ADDRESS": "100000"}
    command = [str(ROOT / ".venv/bin/gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
               "--timeout", "120", "--log-level", "warning", "run:app"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("gunicorn did not start: " + server.stderr.read().decode()[-2000:])


def clerk_loop(index, base, top, clock, results, lock, seed):
    """One simulated clerk: log in, wait for the others, then browse, search, edit and export until time is up."""
    rng = random.Random(seed)
    clerk = Clerk(base, rng)
    clerk.login(f"load_clerk{index}", PASSWORD)
    clerk.log.clear()  # logins (password hashing) happen before the measured minute
    clock["ready"].wait()
    actions = (("browse", 40), ("search", 25), ("detail", 15), ("edit", 15), ("export", 5))
    names, weights = zip(*actions, strict=True)
    while time.monotonic() < clock["stop_at"]:
        kind = rng.choices(names, weights)[0]
        if kind == "browse":
            clerk.get("browse", f"/admin/customer/?page={rng.randrange(0, 50)}")
        elif kind == "search":
            clerk.get("search", f"/admin/customer/?search={urllib.parse.quote(rng.choice(FRAGMENTS))}")
        elif kind == "detail":
            clerk.get("detail", f"/admin/customer/details/?id={rng.randrange(1, top + 1)}")
        elif kind == "edit":
            clerk.edit_customer(rng.randrange(1, min(top, 300) + 1))  # a few hundred rows: conflicts happen
        else:
            term = urllib.parse.quote(rng.choice(FRAGMENTS[5:]))
            clerk.get("export", f"/admin/customer/export/xlsx/?search={term}")
    with lock:
        results.append(clerk.log)


def report(logs, seconds, server_errors):
    """Summarise the clerks' request logs."""
    entries = [entry for log in logs for entry in log]
    kinds = sorted({kind for kind, *_rest in entries})
    table = {}
    for kind in kinds:
        times = sorted(ms for k, ms, ok in entries if k == kind)
        table[kind] = {"count": len(times), "p50": statistics.median(times),
                       "p95": times[max(0, round(0.95 * len(times)) - 1)],
                       "errors": sum(1 for k, _ms, ok in entries if k == kind and not ok)}
    every = sorted(ms for _k, ms, _ok in entries)
    return {"requests": len(entries), "per_second": len(entries) / seconds,
            "p95": every[max(0, round(0.95 * len(every)) - 1)] if every else None,
            "errors": sum(1 for _k, _ms, ok in entries if not ok), "kinds": table,
            "conflicts_retried": sum(1 for log in logs for kind, *_r in log if kind == "edit:conflict"),
            "server_tracebacks": server_errors}


def run(url, label, args):
    top = prepare(url, args.db, args.customers, args.clients)
    port = free_port()
    server = start_server(url, port, args.workers)
    results, lock = [], threading.Lock()
    clock = {"stop_at": None}
    clock["ready"] = threading.Barrier(args.clients + 1, timeout=600,
                                       action=lambda: clock.update(stop_at=time.monotonic() + args.seconds))
    try:
        threads = [threading.Thread(target=clerk_loop, daemon=True,
                                    args=(i, f"http://127.0.0.1:{port}", top, clock, results, lock, 1000 + i))
                   for i in range(args.clients)]
        for thread in threads:
            thread.start()
        clock["ready"].wait()  # every clerk is logged in: the measured time starts now
        for thread in threads:
            thread.join(args.seconds + 180)
    finally:
        server.terminate()
        stderr = server.communicate(timeout=30)[1].decode(errors="replace")
    summary = report(results, args.seconds, len(re.findall(r"Traceback", stderr)))
    summary.update(database=label, clients=args.clients, seconds=args.seconds, workers=args.workers,
                   customers=top)
    return summary


def print_summary(summary):
    print(f"\n{summary['database']}: {summary['clients']} clerks, {summary['seconds']} s, "
          f"{summary['workers']} gunicorn workers, {summary['customers']:,} customers")
    print(f"  {summary['requests']} requests, {summary['per_second']:.1f}/s, p95 {summary['p95']:.0f} ms, "
          f"errors {summary['errors']}, version conflicts retried {summary['conflicts_retried']}, "
          f"server tracebacks {summary['server_tracebacks']}")
    for kind, row in summary["kinds"].items():
        print(f"  {kind:<16} {row['count']:6d}  p50 {row['p50']:7.0f} ms  p95 {row['p95']:7.0f} ms  "
              f"errors {row['errors']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--db", default="/tmp/load_20k.db")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--pg-url", default=None, help="a scratch PostgreSQL database (it is emptied)")
    args = parser.parse_args()
    runs = [(f"sqlite:///{args.db}", "SQLite")] + ([(args.pg_url, "PostgreSQL")] if args.pg_url else [])
    summaries = []
    for url, label in runs:
        summary = run(url, label, args)
        print_summary(summary)
        summaries.append(summary)
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "load_test.json").write_text(json.dumps(summaries, ensure_ascii=False, indent=1))
    print(f"wrote {out / 'load_test.json'}")


if __name__ == "__main__":
    main()
