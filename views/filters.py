"""Filters: choice fields become drop-downs with translated labels; multiple-choice fields get any / all / empty."""
import functools
import operator

import peewee as pw
from flask_admin.contrib.peewee import filters as pf
from flask_babel import lazy_gettext as _l


def _options(choices):
    # lazy labels: Flask-Admin keeps the options from start-up and renders them per request in its language
    return lambda: list(choices)


def _holds(column, code):
    """Return a condition: a stored "a,b,c" (option codes joined by commas) has `code` among its codes."""
    wrapped = pw.Expression(pw.Expression(pw.SQL("','"), pw.OP.CONCAT, column), pw.OP.CONCAT, pw.SQL("','"))
    return wrapped.contains(f",{code},")


class MultiChoiceAny(pf.BasePeeweeFilter):
    """Rows whose multiple-choice value holds at least one of the picked options (a multi-select of options)."""

    combine = operator.or_

    def __init__(self, column, name, options=None, data_type=None):
        super().__init__(column, name, options, data_type="select2-tags")

    def clean(self, value):
        return [v.strip() for v in value.split(",") if v.strip() and "," not in v]

    def apply(self, query, value):
        if not value:
            return query
        return query.where(functools.reduce(type(self).combine, [_holds(self.column, code) for code in value]))

    def operation(self):
        return _l("contains any of")


class MultiChoiceAll(MultiChoiceAny):
    """Rows whose multiple-choice value holds every picked option."""

    combine = operator.and_

    def operation(self):
        return _l("contains all of")


class MultiChoiceEmpty(pf.FilterEmpty):
    """Rows with no option ticked (stored as NULL, or "" from an import), or with some."""

    def apply(self, query, value):
        empty = self.column.is_null() | (self.column == "")
        return query.where(empty if value == "1" else ~empty)


class RefEqual(pf.FilterEqual):
    """Rows whose user / customer field is the picked one; the value box looks records up as you type."""

    ref_lookup = True

    def clean(self, value):
        return int(value)


class RefNotEqual(pf.FilterNotEqual):
    """Rows whose user / customer field is not the picked one (an empty field counts as not it)."""

    ref_lookup = True

    def clean(self, value):
        return int(value)

    def apply(self, query, value):
        return query.where((self.column != value) | self.column.is_null())


class ChoiceAwareConverter(pf.FilterConverter):
    """Turn a field with choices into equals / not-equals / empty drop-down filters; multiple choice: any/all/empty;
    a custom user / customer field: is / is not (looked up as you type) / empty."""

    def convert(self, type_name, column, name):
        if getattr(column, "lookup", None):
            return [RefEqual(column, name), RefNotEqual(column, name), pf.FilterEmpty(column, name)]
        multiple = getattr(column, "multichoice", None)
        if multiple is not None:
            options = _options(multiple)
            return [MultiChoiceAny(column, name, options=options), MultiChoiceAll(column, name, options=options),
                    MultiChoiceEmpty(column, name)]
        choices = getattr(column, "choices", None)
        if choices:
            options = _options(choices)
            result = [pf.FilterEqual(column, name, options=options),
                      pf.FilterNotEqual(column, name, options=options)]
            if column.null:
                result.append(pf.FilterEmpty(column, name))
            return result
        return super().convert(type_name, column, name)
