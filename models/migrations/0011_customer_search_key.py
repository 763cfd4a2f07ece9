"""Customers get a search key: the name in simplified characters, its pinyin and initials (issue 13 item 7).

The key is filled here for the existing rows, in batches (pinyin_key.backfill); every later write keeps it
current (models.customer.SearchKeyed). The search indexes that read it are rebuilt afterwards by
search.install (create_schema), because their definition changed.
"""
import peewee

from admin_app.services.lists import pinyin_key


def up(migrator, db):
    migrator.migrate(migrator.add_column("customer", "search_key", peewee.TextField(null=True)))
    pinyin_key.backfill(db)


def down(migrator, db):
    migrator.migrate(migrator.drop_column("customer", "search_key"))
