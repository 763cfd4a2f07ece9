"""Indexes that answer a list query alone, whatever SQLite's statistics say (issue 13.7, issue 15 target 2).

- customer (column, urgent) for every range-filtered list column, replacing the column's own index: the matches of
  a range filter (first trade after a date: 6,000 of a million) are sorted in the list's order (urgent first, then
  newest) from the index, then only the page's rows read (views/fastlist.py sort_after_filtering).
- complaint (legal_contact_id, legal_signoff_at), replacing the contact's own index: "my work" and a customer's
  page ask for a user's open legal escalations; with the column nearly always empty, ANALYZE's statistics made
  the plain index look useless and SQLite scanned every complaint (25–40 ms at 200,000 complaints).
"""
RANGE_COLUMNS = ("birth_date", "receivable", "trade_volume_12m", "first_trade_date", "next_report_due",
                 "consent_date")


def up(migrator, db):
    migrator.migrate(*(migrator.add_index("customer", (column, "urgent"), False) for column in RANGE_COLUMNS),
                     migrator.add_index("complaint", ("legal_contact_id", "legal_signoff_at"), False))
    for table, column in [*(("customer", column) for column in RANGE_COLUMNS), ("complaint", "legal_contact_id")]:
        db.execute_sql(f'DROP INDEX IF EXISTS "{table}_{column}"')  # the new index leads with the same column


def down(migrator, db):
    migrator.migrate(*(migrator.add_index("customer", (column,), False) for column in RANGE_COLUMNS),
                     migrator.add_index("complaint", ("legal_contact_id",), False))
    migrator.migrate(*(migrator.drop_index("customer", f"customer_{column}_urgent") for column in RANGE_COLUMNS),
                     migrator.drop_index("complaint", "complaint_legal_contact_id_legal_signoff_at"))
