"""Keep a checked import Plan between its preview and its commit, so the file is never parsed twice."""
import datetime as dt
import json
from decimal import Decimal

import peewee as pw

from admin_app.services.exchange.import_plan import Plan, RowResult, gc_paused


def dump(plan):
    """Return a Plan as JSON text (values as text: dates ISO, amounts exact)."""
    with gc_paused():
        rows = [{"n": r.number, "a": r.action, "id": r.record_id, "v": r.values, "c": r.changes, "e": r.errors,
                 "raw": r.raw if r.action in ("error", "conflict") else _unmapped(r.raw, plan.mapping),
                 "bv": r.base_version, **({"t": r.title, "x": r.conflicts} if r.conflicts else {})}
                for r in plan.rows]
        return json.dumps({"sheet": plan.sheet, "header_row": plan.header_row, "headers": plan.headers,
                           "mapping": plan.mapping, "ignored": plan.ignored, "repeated": plan.repeated,
                           "withheld": plan.withheld, "rows": rows}, ensure_ascii=False, default=_text)


def _unmapped(raw, mapping):
    """Keep the cells of columns no field takes: the preview offers them as new custom fields by their values."""
    if len(raw) <= len(mapping):
        return []
    return [None if col in mapping else _cell(cell) for col, cell in enumerate(raw)]


def _cell(value):
    # a spreadsheet date arrives as a datetime at midnight: keep it a date, so its column reads as dates
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    return value


def load(model, text):
    """Return the Plan dumped for a model, each value back in its field's Python type."""
    with gc_paused():
        data = json.loads(text)
        readers = {f.name: reader for f in model._meta.sorted_fields if (reader := _reader(f)) is not None}
        rows = [RowResult(r["n"], r["a"], r["id"], _typed(r["v"], readers), r["c"], r["e"], r["raw"], r["bv"],
                          r.get("t", ""), r.get("x", {})) for r in data["rows"]]
    mapping = {int(col): name for col, name in data["mapping"].items()}
    return Plan(data["sheet"], data["header_row"], data["headers"], mapping, rows, data["ignored"],
                data["repeated"], data.get("withheld", []))


def _typed(values, readers):
    """Turn a row's stored texts back into dates and amounts, in place; return the row's values."""
    for name in readers.keys() & values.keys():
        if values[name] is not None:
            values[name] = readers[name](values[name])
    return values


def _text(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _reader(fld):
    if isinstance(fld, pw.DecimalField):
        return Decimal
    if isinstance(fld, pw.DateTimeField):
        return dt.datetime.fromisoformat
    if isinstance(fld, pw.DateField):
        return dt.date.fromisoformat
    return None
