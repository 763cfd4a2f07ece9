"""Helpers for the background-job tests: a real queue consumer in a thread, and small workbooks."""
import io
import time

import openpyxl
import pytest
from huey.storage import SqliteStorage

from admin_app.services.jobs.queue import NAME, huey
from models import Job


@pytest.fixture()
def real_queue(app, tmp_path):
    """Swap immediate mode for a SQLite queue file and a consumer thread, as `flask run-worker` runs it."""
    huey.immediate = False
    huey.storage = SqliteStorage(NAME, filename=str(tmp_path / "queue.db"))
    consumer = huey.create_consumer(workers=1, worker_type="thread", periodic=False, check_worker_health=False)
    consumer._set_signal_handlers = lambda: None  # signals belong to pytest's main thread
    consumer.start()
    yield consumer
    consumer.stop(graceful=True)
    huey.immediate = True  # back to in-memory immediate mode for the next test


def wait_for(job_id, statuses=("done", "failed", "cancelled"), seconds=60):
    """Wait until a job reaches one of the statuses; return it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = Job.get_by_id(job_id)
        if job.status in statuses:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} still {Job.get_by_id(job_id).status}")


def workbook(rows):
    """Return the bytes of an .xlsx holding rows on its first sheet."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def data_rows(content, header_row=3):
    """Return the data rows of an exported workbook as dicts by header (below two title lines and the header)."""
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = list(book.active.iter_rows(min_row=header_row, values_only=True))
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


@pytest.fixture()
def redis_queue(app, tmp_path):
    """Run a throwaway redis-server and a consumer thread on RedisHuey storage (skipped without redis-server)."""
    import shutil
    import socket
    import subprocess

    from huey.storage import RedisStorage

    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                                "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    try:
        huey.immediate = False
        huey.storage = RedisStorage(NAME, url=f"redis://127.0.0.1:{port}/0")
        _wait_for_redis(huey.storage)
        consumer = huey.create_consumer(workers=1, worker_type="thread", periodic=False, check_worker_health=False)
        consumer._set_signal_handlers = lambda: None
        consumer.start()
        yield consumer
        consumer.stop(graceful=True)
    finally:
        huey.immediate = True
        process.terminate()
        process.wait(timeout=10)


def _wait_for_redis(storage, seconds=10):
    deadline = time.monotonic() + seconds
    while True:
        try:
            storage.conn.ping()
            return
        except Exception:  # noqa: BLE001 - not listening yet
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
