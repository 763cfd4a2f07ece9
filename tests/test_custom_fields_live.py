"""Custom fields take effect everywhere at once (issue 12, item 3): other instances, other processes, migrations."""
import logging
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from admin_app import create_app, migrate
from admin_app.db import open_database
from admin_app.services.fields import catalog, schema
from models import Customer, db
from tests.conftest import CSRFClient, login
from views.custom_fields import outside_request

ROOT = Path(__file__).resolve().parent.parent
LATER_MIGRATION = '''"""Test-only: a later built-in migration touching a table that has custom fields."""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column("customer", "loyalty_points", IntegerField(null=True)),
                     migrator.add_index("customer", ("loyalty_points",), False),
                     migrator.drop_not_null("customer", "grade_reasons"))
'''


@pytest.fixture(autouse=True)
def _drop_custom_columns(no_custom_columns):
    """Leave no custom column behind (conftest.no_custom_columns)."""


def cli(database_url, *args):
    """Run `flask --app run.py …` in a process of its own on the same database."""
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "run.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_a_field_added_in_another_process_appears_in_two_running_instances(app, database_url, make_user):
    """Two app instances on one database (standing in for two gunicorn workers) see a CLI-added field at once."""
    other = outside_request(create_app, {"TESTING": True, "DATABASE_URL": database_url,
                                         "SECRET_KEY": "test-secret"})
    other.test_client_class = CSRFClient
    first, second = login(app.test_client(), make_user("clerk")), login(other.test_client(), make_user("clerk"))
    for client in (first, second):
        assert "安装地址" not in client.get("/admin/repair/").get_data(as_text=True)
    done = cli(database_url, "fields", "add", "repair", "安装地址", "--type", "text", "--label-en",
               "Install address")
    assert done.returncode == 0, done.stderr[-2000:]
    for client in (first, second):
        page = client.get("/admin/repair/new/").get_data(as_text=True)
        assert "安装地址" in page and 'name="cf_install_address"' in page
    retired = cli(database_url, "fields", "retire", "repair", "install_address")
    assert retired.returncode == 0, retired.stderr[-2000:]
    for client in (first, second):
        assert 'name="cf_install_address"' not in client.get("/admin/repair/new/").get_data(as_text=True)


def test_the_per_request_check_is_one_tiny_read(app, clerk_client, caplog):
    """An unchanged schema costs one read of the one-row version table per request, never the definitions."""
    with app.test_request_context():
        catalog.add("customer", "会员卡号", "text", label_en="Member card no")
    clerk_client.get("/admin/customer/")  # applies the change
    caplog.set_level(logging.DEBUG, logger="peewee")
    caplog.clear()
    clerk_client.get("/admin/customer/")
    statements = [r.getMessage() for r in caplog.records if r.name == "peewee"]
    assert sum("field_schema_version" in s for s in statements) == 1
    assert not any('"custom_field"' in s for s in statements)


@pytest.fixture()
def scratch_url(database_url, tmp_path):
    """Yield the URL of an empty database of the engine under test, dropped afterwards."""
    if not database_url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'scratch.db'}"
        return
    name = f"scratch_{uuid.uuid4().hex[:10]}"
    server = open_database(database_url)
    server.execute_sql(f'CREATE DATABASE "{name}"')
    yield urlunsplit(urlsplit(database_url)._replace(path=f"/{name}"))
    server.execute_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    server.close()


def test_builtin_migrations_keep_applying_to_a_database_with_custom_fields(app, database_url, scratch_url, tmp_path):
    scratch = outside_request(create_app, {"TESTING": True, "DATABASE_URL": scratch_url, "SECRET_KEY": "x"})
    directory = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, directory, ignore=shutil.ignore_patterns("__pycache__"))
    with scratch.test_request_context():
        migrate.upgrade(db, directory)
        db.connect(reuse_if_open=True)
        catalog.add("customer", "会员卡号", "text", label_en="Member card no")
        catalog.add("customer", "积分", "integer", label_en="Points")
        schema.sync_models()
        kept = Customer.create(name="甲", cf_member_card_no="VIP-1", cf_points=7)
        (directory / "9999_later_builtin.py").write_text(LATER_MIGRATION)
        assert migrate.upgrade(db, directory) == ["9999_later_builtin"]
        db.connect(reuse_if_open=True)
        again = Customer.get_by_id(kept.id)
        assert (again.cf_member_card_no, again.cf_points) == ("VIP-1", 7)
        assert not migrate.drift(db)
        db.close()
    db.initialize(open_database(database_url))  # back to the suite's database for the fixtures' clean-up
