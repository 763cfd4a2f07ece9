"""Built-in choice lists take options the office adds and retires (issue 12, item 5): a retired flag per option.

An option the office added is a `choice_label` row whose value is not one of models/choices.py; a retired one is
kept (stored records still show it) but no longer offered on new input.
"""
from peewee import BooleanField


def up(migrator, db):
    migrator.migrate(migrator.add_column("choice_label", "retired", BooleanField(default=False)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("choice_label", "retired"))
