"""Apply migration 0011 (customer search key) and the rebuilt search indexes to a copy of a bench database.

Usage: nice .venv/bin/python bench/pinyin_migrate.py [--rekey] /work/bench-data/pinyin_1m.db
Prints the seconds the migrations (the key backfill) and the search-index rebuild took. Run it on a copy:
it changes the file.
"""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def rekey(path):
    """Write every key again (after the key layout changed) and rebuild the indexes: the backfill's own cost."""
    from admin_app.db import open_database
    from admin_app.services.lists import pinyin_key, search
    from models import db

    db.initialize(open_database(f"sqlite:///{path}"))
    with db.connection_context():
        search.drop(db.obj)  # no trigger work per row: the indexes are rebuilt in one pass below
        started = time.perf_counter()
        with db.atomic():
            written = pinyin_key.backfill(db.obj)
        keyed = time.perf_counter()
        search.install(db.obj)
        done = time.perf_counter()
    print(f"{path}: {written:,} keys written in {keyed - started:.1f} s; indexes rebuilt in {done - keyed:.1f} s")


def main(path):
    from admin_app import migrate
    from admin_app.db import open_database
    from admin_app.services.lists import search
    from models import db

    db.initialize(open_database(f"sqlite:///{path}"))
    rows = db.execute_sql("SELECT count(*) FROM customer").fetchone()[0]
    earlier = time.perf_counter()
    before = migrate.upgrade(db, target="0010_rate_limit_double") if "0010_rate_limit_double" not in \
        {name for name, when in migrate.status(db) if when} else []
    started = time.perf_counter()
    print(f"earlier migrations {before} in {started - earlier:.1f} s", flush=True)
    applied = migrate.upgrade(db)
    backfilled = time.perf_counter()
    with db.connection_context():
        search.install(db.obj)
    done = time.perf_counter()
    print(f"{path}: {rows:,} customers; migrations {applied} in {backfilled - started:.1f} s; "
          f"search indexes rebuilt in {done - backfilled:.1f} s")


if __name__ == "__main__":
    rekey(sys.argv[2]) if sys.argv[1] == "--rekey" else main(sys.argv[1])
