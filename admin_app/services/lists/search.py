"""Fast substring search over customers: FTS5 indexes on SQLite, pg_trgm on PostgreSQL.

SQLite keeps two full-text indexes in step with `customer` through triggers:
- `customer_tri` (trigram tokenizer) answers fragments of three or more characters;
- `customer_short` (contentless) holds every one- and two-character piece of the short text columns as a
  token, for the fragments the trigram index cannot answer (Chinese names are two or three characters).
  Pieces are hex-encoded so that punctuation (@ . -) is a token like any other character.
Notes are free text of any length: for one- and two-character fragments they are matched with LIKE over a
partial index that holds only the customers who have notes.
Both indexes fold ASCII case only, as SQLite's LIKE does.
"""
import peewee as pw

from admin_app.validators import search_term

TEXT_COLUMNS = ("name", "phone", "contact_person", "email", "notes")
#: every position (up to 255) of these is indexed, so results equal LIKE's
SHORT_COLUMNS = ("name", "contact_person", "phone", "email")
TABLES = ("customer_tri", "customer_short")
TRIGGERS = ("customer_search_ai", "customer_search_ad", "customer_search_au")
NOTES_INDEX = "customer_notes_present"
LIKE_SPECIALS = set("%_^=\\")  # words Flask-Admin's LIKE treats specially stay on the LIKE path


POSITIONS_TABLE = "search_position"  # rows 1..255: the character positions a piece can start at
MAX_POSITION = 255


def _pieces(column):
    """Return an SQL expression listing every 1- and 2-character piece of a column, hex-encoded.

    Positions come from a small table (triggers cannot hold a recursive CTE), so the cost follows the text's
    real length.
    """
    return (f"coalesce((SELECT group_concat(hex(lower(substr({column}, p.n, 1))) || ' ' || "
            f"hex(lower(substr({column}, p.n, 2))), ' ') FROM {POSITIONS_TABLE} AS p "
            f"WHERE p.n <= length({column})), '')")


def _short_text(prefix):
    return " || ' ' || ".join(_pieces(f"{prefix}.{c}") for c in SHORT_COLUMNS)


def sqlite_ddl():
    """Return the statements that create the SQLite search indexes and their triggers."""
    cols = ", ".join(TEXT_COLUMNS)
    new_vals = ", ".join(f"new.{c}" for c in TEXT_COLUMNS)
    old_vals = ", ".join(f"old.{c}" for c in TEXT_COLUMNS)
    add = (f"INSERT INTO customer_tri(rowid, {cols}) VALUES (new.id, {new_vals}); "
           f"INSERT INTO customer_short(rowid, pieces) VALUES (new.id, {_short_text('new')});")
    remove = (f"INSERT INTO customer_tri(customer_tri, rowid, {cols}) VALUES ('delete', old.id, {old_vals}); "
              f"INSERT INTO customer_short(customer_short, rowid, pieces) "
              f"VALUES ('delete', old.id, {_short_text('old')});")
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS customer_tri USING fts5({cols}, content='customer', "
        "content_rowid='id', tokenize='trigram')",
        "CREATE VIRTUAL TABLE IF NOT EXISTS customer_short USING fts5(pieces, content='', tokenize='unicode61')",
        f"CREATE TABLE IF NOT EXISTS {POSITIONS_TABLE} (n INTEGER PRIMARY KEY)",
        f"INSERT OR IGNORE INTO {POSITIONS_TABLE}(n) VALUES "
        + ", ".join(f"({k})" for k in range(1, MAX_POSITION + 1)),
        f"CREATE INDEX IF NOT EXISTS {NOTES_INDEX} ON customer(notes) WHERE notes IS NOT NULL",
        f"CREATE TRIGGER IF NOT EXISTS customer_search_ai AFTER INSERT ON customer BEGIN {add} END",
        f"CREATE TRIGGER IF NOT EXISTS customer_search_ad AFTER DELETE ON customer BEGIN {remove} END",
        f"CREATE TRIGGER IF NOT EXISTS customer_search_au AFTER UPDATE OF {cols} ON customer "
        f"BEGIN {remove} {add} END",
    ]


def _current(database):
    """Tell whether the installed SQLite triggers are the ones this version of the code writes."""
    row = database.execute_sql("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                               ("customer_search_au",)).fetchone()
    return bool(row) and row[0] == sqlite_ddl()[-1].replace(" IF NOT EXISTS", "")


def drop(database):
    """Remove the SQLite search indexes and triggers."""
    for trigger in TRIGGERS:
        database.execute_sql(f"DROP TRIGGER IF EXISTS {trigger}")
    for table in TABLES:
        database.execute_sql(f"DROP TABLE IF EXISTS {table}")


def install(database):
    """Create the search indexes for this database if missing or outdated, and fill them from existing rows."""
    if isinstance(database, pw.SqliteDatabase):
        with database.atomic():
            if _current(database):
                return
            drop(database)
            for statement in sqlite_ddl():
                database.execute_sql(statement)
            rebuild(database)
    elif isinstance(database, pw.PostgresqlDatabase):
        _install_postgres(database)


def rebuild(database):
    """Refill the SQLite search indexes from the customer table."""
    database.execute_sql("INSERT INTO customer_tri(customer_tri) VALUES ('rebuild')")
    database.execute_sql("INSERT INTO customer_short(customer_short) VALUES ('delete-all')")
    database.execute_sql(f"INSERT INTO customer_short(rowid, pieces) SELECT id, {_short_text('customer')} "
                         "FROM customer")
    optimize(database)


def _install_postgres(database):
    try:
        with database.atomic():
            database.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except pw.DatabaseError:
        return  # without the extension, search stays a plain ILIKE scan
    for column in TEXT_COLUMNS:
        database.execute_sql(f"CREATE INDEX IF NOT EXISTS customer_{column}_trgm ON customer "
                             f"USING gin ({column} gin_trgm_ops)")


def _ascii_lower(text):
    return "".join(ch.lower() if ch.isascii() else ch for ch in text)


def _quote(term):
    return '"' + term.replace('"', '""') + '"'


def _index_query(database, term, columns=None):
    """Return (index table, MATCH string, LIKE pattern for notes or None, columns to re-check or None) answering
    term in `columns` (default all TEXT_COLUMNS), or None to use LIKE.

    A role that may not search a column (a masked phone) still uses the index: the trigram index takes a column
    filter; the short index mixes its columns, so its candidates are re-checked with LIKE on the allowed ones.
    """
    term = search_term(term or "")  # the same NFKC and trimming as stored values (admin_app/validators.py)
    if not term or LIKE_SPECIALS & set(term) or not isinstance(database, pw.SqliteDatabase):
        return None
    if not _current(database):
        return None
    wanted = [c for c in TEXT_COLUMNS if columns is None or c in columns]
    if len(term) >= 3:
        scope = "" if len(wanted) == len(TEXT_COLUMNS) else "{" + " ".join(wanted) + "} : "  # FTS5 column filter
        return "customer_tri", scope + _quote(term), None, None
    short = [c for c in SHORT_COLUMNS if c in wanted]
    if not short:
        return None
    notes = f"%{term}%" if "notes" in wanted else None
    recheck = None if len(short) == len(SHORT_COLUMNS) else short
    return "customer_short", _quote(_ascii_lower(term).encode("utf-8").hex().upper()), notes, recheck


def _index_ids(table, match, recheck, term):
    """Return (SQL, params) of the ids the index holds for a MATCH, re-checked with LIKE on some columns."""
    sql, params = f"SELECT rowid FROM {table} WHERE {table} MATCH ?", [match]
    if recheck:
        likes = " OR ".join(f'"{c}" LIKE ?' for c in recheck)
        sql = f"SELECT id FROM customer WHERE id IN ({sql}) AND ({likes})"
        params += [f"%{search_term(term)}%"] * len(recheck)
    return sql, params


def matching_customer_ids(database, term, columns=None):
    """Return an SQL subquery of the ids of customers whose text (in `columns`) contains `term`, or None."""
    found = _index_query(database, term, columns)
    if found is None:
        return None
    table, match, notes, recheck = found
    sql, params = _index_ids(table, match, recheck, term)
    if notes is None:
        return pw.SQL(sql, params)
    return pw.SQL(f"{sql} UNION SELECT id FROM customer WHERE notes IS NOT NULL AND notes LIKE ?", (*params, notes))


def indexed_hits(database, term, at_most, columns=None):
    """Return how many customers the index holds for `term`, counting at most `at_most` (None: not indexed).

    Reads the index alone, in index order, and stops at `at_most`: cheap even for a term half the table holds.
    """
    found = _index_query(database, term, columns)
    if found is None:
        return None
    table, match, _notes, recheck = found
    sql, params = _index_ids(table, match, recheck, term)
    return database.execute_sql(f"SELECT count(*) FROM ({sql} LIMIT ?)", (*params, at_most)).fetchone()[0]


def row_matches(database, term, id_column, notes_column, columns=None):
    """Return a condition on one customer row: its text (in `columns`) contains `term` (None: not indexed).

    The index is asked about that row alone (MATCH and rowid =), so a list can walk its own order and stop after
    a page, instead of reading and sorting every match: the plan for a term most rows contain.
    """
    found = _index_query(database, term, columns)
    if found is None:
        return None
    table, match, notes, recheck = found
    probe = pw.NodeList((pw.SQL(f"EXISTS (SELECT 1 FROM {table} WHERE {table} MATCH ? AND rowid =", (match,)),
                         id_column, pw.SQL(")")))
    if recheck:
        pattern, model = f"%{search_term(term)}%", id_column.model
        probe = probe & _any_like(model, recheck, pattern)
    if notes is None:
        return probe
    like = pw.NodeList((notes_column, pw.SQL("LIKE ?", (notes,))))  # SQLite's LIKE, as the subquery's
    return probe | (notes_column.is_null(False) & like)


def _any_like(model, columns, pattern):
    """Return `col1 LIKE pattern OR col2 LIKE pattern ...` (SQLite's LIKE: ASCII case folded)."""
    condition = None
    for name in columns:
        one = pw.NodeList((getattr(model, name), pw.SQL("LIKE ?", (pattern,))))
        condition = one if condition is None else (condition | one)
    return condition


def optimize(database):
    """Merge each SQLite search index into one segment: looking one row up then reads one b-tree, not many."""
    for table in TABLES:
        if database.table_exists(table):
            database.execute_sql(f"INSERT INTO {table}({table}) VALUES ('optimize')")
