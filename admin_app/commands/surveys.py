"""Survey commands: `flask send-outbox` (the mail worker) and `flask load-questionnaire`."""
import time

import click
from flask import current_app

from admin_app.services.notify import outbox
from admin_app.services.surveys.survey import load_reference_questionnaire
from models import db


@click.command("send-outbox")
@click.option("--once", is_flag=True, help="Send what is due and stop.")
@click.option("--interval", default=15, show_default=True, help="Seconds between polls in loop mode.")
def send_outbox_command(once, interval):
    """Send queued survey emails over SMTP, retrying failures; loops until stopped unless --once."""
    settings = outbox.mail_settings(current_app.config)
    if not settings["server"]:
        raise click.ClickException("MAIL_SERVER is not set.")
    while True:
        with db.connection_context():
            outbox.release_stale()
            sent, failed = outbox.send_pending(settings, limit=500)
        if sent or failed:
            click.echo(f"sent {sent}, failed {failed}")
            continue
        if once:
            return
        time.sleep(interval)


@click.command("load-questionnaire")
def load_questionnaire_command():
    """Load the seed's standard satisfaction questionnaire if it is missing."""
    with db.connection_context():
        questionnaire = load_reference_questionnaire()
    click.echo(f"Questionnaire: {questionnaire}")


COMMANDS = (send_outbox_command, load_questionnaire_command)
