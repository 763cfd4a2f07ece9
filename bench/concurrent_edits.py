"""Concurrent edits on shared records: gunicorn with 4 workers on SQLite, many clients saving the same rows.

Usage: nice .venv/bin/python bench/concurrent_edits.py [--clients 50] [--edits 20] [--records 5] [--workers 4]
Each client logs in, then saves `edits` changes to customers picked from a small shared set. A save that meets
a conflict (someone saved first) re-loads the edit page and retries, as a clerk would. At the end it checks:
zero 5xx answers; every record's version == 1 + its successful saves (no lost or silently overwritten update);
the change log holds exactly one "update" per successful save. The machine may be shared: times are indicative.
"""
import argparse
import http.cookiejar
import os
import random
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.http_clerk import read_form  # noqa: E402

PASSWORD = "bench-Password-1"
CONFLICT_HINT = "row_version"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """One browser: its own cookies, no automatic redirects."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  NoRedirect)

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def login(self, username):
        _status, page = self.request("/login")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        status, _page = self.request("/login", {"username": username, "password": PASSWORD, "csrf_token": token})
        if status != 302:
            raise RuntimeError(f"login failed for {username}: {status}")


def prepare(directory, clients, records):
    """Create the database with `records` shared customers and one clerk account per client."""
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'bench.db'}"
    from admin_app.db import create_schema, open_database
    from models import Customer, User, db

    db.initialize(open_database(os.environ["DATABASE_URL"]))
    create_schema()
    with db.connection_context():
        for i in range(clients):
            user = User(username=f"clerk{i}", role="clerk", display_name=f"坐席{i}")
            user.set_password(PASSWORD)
            user.save()
        for i in range(records):
            Customer.create(name=f"共享顾客{i}", customer_type="company", phone=f"1390000{i:04d}", staff_count=10)


def start_server(directory, workers):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "SECRET_KEY": "bench-secret", "INSTANCE_PATH": str(directory),
           "LOGIN_MAX_FAILURES_PER_ADDRESS": "100000"}
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--timeout", "120",
         "--log-level", "warning", "run:app"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/login", timeout=2)
            return server, base
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def run_client(base, index, edits, records, stats, lock):
    client = Client(base)
    client.login(f"clerk{index}")
    rng = random.Random(index)
    local = Counter()
    for edit in range(edits):
        record_id = rng.randint(1, records)
        for _attempt in range(100):
            status, page = client.request(f"/admin/customer/edit/?id={record_id}")
            local[f"get {status // 100}xx"] += 1
            form = read_form(page, CONFLICT_HINT) or {}
            form["notes"] = f"client {index} edit {edit}"
            status, page = client.request(f"/admin/customer/edit/?id={record_id}", form)
            local[f"post {status // 100}xx"] += 1
            if status == 302:
                local[f"saved {record_id}"] += 1
                break
            local["conflicts"] += 1
        else:
            local["gave up"] += 1
    with lock:
        stats.update(local)


def verify(db_path, stats, records):
    conn = sqlite3.connect(db_path)
    versions = dict(conn.execute("SELECT id, version FROM customer"))
    updates = conn.execute("SELECT COUNT(*) FROM change_log WHERE \"table\"='customer' AND action='update'")
    logged = updates.fetchone()[0]
    conn.close()
    saved = {rid: stats[f"saved {rid}"] for rid in range(1, records + 1)}
    lost = sum(abs(versions[rid] - 1 - n) for rid, n in saved.items())
    return sum(saved.values()), logged, lost


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--records", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="concurrent_edits_"))
    prepare(directory, args.clients, args.records)
    server, base = start_server(directory, args.workers)
    stats, lock = Counter(), threading.Lock()
    try:
        started = time.perf_counter()
        threads = [threading.Thread(target=run_client, args=(base, i, args.edits, args.records, stats, lock))
                   for i in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    saved, logged, lost = verify(directory / "bench.db", stats, args.records)
    errors = sum(n for key, n in stats.items() if key.endswith("5xx"))
    print(f"clients={args.clients} edits/client={args.edits} shared records={args.records} "
          f"gunicorn workers={args.workers}")
    print(f"successful saves={saved} (wanted {args.clients * args.edits}), conflicts retried={stats['conflicts']}, "
          f"gave up={stats['gave up']}")
    print(f"5xx answers={errors}; change-log updates={logged}; version drift (lost/overwritten)={lost}")
    print(f"wall time {elapsed:.1f}s, {saved / elapsed:.1f} saves/s; answers: "
          + ", ".join(f"{k}={v}" for k, v in sorted(stats.items()) if not k.startswith("saved")))
    ok = errors == 0 and lost == 0 and logged == saved == args.clients * args.edits
    print("RESULT:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
