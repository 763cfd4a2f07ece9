"""Versioned schema migrations: plain scripts in models/migrations/, run by playhouse.migrations.

`flask init-db` (and so `make run`) applies the pending ones and records each in the schema_migration table;
`flask db-upgrade`, `flask db-status` (admin_app/commands/migrations.py). After changing a model:
`flask db-generate "what changed"` writes the next numbered script from the difference between the migrations
and the models; review it and commit it.
`flask db-initial --force` (or `python -m models.migrations db-initial --force`, which needs no working app)
rewrites 0001_initial.py as a frozen copy of the current models, for a project that has no deployed database yet.
"""
import logging
import tempfile
from pathlib import Path

import peewee as pw
from playhouse import migrations as pm
from playhouse.schema_diff import SchemaDiff, diff_models

import models
from models import ALL_MODELS

MIGRATIONS_DIR = Path(models.__file__).resolve().parent / "migrations"
HISTORY_TABLE = "schema_migration"
INITIAL_NAME = "0001_initial.py"
# Generated files use peewee's star import and long lines; they are frozen data, not code we edit.
HEADER = "# ruff: noqa: F403, F405, E501, I001\n"
log = logging.getLogger(__name__)


def real_database(database):
    """Return the database behind a proxy."""
    return getattr(database, "obj", None) or database


def runner(database, directory=MIGRATIONS_DIR):
    """Return a migration runner recording applied versions in the schema_migration table."""
    return pm.Runner(real_database(database), str(directory), table_name=HISTORY_TABLE)


def upgrade(database, directory=MIGRATIONS_DIR, target=None):
    """Apply the pending migrations in order (up to `target`); return their names."""
    with real_database(database).connection_context():
        return runner(database, directory).up(target)


def status(database, directory=MIGRATIONS_DIR):
    """Return (name, applied datetime or None) for every migration file and history row."""
    with real_database(database).connection_context():
        return [(m.name, m.applied) for m in runner(database, directory).status()]


def drift(database, model_list=None):
    """Return what the models have that the database lacks (tables, columns, indexes), as a SchemaDiff."""
    database = real_database(database)
    with database.connection_context():
        found = diff_models(database, model_list or ALL_MODELS)
    return SchemaDiff(found.create_tables, found.add_columns, [], found.add_indexes, [])


def initial_source(model_list=None):
    """Return the text of a migration that creates the current models' schema from nothing."""
    body = pm.template(SchemaDiff(pw.sort_models(model_list or ALL_MODELS), [], [], [], []))
    # Python-side defaults (e.g. now()) are not part of the schema; the template can only flag them.
    lines = [line for line in body.splitlines() if not (line.startswith("# TODO:") and "default" in line)]
    doc = '"""Initial schema: a frozen copy of the models, regenerated with `flask db-initial --force`."""\n'
    return HEADER + doc + "\n".join(lines) + "\n"


def write_initial(directory=MIGRATIONS_DIR, force=False):
    """Write 0001_initial.py from the current models; refuse to overwrite unless forced."""
    path = Path(directory) / INITIAL_NAME
    if path.exists() and not force:
        raise FileExistsError(f"{path} exists; pass --force to regenerate it")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(initial_source())
    return path


def generate(name, directory=MIGRATIONS_DIR, model_list=None):
    """Write the next migration from the difference between the migrations and the models; None if none."""
    with tempfile.TemporaryDirectory() as tmp:
        scratch = pw.SqliteDatabase(str(Path(tmp) / "scratch.db"))
        upgrade(scratch, directory)
        with scratch.connection_context():
            found = diff_models(scratch, model_list or ALL_MODELS)
    if not found:
        return None
    return Path(runner(pw.SqliteDatabase(":memory:"), directory).create(name, body=HEADER + pm.template(found)))
