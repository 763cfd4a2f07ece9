"""Command-line tasks of the workflow: `flask --app run.py seed-holidays --year 2026`."""
import datetime as dt

import click

from admin_app.services.workflow import recompute, workdays
from models import db
from models.settings import HolidayYear


@click.command("seed-holidays")
@click.option("--year", type=int, default=lambda: dt.date.today().year, show_default="this year")
def seed_holidays_command(year):
    """Load China's official holidays and adjusted working days of a year into the editable calendar."""
    if not workdays.official_calendar(year):
        raise click.ClickException(f"The chinese-calendar package has no data for {year}; enter it in the panel.")
    with db.connection_context():
        added = workdays.seed_official_calendar(year)
        if not HolidayYear.select().where(HolidayYear.year == year).exists():
            HolidayYear.create(year=year, source="package", username="cli")
        if added:  # open records' working-day deadlines follow the new calendar, logged
            recompute.recompute_open("package", str(year), (None, "cli"))
    click.echo(f"Holiday calendar {year}: {added} days added (days already in the panel were kept).")


COMMANDS = (seed_holidays_command,)
