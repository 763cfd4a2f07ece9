"""Versioned migrations build the models' schema and upgrade an existing database in place, on either engine."""
import datetime as dt
import shutil
import uuid
from urllib.parse import urlsplit, urlunsplit

import peewee as pw
import pytest

from admin_app import create_app, migrate
from admin_app.db import open_database
from models import ALL_MODELS, BaseModel, Customer

ADD_LOYALTY = '''"""Test-only: a column with a backfill and a new table."""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column("customer", "loyalty_points", IntegerField(null=True)))
    db.execute_sql("UPDATE customer SET loyalty_points = CASE WHEN grade = 'A' THEN 10 ELSE 0 END")

    class LoyaltyNote(Model):
        text = TextField()

        class Meta:
            database = db
            table_name = "loyalty_note"
    db.create_tables([LoyaltyNote])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("loyalty_note"), migrator.drop_column("customer", "loyalty_points"))
'''


@pytest.fixture()
def scratch_url(database_url, tmp_path):
    """Yield the URL of an empty database of the engine under test, dropped afterwards."""
    if not database_url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'scratch.db'}"
        return
    name = f"scratch_{uuid.uuid4().hex[:10]}"
    server = open_database(database_url)
    server.execute_sql(f'CREATE DATABASE "{name}"')
    parts = urlsplit(database_url)
    yield urlunsplit(parts._replace(path=f"/{name}"))
    server.execute_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    server.close()


@pytest.fixture()
def scratch(scratch_url):
    """An empty peewee database of the engine under test."""
    database = open_database(scratch_url)
    yield database
    database.close()


@pytest.fixture()
def migrations_copy(tmp_path):
    """A copy of the project's migrations that a test may extend."""
    directory = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, directory, ignore=shutil.ignore_patterns("__pycache__"))
    return directory


def test_migrations_alone_build_every_model_table_and_column(scratch):
    applied = migrate.upgrade(scratch)
    assert applied and applied[0] == "0001_initial"
    missing = migrate.drift(scratch)
    assert not missing, f"models changed without a migration; run `flask db-generate NAME`:\n{missing}"
    assert all(when for _name, when in migrate.status(scratch))
    assert migrate.upgrade(scratch) == []


def test_older_database_upgrades_in_place_and_keeps_its_data(scratch, migrations_copy):
    migrate.upgrade(scratch, migrations_copy)
    with scratch.bind_ctx(ALL_MODELS):
        kept = Customer.create(name="老数据商行", customer_type="company", grade="A")
        other = Customer.create(name="普通顾客", customer_type="individual", grade="C")
    (migrations_copy / "0099_loyalty.py").write_text(ADD_LOYALTY)
    assert [name for name, when in migrate.status(scratch, migrations_copy) if when is None] == ["0099_loyalty"]

    assert migrate.upgrade(scratch, migrations_copy) == ["0099_loyalty"]

    with scratch.connection_context():
        rows = dict(scratch.execute_sql("SELECT name, loyalty_points FROM customer ORDER BY id").fetchall())
        assert "loyalty_note" in scratch.get_tables()
    assert rows == {"老数据商行": 10, "普通顾客": 0}
    with scratch.bind_ctx(ALL_MODELS):
        assert Customer.get_by_id(kept.id).name == "老数据商行"
        assert Customer.select().count() == 2
        assert Customer.create(name="升级后新增").id > other.id
    assert migrate.upgrade(scratch, migrations_copy) == []


def test_generate_writes_the_next_migration_from_a_model_change(scratch, migrations_copy):
    class Gadget(BaseModel):
        label = pw.CharField(max_length=40, index=True)
        bought = pw.DateField(default=dt.date.today)

        class Meta:
            table_name = "gadget_test"

    models = [*ALL_MODELS, Gadget]
    path = migrate.generate("add gadget", migrations_copy, models)
    highest = max(int(f.name[:4]) for f in migrations_copy.glob("[0-9][0-9][0-9][0-9]_*.py") if f != path)
    assert path.name.startswith(f"{highest + 1:04d}_add_gadget")  # the next number after the branches' own
    assert "gadget_test" in path.read_text()
    assert migrate.generate("again", migrations_copy, models) is None  # nothing left to write

    assert migrate.upgrade(scratch, migrations_copy)[-1] == path.stem
    assert not migrate.drift(scratch, models)


def test_init_db_applies_migrations_once_and_creates_the_admin(scratch_url, monkeypatch):
    app = create_app({"DATABASE_URL": scratch_url, "SECRET_KEY": "test", "ADMIN_PASSWORD": "first-admin-pass"})
    runner = app.test_cli_runner()

    first = runner.invoke(args=["init-db"])
    assert first.exit_code == 0, first.output
    assert "Applied migration 0001_initial" in first.output

    second = runner.invoke(args=["init-db"])
    assert second.exit_code == 0 and "Applied migration" not in second.output
    status = runner.invoke(args=["db-status"])
    assert "[x] 0001_initial" in status.output


def test_record_ids_are_never_reused_after_a_delete(app, make_customer):
    first = make_customer()
    first.delete_instance()
    assert make_customer().id > first.id
