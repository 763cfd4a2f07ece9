"""Fast substring search over customers: FTS5 indexes on SQLite, pg_trgm on PostgreSQL.

SQLite keeps two full-text indexes in step with `customer` through triggers:
- `customer_tri` (trigram tokenizer) answers fragments of three or more characters;
- `customer_short` (contentless) holds every one- and two-character piece of the short text columns as a
  token, for the fragments the trigram index cannot answer (Chinese names are two or three characters).
  Pieces are hex-encoded so that punctuation (@ . -) is a token like any other character.
Notes are free text of any length: for one- and two-character fragments they are matched with LIKE over a
partial index that holds only the customers who have notes.
Both indexes fold ASCII case only, as SQLite's LIKE does.

Pinyin, initials and traditional characters (issue 13 item 7): the part of `search_key` (the name's key,
pinyin_key.py) after "|" (simplified name, initials) is the key column of the trigram index, and in the short index
as tokens marked "K", apart from the other columns' pieces. Its full pinyin (before "|") has an index of its own
(pinyin_index.py: 3- and 5-letter pieces, since trigrams of pinyin are in a third of the keys).
A word matches a customer when it occurs in one of the text columns, or one of its spellings
(pinyin_key.term_variants: simplified, pinyin of 恒yuan) in the key.
"""
import functools

import peewee as pw

from admin_app.services.lists import pinyin_index, pinyin_key
from admin_app.validators import search_term

TEXT_COLUMNS = ("name", "phone", "contact_person", "email", "notes", "search_key")
#: the columns a word itself is looked for in; the key is searched by the word's spellings
PLAIN_COLUMNS = TEXT_COLUMNS[:-1]
KEY_MARK = "K"
#: every position (up to MAX_POSITION) of these is indexed, so results equal LIKE's
SHORT_COLUMNS = ("name", "contact_person", "phone", "email")
TABLES = ("customer_tri", "customer_short", pinyin_index.TABLE)
TRIGGERS = ("customer_search_ai", "customer_search_ad", "customer_search_au")
NOTES_INDEX = "customer_notes_present"
LIKE_SPECIALS = set("%_^=\\")  # words Flask-Admin's LIKE treats specially stay on the LIKE path


POSITIONS_TABLE = "search_position"  # rows 1..MAX_POSITION: the character positions a piece can start at
#: longer than any full pinyin: a 100-character name has one spelling (600 letters at most), a 20-character one 4
MAX_POSITION = 1024


def _pieces(column, mark=""):
    """Return an SQL expression listing every 1- and 2-character piece of a column, hex-encoded after `mark`.

    Positions come from a small table (triggers cannot hold a recursive CTE), so the cost follows the text's
    real length.
    """
    tag = f"'{mark}' || " if mark else ""
    return (f"coalesce((SELECT group_concat({tag}hex(lower(substr({column}, p.n, 1))) || ' ' || "
            f"{tag}hex(lower(substr({column}, p.n, 2))), ' ') FROM {POSITIONS_TABLE} AS p "
            f"WHERE p.n <= length({column})), '')")


def _short_key(prefix):
    """Return an SQL expression of the key's part after "|" (NULL without a key)."""
    key = f"{prefix}.search_key"
    return f"substr({key}, instr({key}, '{pinyin_key.SEPARATOR}') + 1)"


def _short_text(prefix):
    return " || ' ' || ".join([*(_pieces(f"{prefix}.{c}") for c in SHORT_COLUMNS),
                               _pieces(_short_key(prefix), KEY_MARK)])


def _pinyin_text(prefix):
    return pinyin_index.pieces(f"{prefix}.search_key", POSITIONS_TABLE)


def _tri_values(prefix):
    return ", ".join([*(f"{prefix}.{c}" for c in PLAIN_COLUMNS), _short_key(prefix)])


@functools.cache  # built from constants; a search asks for it to check the installed triggers
def sqlite_ddl():
    """Return the statements (a tuple) that create the SQLite search indexes and their triggers."""
    cols = ", ".join(TEXT_COLUMNS)
    add = (f"INSERT INTO customer_tri(rowid, {cols}) VALUES (new.id, {_tri_values('new')}); "
           f"INSERT INTO customer_short(rowid, pieces) VALUES (new.id, {_short_text('new')}); "
           f"INSERT INTO {pinyin_index.TABLE}(rowid, grams) VALUES (new.id, {_pinyin_text('new')});")
    remove = (f"INSERT INTO customer_tri(customer_tri, rowid, {cols}) VALUES ('delete', old.id, {_tri_values('old')}); "
              f"INSERT INTO customer_short(customer_short, rowid, pieces) "
              f"VALUES ('delete', old.id, {_short_text('old')}); "
              f"INSERT INTO {pinyin_index.TABLE}({pinyin_index.TABLE}, rowid, grams) "
              f"VALUES ('delete', old.id, {_pinyin_text('old')});")
    return (
        # contentless: its key column holds the key's short part only (the full pinyin is customer_pinyin's)
        f"CREATE VIRTUAL TABLE IF NOT EXISTS customer_tri USING fts5({cols}, content='', tokenize='trigram')",
        "CREATE VIRTUAL TABLE IF NOT EXISTS customer_short USING fts5(pieces, content='', tokenize='unicode61')",
        pinyin_index.ddl(),
        f"CREATE TABLE IF NOT EXISTS {POSITIONS_TABLE} (n INTEGER PRIMARY KEY)",
        f"INSERT OR IGNORE INTO {POSITIONS_TABLE}(n) VALUES "
        + ", ".join(f"({k})" for k in range(1, MAX_POSITION + 1)),
        f"CREATE INDEX IF NOT EXISTS {NOTES_INDEX} ON customer(notes) WHERE notes IS NOT NULL",
        f"CREATE TRIGGER IF NOT EXISTS customer_search_ai AFTER INSERT ON customer BEGIN {add} END",
        f"CREATE TRIGGER IF NOT EXISTS customer_search_ad AFTER DELETE ON customer BEGIN {remove} END",
        f"CREATE TRIGGER IF NOT EXISTS customer_search_au AFTER UPDATE OF {cols} ON customer "
        f"BEGIN {remove} {add} END",
    )


def _installed(database):
    """Tell whether the installed SQLite triggers are the ones this version of the code writes."""
    row = database.execute_sql("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                               ("customer_search_au",)).fetchone()
    return bool(row) and row[0] == sqlite_ddl()[-1].replace(" IF NOT EXISTS", "")


def _current(database):
    """Tell whether the search may use the indexes (_installed), remembered per connection and schema version.

    Any CREATE or DROP changes the schema version, which is one read of the file header; install() asks afresh.
    """
    version = (id(database.connection()), database.execute_sql("PRAGMA schema_version").fetchone()[0])
    known = database.__dict__.setdefault("_search_current", {})
    if version not in known:
        known.clear()
        known[version] = _installed(database)
    return known[version]


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
            if _installed(database):
                return
            drop(database)
            for statement in sqlite_ddl():
                database.execute_sql(statement)
            rebuild(database)
    elif isinstance(database, pw.PostgresqlDatabase):
        _install_postgres(database)


def rebuild(database):
    """Refill the SQLite search indexes from the customer table."""
    for table in TABLES:
        database.execute_sql(f"INSERT INTO {table}({table}) VALUES ('delete-all')")
    database.execute_sql(f"INSERT INTO customer_tri(rowid, {', '.join(TEXT_COLUMNS)}) "
                         f"SELECT id, {_tri_values('customer')} FROM customer")
    database.execute_sql(f"INSERT INTO customer_short(rowid, pieces) SELECT id, {_short_text('customer')} "
                         "FROM customer")
    database.execute_sql(f"INSERT INTO {pinyin_index.TABLE}(rowid, grams) SELECT id, {_pinyin_text('customer')} "
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


def _hex(text):
    return _ascii_lower(text).encode("utf-8").hex().upper()


def index_query(database, term, columns=None):
    """Return ([(index table, MATCH string, columns to re-check or None, their LIKE pattern or None for the term's)],
    LIKE pattern for notes or None)
    answering term in `columns` (default all TEXT_COLUMNS), or None for LIKE.

    The word is looked for in the text columns, its spellings in the key: a word of three or more characters
    in the trigram index, a shorter one in the short index (K-marked tokens for the key). A role that may not
    search a column (a masked phone) still uses the index: the trigram index takes a column filter; the short
    index mixes its columns, so its plain candidates are re-checked with LIKE on the allowed ones.
    """
    term = search_term(term or "")  # the same NFKC and trimming as stored values (admin_app/validators.py)
    if not term or LIKE_SPECIALS & set(term) or not isinstance(database, pw.SqliteDatabase):
        return None
    if not _current(database):
        return None
    wanted = [c for c in PLAIN_COLUMNS if columns is None or c in columns]
    keyed = columns is None or "search_key" in columns
    spellings = [v for v in pinyin_key.term_variants(term) if not LIKE_SPECIALS & set(v)] if keyed else []
    itself = _ascii_lower(term) in [_ascii_lower(v) for v in spellings]
    others = [v for v in spellings if _ascii_lower(v) != _ascii_lower(term)]
    parts = (_tri_parts(term, wanted, itself, others) + _short_parts(term, wanted, itself, others)
             + pinyin_index.parts(spellings))
    notes = f"%{term}%" if len(term) < 3 and "notes" in wanted else None
    return (parts, notes) if parts or notes else None


def _tri_parts(term, wanted, itself, others):
    scope = [*wanted, *(["search_key"] if itself else [])]
    tri = []
    if len(term) >= 3 and scope:
        whole = len(scope) == len(TEXT_COLUMNS)
        tri.append(_quote(term) if whole else f"{{{' '.join(scope)}}} : {_quote(term)}")  # FTS5 column filter
    tri += [f"search_key : {_quote(v)}" for v in others if len(v) >= 3]
    return [("customer_tri", " OR ".join(tri), None, None)] if tri else []


def _short_parts(term, wanted, itself, others):
    keys = [_quote(KEY_MARK + _hex(v)) for v in ([term] if itself and len(term) < 3 else []) + others
            if len(v) < 3]
    plain = [c for c in SHORT_COLUMNS if c in wanted] if len(term) < 3 else []
    if plain and len(plain) == len(SHORT_COLUMNS):
        return [("customer_short", " OR ".join([_quote(_hex(term)), *keys]), None, None)]
    parts = [("customer_short", _quote(_hex(term)), plain, None)] if plain else []
    return parts + ([("customer_short", " OR ".join(keys), None, None)] if keys else [])


def like_pattern(pattern, term):
    """Return a part's LIKE pattern, or the word's own (%word%) when the part has none."""
    return pattern if pattern is not None else f"%{search_term(term)}%"


def index_ids_sql(table, match, recheck, pattern):
    """Return (SQL, params) of the ids the index holds for a MATCH, re-checked with LIKE pattern on some columns."""
    sql, params = f"SELECT rowid FROM {table} WHERE {table} MATCH ?", [match]
    if recheck:
        likes = " OR ".join(f'"{c}" LIKE ?' for c in recheck)
        sql = f"SELECT id FROM customer WHERE id IN ({sql}) AND ({likes})"
        params += [pattern] * len(recheck)
    return sql, params


def union_sql(parts, notes, term):
    """Return (SQL, params) of the ids every part of index_query and the notes LIKE find, as one UNION."""
    pieces = [index_ids_sql(table, match, recheck, like_pattern(pattern, term))
              for table, match, recheck, pattern in parts]
    sql, params = " UNION ".join(p[0] for p in pieces), [v for p in pieces for v in p[1]]
    if notes is not None:
        sql += (" UNION " if sql else "") + "SELECT id FROM customer WHERE notes IS NOT NULL AND notes LIKE ?"
        params.append(notes)
    return sql, params


def matching_customer_ids(database, term, columns=None):
    """Return an SQL subquery of the ids of customers whose text (in `columns`) contains `term`, or None."""
    found = index_query(database, term, columns)
    if found is None:
        return None
    return pw.SQL(*union_sql(*found, term))


def optimize(database):
    """Merge each SQLite search index into one segment: looking one row up then reads one b-tree, not many."""
    for table in TABLES:
        if database.table_exists(table):
            database.execute_sql(f"INSERT INTO {table}({table}) VALUES ('optimize')")
