"""Every `flask --app run.py …` command, one module per domain."""
from admin_app.commands import backup, core, exchange, fields, grading, jobs, migrations, surveys, workflow

MODULES = (core, migrations, surveys, backup, grading, workflow, exchange, jobs, fields)


def init_app(app):
    """Register every module's COMMANDS on the app."""
    for module in MODULES:
        for command in module.COMMANDS:
            app.cli.add_command(command)
