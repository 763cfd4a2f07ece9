"""Reading a word's matches from the customer search indexes (search.py): a few ids at once, a bounded count,
the first ids in id order, and a probe of one row. Each returns None when the word is not indexed (LIKE answers it).
"""
import json

import peewee as pw

from admin_app.services.lists.search import index_query, like_pattern, union_sql


def few_ids(database, subquery, at_most):
    """Return the sorted ids an id subquery (an SQL node) lists when they are at most `at_most`, else None."""
    sql, params = database.get_sql_context().sql(subquery).query()
    rows = database.execute_sql(f"SELECT * FROM ({sql}) LIMIT ?", (*params, at_most + 1)).fetchall()
    return None if len(rows) > at_most else sorted(row[0] for row in rows)


def few_matching_ids(database, term, at_most, columns=None):
    """Return the sorted ids of the customers matching `term` (as matching_customer_ids) when the index holds at
    most `at_most` of them, else None (also None when not indexed).

    The index is read once, stopping after at_most + 1 ids; notes (one- and two-character words) are added after.
    """
    found = index_query(database, term, columns)
    if found is None:
        return None
    parts, notes = found
    ids = set()
    if parts:
        sql, params = union_sql(parts, None, term)
        ids = {row[0] for row in database.execute_sql(f"SELECT * FROM ({sql}) LIMIT ?", (*params, at_most + 1))}
        if len(ids) > at_most:
            return None
    if notes is not None:
        ids |= {row[0] for row in database.execute_sql(
            "SELECT id FROM customer WHERE notes IS NOT NULL AND notes LIKE ?", (notes,))}
    return sorted(ids)


def id_list(ids):
    """Return an SQL subquery listing `ids` (SQLite's json_each: one parameter however many ids)."""
    return pw.SQL("SELECT value FROM json_each(?)", (json.dumps(ids),))


def indexed_hits(database, term, at_most, columns=None):
    """Return how many customers the index holds for `term`, counting at most `at_most` (None: not indexed).

    Reads the index alone, in index order, and stops at `at_most`: cheap even for a term half the table holds.
    """
    found = index_query(database, term, columns)
    if found is None or not found[0]:
        return None
    sql, params = union_sql(found[0], None, term)
    return database.execute_sql(f"SELECT count(*) FROM ({sql} LIMIT ?)", (*params, at_most)).fetchone()[0]


def first_ids(database, term, at_most, descending=True, columns=None, flag=None):
    """Return the first `at_most` ids (in id order) of the customers matching `term`, or None when not indexed.

    Each index hands its matches in rowid order (FTS5 walks a doclist either way) and stops at `at_most`, so a
    word half the table holds costs one page of ids, not a walk of the table: the page of a list sorted by id.
    `flag`: only customers whose boolean column of that name is true (the urgent ones a list shows first).
    """
    found = index_query(database, term, columns)
    if found is None:
        return None
    parts, notes = found
    order, flagged = ("DESC" if descending else "ASC"), ([f'c."{flag}"'] if flag else [])
    ids = set()
    for table, match, recheck, pattern in parts:
        checks = [*flagged, *(["(" + " OR ".join(f'c."{c}" LIKE ?' for c in recheck) + ")"] if recheck else [])]
        join = " JOIN customer AS c ON c.id = s.rowid" if checks else ""
        sql = " AND ".join([f"SELECT s.rowid FROM {table} AS s{join} WHERE s.{table} MATCH ?", *checks])
        params = [match, *[like_pattern(pattern, term)] * len(recheck or ())]
        ids.update(row[0] for row in database.execute_sql(f"{sql} ORDER BY s.rowid {order} LIMIT ?",
                                                          (*params, at_most)))
    if notes is not None:  # "+id": the partial notes index finds them; the primary key would walk the table
        sql = " AND ".join(["SELECT id FROM customer AS c WHERE notes IS NOT NULL AND notes LIKE ?", *flagged])
        ids.update(row[0] for row in database.execute_sql(f"{sql} ORDER BY +id {order} LIMIT ?", (notes, at_most)))
    return sorted(ids, reverse=descending)[:at_most]


def row_matches(database, term, id_column, notes_column, columns=None):
    """Return a condition on one customer row: its text (in `columns`) contains `term` (None: not indexed).

    The index is asked about that row alone (MATCH and rowid =), so a list can walk its own order and stop after
    a page, instead of reading and sorting every match: the plan for a term most rows contain.
    """
    found = index_query(database, term, columns)
    if found is None:
        return None
    parts, notes = found
    condition = None
    for table, match, recheck, pattern in parts:
        probe = pw.NodeList((pw.SQL(f"EXISTS (SELECT 1 FROM {table} WHERE {table} MATCH ? AND rowid =", (match,)),
                             id_column, pw.SQL(")")))
        if recheck:
            probe = probe & _any_like(id_column.model, recheck, like_pattern(pattern, term))
        condition = probe if condition is None else condition | probe
    if notes is not None:
        like = notes_column.is_null(False) & pw.NodeList((notes_column, pw.SQL("LIKE ?", (notes,))))
        condition = like if condition is None else condition | like  # SQLite's LIKE, as the subquery's
    return condition


def _any_like(model, columns, pattern):
    """Return `col1 LIKE pattern OR col2 LIKE pattern ...` (SQLite's LIKE: ASCII case folded)."""
    condition = None
    for name in columns:
        one = pw.NodeList((getattr(model, name), pw.SQL("LIKE ?", (pattern,))))
        condition = one if condition is None else (condition | one)
    return condition
