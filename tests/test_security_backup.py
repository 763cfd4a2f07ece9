"""Online backups stay consistent while writers write; a backup restores to the same data."""
import sqlite3
import threading

import pytest

from admin_app.db import is_sqlite
from admin_app.services.trust import backup
from models import Customer


def _busy_database(path):
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, note TEXT)")
    conn.execute("CREATE TABLE order_log (id INTEGER PRIMARY KEY, order_id INTEGER)")
    conn.commit()
    return conn


def _writer(path, stop, written):
    conn = sqlite3.connect(path, timeout=30)
    while not stop.is_set():
        with conn:  # one order and its log line always land together
            cur = conn.execute("INSERT INTO orders (note) VALUES (?)", ("x" * 200,))
            conn.execute("INSERT INTO order_log (order_id) VALUES (?)", (cur.lastrowid,))
        written.append(1)
    conn.close()


def test_backup_is_consistent_while_writes_happen(tmp_path):
    path = tmp_path / "live.db"
    _busy_database(path).close()
    stop, written = threading.Event(), []
    thread = threading.Thread(target=_writer, args=(path, stop, written))
    thread.start()
    try:
        while len(written) < 200:
            threading.Event().wait(0.01)
        copies = [backup.backup(path, tmp_path / f"copy{i}.db") for i in range(3)]
    finally:
        stop.set()
        thread.join()
    for counts in copies:
        assert counts["orders"] == counts["order_log"] > 0
    assert not list(tmp_path.glob("*.partial"))


def test_restore_brings_the_backed_up_data_back(tmp_path):
    path = tmp_path / "live.db"
    conn = _busy_database(path)
    conn.execute("INSERT INTO orders (note) VALUES ('kept')")
    conn.commit()
    conn.close()
    backup.backup(path, tmp_path / "saved.db")
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM orders")
    conn.commit()
    conn.close()
    counts = backup.restore(tmp_path / "saved.db", path)
    assert counts["orders"] == 1
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT note FROM orders").fetchall() == [("kept",)]
    conn.close()


def test_damaged_backup_is_refused(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    with pytest.raises((ValueError, sqlite3.DatabaseError)):
        backup.restore(bad, tmp_path / "target.db")


def test_backup_command_copies_the_running_database(app, make_customer, tmp_path):
    if not is_sqlite():
        pytest.skip("SQLite only")
    make_customer(name="备份顾客")
    target = tmp_path / "out.db"
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT name FROM customer").fetchall() == [("备份顾客",)]
    assert Customer.select().count() == 1


def test_backup_command_reports_a_bad_target(app, tmp_path):
    if not is_sqlite():
        pytest.skip("SQLite only")
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "missing-dir" / "x.db")])
    assert result.exit_code != 0 and "Backup failed" in result.output
