"""Schema migration commands: `flask db-upgrade | db-status | db-generate NAME | db-initial --force`."""
import click
from flask.cli import with_appcontext

import models
from admin_app.migrate import drift, generate, status, upgrade, write_initial


@click.command("db-upgrade")
@click.option("--target", default=None, help="Stop after this migration (file name without .py).")
@with_appcontext
def upgrade_command(target):
    """Apply the pending schema migrations."""
    applied = upgrade(models.db, target=target)
    click.echo("\n".join(f"applied: {name}" for name in applied) or "Schema is up to date.")
    if target is None:  # a new package version may bring a new year's official holidays
        from admin_app.commands.core import echo_calendar
        from admin_app.services.workflow import calendar_years

        with models.db.connection_context():
            echo_calendar(calendar_years.sync_package())


@click.command("db-status")
@with_appcontext
def status_command():
    """List the migrations, when each was applied, and model changes no migration covers."""
    rows = status(models.db)
    for name, applied in rows:
        click.echo(f"[{'x' if applied else ' '}] {name}  {applied or 'pending'}")
    missing = drift(models.db)
    if missing:
        click.echo(f"Models ahead of the database (run `flask db-generate NAME`):\n{missing}")
    if missing or any(applied is None for _name, applied in rows):
        raise SystemExit(1)


@click.command("db-generate")
@click.argument("name")
def generate_command(name):
    """Write the next migration from what the models changed since the last one."""
    path = generate(name)
    click.echo(path or "Migrations already match the models; nothing written.")


@click.command("db-initial")
@click.option("--force", is_flag=True, help="Overwrite an existing 0001_initial.py.")
def initial_command(force):
    """Write 0001_initial.py as a frozen copy of the current models' schema."""
    try:
        click.echo(write_initial(force=force))
    except FileExistsError as exc:
        raise click.ClickException(str(exc)) from exc


COMMANDS = (upgrade_command, status_command, generate_command, initial_command)

