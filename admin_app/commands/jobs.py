"""Queue commands: `flask run-worker` (the Huey consumer: jobs and periodic sweeps) and `flask remind`."""
import logging

import click
from flask import current_app

from admin_app.services.jobs.queue import huey
from admin_app.services.notify import reminders
from models import db


@click.command("run-worker")
@click.option("--threads", type=int, default=None, help="Worker threads (default WORKER_THREADS, 2).")
@click.option("--verbose", is_flag=True, help="Log every task run (by default only warnings and errors).")
def run_worker_command(threads, verbose):
    """Run the queue worker: background jobs, the outbox every minute, reminders at 08:00, the 02:30 sweep."""
    huey.immediate = False
    # the periodic sweeps run every minute: a line each would bury the server's own log beside it
    logging.getLogger("huey").setLevel(logging.INFO if verbose else logging.WARNING)
    workers = threads or current_app.config.get("WORKER_THREADS", 2)
    click.echo(f"queue worker: {type(huey).__name__}, {workers} threads")
    huey.create_consumer(workers=workers, worker_type="thread", periodic=True).run()


@click.command("remind")
def remind_command():
    """Send today's reminders (due tomorrow, overdue) and the managers' digest now; print the counts."""
    with db.connection_context():
        click.echo(reminders.run_daily())


COMMANDS = (run_worker_command, remind_command)
