"""Core commands: `flask --app run.py init-db | seed-demo | create-user`."""
import secrets

import click
from flask_babel import force_locale

from admin_app.db import create_schema
from admin_app.services.surveys.survey import load_reference_questionnaire
from admin_app.services.trust import password_policy, sessions
from admin_app.services.workflow import calendar_years
from models import Customer, User, db
from models.choices import ROLES


def ensure_admin(password=None):
    """Create the first account `admin` if missing; return the generated password, if any."""
    if User.select().where(User.username == "admin").exists():
        return None
    generated = None if password else secrets.token_urlsafe(12)
    user = User(username="admin", display_name="管理员", role="admin")
    user.set_password(password or generated)
    user.save()
    return generated


def echo_calendar(result):
    """Print what loading the official holiday calendar did."""
    added, marked = result
    years = calendar_years.package_years()
    click.echo(f"Official holiday calendar {years[0]}-{years[-1]}: {added} days added, {len(marked)} years new.")


@click.command("init-db")
@click.pass_context
def init_db_command(ctx):
    """Apply the schema migrations and create the first admin account."""
    app = ctx.obj.load_app()
    for name in create_schema():
        click.echo(f"Applied migration {name}.")
    with db.connection_context():
        generated = ensure_admin(app.config.get("ADMIN_PASSWORD"))
        load_reference_questionnaire()
        echo_calendar(calendar_years.sync_package())
    click.echo("Database ready.")
    if generated:
        click.echo(f"Created account 'admin' with password: {generated}  (shown once; change it after login)")


@click.command("seed-demo")
@click.option("--customers", default=240, show_default=True, help="How many demo customers.")
def seed_demo_command(customers):
    """Load the demo data from seeds/ unless it is already there."""
    from seeds.demo import load_demo

    create_schema()
    with db.connection_context(), force_locale("zh_Hans_CN"):
        added = load_demo(customers=customers)
        load_reference_questionnaire()
        total = Customer.select().count()
    click.echo(f"Demo data: {added} customers added, {total} in the database.")


@click.command("create-user")
@click.argument("name")
@click.option("--role", type=click.Choice([code for code, _label in ROLES]), default="clerk", show_default=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--display-name", default="")
def create_user_command(name, role, password, display_name):
    """Create an account with a role."""
    reasons = password_policy.problems(password, name)
    if reasons:
        raise click.BadParameter(" ".join(str(r) for r in reasons), param_hint="--password")
    with db.connection_context():
        if User.by_name(name):
            raise click.ClickException(f"User {name} already exists.")
        user = User(username=name, role=role, display_name=display_name or name)
        user.set_password(password)
        user.save()
    click.echo(f"Created {name} ({role}).")


@click.command("set-password")
@click.argument("name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def set_password_command(name, password):
    """Give an account a new password (a lost admin password), unlock it and end its sessions."""
    reasons = password_policy.problems(password, name)
    if reasons:
        raise click.BadParameter(" ".join(str(r) for r in reasons), param_hint="--password")
    with db.connection_context():
        user = User.by_name(name)
        if user is None:
            raise click.ClickException(f"No user {name}.")
        user.set_password(password)
        user.failed_logins, user.locked_until = 0, None
        user.save(only=[User.password_hash, User.failed_logins, User.locked_until])
        ended = sessions.end_all(user.id, "password")
    click.echo(f"New password set for {name}; {ended} open sessions ended.")


COMMANDS = (init_db_command, seed_demo_command, create_user_command, set_password_command)
