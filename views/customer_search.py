"""Customer search answered from the full-text indexes of admin_app.services.lists.search (SQLite).

The list machinery (views/fastlist.py) asks a view for a word's id subquery, its hits and, in id order, its ids;
this mixin answers each from the index, looking every word up once per request.
"""
from admin_app.permissions import decided
from admin_app.services.lists import search, search_reads
from models import db


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

    def _custom_condition(self, word):
        return getattr(self, "custom_search_condition", lambda word: None)(word)  # views/custom_fields.py

    def _looked_up(self, word):
        """Return (id subquery or None, the ids when few or None) of one word, computed once per request."""
        return decided(("search_word", id(self), word), lambda: self._look_up(word))

    def _look_up(self, word):
        columns = self._index_columns()
        found = None if columns is False else search.matching_customer_ids(db.obj, word, columns)
        if found is None:
            return None, None
        few = self.sort_after_filter_below
        ids = search_reads.few_matching_ids(db.obj, word, few, columns)  # the index alone, stopping early
        if self._custom_condition(word) is not None:
            found = self.with_custom_matches(found, word)
            if ids is not None:
                ids = search_reads.few_ids(db.obj, self.with_custom_matches(search_reads.id_list(ids), word), few)
        return (found, None) if ids is None else (search_reads.id_list(ids), ids)

    def search_subquery(self, word):
        return self._looked_up(word)[0] or super().search_subquery(word)

    def search_ids(self, word):
        return self._looked_up(word)[1]

    def search_first_ids(self, word, at_most, descending, flag=None):
        if self._looked_up(word)[0] is None or self._custom_condition(word) is not None:
            return None
        return search_reads.first_ids(db.obj, word, at_most, descending, self._index_columns(), flag)

    def search_row_condition(self, word):
        if self._looked_up(word)[0] is None:
            return None
        condition = search_reads.row_matches(db.obj, word, self.model.id, self.model.notes, self._index_columns())
        custom = self._custom_condition(word)
        return condition if condition is None or custom is None else condition | custom

    def search_hits(self, word, at_most):
        found, ids = self._looked_up(word)
        if found is None:
            return None
        return len(ids) if ids is not None else search_reads.indexed_hits(db.obj, word, at_most, self._index_columns())
