"""Fixtures: an app on a clean database, clients per role, and record factories."""
import datetime as dt
import itertools
import os
import re
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit

import pytest
from flask.testing import FlaskClient

from admin_app import create_app
from admin_app.db import create_schema, is_sqlite, open_database
from admin_app.i18n import compile_catalogs
from models import ALL_MODELS, ArchiveRecord, Complaint, Customer, Feedback, Repair, ReturnExchange, User, db

ROLES = ("clerk", "technician", "quality", "supervisor", "manager", "admin")
PASSWORD = "correct-horse-42"
CSRF_RE = re.compile(r'name="csrf[-_]token"[^>]*(?:value|content)="([^"]+)"')


class CSRFClient(FlaskClient):
    """A test client that sends the page's CSRF token with every POST unless told not to."""

    def post(self, *args, csrf=True, **kwargs):
        data = kwargs.get("data")
        if csrf and isinstance(data, dict) and "csrf_token" not in data:
            kwargs["data"] = {**data, "csrf_token": self.csrf_token()}
        return super().post(*args, **kwargs)

    def open(self, *args, **kwargs):
        # a fresh app context per request: the fixture's long-lived one would share `g` (logged-in user,
        # CSRF token) between requests and between clients
        with self.application.app_context():
            return super().open(*args, **kwargs)

    def csrf_token(self):
        """Return a valid CSRF token for this client's session."""
        page = super().get("/login") if not self._logged_in() else super().get("/admin/")
        return CSRF_RE.search(page.get_data(as_text=True)).group(1)

    def _logged_in(self):
        with self.session_transaction() as session:
            return "_user_id" in session


@pytest.fixture(scope="session", autouse=True)
def _catalogs():
    compile_catalogs()


@pytest.fixture(scope="session")
def database_url(request, tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    worker = getattr(request.config, "workerinput", {}).get("workerid")
    return worker_database(url, worker) if worker else url


def worker_database(url, worker):
    """Return the URL of this pytest-xdist worker's own PostgreSQL database, creating it if needed."""
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_{worker}"
    server = open_database(url)
    with server.connection_context():
        if not server.execute_sql("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            server.execute_sql(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def _empty_tables():
    tables = [m._meta.table_name for m in reversed(ALL_MODELS)]
    if is_sqlite():
        for table in tables:
            db.execute_sql(f'DELETE FROM "{table}"')
        db.execute_sql("DELETE FROM sqlite_sequence")
    else:
        db.execute_sql("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")


_migrated = set()


@pytest.fixture()
def app(database_url):
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret",
                      "BABEL_DEFAULT_LOCALE": "zh_Hans_CN"})
    app.test_client_class = CSRFClient
    if database_url not in _migrated:  # migrations once per database, not per test
        create_schema()
        _migrated.add(database_url)
    with app.app_context():
        db.connect(reuse_if_open=True)
        yield app
        db.connect(reuse_if_open=True)
        _empty_tables()
        db.close()


@pytest.fixture()
def client(app):
    return app.test_client()


_counter = itertools.count(1)


@pytest.fixture()
def make_user():
    def make(role="clerk", **overrides):
        username = overrides.pop("username", f"{role}{next(_counter)}")
        user = User(username=username, role=role, display_name=overrides.pop("display_name", username), **overrides)
        user.set_password(overrides.pop("password", PASSWORD))
        user.save()
        return user
    return make


def login(client, user, password=PASSWORD):
    """Log a client in through the real login form."""
    response = client.post("/login", data={"username": user.username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


@pytest.fixture()
def login_as(app, make_user):
    """Return a function giving a logged-in client for a role."""
    def as_role(role, **overrides):
        client = app.test_client()
        client.user = make_user(role, **overrides)
        return login(client, client.user)
    return as_role


for _role in ROLES:
    def _fixture(login_as, _role=_role):
        return login_as(_role)
    globals()[f"{_role}_client"] = pytest.fixture(_fixture, name=f"{_role}_client")


def _phone():
    return f"139{next(_counter):08d}"


@pytest.fixture()
def make_customer():
    def make(**overrides):
        values = {"name": f"测试顾客{next(_counter)}", "customer_type": "company", "phone": _phone(),
                  "staff_count": 50, "receivable": Decimal("0"), "trade_volume_12m": Decimal("100000"),
                  "first_trade_date": dt.date(2020, 1, 1)}
        values.update(overrides)
        return Customer.create(**values)
    return make


@pytest.fixture()
def make_record(make_customer):
    """Return a factory for any record kind: make_record(Complaint, **overrides)."""
    defaults = {
        ArchiveRecord: lambda: {"kind": "service", "content": "上门回访，顾客满意"},
        Feedback: lambda: {"reporter": "王先生", "channel": "phone", "category": "product_quality",
                           "content": "热水器出水温度不稳定"},
        Complaint: lambda: {"complainant": "李女士", "received_at": dt.datetime(2026, 11, 2, 9, 30),
                            "channel": "phone", "complaint_type": "service_attitude",
                            "content": "客服人员态度冷淡"},
        Repair: lambda: {"reporter": "赵工", "product_name": "空气净化器", "fault_reported": "无法开机",
                         "received_at": dt.datetime(2026, 11, 3, 14, 0)},
        ReturnExchange: lambda: {"product_name": "电饭煲", "purchase_date": dt.date(2026, 10, 1),
                                 "reason": "内胆涂层脱落"},
    }

    def make(model, **overrides):
        values = defaults[model]()
        values.update(overrides)
        values.setdefault("customer", overrides.get("customer") or make_customer())
        return model.create(**values)
    return make


def state_purpose(client, customer_id, purpose="核对顾客资料"):
    """State a purpose (查阅理由) so a client without need-to-know may open a customer's dossier."""
    client.post("/admin/customer/purpose/", data={"customer": customer_id, "purpose": purpose, "next": "/admin/"})
    return client


@pytest.fixture()
def no_custom_columns(app):
    """Drop the columns custom fields added, after the test: the test database is shared by every test."""
    from admin_app.services.fields import schema

    yield
    db.connect(reuse_if_open=True)
    for endpoint, model in schema.MODELS.items():
        for column in schema.existing_columns(model):
            if column.startswith(schema.PREFIX):
                schema.drop_column(schema.CustomField(endpoint=endpoint, code=column[len(schema.PREFIX):]))
    schema.reset_models()
