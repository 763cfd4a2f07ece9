"""Benchmark the customer import (upload preview + commit) against the floors and the code before this branch.

Usage: nice .venv/bin/python bench/import_bench.py [--rows 1000 10000] [--before 24252f0 b620ada]
For each size, one .xlsx of customers is built once; then, in one run and each in a fresh SQLite database:
- read only: openpyxl reading the file in read-only mode (what any import must pay);
- bare insert: the same rows written with sqlite3 executemany (no checks, no history; the search triggers run);
- before: the import requests of each `--before` commit (git archive into a scratch folder): by default the code
  the issue measured (24252f0) and the base of the second speed sitting (b620ada);
- ours: the import requests of this working tree.
"before" and "ours" run the real HTTP path (test client): preview = POST the file, commit = POST the commit, after
one GET of the upload page, as on a running server (templates compiled, catalogs read).
CPU seconds of the process doing the work (the machine is shared by several developers, so wall time is noise).
Target: ours preview + commit <= 3 s at 10k rows; the issue measured reading alone at 0.64 s and the code
before at 1.3 + 8.8 s, so the ratios to "read only" and to "before" carry over between machines.
"""
import argparse
import io
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADERS = ["名称", "顾客类型", "电话", "地区", "开发日期", "从业人员数", "尚欠帐款（元）", "备注"]
PASSWORD = "bench-password-1"


def build_file(rows, path):
    """Write an .xlsx of `rows` distinct customers with the Chinese headers."""
    import openpyxl

    book = openpyxl.Workbook()  # not write-only: that mode leaves out the <dimension> Excel writes up front
    sheet = book.active
    sheet.title = "顾客"
    sheet.append(HEADERS)
    for i in range(rows):
        sheet.append([f"导入顾客{i}", ("企业", "个人", "个体商店")[i % 3], f"137{i:08d}",
                      ("华东", "华北", "华南")[i % 3], f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", i % 300,
                      f"{i % 9999}.50", f"第{i}行备注"])
    book.save(path)


def read_only(path):
    """Time openpyxl reading every cell of the file."""
    import openpyxl

    started = time.process_time()
    book = openpyxl.load_workbook(path, read_only=True)
    count = sum(1 for _row in book.worksheets[0].iter_rows(values_only=True))
    book.close()
    return time.process_time() - started, count - 1


def bare_insert(path, db_path, root):
    """Time sqlite3 executemany of the file's rows into a fresh schema (the floor of any commit)."""
    import openpyxl

    schema(db_path, root)
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))[1:]
    book.close()
    con = sqlite3.connect(db_path)
    started = time.process_time()
    con.executemany("INSERT INTO customer (name, customer_type, phone, region, first_trade_date, staff_count, "
                    "receivable, notes, trade_volume_12m, is_wholesaler, prior_incident, bad_reputation, grade, "
                    "grade_reasons, urgent, created_at, updated_at, version) VALUES (?,?,?,?,?,?,?,?,0,0,0,0,'C',"
                    "'',0,datetime('now'),datetime('now'),1)", rows)
    con.commit()
    con.close()
    return time.process_time() - started


def schema(db_path, root):
    """Create a fresh database with the schema of the code at `root` and a clerk to import with."""
    Path(db_path).unlink(missing_ok=True)
    code = ("import sys; sys.path.insert(0, sys.argv[1]);"
            "from admin_app import create_app; from admin_app.db import create_schema; from models import User;"
            "app = create_app({'DATABASE_URL': 'sqlite:///' + sys.argv[2], 'SECRET_KEY': 'b', 'TESTING': True});"
            "ctx = app.app_context(); ctx.push(); create_schema();"
            "u = User(username='bench', role='clerk', display_name='bench'); u.set_password(sys.argv[3]); u.save()")
    subprocess.run([sys.executable, "-c", code, str(root), db_path, PASSWORD], check=True, cwd=root,
                   env={**os.environ, "LOG_LEVEL": "WARNING"})


def run_import(root, db_path, file_path):
    """In a child process on the code at `root`: POST the file, then the commit; print the times as JSON."""
    sys.path.insert(0, str(root))
    import re

    from admin_app import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{db_path}", "SECRET_KEY": "b", "WTF_CSRF_ENABLED": False,
                      "TESTING": True, "IMPORT_MAX_BYTES": 200 * 1024 * 1024})
    client = app.test_client()
    assert client.post("/login", data={"username": "bench", "password": PASSWORD}).status_code == 302
    # a running server has its page templates compiled and its catalogs read: the upload page does both
    assert client.get("/admin/import/customer/").status_code == 200
    data = Path(file_path).read_bytes()
    started = time.process_time()
    page = client.post("/admin/import/customer/", data={"file": (io.BytesIO(data), "bench.xlsx")},
                       content_type="multipart/form-data")
    preview, page_status = time.process_time() - started, page.status_code
    text = page.get_data(as_text=True)
    batch = re.search(r"/admin/import/customer/(\d+)/commit/", text)
    if not batch:
        page = client.get("/admin/import/customer/").get_data(as_text=True)
        errors = re.findall(r"alert-[^>]*>(.*?)</div>", page, re.S) + re.findall(r"import-error.{0,300}", text, re.S)
        raise SystemExit(f"{page_status}: " + " ".join(errors[:3]))
    started = time.process_time()
    done = client.post(f"/admin/import/customer/{batch.group(1)}/commit/", data={})
    commit = time.process_time() - started
    assert done.status_code == 302, done.get_data(as_text=True)[-2000:]
    con = sqlite3.connect(db_path)
    rows = con.execute("SELECT count(*) FROM customer").fetchone()[0]
    logged = con.execute("SELECT count(*) FROM change_log WHERE action = 'create'").fetchone()[0]
    print(json.dumps({"preview": preview, "commit": commit, "rows": rows, "logged": logged}))


def measure(root, file_path, scratch):
    """Return the child's timings of one import on the code at `root`, in a fresh database."""
    db_path = str(Path(scratch) / "import.db")
    schema(db_path, root)
    child = subprocess.run([sys.executable, __file__, "--child", str(root), db_path, file_path], capture_output=True,
                           text=True, check=False, cwd=root, env={**os.environ, "LOG_LEVEL": "WARNING"})
    if child.returncode:
        raise SystemExit(child.stderr[-3000:])
    return json.loads(child.stdout.strip().splitlines()[-1])


def checkout(commit, scratch):
    """Extract the tree of a commit into a scratch folder and return its path."""
    target = Path(scratch) / f"before-{commit}"
    target.mkdir(exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    code = "import sys; sys.path.insert(0, sys.argv[1]); import admin_app.i18n as i; i.compile_catalogs()"
    subprocess.run([sys.executable, "-c", code, str(target)], check=True, cwd=target)  # .mo files are not in git
    return target


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--before", nargs="*", default=["24252f0", "b620ada"],
                        help="the commits to compare with (none to skip)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return run_import(*args.child)
    with tempfile.TemporaryDirectory(prefix="import_bench_") as scratch:
        befores = [(commit, checkout(commit, scratch)) for commit in args.before]
        print("| rows | read only | bare insert | " + "".join(f"{c}: preview + commit | " for c, _ in befores)
              + "ours: preview + commit | ours/target |")
        print("|---:|---:|---:|" + "---:|" * len(befores) + "---:|---:|")
        for rows in args.rows:
            file_path = str(Path(scratch) / f"customers_{rows}.xlsx")
            build_file(rows, file_path)
            read, _count = read_only(file_path)
            floor = bare_insert(file_path, str(Path(scratch) / "bare.db"), ROOT)
            olds = [measure(root, file_path, scratch) for _commit, root in befores]
            new = measure(ROOT, file_path, scratch)
            assert new["rows"] == rows and new["logged"] == rows, new
            total = new["preview"] + new["commit"]
            print(f"| {rows:,} | {read:.2f} s | {floor:.2f} s | " + "".join(f"{_sum(old)} | " for old in olds)
                  + f"{_sum(new)} | {total / 3:.0%} of 3 s |", flush=True)


def _sum(times):
    return f"{times['preview']:.2f} + {times['commit']:.2f} = {times['preview'] + times['commit']:.2f} s"


if __name__ == "__main__":
    main()
