"""Write migrations without starting the app: `python -m models.migrations db-initial --force | db-generate NAME`."""
import click

from admin_app.commands.migrations import generate_command, initial_command

click.Group("migrations", commands=[generate_command, initial_command])()
