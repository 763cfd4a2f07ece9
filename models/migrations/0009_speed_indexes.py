"""Indexes matching the dashboard's open and overdue counts: (status, the date the deadline runs from) (issue 15).

On SQLite the customer search indexes are also merged into one segment each (search.optimize, which every
rebuild now does): a list that asks the index about one row at a time then reads one b-tree.
"""
import peewee

from admin_app.services.lists import search

#: table -> columns of the composite index; the complaint's (status, investigation_due) exists since 0001
INDEXES = {
    "feedback": ("status", "feedback_date"),
    "repair": ("status", "response_due"),
    "return_exchange": ("status", "created_at"),
}


def up(migrator, db):
    migrator.migrate(*(migrator.add_index(table, columns, False) for table, columns in INDEXES.items()))
    if isinstance(db, peewee.SqliteDatabase):
        search.optimize(db)  # a no-op on a new database: its search indexes are created after the migrations


def down(migrator, db):
    migrator.migrate(*(migrator.drop_index(table, "_".join((table, *columns))) for table, columns in INDEXES.items()))
