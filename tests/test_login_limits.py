"""Login timing, rate limits shared across workers, and the real address behind a proxy (issue 16, items 3, 4, 7)."""
import datetime as dt
import shutil
import socket
import subprocess
import time

import pytest

from admin_app.ratelimit import DatabaseStorage, limiter
from admin_app.services.trust import login_check
from models import User, UserSession, now
from tests.conftest import PASSWORD
from tests.test_sessions import second_worker


def _login(client, username, password, address="10.0.0.1", forwarded=None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post("/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address}, headers=headers)


@pytest.fixture()
def hash_calls(monkeypatch):
    """Count the password hash checks a login runs."""
    calls = []
    real = login_check.check_password_hash

    def spy(stored, password):
        calls.append(stored)
        return real(stored, password)

    monkeypatch.setattr(login_check, "check_password_hash", spy)
    return calls


@pytest.mark.parametrize("case", ["unknown", "inactive", "locked", "wrong password", "right password"])
def test_every_login_runs_exactly_one_password_hash_check(app, make_user, hash_calls, case):
    user = make_user("clerk", active=case != "inactive",
                     locked_until=now() + dt.timedelta(minutes=10) if case == "locked" else None)
    name = "nobody-at-all" if case == "unknown" else user.username
    password = "wrong-password-9" if case == "wrong password" else PASSWORD
    response = _login(app.test_client(), name, password)
    assert len(hash_calls) == 1
    assert response.status_code == (302 if case == "right password" else 200)
    # the unknown name is checked against a scrypt hash of the same cost as a real one
    assert hash_calls[0].split("$")[0] == user.password_hash.split("$")[0]


def test_an_address_that_fails_too_often_is_refused_but_others_are_not(app, make_user):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 20
    user = make_user("clerk")
    for attempt in range(20):
        _login(app.test_client(), f"guess{attempt}", "guess-guess-1", address="10.9.9.9")
    assert _login(app.test_client(), user.username, PASSWORD, address="10.9.9.9").status_code == 429
    assert _login(app.test_client(), user.username, PASSWORD, address="10.1.1.1").status_code == 302


@pytest.mark.parametrize("proxies, blocked_elsewhere", [(1, False), (0, True)])
def test_behind_a_proxy_the_block_falls_on_the_real_address(app, database_url, make_user, proxies,
                                                            blocked_elsewhere):
    """With TRUSTED_PROXIES=1 twenty failures from one office PC leave the rest of the office alone."""
    proxied = second_worker(app, database_url, TRUSTED_PROXIES=proxies, LOGIN_MAX_FAILURES_PER_ADDRESS=20)
    user = make_user("clerk")
    with proxied.app_context():
        for attempt in range(20):
            _login(proxied.test_client(), f"guess{attempt}", "guess-guess-1", "172.16.0.1", "203.0.113.5")
        colleague = _login(proxied.test_client(), user.username, PASSWORD, "172.16.0.1", "203.0.113.77")
    assert (colleague.status_code == 429) is blocked_elsewhere


@pytest.mark.parametrize("proxies, forwarded, recorded", [
    (0, "203.0.113.5", "127.0.0.1"),            # trust none: the header is ignored
    (1, "203.0.113.5", "203.0.113.5"),
    (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # a forged first hop is not believed
    (2, "198.51.100.9, 10.0.0.2", "198.51.100.9"),
])
def test_the_session_records_the_address_the_trusted_proxies_saw(app, database_url, make_user, proxies,
                                                                 forwarded, recorded):
    proxied = second_worker(app, database_url, TRUSTED_PROXIES=proxies)
    user = make_user("clerk")
    with proxied.app_context():
        assert _login(proxied.test_client(), user.username, PASSWORD, "127.0.0.1", forwarded).status_code == 302
    assert UserSession.get(UserSession.user == user.id).address == recorded


def test_an_account_locks_after_repeated_failures_from_any_addresses(app, make_user):
    user = make_user("clerk")
    for attempt in range(app.config["LOGIN_MAX_FAILURES"]):
        _login(app.test_client(), user.username, "wrong-password-9", address=f"10.0.0.{attempt + 1}")
    assert _login(app.test_client(), user.username, PASSWORD, address="10.0.1.1").status_code == 200
    assert User.get_by_id(user.id).locked_until is not None


def test_two_workers_on_one_database_share_the_survey_limit(app, database_url):
    app.config["SURVEY_RATE_LIMIT"] = 4
    other = second_worker(app, database_url, SURVEY_RATE_LIMIT=4)
    statuses = []
    for worker in (app, other, app, other, app):
        with worker.app_context():
            statuses.append(worker.test_client().get("/s/no-such-token",
                                                     environ_base={"REMOTE_ADDR": "10.5.5.5"}).status_code)
    assert statuses[:4] == [404] * 4 and statuses[4] == 429
    with app.app_context():
        assert app.test_client().get("/s/no-such-token", environ_base={"REMOTE_ADDR": "10.5.5.6"}).status_code == 404


def test_database_storage_counts_windows_and_forgets_them(app, monkeypatch):
    storage = DatabaseStorage("peeweedb://")
    assert storage.check()
    assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.get("k") == 3 and storage.get("other") == 0
    assert storage.get_expiry("k") > time.time() + 50
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    assert storage.get("k") == 0 and storage.incr("k", 60) == 1
    storage.clear("k")
    assert storage.get("k") == 0


def test_the_limiter_uses_the_database_by_default_and_redis_when_set(app):
    from admin_app.ratelimit import storage_uri

    assert isinstance(limiter.storage, DatabaseStorage)
    assert storage_uri({"REDIS_URL": "redis://cache:6379/2"}) == "redis://cache:6379/2"


@pytest.fixture()
def redis_url():
    """Start a throwaway redis-server on a free port (skipped where none is installed)."""
    binary = shutil.which("redis-server")
    if not binary:
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([binary, "--port", str(port), "--save", "", "--appendonly", "no"],
                              stdout=subprocess.DEVNULL)
    for _ in range(50):
        with socket.socket() as conn:
            if conn.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(5)


def test_two_workers_share_the_login_limit_in_redis(app, database_url, redis_url, make_user):
    user = make_user("clerk")
    workers = [second_worker(app, database_url, REDIS_URL=redis_url, LOGIN_MAX_FAILURES_PER_ADDRESS=3)
               for _ in range(2)]
    for attempt, worker in enumerate([*workers, workers[0]]):
        with worker.app_context():
            _login(worker.test_client(), f"guess{attempt}", "guess-guess-1", address="10.7.7.7")
    with workers[1].app_context():
        assert _login(workers[1].test_client(), user.username, PASSWORD, address="10.7.7.7").status_code == 429
    assert not UserSession.select().exists()
