"""Queries asked on every page, their SQL built once per database: later calls only bind new values.

peewee builds a query's SQL anew on each call, and for a one-row look-up that costs ten times the look-up
itself; a page asks several (the session, the role's rules, the bell's count). `Prepared` builds the query once
with stand-ins for its variable values, keeps the SQL, and binds the values of each call to it.
"""
import threading

import peewee as pw

from models.base import db


class _Slot:
    """A stand-in for the n-th value of a call while the SQL is built."""

    def __init__(self, index):
        self.index = index


class Prepared:
    """A query of fixed shape: `build(*values)` returns it, each value wrapped by `value()`; `rows(*values)` runs it.

    Values are bound as given (no field conversion): pass what the column stores (ints, strings, booleans).
    """

    def __init__(self, build, arity):
        self.build, self.arity = build, arity
        self._plans, self._lock = {}, threading.Lock()

    @staticmethod
    def value(slot):
        """Return a query value bound at each call (the stand-in given to `build`, passed through untouched)."""
        return pw.Value(slot, converter=False, unpack=False)

    def _plan(self):
        key = id(db.obj)  # the SQL differs per database (placeholders, quoting); tests open several
        plan = self._plans.get(key)
        if plan is None:
            query = self.build(*(_Slot(i) for i in range(self.arity)))
            sql, params = query.sql()
            slots = [(at, p.index) for at, p in enumerate(params) if isinstance(p, _Slot)]
            if len(slots) != self.arity:
                raise ValueError(f"each of the {self.arity} values must appear once in the query")
            plan = (query, sql, tuple(params), slots)
            with self._lock:
                self._plans[key] = plan
        return plan

    def cursor(self, *values):
        """Run the query with the values; return the driver's cursor."""
        _query, sql, params, slots = self._plan()
        bound = list(params)
        for at, index in slots:
            bound[at] = values[index]
        return db.execute_sql(sql, bound)

    def rows(self, *values):
        """Run the query with the values; return its rows as the query would (model instances, with joins)."""
        query = self._plan()[0]
        return query._get_cursor_wrapper(self.cursor(*values))

    def first(self, *values):
        """Return the first row, or None."""
        return next(iter(self.rows(*values)), None)

    def scalar(self, *values):
        """Return the first column of the first row, or None."""
        row = self.cursor(*values).fetchone()
        return row[0] if row else None
