"""Grading command: `flask recompute-grades` regrades every customer by the rules (cron it monthly)."""
import datetime as dt

import click

from admin_app.services.grading import grading_sql
from models import db


@click.command("recompute-grades")
@click.option("--dry-run", is_flag=True, help="Only show what would change.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Grade as of this date (YYYY-MM-DD); default today.")
def recompute_grades_command(dry_run, today):
    """Recompute every customer's credit grade, reasons and next report due date in one transaction."""
    day = today.date() if today else dt.date.today()
    with db.connection_context():
        result = grading_sql.preview(today=day, limit=0)
        for move in result["movements"]:
            click.echo(f"{move['old']} -> {move['new']}: {move['count']}")
        click.echo(f"{result['total']} customers, {result['moving']} change grade, "
                   f"{result['reasons_only']} change reasons only.")
        if dry_run:
            return
        applied = grading_sql.apply(today=day, actor=(None, "cli"), source="cli")
    click.echo(f"Applied: {applied['moved']} changed grade, {applied['updated']} customers updated.")


COMMANDS = (recompute_grades_command,)
