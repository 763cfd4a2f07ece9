"""Indexes matching the dashboard's open and overdue counts: (status, the date the deadline runs from) (issue 15)."""

#: table -> columns of the composite index; the complaint's (status, investigation_due) exists since 0001
INDEXES = {
    "feedback": ("status", "feedback_date"),
    "repair": ("status", "response_due"),
    "return_exchange": ("status", "created_at"),
}


def up(migrator, db):
    migrator.migrate(*(migrator.add_index(table, columns, False) for table, columns in INDEXES.items()))


def down(migrator, db):
    migrator.migrate(*(migrator.drop_index(table, "_".join((table, *columns))) for table, columns in INDEXES.items()))
