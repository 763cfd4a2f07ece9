"""`flask normalise-values [--apply]`: stored text brought to the form the value layer stores (docs/values.md)."""
import click

from admin_app.services.exchange.renormalise import renormalise


@click.command("normalise-values")
@click.option("--apply", is_flag=True, help="Rewrite the rows (logged in each record's history); default: count.")
def normalise_values_command(apply):
    """Count (or, with --apply, rewrite) stored texts with full-width characters or stray spaces."""
    counts = renormalise(apply=apply, actor=(None, "normalise-values"))
    for table, count in counts.items():
        click.echo(f"{table}: {count} rows {'rewritten' if apply else 'to rewrite'}")


COMMANDS = (normalise_values_command,)
