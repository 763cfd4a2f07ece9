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
from flask_admin.babel import gettext as admin_gettext
from flask_admin.model.template import (
    DeleteRowAction,
    EditPopupRowAction,
    EditRowAction,
    ViewPopupRowAction,
    ViewRowAction,
)
from flask_babel import LazyString, get_locale
from jinja2 import pass_context
from markupsafe import Markup, escape

from admin_app.db import is_sqlite
from admin_app.permissions import decided
from admin_app.services.lists import search
from admin_app.validators import search_term
from models import db


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
    """Return the query reading its few matches first, by the filter's own index, then sorting them.

    SQLite cannot tell how many rows a filter keeps (a range, or a column that is mostly empty), so it may scan
    the table or walk the list order's whole index looking for matches. When the bounded count says there are
    only a few, the matching ids are listed by the narrowest index (the same plan the count used) and the rows
    fetched by id; a unary plus keeps the ORDER BY from steering the plan back. Values and order are unchanged.
    """
    matching = query.clone().order_by().limit(None).offset(None).select(model.id)
    query = query.where(model.id.in_(matching))
    query._order_by = [pw.Ordering(pw.NodeList((pw.SQL("+"), o.node), glue=""), o.direction, o.collation, o.nulls)
                       if isinstance(o, pw.Ordering) else o for o in (query._order_by or ())]
    return query


def deferred_page(query, model):
    """Return the page query reading its ids first (a "deferred join"), then only those rows.

    A deep page (OFFSET 99,980) steps over every row before it; stepping over ids in the list order's own index
    (covering: an index holds the id) reads a few hundred pages instead of the table's 100,000 rows. The stock
    technique of Rails' fast_page and Laravel's fast-paginate. Rows and their order are unchanged.
    """
    ids = query.clone().select(model.id)
    return query.clone().limit(None).offset(None).where(model.id.in_(ids))


#: stands in for a row's id while a page's row buttons are rendered once
ROW_MARK = "__row_id__"
STOCK_ROW_ACTIONS = (ViewRowAction, ViewPopupRowAction, EditRowAction, EditPopupRowAction, DeleteRowAction)


class FastListMixin:
    """Replaces the per-page COUNT(*) with a bounded count and lets a view answer search words from an index."""

    simple_list_pager = True
    #: searched or filtered lists are counted exactly up to this many rows
    count_cap = 10_000
    #: how long the count of the whole, unfiltered table is reused
    total_cache_seconds = 60
    #: up to this many matches, read them by the filter's index and sort (see sort_after_filtering); above,
    #: matches are dense enough that walking the list order's index finds a page quickly
    sort_after_filter_below = 2_000
    #: a search word held by more rows than count_cap is "dense": see _dense_words
    #: from this many rows skipped, a page reads its ids first (deferred_page); None: never. Worth it when every
    #: order the list offers has an index of its own (the customer list's)
    deferred_page_offset = None

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
        if count is None:
            count = g.pop("_fastlist_count", {}).get(self._count_key(search, filters))  # the pager's, if counted
            if count is None and dense and len(words) == 1 and dense[words[0]] > self.count_cap:
                count = CappedCount(self.count_cap + 1)  # the index alone holds more than the cap
            elif count is None:
                count = self.list_count(query, bool(words or filters))
            if (words or filters) and count <= self.sort_after_filter_below and is_sqlite():
                query = sort_after_filtering(query, self.model)
        if dense:
            query = self._walk_in_list_order(base, indexed, dense)
        deep = self.deferred_page_offset
        if deep is not None and page * (page_size or self.page_size or 0) >= deep:
            query = deferred_page(query, self.model)
        return count, list(query.execute())

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

    @pass_context
    def row_buttons(self, context, actions, row_id, row):
        """Return a row's view / edit / delete buttons: rendered once per page for a stand-in row, then filled in.

        The stock buttons are three template macros per row, each building its URLs; their markup differs from
        row to row only by the id.
        """
        if not all(type(a) in STOCK_ROW_ACTIONS for a in actions):
            return Markup("").join(a.render(context, row_id, row) for a in actions)
        cache = g.setdefault("_row_buttons", {})
        key = (self.endpoint, tuple(type(a) for a in actions))
        if key not in cache:
            stand_in = self.model(**{self._primary_key: ROW_MARK})
            cache[key] = str(Markup("").join(a.render(context, ROW_MARK, stand_in) for a in actions))
        return Markup(cache[key].replace(ROW_MARK, str(escape(row_id))))

    @pass_context
    def list_row(self, context, actions, row):
        """Return a list row's cells: the template's list_row block, with each column's decisions made once.

        Which columns show, which are edited in place and the CSRF value are decided once per request (not per
        cell); each cell is still the view's own get_list_value (formatters, masks, choices), escaped.
        """
        columns, select_title = decided(("list_row", id(self)), lambda: (
            [(c, self.is_editable(c)) for c, _name in context["list_columns"]], admin_gettext("Select record")))
        pk = self.get_pk_value(row)
        parts = []
        if actions:
            parts.append(f'<td><input type="checkbox" name="rowid" class="action-checkbox" value="{escape(pk)}" '
                         f'title="{escape(select_title)}" /></td>')
        if self.column_display_actions:
            buttons = self.row_buttons(context, context["list_row_actions"], pk, row)
            parts.append(f'<td class="list-buttons-column">{buttons}</td>')
        for column, editable in columns:
            value = self.get_list_value(context, row, column)
            if isinstance(value, LazyString):  # a choice's label: translated once per request, not per cell
                value = decided(("label", id(value)), lambda label=value: Markup(label.__html__()))
            cell = self._editor(context, row, pk, column, value) if editable else escape(value)
            parts.append(f'<td class="col-{column}">{cell}</td>')
        return Markup("".join(parts))

    def _editor(self, context, row, pk, column, value):
        """Return a cell's in-place editor, called as the stock template calls it (the CSRF value once a page)."""
        form = context["list_forms"][pk]
        token = getattr(form, "csrf_token", None)
        if token:
            csrf = decided(("list_csrf", id(self)), token._value)
        elif context.get("csrf_token"):
            csrf = decided(("list_csrf", id(self)), context["csrf_token"])
        else:
            return form[column](pk=pk, display_value=value)
        return form[column](pk=pk, display_value=value, csrf=csrf)

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


class CustomerSearchMixin:
    """Answers customer search words from the full-text indexes of admin_app.services.lists.search.

    Each word is looked up once per request (the count, the dense check and the page reuse it); a word with at
    most `sort_after_filter_below` matches is read from the index at once and handed on as its list of ids.
    """

    def _index_columns(self):
        """Return the text columns this request may search: None for all, a tuple for fewer, False for LIKE."""
        return decided(("search_columns", id(self)), self._decide_index_columns)  # once per request

    def _decide_index_columns(self):
        visible = {getattr(field, "name", str(field)) for field in self._search_fields}
        visible -= set(getattr(self, "custom_search_columns", lambda: ())())  # custom fields: views/custom_fields.py
        if visible - set(search.TEXT_COLUMNS) or not visible:
            return False  # a column the index does not hold: plain LIKE
        return None if visible == set(search.TEXT_COLUMNS) else tuple(sorted(visible))  # fewer: masked phone

    def _looked_up(self, word):
        """Return (id subquery or None, the ids when few or None) of one word, computed once per request."""
        return decided(("search_word", id(self), word), lambda: self._look_up(word))

    def _look_up(self, word):
        columns = self._index_columns()
        found = None if columns is False else search.matching_customer_ids(db.obj, word, columns)
        if found is None:
            return None, None
        few = self.sort_after_filter_below
        ids = search.few_matching_ids(db.obj, word, few, columns)  # the index alone, stopping early
        if getattr(self, "custom_search_condition", lambda word: None)(word) is not None:  # views/custom_fields.py
            found = self.with_custom_matches(found, word)
            if ids is not None:
                ids = search.few_ids(db.obj, self.with_custom_matches(search.id_list(ids), word), few)
        return (found, None) if ids is None else (search.id_list(ids), ids)

    def search_subquery(self, word):
        return self._looked_up(word)[0] or super().search_subquery(word)

    def search_row_condition(self, word):
        if self._looked_up(word)[0] is None:
            return None
        condition = search.row_matches(db.obj, word, self.model.id, self.model.notes, self._index_columns())
        custom = getattr(self, "custom_search_condition", lambda word: None)(word)
        return condition if condition is None or custom is None else condition | custom

    def search_hits(self, word, at_most):
        found, ids = self._looked_up(word)
        if found is None:
            return None
        return len(ids) if ids is not None else search.indexed_hits(db.obj, word, at_most, self._index_columns())
