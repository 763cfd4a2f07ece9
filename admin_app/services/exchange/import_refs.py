"""Resolve the cells of foreign-key columns (an owner, a customer) to the ids of the records they name."""
from flask_babel import lazy_gettext as _l

from admin_app import validators as v
from models import Customer, User

REF_BOUNDS = v.Bounds("text", max_length=255)  # a foreign-key cell names a record: an id, a name or a phone


class Ref:
    """A foreign-key cell's text, resolved once the row's record is known."""

    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text


class References:
    """Look up the records foreign-key cells name for one import, each distinct text once."""

    def __init__(self, spec):
        self.spec, self.model, self._cache = spec, spec.model, {}

    def resolve(self, values, record, errors):
        """Replace each Ref in a row's values by the id it names (None and an error when none or several match)."""
        for name, value in values.items():
            if isinstance(value, Ref):
                found = self._resolve(self.model._meta.fields[name], value.text, record)
                if found is None or found == "many":
                    message = _l("No single record matches “%(text)s”; write its ID.", text=value.text[:40]) \
                        if found is None else _l("Several records match “%(text)s”; write its ID.",
                                                 text=value.text[:40])
                    errors.append(f"{self.spec.label(name)}: {message}")
                values[name] = found if isinstance(found, int) else None

    def _resolve(self, fld, text, record):
        """Return the id a foreign-key cell names: the current one if unchanged, else by id, name or phone."""
        target = fld.rel_model
        current = record.__data__.get(fld.name) if record is not None else None
        if current is not None and text == self._display(target, current):
            return current
        key = (target, text)
        if key not in self._cache:
            self._cache[key] = self._lookup(target, text)
        return self._cache[key]

    def _display(self, target, pk):
        key = (target, pk)
        if key not in self._cache:
            found = target.get_or_none(target.id == pk)
            self._cache[key] = str(found) if found else None
        return self._cache[key]

    def _lookup(self, target, text):
        """Return the id a cell names (by id, name, or phone when the user sees phones), None or "many"."""
        if text.isdigit() and target not in (User, Customer):
            return int(text) if target.get_or_none(target.id == int(text)) else None
        if target is User:
            query = User.select(User.id).where((User.username == text) | (User.display_name == text))
        elif target is Customer:
            named = Customer.name == text
            by_phone = "phone" not in self.spec.masked  # a phone the user sees masked must not confirm a guess
            query = Customer.select(Customer.id).where(named | (Customer.phone == text) if by_phone else named)
            if text.isdigit():
                query = query.orwhere(Customer.id == int(text))
        else:
            return None
        matches = [m.id for m in query.limit(2)]
        return matches[0] if len(matches) == 1 else (None if not matches else "many")
