"""Time customer searches typed as Chinese users type (issue 13 item 7) at 1k and 1M customers, side by side.

Usage: nice .venv/bin/python bench/pinyin_bench.py [--small /work/bench-data/pinyin_1k.db]
       [--large /work/bench-data/pinyin_1m.db] [--runs 15]
Both files are bench/dataset.py databases (same generator and seed; older files need bench/pinyin_migrate.py
for the current search indexes). The words come from one customer of the small file, which the large one holds
too: its pinyin initials, full pinyin, the name in traditional characters, mixed 恒yuan style, and two-letter
initials that many customers share; the plain Chinese word is the reference. Requests alternate between the two
apps request by request, through logged-in test clients of the real app, so both see the same machine load.
Prints median / p95 ms and large/small, and writes bench/out/pinyin_bench.json.
"""
import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.list_bench import logged_in_client, summary, timed  # noqa: E402

TARGET_MEDIAN, TARGET_RATIO = 50, 1.5


def words(path):
    """Return {label: word} from a company and a person of the file at `path`."""
    import opencc
    import peewee as pw
    from pypinyin import Style, lazy_pinyin

    from models import Customer

    company = Customer.select().where(Customer.customer_type == "company", Customer.id > 500).first()
    person = Customer.select().where(Customer.customer_type == "individual", pw.fn.LENGTH(Customer.name) == 3,
                                     Customer.id > 500).first()
    part = company.name[2:6]  # region (2) + the brand: a word of the name itself, as search: 4-char name
    initials = "".join(lazy_pinyin(part, style=Style.FIRST_LETTER))
    return {
        "4-char name (reference)": part,
        "pinyin initials (4)": initials,
        "full pinyin": "".join(lazy_pinyin(part)),
        "traditional characters": opencc.OpenCC("s2t").convert(part),
        "mixed 恒yuan": part[0] + "".join(lazy_pinyin(part[1:3])),
        "2-letter initials, many hits": "".join(lazy_pinyin(person.name[1:3], style=Style.FIRST_LETTER)),
        "2-char, many hits (reference)": "商贸",  # list_bench's dense word: the same walk in list order
        "person full pinyin": "".join(lazy_pinyin(person.name)),
    }


def app_for(path):
    from admin_app import create_app

    return create_app({"DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "bench", "LOG_LEVEL": "WARNING"})


def hits(client, word):
    """Return the count the list shows for a search ("10,000+" above the cap)."""
    import re

    page = client.get("/admin/customer/", query_string={"search": word}).get_data(as_text=True)
    found = re.search(r"nav-link active\">[^<(]*\(([^)]*)\)", page)
    return found.group(1) if found else "?"


def run(small, large, runs):
    """Measure every word on both files, alternating; return the result rows."""
    from models import db

    apps, bound = {}, {}
    for size, path in (("1k", small), ("1M", large)):
        apps[size] = app_for(path)
        bound[size] = db.obj  # the models' database proxy holds one database at a time: swapped per request
    db.initialize(bound["1k"])
    with apps["1k"].app_context():
        terms = words(small)
    clients = {}
    for size, app in apps.items():
        db.initialize(bound[size])
        clients[size] = logged_in_client(app)
    rows = []
    for label, word in terms.items():
        row = {"request": label, "word": word}
        sample = interleaved(clients, bound, f"/admin/customer/?search={word}", runs)
        for size, client in clients.items():
            db.initialize(bound[size])
            wall, cpu, status = sample[size]
            row[size] = {**summary(wall, cpu), "status": status, "hits": hits(client, word)}
        row["ratio"] = row["1M"]["median"] / row["1k"]["median"]
        rows.append(row)
        print(format_row(row), flush=True)
    return rows


def interleaved(clients, bound, url, runs):
    """Return {size: (wall ms list, cpu ms list, last status)}: a warm-up each, then the sizes in turn, request by
    request, so that both see the same moments of machine load."""
    from models import db

    sample = {size: ([], [], None) for size in clients}
    for turn in range(runs + 1):
        for size, client in clients.items():
            db.initialize(bound[size])
            if not turn:
                client.get(url)  # the first turn warms up
                continue
            wall, cpu, status = timed(client, url, 1, warm_up=False)
            sample[size] = (sample[size][0] + wall, sample[size][1] + cpu, status)
    return sample


def format_row(row):
    small, large = row["1k"], row["1M"]
    ok = "ok" if large["median"] <= TARGET_MEDIAN and row["ratio"] <= TARGET_RATIO and large["status"] == 200 \
        else "MISS"
    return (f"{row['request']:<30} {row['word']:<18} {small['median']:7.1f} {small['p95']:7.1f} {small['hits']:>7} "
            f"{large['median']:7.1f} {large['p95']:7.1f} {large['hits']:>8} {row['ratio']:6.2f}x  {ok}")


HEADER = (f"{'request':<30} {'word':<18} {'1k':>7} {'':>7} {'':>7} {'1M':>7} {'':>7} {'':>8} {'1M/1k':>7}\n"
          f"{'':<30} {'':<18} {'median':>7} {'p95':>7} {'hits':>7} {'median':>7} {'p95':>7} {'hits':>8}"
          f" {'':>7}  target: 1M median <= {TARGET_MEDIAN} ms and <= {TARGET_RATIO}x 1k")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", default="/work/bench-data/pinyin_1k.db")
    parser.add_argument("--large", default="/work/bench-data/pinyin_1m.db")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores")
    print(HEADER + "   (ms, wall clock)")
    rows = run(args.small, args.large, args.runs)
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    result = {"small": args.small, "large": args.large, "runs": args.runs, "rows": rows, "load_before": load,
              "load_after": os.getloadavg(), "when": dt.datetime.now().isoformat(timespec="seconds")}
    (out / "pinyin_bench.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(f"load average after {os.getloadavg()[0]:.1f}; wrote {out / 'pinyin_bench.json'}")


if __name__ == "__main__":
    main()
