"""`flask backup PATH` and `flask restore-backup PATH`: consistent copies of the SQLite database."""
import sqlite3

import click
from flask import current_app

from admin_app.services.trust import backup as service

PG_HINT = ("This database is PostgreSQL: use  pg_dump --format=custom --file=PATH \"$DATABASE_URL\"  "
           "(see docs/operations.md).")


def _database_file():
    path = service.sqlite_path(current_app.config["DATABASE_URL"])
    if path is None:
        raise click.ClickException(PG_HINT)
    return path


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
def backup_command(path):
    """Write a consistent copy of the running SQLite database to PATH."""
    try:
        counts = service.backup(_database_file(), path)
    except (ValueError, OSError, sqlite3.Error) as ex:
        raise click.ClickException(f"Backup failed: {ex}") from ex
    click.echo(f"Backup written to {path}: {sum(counts.values())} rows in {len(counts)} tables.")


@click.command("restore-backup")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(path, yes):
    """Replace the SQLite database with the backup at PATH (stop the application first)."""
    target = _database_file()
    if not yes:
        click.confirm(f"Replace {target} with {path}? Stop the application first.", abort=True)
    try:
        counts = service.restore(path, target)
    except (ValueError, OSError, sqlite3.Error) as ex:
        raise click.ClickException(f"Restore failed: {ex}") from ex
    click.echo(f"Restored {path}: {sum(counts.values())} rows in {len(counts)} tables.")


COMMANDS = (backup_command, restore_command)
