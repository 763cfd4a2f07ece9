"""Custom-field commands: `flask --app run.py fields add TABLE LABEL --type TYPE | list TABLE | retire TABLE CODE`."""
import functools

import click
from flask import current_app
from flask.cli import with_appcontext

from admin_app.services.fields import catalog, schema
from models import CustomField, db
from models.custom_fields import KINDS

TABLES = click.Choice(sorted(schema.MODELS))


def in_request(command):
    """Run a command inside a request context (messages are translated) with a database connection."""
    @functools.wraps(command)
    def run(*args, **kwargs):
        with current_app.test_request_context(), db.connection_context():
            return command(*args, **kwargs)
    return run


@click.group("fields")
def fields_group():
    """Add, list and retire the custom fields of a list."""


def _find(table, code):
    defn = CustomField.get_or_none(CustomField.endpoint == table, CustomField.code == code)
    if defn is None:
        raise click.ClickException(f"{table} has no custom field {code!r} (see `fields list {table}`).")
    return defn


@fields_group.command("add")
@click.argument("table", type=TABLES)
@click.argument("label")
@click.option("--type", "kind", required=True, type=click.Choice(KINDS))
@click.option("--choices", default="", help='Options of a choice field: "a,b,c".')
@click.option("--label-en", default="", help="English label.")
@click.option("--required", is_flag=True, help="The field must be filled in.")
@with_appcontext
@in_request
def add_command(table, label, kind, choices, label_en, required):
    """Add a custom field; running servers show it on their next request."""
    try:
        defn = catalog.add(table, label, kind, label_en=label_en, choices=choices, required=required)
    except catalog.FieldError as ex:
        raise click.ClickException(str(ex)) from ex
    click.echo(f"added {table}.{defn.code} ({defn.kind}) column {defn.column}")


@fields_group.command("list")
@click.argument("table", type=TABLES)
@with_appcontext
@in_request
def list_command(table):
    """List a table's custom fields: code, type, labels, state."""
    found = list(CustomField.of(table))
    for defn in found:
        state = "retired" if defn.retired else "active"
        choices = ",".join(o["zh"] for o in defn.options())
        click.echo("\t".join([defn.code, defn.kind, defn.label_zh, defn.label_en or "-", state, choices]))
    if not found:
        click.echo(f"{table} has no custom fields.")


@fields_group.command("retire")
@click.argument("table", type=TABLES)
@click.argument("code")
@click.option("--undo", is_flag=True, help="Bring a retired field back.")
@with_appcontext
@in_request
def retire_command(table, code, undo):
    """Retire a field (values kept), or bring it back with --undo."""
    catalog.set_retired(_find(table, code), retired=not undo)
    click.echo(f"{'restored' if undo else 'retired'} {table}.{code}")


@fields_group.command("purge")
@click.argument("table", type=TABLES)
@click.argument("code")
@click.confirmation_option(prompt="Delete this field's values for good?")
@with_appcontext
@in_request
def purge_command(table, code):
    """Delete a retired field's values and column for good (logged)."""
    try:
        catalog.purge(_find(table, code))
    except catalog.FieldError as ex:
        raise click.ClickException(str(ex)) from ex
    click.echo(f"purged {table}.{code}")


COMMANDS = (fields_group,)
