"""Time filtering and sorting the customer list on indexed custom fields beside built-in ones, 1k vs 1M customers.

Usage: nice .venv/bin/python bench/custom_field_bench.py [--small /work/bench-data/bench_1k.db]
       [--large /work/bench-data/bench_1m.db] [--runs 15]
Works on copies (<name>_fields.db beside the datasets; made once, reused): applies the migrations, adds two
custom fields through the real service (a choice "会员等级" and an integer "积分"), fills them with set-based
SQL and then times the same list requests, built-in and custom, on both sizes in one run through logged-in test
clients of the real app (bench/list_bench.py's client code): one process per size, asked in turn request by
request, so both sizes are measured under the same machine load. Target (issue 12, item 4): median <= 50 ms and
<= 1.5x the same request on 1,000 customers. Writes bench/out/custom_field_bench.json.
"""
import argparse
import datetime as dt
import json
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.list_bench import filter_key, logged_in_client, summary  # noqa: E402

TARGET_MEDIAN, TARGET_RATIO = 50, 1.5
LEVELS = "普通,银卡,金卡,白金,钻石"
#: (label, built-in or custom, column, filter kind or "sort", value)
REQUESTS = [
    ("filter = (choice)", "built-in", "customer_type", "equal", "store"),
    ("filter = (choice)", "custom", "cf_member_level", "equal", "o4"),
    ("filter > (number, ~1%)", "built-in", "trade_volume_12m", "greater", "4950000"),
    ("filter > (number, ~1%)", "custom", "cf_points", "greater", "99000"),
    ("sort ascending", "built-in", "receivable", "sort", ""),
    ("sort ascending", "custom", "cf_points", "sort", ""),
    ("sort descending", "built-in", "receivable", "sort desc", ""),
    ("sort descending", "custom", "cf_points", "sort desc", ""),
]


def working_copy(source):
    """Return a copy of a dataset to add columns to (the shared files stay as built)."""
    target = Path(source).with_name(Path(source).stem + "_fields.db")
    if not target.exists():
        shutil.copyfile(source, target)
    return target


def prepare(app):
    """Add the two custom fields (once) and fill them with set-based SQL."""
    from admin_app.db import create_schema
    from admin_app.services.fields import catalog, schema
    from models import ChoiceLabel, CustomField, db

    with app.app_context(), app.test_request_context():
        create_schema()
        db.connect(reuse_if_open=True)
        db.create_tables([ChoiceLabel], safe=True)  # copies made while migration 0004 was still growing
        if not CustomField.select().where(CustomField.endpoint == "customer").exists():
            catalog.add("customer", "会员等级", "choice", label_en="Member level", choices=LEVELS)
            catalog.add("customer", "积分", "integer", label_en="Points")
            db.execute_sql("UPDATE customer SET cf_member_level = 'o' || (1 + id % 5), "
                           "cf_points = (id * 7919) % 100000")
            db.execute_sql("ANALYZE")
        schema.sync_models()


def urls(app, client):
    """Return {(label, kind): url} for this app's customer view, after the custom fields are applied."""
    from views.custom_fields import outside_request

    client.get("/admin/")  # the first request applies the custom fields to the views
    view = next(v for v in app.extensions["admin"][0]._views if v.endpoint == "customer")
    missing = [c for _l, _k, c, op, _v in REQUESTS if op.startswith("sort") and c not in view.column_list]
    if missing:  # a sorted built-in column must be on the list to be sorted by
        view._cf_base["column_list"] = [*view._cf_base["column_list"], *dict.fromkeys(missing)]
        outside_request(view.apply_custom_fields, view.custom_fields())
    with app.test_request_context():
        columns = [name for name, _label in view.__dict__["_all_list_columns"]]
        found = {}
        for label, kind, column, operation, value in REQUESTS:
            if operation.startswith("sort"):
                desc = "&desc=1" if operation.endswith("desc") else ""
                found[(label, kind)] = f"/admin/customer/?sort={columns.index(column)}{desc}"
            else:
                key = filter_key(type("V", (), {"_filter_args": view.__dict__["_all_filter_args"]}), column,
                                 operation)
                found[(label, kind)] = f"/admin/customer/?{key}={value}"
    return found


def serve(path):
    """Serve one dataset in this process: print its URLs, then time one request per line read ("<index>")."""
    from admin_app import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "bench", "LOG_LEVEL": "WARNING"})
    prepare(app)
    client = logged_in_client(app)
    found = urls(app, client)
    ordered = [found[(label, kind)] for label, kind, _c, _o, _v in REQUESTS]
    for url in ordered:
        client.get(url)  # warm-up
    print(json.dumps(ordered), flush=True)
    for line in sys.stdin:
        started, used = time.perf_counter(), time.process_time()
        status = client.get(ordered[int(line)]).status_code
        wall, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - used) * 1000
        print(json.dumps({"wall": wall, "cpu": cpu, "status": status}), flush=True)


def measure_side_by_side(paths, runs):
    """Return one {(label, kind): summary} per dataset, the requests of both interleaved round by round.

    Each dataset is served by a process of its own (the app's database is process-wide); asking them in turn,
    request by request, puts both under the same machine load, so the 1M/1k ratio compares like with like.
    """
    import subprocess

    workers = [subprocess.Popen([sys.executable, __file__, "--serve", str(path)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True, cwd=ROOT) for path in paths]
    found = [json.loads(worker.stdout.readline()) for worker in workers]
    samples = [{i: ([], [], None) for i in range(len(REQUESTS))} for _ in workers]
    for _round in range(runs):
        for index in range(len(REQUESTS)):
            for worker, sample in zip(workers, samples, strict=True):
                worker.stdin.write(f"{index}\n")
                worker.stdin.flush()
                answer = json.loads(worker.stdout.readline())
                wall, cpu, _status = sample[index]
                sample[index] = (wall + [answer["wall"]], cpu + [answer["cpu"]], answer["status"])
    for worker in workers:
        worker.stdin.close()
        worker.wait()
    return [{(label, kind): {**summary(*sample[i][:2]), "status": sample[i][2], "url": urls_of[i]}
             for i, (label, kind, _c, _o, _v) in enumerate(REQUESTS)}
            for sample, urls_of in zip(samples, found, strict=True)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", default="/work/bench-data/bench_1k.db")
    parser.add_argument("--large", default="/work/bench-data/bench_1m.db")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve)
    load_before = os.getloadavg()
    small, large = measure_side_by_side([working_copy(args.small), working_copy(args.large)], args.runs)
    load_after = os.getloadavg()
    print(f"load average (1/5/15 min) before {load_before[0]:.1f}/{load_before[1]:.1f}/{load_before[2]:.1f}, "
          f"after {load_after[0]:.1f}/{load_after[1]:.1f}/{load_after[2]:.1f} on {os.cpu_count()} cores")
    print(f"{'request':<26} {'field':<9} {'1k med':>8} {'1M med':>8} {'1M p95':>8} {'ratio':>6} "
          f"{'1k cpu':>7} {'1M cpu':>7} {'ratio':>6}  target (wall; cpu = CPU ms of the process, less noisy)")
    rows = []
    for label, kind, column, _op, _value in REQUESTS:
        one, big = small[(label, kind)], large[(label, kind)]
        ratio, cpu_ratio = big["median"] / one["median"], big["cpu_median"] / one["cpu_median"]
        ok = big["median"] <= TARGET_MEDIAN and ratio <= TARGET_RATIO and big["status"] == 200
        rows.append({"request": label, "field": kind, "column": column, "1k": one, "1M": big, "ratio": ratio,
                     "cpu_ratio": cpu_ratio})
        print(f"{label:<26} {kind:<9} {one['median']:8.1f} {big['median']:8.1f} {big['p95']:8.1f} {ratio:6.2f} "
              f"{one['cpu_median']:7.1f} {big['cpu_median']:7.1f} {cpu_ratio:6.2f}  {'ok' if ok else 'MISS'}",
              flush=True)
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "custom_field_bench.json").write_text(json.dumps(
        {"when": dt.datetime.now().isoformat(timespec="seconds"), "runs": args.runs, "rows": rows,
         "load_before": load_before, "load_after": load_after},
        ensure_ascii=False, indent=1, default=str))


if __name__ == "__main__":
    main()
