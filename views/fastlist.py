"""Lists that stay fast on a million rows: indexed search, and a bounded count instead of COUNT(*) per page.

Flask-Admin counts every matching row on every page (`SELECT COUNT(*)`), which on a large table costs more
than the page itself. With `simple_list_pager` it skips that; this mixin then supplies its own count so the
full pager still renders: exact up to `count_cap` for searched or filtered lists (shown as "10,000+" beyond),
and for the whole table a count cached for `total_cache_seconds` (an estimate on PostgreSQL).
"""
import threading
import time

import peewee as pw
from flask import g
from flask_babel import get_locale

from admin_app.db import is_sqlite
from admin_app.services.lists.search_reads import id_list
from admin_app.validators import search_term
from models import db
from views.list_rows import ListRowsMixin


class CappedCount(int):
    """A count that stopped at a cap: pages like cap + 1 rows, reads as "10,000+"."""

    def __str__(self):
        return f"{int(self) - 1:,}+"

    def __html__(self):
        return str(self)


_totals_lock = threading.Lock()


def _cache():
    """Return the totals cache of the bound database (a new app or database starts empty)."""
    return db.obj.__dict__.setdefault("_fastlist_totals", {})


def cached_total(query, seconds):
    """Return the row count of an unfiltered list query, cached for `seconds` per process.

    The key is the query's SQL (a view narrowed per user gets its own entry) and the table's highest id, so
    an insert anywhere shows at once; the views drop the cache on their own writes. A big PostgreSQL table
    is estimated from the planner's statistics instead.
    """
    base = query.clone().order_by().limit(None).offset(None).select(pw.SQL("1"))  # a short key, the same count
    sql, params = base.sql()
    top = base.model.select(pw.fn.MAX(base.model.id)).scalar()
    key = (sql, tuple(map(str, params)), top)
    with _totals_lock:
        found = _cache().get(key)
    if found and time.monotonic() - found[1] < seconds:
        return found[0]
    total = None if is_sqlite() or base._where is not None else _estimate(base.model)
    if total is None:
        total = base.count()
    with _totals_lock:
        cache = _cache()
        if len(cache) > 1000:
            cache.clear()  # bounded: per-user base queries must not grow it forever
        cache[key] = (total, time.monotonic())
    return total


def forget_totals():
    """Drop the cached table counts of the bound database."""
    with _totals_lock:
        _cache().clear()


def _estimate(model, above=100_000):
    """Return PostgreSQL's planner estimate of a table's rows when it is large, else None (count exactly)."""
    row = db.execute_sql("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
                         (model._meta.table_name,)).fetchone()
    return int(row[0]) if row and row[0] and row[0] > above else None


def capped_count(query, cap):
    """Return the number of rows of `query`, counting at most cap + 1 of them (then a CappedCount)."""
    inner = query.clone().order_by().limit(cap + 1).offset(None).select(pw.SQL("1"))
    found = pw.Select([inner.alias("capped")], [pw.fn.COUNT(pw.SQL("*"))]).scalar(db)
    return CappedCount(found) if found > cap else found


def sort_after_filtering(query, model):
    """Return the page query sorting its few matches' ids by the filter's own index, then reading the page's rows.

    SQLite cannot tell how many rows a filter keeps (a range, or a column that is mostly empty), so it may scan
    the table or walk the list order's whole index looking for matches. When the bounded count says there are
    only a few, the page's ids are picked from the matches found by the narrowest index (the same plan the count
    used; a unary plus keeps the ORDER BY from steering it back) and only those rows are read. Where that index
    also holds the order ((column, urgent) on customers) the sort never reads the table. Rows and order are
    unchanged.
    """
    ids = query.clone().select(model.id)
    ids._order_by = [pw.Ordering(pw.NodeList((pw.SQL("+"), o.node), glue=""), o.direction, o.collation, o.nulls)
                     if isinstance(o, pw.Ordering) else o for o in (query._order_by or ())]
    return query.clone().limit(None).offset(None).where(model.id.in_(ids))


def deferred_page(query, model):
    """Return the page query reading its ids first (a "deferred join"), then only those rows.

    A deep page (OFFSET 99,980) steps over every row before it; stepping over ids in the list order's own index
    (covering: an index holds the id) reads a few hundred pages instead of the table's 100,000 rows. The stock
    technique of Rails' fast_page and Laravel's fast-paginate. Rows and their order are unchanged.
    """
    if query._limit is None:
        return query  # no page to defer, or its ids are already picked first (sort_after_filtering)
    ids = query.clone().select(model.id)
    return query.clone().limit(None).offset(None).where(model.id.in_(ids))


class FastListMixin(ListRowsMixin):
    """Replaces the per-page COUNT(*) with a bounded count and lets a view answer search words from an index."""

    simple_list_pager = True
    #: searched or filtered lists are counted exactly up to this many rows
    count_cap = 10_000
    #: how long the count of the whole, unfiltered table is reused
    total_cache_seconds = 60
    #: up to this many matches, read them by the filter's index and sort (see sort_after_filtering); above,
    #: matches are dense enough that walking the list order's index finds a page quickly
    sort_after_filter_below = 2_000
    #: columns whose index ends with the default order's columns: a list in that order, narrowed by filters on
    #: these alone, sorts any exactly counted matches (up to count_cap) from the index
    order_covering_columns = frozenset()
    #: a search word held by more rows than count_cap is "dense": see _dense_words
    #: from this many rows skipped, a page reads its ids first (deferred_page); None: never. Worth it when every
    #: order the list offers has an index of its own (the customer list's)
    deferred_page_offset = None
    #: boolean columns the default order puts first (before the id), each held by few rows
    rare_first_columns = ()
    #: a list in id order reads the first ids of a word many rows hold from the index, up to this many rows deep
    index_page_depth = 10_000

    def search_subquery(self, word):
        """Return an SQL subquery of the ids matching one search word, or None to match it with LIKE."""
        return None

    def _get_filter_groups(self):
        # Flask-Admin turns every filter's lazy labels into text on every request; the options were fixed when
        # the filters were built, so the text depends only on the locale (and a rebuild makes new groups)
        groups = getattr(self, "_filter_groups", None)
        if not groups:
            return super()._get_filter_groups()
        cache = self.__dict__.setdefault("_filter_groups_text", {})
        key = (id(groups), str(get_locale()))
        if key not in cache:
            if len(cache) > 20:
                cache.clear()
            cache[key] = super()._get_filter_groups()
        return cache[key]

    def search_row_condition(self, word):
        """Return a condition on one row: it matches a search word, asked of the index row by row (or None)."""
        return None

    def search_hits(self, word, at_most):
        """Return how many rows the search index holds for a word, counting at most `at_most` (or None)."""
        return None

    def get_list(self, page, sort_column, sort_desc, search, filters, execute=True, page_size=None):
        page = max(page or 0, 0)  # a hand-typed negative page would be a negative OFFSET
        search = search_term(search)  # typed as stored: NFKC, trimmed (admin_app/validators.py)
        words = [word for word in (search or "").split(" ") if word]
        indexed = {word: self.search_subquery(word) for word in words}
        like_words = " ".join(word for word in words if indexed[word] is None) or None
        count, base = super().get_list(page, sort_column, sort_desc, like_words, filters, execute=False,
                                       page_size=page_size)
        query = base
        for subquery in indexed.values():
            if subquery is not None:
                query = query.where(self.model.id.in_(pw.EnclosedNodeList([subquery])))
        if not execute:
            return count, query
        dense = {} if filters else self._dense_words(indexed, sort_column)  # a filter may keep few rows
        by_id = None if filters or like_words else self._page_by_id(base, words, (sort_column, sort_desc), page,
                                                                    page_size)
        if count is None and by_id is not None:
            count = by_id[0]
        if count is None:
            count = g.pop("_fastlist_count", {}).get(self._count_key(search, filters))  # the pager's, if counted
            if count is None and dense and len(words) == 1 and dense[words[0]] > self.count_cap:
                count = CappedCount(self.count_cap + 1)  # the index alone holds more than the cap
            elif count is None:
                count = self.list_count(query, bool(words or filters))
            if (words or filters) and count <= self._sort_after_filter_limit(words, filters, sort_column) \
                    and is_sqlite():
                query = sort_after_filtering(query, self.model)
        skipped = page * (page_size or self.page_size or 0)
        return count, list(self._page_query(query, base, indexed, dense, by_id, skipped).execute())

    def _sort_after_filter_limit(self, words, filters, sort_column):
        """Return up to how many matches a page sorts them rather than walk the list order's index for them."""
        covered = not words and sort_column is None and all(
            getattr(self._filters[index].column, "name", None) in self.order_covering_columns
            for index, *_rest in filters or ())
        return self.count_cap if covered else self.sort_after_filter_below

    def _page_query(self, query, base, indexed, dense, by_id, skipped):
        """Return the query that reads the page: by id from the index, walking the list order, or as it is."""
        if by_id is not None:
            return by_id[1]
        if dense:
            query = self._walk_in_list_order(base, indexed, dense)
        deep = self.deferred_page_offset
        return deferred_page(query, self.model) if deep is not None and skipped >= deep else query

    def _page_by_id(self, base, words, sort, page, page_size):
        """Return (count or None, page query) read from the search index when the list is in id order, else None.

        Id order may follow one of `rare_first_columns` (urgent customers first). The page's rows are among the
        first (page + 1) × size matches in id order plus as many flagged ones: when every word's few matches are
        known these are a slice of their ids (the count their number); one word many rows hold reads its first
        ids from the index, so a page never walks the table. Only when the search alone narrows the list: no
        filter, no row rule of the view, no LIKE word.
        """
        size, order = page_size or self.page_size, self._id_order(sort)
        if not words or not size or base._where is not None or order is None:
            return None
        (descending, flags), wanted = order, (page + 1) * size
        known = [self.search_ids(word) for word in words]
        if all(ids is not None for ids in known):
            ids = sorted(set.intersection(*map(set, known)), reverse=descending)
            flagged = [row_id for flag in flags for (row_id,) in base.where(
                getattr(self.model, flag) == True, self._among(ids))  # noqa: E712 - an SQL condition
                .select(self.model.id).offset(None).limit(wanted).tuples()]
            count = len(ids) if len(ids) <= self.count_cap else CappedCount(self.count_cap + 1)  # as the pager's
            return count, base.where(self._among([*ids[:wanted], *flagged]))
        if len(words) > 1 or wanted > self.index_page_depth:
            return None
        first = [self.search_first_ids(words[0], wanted, descending, flag) for flag in [None, *flags]]
        if any(ids is None for ids in first):
            return None
        return None, base.where(self._among([row_id for found in first for row_id in found]))

    def _id_order(self, sort):
        """Return (descending, [flag column]) when the list is in id order, after at most one rare flag; else None."""
        order = self._get_default_order() if sort[0] is None else [sort]
        if not order or len(order) > 2 or order[-1][0] != self._primary_key:
            return None
        flags = [name for name, desc in order[:-1] if name in self.rare_first_columns and desc]
        return (bool(order[-1][1]), flags) if len(flags) == len(order) - 1 else None

    def _among(self, ids):
        """Return the condition "id is one of `ids`" as one SQL parameter, however many ids."""
        return self.model.id.in_(pw.EnclosedNodeList([id_list(sorted(set(ids)))]))

    def search_ids(self, word):
        """Return the sorted ids matching one search word when the index holds few of them, else None."""
        return None

    def search_first_ids(self, word, at_most, descending, flag=None):
        """Return the first `at_most` ids matching one search word in id order, from the index alone (or None).

        `flag`: only rows whose boolean column of that name is true.
        """
        return None

    def _count_key(self, search, filters):
        return (self.endpoint, search_term(search), repr(list(filters or [])))

    def _get_list_extra_args(self):
        """Return the list arguments, a page past the end turned into the last page (as Django's get_page does).

        The count is the one the pager shows (bounded, see list_count); get_list reuses it. A count that stopped
        at the cap does not say where the end is, so such a page stays as asked.
        """
        args = super()._get_list_extra_args()
        if not args.page or args.page <= 0:
            return args
        size = self.get_safe_page_size(args.page_size) or 0
        count, query = self.get_list(0, None, False, args.search, args.filters, execute=False, page_size=size)
        if count is None:
            count = self.list_count(query, bool((search_term(args.search) or "").split() or args.filters))
            g._fastlist_count = {self._count_key(args.search, args.filters): count}
        if size and not isinstance(count, CappedCount) and args.page * size >= count:
            return args.clone(page=max(0, (count - 1) // size), filters=list(args.filters or []))
        return args

    def _dense_words(self, indexed, sort_column):
        """Return {word: hits} of the indexed search words more rows contain than the count shows (count_cap).

        Only for the list's default order, whose index spreads the matches evenly: walking it and asking the index
        about each row finds a page after (page size / share of rows matching) rows, a few thousand at 1% of a
        million. Sorting every match costs as many rows as match: 10,000 and more.
        """
        if sort_column is not None or not any(v is not None for v in indexed.values()):
            return {}
        threshold = self.count_cap + 1
        hits = {word: self.search_hits(word, threshold) for word, sub in indexed.items() if sub is not None}
        return {word: found for word, found in hits.items() if found is not None and found >= threshold}

    def _walk_in_list_order(self, base, indexed, dense):
        """Return the page query with dense words checked row by row and the others read from the index."""
        query = base
        for word, subquery in indexed.items():
            if subquery is None:
                continue
            condition = self.search_row_condition(word) if word in dense else None
            query = query.where(condition if condition is not None
                                else self.model.id.in_(pw.EnclosedNodeList([subquery])))
        return query

    def after_model_change(self, form, model, is_created):
        forget_totals()
        return super().after_model_change(form, model, is_created)

    def on_model_delete(self, model):
        forget_totals()
        return super().on_model_delete(model)

    def list_count(self, query, narrowed):
        """Return the count the pager shows: bounded when narrowed, else the cached table total."""
        if narrowed:
            return capped_count(query, self.count_cap)
        return cached_total(query, self.total_cache_seconds)
