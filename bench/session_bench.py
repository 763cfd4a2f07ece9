"""Time the per-request session check against the old user lookup it replaces (issue 16, item 1).

Usage: nice .venv/bin/python bench/session_bench.py [--url sqlite:////tmp/bench_sessions.db] [--sessions 100000]
Fills user_session with `--sessions` rows (ended and open, over 1,000 users), then times, side by side in one run,
the old loader (User by id) and the new one (session by key hash joined to its user, with the idle and absolute
checks): once writing last_seen (the first request of a minute), once not (every other request).
Prints median and p95 microseconds. Writes bench/out/session_bench_<database>.json.
"""
import argparse
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def fill(count):
    """Create 1,000 users and `count` sessions; return [(user id, key)] of some open ones."""
    from models import User, UserSession, db, now
    from models.sessions import session_key_hash

    with db.atomic():
        User.insert_many([{"username": f"bench{i}", "password_hash": "x", "role": "clerk"} for i in range(1000)]) \
            .execute()
        ids = [u.id for u in User.select(User.id)]
        stamp, rows, open_keys = now(), [], []
        for n in range(count):
            key = f"key-{n}"
            ended = None if n % 10 == 0 else stamp
            rows.append({"user": random.choice(ids), "key_hash": session_key_hash(key), "last_seen": stamp,
                         "created_at": stamp, "updated_at": stamp, "ended_at": ended})
            if ended is None:
                open_keys.append(key)
        for start in range(0, len(rows), 500):
            UserSession.insert_many(rows[start:start + 500]).execute()
    keys = {session_key_hash(k): k for k in open_keys[:2000]}
    found = UserSession.select(UserSession.user, UserSession.key_hash).where(UserSession.key_hash.in_(list(keys)))
    return [(row.user_id, keys[row.key_hash]) for row in found]


def measure(fn, samples):
    times = []
    for args in samples:
        started = time.perf_counter()
        fn(*args)
        times.append((time.perf_counter() - started) * 1e6)
    times.sort()
    return {"median_us": round(times[len(times) // 2]), "p95_us": round(times[int(len(times) * 0.95)])}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="sqlite:////tmp/bench_sessions.db")
    parser.add_argument("--sessions", type=int, default=100_000)
    args = parser.parse_args()
    from admin_app.db import create_schema, open_database
    from admin_app.services.trust import sessions
    from models import User, db

    if args.url.startswith("sqlite"):
        Path(args.url.split("sqlite:///", 1)[1]).unlink(missing_ok=True)
    db.initialize(open_database(args.url))
    db.connect()
    if not args.url.startswith("sqlite"):  # a database of its own: everything in it is dropped
        db.execute_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    create_schema()
    samples = fill(args.sessions)
    idle, absolute = dt.timedelta(minutes=30), dt.timedelta(hours=12)
    result = {
        "database": args.url.split(":")[0], "sessions": args.sessions, "lookups": len(samples),
        "old: User by id": measure(lambda uid, _key: User.get_or_none(User.id == uid), samples),
        "new: session check, last_seen written": measure(
            lambda uid, key: sessions.find(uid, key, idle, absolute, touch_every=0), samples),
        "new: session check, within the minute": measure(
            lambda uid, key: sessions.find(uid, key, idle, absolute), samples),
    }
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / f"session_bench_{result['database']}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
