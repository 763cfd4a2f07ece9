"""The search key of a name: how Chinese users type it (issue 13 item 7).

A key holds, for one name (NFKC-normalised as every stored value is):
- its full pinyin (hengyuanjingmi), lower-case ASCII, then after "|" (the short part):
- the name in simplified characters (OpenCC t2s), so 顧客 and 顾客 find each other, and its initials (hyjm).
Readings come from pypinyin, which picks a word's reading from its phrase list (重庆 chongqing, 银行 yinhang); a
character it does not settle (a surname such as 曾 zeng/ceng, 单 shan/dan) also gets its other readings, one
character at a time, up to MAX_VARIANTS spellings. A word of one or two characters is looked for in the short
part only (search.SHORT_COLUMNS): in the full pinyin it would match nearly everyone ("an").
Only name-like fields that no role sees masked go into a key (views/fields.py, closed()): never a phone.
"""
import functools
import re

import peewee as pw
from pypinyin import Style, lazy_pinyin, pinyin
from pypinyin.seg.simpleseg import seg

from admin_app.validators import normalise

#: before the short part (simplified name, initials); the only "|" of a key (a name's own become spaces)
SEPARATOR = "|"
#: spellings of one name at most (the phrase reading first, then other readings of undecided characters)
MAX_VARIANTS = 4
#: a longer name gets its phrase reading only: the other readings of a long name are noise
ALTERNATES_UP_TO = 20
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
NOT_ALNUM = re.compile(r"[^0-9a-z]+")


@functools.lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text):
    """Return text in simplified characters (unchanged where it has none to convert)."""
    return _converter().convert(text) if HAN.search(text) else text


@functools.lru_cache(maxsize=50_000)
def _word_readings(word):
    """Return ((reading, ...), ...) per character of one Chinese word: its phrase reading first, then others."""
    return tuple(tuple(options) for options in pinyin(word, style=Style.NORMAL, heteronym=True))


def _readings(text):
    """Return [(is_chinese, [reading, ...])] per token of text: a Chinese character, or a run of other text.

    pypinyin's own segmentation splits the text into words; each word is read once and remembered (names
    share most of their words: 有限公司, 商贸, surnames), which makes a key about five times cheaper.
    """
    tokens = []
    for word in seg(text):
        if HAN.search(word):
            tokens.extend((True, list(options)) for options in _word_readings(word))
        else:
            tokens.append((False, [word]))
    if len(text) > ALTERNATES_UP_TO:
        tokens = [(han, options[:1]) for han, options in tokens]
    return tokens


def _spellings(tokens):
    """Return the token readings as spellings: the first readings, then one other reading at a time."""
    first = [options[0] for options in tokens]
    found = [first]
    for i, options in enumerate(tokens):
        for other in options[1:]:
            if len(found) == MAX_VARIANTS:
                return found
            found.append([*first[:i], other, *first[i + 1:]])
    return found


def _plain(text):
    return NOT_ALNUM.sub("", text.lower())


def _unique(items):
    return list(dict.fromkeys(item for item in items if item))


@functools.lru_cache(maxsize=100_000)
def search_key(text):
    """Return the search key of a name ("hengyuanjingmi | 恒远精密 hyjm"), or None for an empty name.

    The key is its own normal form (validators.normalise), so re-normalising stored text never changes it.
    """
    text = normalise(text) if isinstance(text, str) else None
    if not text:
        return None
    plain = normalise(simplified(text).replace("|", " "))
    if not HAN.search(plain):
        return f"{SEPARATOR} {plain}"  # nothing to spell: the name itself (its case folds in every search)
    tokens = _readings(plain)
    chinese = [han for han, _options in tokens]
    spellings = _spellings([options for _han, options in tokens])
    short = _unique(_plain("".join(r[0] if han else r for r, han in zip(s, chinese, strict=True)))
                    for s in spellings)
    full = _unique(_plain("".join(s)) for s in spellings)
    return normalise(f"{' '.join(full)} {SEPARATOR} {plain} {' '.join(short)}")


def term_variants(term):
    """Return the spellings of a search word to look for in keys: simplified, and pinyin when it mixes in Chinese.

    "顧客" -> ["顾客"]; "HYJM" -> ["hyjm"]; "恒yuan" -> ["恒yuan", "hengyuan"]. A word holding "|" has none
    (it would match the key's own separator). A spelling of one or two characters is for the short part only.
    """
    term = normalise(term) if isinstance(term, str) else ""
    if not term or "|" in term or " " in term:
        return []
    plain = simplified(term)
    variants = [plain.lower() if plain.isascii() else plain]
    if HAN.search(plain) and re.search(r"[A-Za-z]", plain):
        variants.append(_plain("".join(lazy_pinyin(plain))))
    return _unique(variants)


def backfill(database, batch=5_000, table="customer", source="name"):
    """Write the search key of every row of `table` from its `source` column, `batch` rows per statement.

    Walks the ids in order (keyset, no OFFSET); returns the number of rows written. The caller's transaction
    (a migration's) makes it all-or-nothing.
    """
    mark, written, last = database.param, 0, 0
    while True:
        rows = database.execute_sql(f"SELECT id, {source} FROM {table} WHERE id > {mark} ORDER BY id LIMIT {mark}",
                                    (last, batch)).fetchall()
        if not rows:
            return written
        keyed = [(row_id, search_key(name)) for row_id, name in rows]
        if isinstance(database, pw.SqliteDatabase):
            database.cursor().executemany(f"UPDATE {table} SET search_key = ? WHERE id = ?",
                                          [(key, row_id) for row_id, key in keyed])
        else:
            values = ", ".join(["(%s::bigint, %s::text)"] * len(keyed))
            database.execute_sql(f"UPDATE {table} AS t SET search_key = v.k FROM (VALUES {values}) AS v(id, k) "
                                 "WHERE t.id = v.id", [x for pair in keyed for x in pair])
        written, last = written + len(rows), rows[-1][0]
