"""Filters: choice fields become drop-downs with translated labels."""
from flask_admin.contrib.peewee import filters as pf


def _options(choices):
    # lazy labels: Flask-Admin keeps the options from start-up and renders them per request in its language
    return lambda: list(choices)


class ChoiceAwareConverter(pf.FilterConverter):
    """Turn a field with choices into equals / not-equals / empty drop-down filters."""

    def convert(self, type_name, column, name):
        choices = getattr(column, "choices", None)
        if choices:
            options = _options(choices)
            result = [pf.FilterEqual(column, name, options=options),
                      pf.FilterNotEqual(column, name, options=options)]
            if column.null:
                result.append(pf.FilterEmpty(column, name))
            return result
        return super().convert(type_name, column, name)
