"""The plain data of an import: what may be imported (ImportSpec), what each row will do (Plan), and stopping."""
import contextlib
import gc
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l


@dataclass
class ImportSpec:
    """What may be imported into a model, as plain data (a view builds it; see views/importing.py spec_for).

    fields: importable field names; labels: {name: label, lazy so it reads in every language};
    checks: {name: [WTForms-style validators]}; masked: fields the user sees masked; what: the list's name;
    withheld: fields the user may not change (labelled too, so their columns are named as such, not as unknown).
    """

    model: type
    fields: list
    labels: dict = field(default_factory=dict)
    checks: dict = field(default_factory=dict)
    masked: frozenset = frozenset()
    what: str = ""
    withheld: frozenset = frozenset()

    def label(self, name):
        """Return a field's label in the current language."""
        return str(self.labels.get(name, name))


@dataclass
class RowResult:
    """What one data row of the sheet will do."""

    number: int
    action: str = "new"
    record_id: int | None = None
    values: dict = field(default_factory=dict)
    changes: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    raw: list = field(default_factory=list)
    base_version: int | None = None
    #: a conflict's record as people name it, and {field: [file, database now, at export (when known)]}
    title: str = ""
    conflicts: dict = field(default_factory=dict)


@dataclass
class Plan:
    """The checked sheet: column mapping, ignored, withheld and repeated headers and one result per data row.

    withheld: the headers of fields the user may not change (not imported either, but not unknown).
    """

    sheet: str
    header_row: int
    headers: list
    mapping: dict
    rows: list
    ignored: list = field(default_factory=list)
    repeated: list = field(default_factory=list)
    withheld: list = field(default_factory=list)

    def count(self, action):
        """Return how many rows will take an action."""
        return [row.action for row in self.rows].count(action)

    @property
    def committable(self):
        """Tell whether the plan has no row errors and something to write."""
        return not self.count("error") and (self.count("new") or self.count("update"))


class ImportRefused(Exception):
    """The import was not committed; nothing was written."""


class ImportCancelled(ImportRefused):
    """The caller's cancelled() said stop; nothing was written."""


def tick(progress, cancelled, done, total):
    """Report progress and stop with ImportCancelled when the caller asks to."""
    if cancelled is not None and cancelled():
        raise ImportCancelled(_l("The import was cancelled; nothing was imported."))
    if progress is not None:
        progress(done, total)


@contextlib.contextmanager
def gc_paused():
    """Pause Python's cycle collector while a sheet's rows are checked, kept or written.

    The rows are plain values, dicts and lists that hold no cycles, but every few thousand of them trigger a full
    collection over the whole process heap (about 0.3 s of a 10k-row import). Reference counting still frees them.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
