"""Explain an import conflict (file, database now, at export) and let the user take the file's values row by row."""
from flask_babel import lazy_gettext as _l

from admin_app.permissions import mask
from admin_app.services.exchange.xlsx_export import HISTORY_MARK
from admin_app.services.trust import history, readable

CHANGED_SINCE_EXPORT = _l("Changed in the database since it was exported; not overwritten.")


def history_point(marks):
    """Return the change-log point an exported workbook remembers ({property: text} of import_files.read_marks).

    None when the file carries no mark (a hand-made sheet, a CSV): the values at export time are then unknown.
    """
    try:
        return int((marks or {}).get(HISTORY_MARK, ""))
    except ValueError:
        return None


def explain(result, record, file_values, masked, then):
    """Turn a row whose record changed since the export into a conflict explained field by field.

    file_values: the row's values as history stores them (history._plain); result.changes holds {field: [database
    now, file]} (masked fields' database side already masked); then: the record at export (history.state_at) or
    None when unknown. Fields the file did not change since the export keep the database's newer value and leave
    the row. Sets result.conflicts to {field: [file, database now, at export]} ([file, database now] when the export
    is unknown), masked fields masked. Returns the action: "conflict", or "unchanged" when only the database changed.
    """
    conflicts = {}
    for name, (now_value, file_value) in list(result.changes.items()):
        if name in masked:
            # a typed personal value is never compared with the stored one: "unchanged" would confirm a guess
            conflicts[name] = [file_value, now_value] + ([mask(name, then.get(name))] if then is not None else [])
        elif then is not None and file_values.get(name) == then.get(name):
            del result.changes[name]  # the file holds the exported value: the database's newer one stands
        else:
            conflicts[name] = [file_value, now_value] + ([then.get(name)] if then is not None else [])
    result.conflicts, result.title = conflicts, title_of(record)
    if not conflicts:
        return "unchanged"
    result.errors.append(str(CHANGED_SINCE_EXPORT))
    return "conflict"


def title_of(record, length=40):
    """Return the name people know a record by: its name, else the start of its text, else its number."""
    title = getattr(record, "name", None) or (record.summary(length) if hasattr(record, "summary") else "")
    return title or f"#{record.id}"


def export_state(record, point):
    """Return the record as it stood at the export's history point, or None when unknown."""
    return history.state_at(record, point) if point is not None else None


def take_file_values(plan, numbers):
    """Let the file's values win on the conflict rows whose sheet row numbers are given; return how many.

    Each taken row becomes an update of its conflicting fields, still checked against the version the preview
    read (import_commit refuses the whole import when the record changed again since).
    """
    wanted, taken = set(numbers), 0
    for row in plan.rows:
        if row.action == "conflict" and row.number in wanted and row.changes:
            row.action, row.errors, taken = "update", [], taken + 1
    return taken


def taken_fields(plan, numbers):
    """Return the fields the taken conflict rows would write (the view checks each is still editable)."""
    wanted = set(numbers)
    return {name for row in plan.rows if row.action == "conflict" and row.number in wanted for name in row.changes}


def readable_conflicts(model, rows, label):
    """Return {row number: [(label, file, database now, at export or None)]} as people read the values.

    Choice labels, 380.00, local dates and related records' names (trust.readable); label(name) gives a field's
    label. "At export" is None when the file carries no export mark.
    """
    names = readable.related_names(model, [row.conflicts for row in rows])
    shown = {}
    for row in rows:
        lines = []
        for name, values in row.conflicts.items():
            fld = model._meta.fields.get(name)
            texts = [readable.value_text(fld, value, names) for value in values]
            lines.append((label(name), texts[0], texts[1], texts[2] if len(texts) > 2 else None))
        shown[row.number] = lines
    return shown
