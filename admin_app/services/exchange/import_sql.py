"""Conditions over many values that cost one SQL node instead of one per value (10k ids, 10k phones)."""
import functools
import operator

import peewee as pw

#: bound parameters per IN list: under SQLite's limit (32766) and PostgreSQL's (65535)
IN_CHUNK = 5_000
#: an id range of at least this many ids is written as BETWEEN (an import's new rows are one range)
RUN = 3
#: more ranges than this and the ids go into one IN list (an OR of ranges nests one level per range)
MAX_RUNS = 50


def in_list(column, values):
    """Return `column IN (?, ?, ...)` with the values as parameters, as the column's db_value gives them."""
    if not values:
        return pw.SQL("1 = 0")
    param = column.model._meta.database.param
    return pw.NodeList((column, pw.SQL(f"IN ({', '.join([param] * len(values))})",
                                       [column.db_value(value) for value in values])))


def chunks(values, size=None):
    """Yield the distinct non-null values in lists of at most `size` (IN_CHUNK by default; one IN list each)."""
    size = size or IN_CHUNK
    distinct = list(dict.fromkeys(value for value in values if value is not None))
    for start in range(0, len(distinct), size):
        yield distinct[start:start + size]


def id_scope(column, ids):
    """Return a condition matching exactly the given integer ids: BETWEEN for runs of consecutive ids, else IN.

    ids: any iterable of ints, repeats allowed. The ids outside runs are bound as parameters (IN_CHUNK per list).
    """
    ordered = sorted(set(ids))
    runs, start = [], 0
    for i in range(1, len(ordered) + 1):
        if i == len(ordered) or ordered[i] != ordered[i - 1] + 1:
            runs.append(ordered[start:i])
            start = i
    ranges = [(run[0], run[-1]) for run in runs if len(run) >= RUN]
    loose = [value for run in runs if len(run) < RUN for value in run]
    if len(ranges) > MAX_RUNS:
        ranges, loose = [], ordered
    parts = [column.between(low, high) for low, high in ranges] + [in_list(column, part) for part in chunks(loose)]
    return functools.reduce(operator.or_, parts) if parts else pw.SQL("1 = 0")
