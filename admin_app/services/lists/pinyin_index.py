"""The full pinyin's own index (issue 13 item 7): every 3- and 5-letter piece of each spelling as a token.

A million keys spell the same few hundred syllables: in a trigram index "ing", "ang", "han" are in a third of them,
and a word such as yanjingweishang reads thirteen doclists of up to 300,000 rows. Two 5-letter pieces of the word
(yanji ngwei) hold a few candidates, re-checked with LIKE on the key; a word of 3 or 5 letters is a token itself, of
4 two 3-letter pieces. Whoever holds a word holds all its pieces, so results equal LIKE's.
The table is contentless with detail=none (no positions: the lookups are plain AND). search.py creates it beside the
other indexes and keeps it with the same triggers.
"""
from admin_app.services.lists.pinyin_key import SEPARATOR

TABLE = "customer_pinyin"
#: the lengths of the pieces: a word of 3 or 5 is a token, of 4 two 3s, of 6 or more covered by 5s
GRAMS = (3, 5)
#: two pieces already leave a few candidates for the LIKE re-check; a third is often a whole syllable (shang), whose
#: doclist of a third of the table costs more to read than it filters out
MAX_PIECES = 2


def ddl():
    """Return the statement that creates the index."""
    return (f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(grams, content='', tokenize='unicode61', "
            "detail='none')")


def pieces(key, positions_table):
    """Return an SQL expression listing every piece of the full pinyin of `key` (an SQL column), space-separated.

    `positions_table` holds the numbers 1.. up to the longest full pinyin (search.MAX_POSITION).
    """
    full = f"substr({key}, 1, instr({key}, '{SEPARATOR}') - 1)"
    grams = " UNION ALL ".join(f"SELECT substr({full}, p.n, {n}) AS g FROM {positions_table} AS p "
                               f"WHERE p.n <= length({full}) - {n - 1} AND instr(substr({full}, p.n, {n}), ' ') = 0"
                               for n in GRAMS)
    return f"coalesce((SELECT group_concat(g, ' ') FROM ({grams})), '')"


def _quote(piece):
    return f'"{piece}"'  # letters and digits only: nothing to escape


def parts(spellings):
    """Return [(table, MATCH string, columns to re-check or None, LIKE pattern or None)] finding the spellings of
    three or more letters and digits in the full pinyin (search.index_query's parts)."""
    found = []
    for spelling in spellings:
        word = spelling.lower()
        if len(word) < min(GRAMS) or not (word.isascii() and word.isalnum()):
            continue  # the full pinyin holds lower-case letters and digits only
        if len(word) in GRAMS:
            found.append((TABLE, _quote(word), None, None))
            continue
        n = max(size for size in GRAMS if size <= len(word))
        starts = sorted({*range(0, len(word) - n + 1, n), len(word) - n})[:MAX_PIECES]
        match = " AND ".join(dict.fromkeys(_quote(word[i:i + n]) for i in starts))
        found.append((TABLE, match, ["search_key"], f"%{spelling}%"))
    return found
