"""Time every list request, the dashboard and "my work" at two sizes side by side: 1M against 1k, interleaved.

Usage: nice .venv/bin/python bench/scale_bench.py --small /work/bench-data/speed_1k.db \
           --large /work/bench-data/speed_1m.db [--runs 10] [--only dashboard,page]
One worker process per database (the app binds one database per process) runs a logged-in test client of the real
app; this process sends each request to the two workers in turn, run after run, so both see the same machine
load. Before timing, each worker does what the queue worker does at its start (the dashboard's kept figures) and
one warm-up request per URL. Prints the median wall-clock and CPU ms at each size, the ratio and the targets
(issue 15: ratio ≤ 1.5 for every request; dashboard median ≤ 100 ms at the large size), judged on wall-clock
medians; the CPU columns (this machine's 2 cores may be shared) show the work itself; writes
bench/out/scale_bench.json.
"""
import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_RATIO, TARGET_DASHBOARD_MS = 1.5, 100


def serve(path):
    """Worker: set up the app on one database, then answer 'url' lines with 'wall_ms cpu_ms status' lines."""
    from admin_app import create_app
    from admin_app.db import create_schema
    from admin_app.services.workflow import dashboard
    from bench.list_bench import logged_in_client, requests_for, sample, views_of

    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "bench", "LOG_LEVEL": "WARNING"})
    with app.app_context():
        create_schema()
        started = time.perf_counter()
        dashboard.refresh(older_than=3600)  # the queue worker's start-up job, not part of any request
        refresh_s = time.perf_counter() - started
        facts = sample()
    client = logged_in_client(app)
    reqs = [("dashboard", "/admin/"), ("my work", "/admin/mywork/")]
    reqs += requests_for(views_of(app), facts, dt.date.today().isoformat())
    print(json.dumps({"requests": [r for r in reqs if r[1]], "refresh_s": refresh_s}), flush=True)
    for line in sys.stdin:
        url = line.strip()
        started, used = time.perf_counter(), time.process_time()
        status = client.get(url).status_code
        print(f"{(time.perf_counter() - started) * 1000:.3f} {(time.process_time() - used) * 1000:.3f} {status}",
              flush=True)


class Worker:
    """A worker process over one database."""

    def __init__(self, path):
        self.proc = subprocess.Popen([sys.executable, __file__, "--serve", path], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ})
        hello = json.loads(self.proc.stdout.readline())
        self.requests, self.refresh_s = dict(hello["requests"]), hello["refresh_s"]

    def get(self, url):
        self.proc.stdin.write(url + "\n")
        self.proc.stdin.flush()
        wall, cpu, status = self.proc.stdout.readline().split()
        return float(wall), float(cpu), int(status)

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def measure(small, large, runs, only):
    """Return one row per request label: medians at both sizes, interleaved run by run."""
    rows = []
    for label, small_url in small.requests.items():
        large_url = large.requests.get(label)
        if large_url is None or (only and not any(word in label for word in only)):
            continue
        samples = {"small": [], "large": []}
        small.get(small_url), large.get(large_url)  # warm-up
        for _ in range(runs):
            samples["small"].append(small.get(small_url))
            samples["large"].append(large.get(large_url))
        row = {"request": label}
        for side, found in samples.items():
            row[side] = {"median": statistics.median(w for w, _c, _s in found),
                         "cpu": statistics.median(c for _w, c, _s in found), "status": found[-1][2]}
        row["ratio"] = row["large"]["median"] / row["small"]["median"]
        row["cpu_ratio"] = row["large"]["cpu"] / row["small"]["cpu"]
        row["met"] = row["ratio"] <= TARGET_RATIO and row["large"]["status"] == 200 and (
            label != "dashboard" or row["large"]["median"] <= TARGET_DASHBOARD_MS)
        rows.append(row)
        print(format_row(row), flush=True)
    return rows


def format_row(row):
    small, large = row["small"], row["large"]
    return (f"{row['request']:<32} {small['median']:8.1f} {small['cpu']:7.1f} {large['median']:8.1f} "
            f"{large['cpu']:7.1f} {row['ratio']:6.2f} {row['cpu_ratio']:6.2f}  {'met' if row['met'] else 'MISS'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", default="/work/bench-data/speed_1k.db")
    parser.add_argument("--large", default="/work/bench-data/speed_1m.db")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--only", default="", help="comma-separated words; time only labels containing one")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve)
    load_before = os.getloadavg()
    small, large = Worker(args.small), Worker(args.large)
    print(f"kept dashboard figures computed in {small.refresh_s:.1f} s (small), {large.refresh_s:.1f} s (large)")
    print(f"{'request':<32} {'small':>8} {'cpu':>7} {'large':>8} {'cpu':>7} {'ratio':>6} {'cpu':>6}  "
          f"target ≤{TARGET_RATIO}× (dashboard also ≤{TARGET_DASHBOARD_MS} ms)   (median ms)")
    rows = measure(small, large, args.runs, [w for w in args.only.split(",") if w])
    small.close(), large.close()
    load_after = os.getloadavg()
    print(f"load average before {load_before[0]:.2f} {load_before[1]:.2f}, after {load_after[0]:.2f} "
          f"{load_after[1]:.2f}")
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale_bench.json").write_text(json.dumps(
        {"small": args.small, "large": args.large, "runs": args.runs, "rows": rows, "load": [load_before, load_after],
         "when": dt.datetime.now().isoformat(timespec="seconds")}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
