"""Streaming .xlsx writer: typed cells, strings that never turn into formulas or links, constant memory."""
import datetime as dt
from dataclasses import dataclass, field

import peewee as pw
import xlsxwriter

#: never let xlsxwriter reinterpret text; every data string goes through write_string anyway
WORKBOOK_OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                    "strings_to_numbers": False, "default_date_format": "yyyy-mm-dd"}
#: the workbook property holding the change-log point an export was read at (history.mark)
HISTORY_MARK = "history_mark"
#: first characters that spreadsheet programs read as the start of a formula
RISKY_START = frozenset("=+-@\t\r\n{")
KIND_WIDTH = {"date": 12, "datetime": 18, "money": 15, "number": 10, "percent": 10, "text": 16}
EXCEL_EPOCH = dt.date(1899, 12, 30).toordinal()
CHUNK = 900  # ids per IN (...) lookup; stays under SQLite's oldest variable limit
LOOKUP_LIMIT = 20_000  # labels kept across chunks per foreign-key column
#: characters Excel refuses in a sheet name (an English label such as "Returns / exchanges" has one)
SHEET_NAME_FORBIDDEN = str.maketrans({c: "-" for c in "[]:*?/\\"})


@dataclass
class Column:
    """One exported column: header text, cell kind and an optional value converter."""

    name: str
    header: str
    kind: str = "text"
    convert: object = None
    width: int = 16


@dataclass
class Sheet:
    """A worksheet to write: its name, title lines above the header, columns and rows of raw values."""

    name: str
    columns: list
    rows: object
    title: list = field(default_factory=list)
    count: int = 0


def field_kind(fld):
    """Return the cell kind a peewee field is written as."""
    if isinstance(fld, pw.ForeignKeyField) or getattr(fld, "choices", None):
        return "text"
    if isinstance(fld, pw.DecimalField):
        return "money"
    if isinstance(fld, pw.DateTimeField):
        return "datetime"
    if isinstance(fld, pw.DateField):
        return "date"
    if isinstance(fld, pw.BooleanField):
        return "text"
    if isinstance(fld, pw.IntegerField | pw.FloatField):
        return "number"
    return "text"


def column_width(header, kind, max_length=None):
    """Return a width that fits the header and the kind of value below it."""
    header_width = sum(2 if ord(ch) > 0x2E80 else 1 for ch in header) + 2
    data_width = KIND_WIDTH[kind] if kind != "text" or not max_length else min(max(max_length // 3, 10), 40)
    return max(min(header_width, 40), data_width)


def _formats(book):
    return {
        "title": book.add_format({"bold": True, "font_size": 12}),
        "note": book.add_format({"italic": True, "font_color": "#555555"}),
        "header": book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}),
        "quoted": book.add_format({"quote_prefix": True}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        "money": book.add_format({"num_format": "#,##0.00"}),
        "percent": book.add_format({"num_format": "0.0%"}),
    }


def excel_serial(value):
    """Return the Excel serial number of a date or datetime, or of its ISO text as SQLite returns it."""
    if value.__class__ is str:
        value = dt.datetime.fromisoformat(value) if len(value) > 10 else dt.date.fromisoformat(value)
    serial = value.toordinal() - EXCEL_EPOCH
    if isinstance(value, dt.datetime):
        serial += (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400
    return serial if serial >= 61 else serial - 1  # Excel's phantom 1900-02-29


def once_per_value(convert, limit=4096):
    """Return convert(value) worked out once per distinct value of an export (a translated reason, a date).

    Such columns hold few distinct values; past `limit` of them new values are converted without being kept,
    so memory stays flat whatever the row count.
    """
    cache, missing = {}, object()

    def converted(value):
        result = cache.get(value, missing)
        if result is missing:
            result = convert(value)
            if len(cache) < limit:
                cache[value] = result
        return result
    return converted


def _cell_writer(ws, kind, formats):
    """Return put(row, col, value) for a kind; text is always written as a string, never as a formula."""
    # write_string/write_number minus their A1-notation decorator (xlsxwriter is pinned; same cells written)
    write_string = getattr(ws, "_write_string", ws.write_string)
    write_number = getattr(ws, "_write_number", ws.write_number)
    quoted = formats["quoted"]
    if kind == "money":
        fmt = formats["money"]
        return lambda r, c, v: write_number(r, c, float(v), fmt)
    if kind in ("date", "datetime"):
        # the same cell write_datetime makes (a serial number with a date format), each distinct date worked out once
        fmt, serial = formats[kind], once_per_value(excel_serial)
        return lambda r, c, v: write_number(r, c, serial(v), fmt)
    if kind == "number":
        return write_number
    if kind == "percent":
        fmt = formats["percent"]
        return lambda r, c, v: write_number(r, c, v, fmt)

    def put_text(r, c, v):
        if v.__class__ is not str:
            v = str(v)
        if not v:
            return
        if v[0] in RISKY_START:
            write_string(r, c, v, quoted)
        else:
            write_string(r, c, v)
    return put_text


def _write_header(ws, sheet, formats):
    row = 0
    for line in sheet.title:
        ws.write_string(row, 0, str(line), formats["title"] if row == 0 else formats["note"])
        row += 1
    for col, column in enumerate(sheet.columns):
        ws.set_column(col, col, column.width)
        ws.write_string(row, col, str(column.header), formats["header"])
    return row


def sheet_name(name):
    """Return a name Excel accepts for a sheet: none of []:*?/\\ and at most 31 characters."""
    return str(name).translate(SHEET_NAME_FORBIDDEN)[:31]


def write_sheet(book, sheet, formats):
    """Write one sheet row by row and return the number of data rows written."""
    ws = book.add_worksheet(sheet_name(sheet.name))
    header_row = _write_header(ws, sheet, formats)
    plan = [(i, _cell_writer(ws, c.kind, formats), c.convert) for i, c in enumerate(sheet.columns)]
    converted = [(i, put, convert) for i, put, convert in plan if convert is not None]
    texts = [i for i, c in enumerate(sheet.columns) if c.convert is None and c.kind == "text"]
    plain = [(i, put) for i, put, convert in plan if convert is None and i not in texts]
    # plain text cells, the most common, are written here rather than through put_text: one call less per cell
    write_string = getattr(ws, "_write_string", ws.write_string)
    quoted, risky = formats["quoted"], RISKY_START
    r = header_row
    for row in sheet.rows:
        r += 1
        for i in texts:
            value = row[i]
            if value is None:
                continue
            if value.__class__ is not str:
                value = str(value)
            if value:
                if value[0] in risky:
                    write_string(r, i, value, quoted)
                else:
                    write_string(r, i, value)
        for i, put in plain:
            value = row[i]
            if value is not None:
                put(r, i, value)
        for i, put, convert in converted:
            value = row[i]
            if value is not None:
                value = convert(value)
                if value is not None:
                    put(r, i, value)
    ws.freeze_panes(header_row + 1, 0)
    ws.autofilter(header_row, 0, max(r, header_row), max(len(sheet.columns) - 1, 0))
    sheet.count = r - header_row
    return sheet.count


def write_workbook(target, sheets, marks=None):
    """Write sheets to a path or file object in constant-memory mode; return the row count of each.

    marks: {name: value} kept as the workbook's custom properties (a re-import reads them, see import_files).
    """
    book = xlsxwriter.Workbook(target, WORKBOOK_OPTIONS)
    for name, value in (marks or {}).items():
        book.set_custom_property(name, str(value))
    try:
        formats = _formats(book)
        return [write_sheet(book, sheet, formats) for sheet in sheets]
    finally:
        book.close()


class ExportCancelled(Exception):
    """The caller's cancelled() said stop; the caller discards the partly written file."""


def stream_rows(query, fields, lookups, chunk=CHUNK, progress=None, cancelled=None):
    """Yield raw value tuples of a query chunk by chunk; refresh each lookup dict for the chunk's foreign keys.

    Values come straight from the driver cursor (dates may be ISO text on SQLite); the cell writers accept both.
    `lookups` maps a column index to (dict, fetch) where fetch(ids) returns {id: text}. Optional
    progress(done, total) and cancelled() are called once per chunk (total may be None), never per row.
    """
    query = query.select(*fields)
    watch = (progress, cancelled)
    database = query._database
    if isinstance(database.obj if isinstance(database, pw.DatabaseProxy) else database, pw.PostgresqlDatabase):
        yield from _server_side(database, query, lookups, chunk, watch)
        return
    cursor = database.execute(query)  # SQLite steps through the result; it is never loaded whole
    yield from _batches(cursor, lookups, chunk, watch)


def _batches(cursor, lookups, chunk, watch=(None, None)):
    """Yield a cursor's rows chunk by chunk, refreshing the label lookups for each chunk."""
    progress, cancelled = watch
    done = 0
    while True:
        if cancelled is not None and cancelled():
            raise ExportCancelled()
        batch = cursor.fetchmany(chunk)
        if not batch:
            return
        _refresh(lookups, batch)
        yield from batch
        done += len(batch)
        if progress is not None:
            progress(done, None)


def _server_side(database, query, lookups, chunk, watch):
    """Read a PostgreSQL result through a named (server-side) cursor so the client holds one chunk at a time."""
    sql, params = query.sql()
    with database.atomic():
        cursor = database.connection().cursor(name=f"xlsx_export_{id(query):x}")
        try:
            cursor.execute(sql, params)
            yield from _batches(cursor, lookups, chunk, watch)
        finally:
            cursor.close()


def _refresh(lookups, batch):
    """Make each lookup hold the labels of a chunk's ids, fetching only those not known from earlier chunks.

    A list names few distinct owners or customers per chunk, mostly the same ones; the dict is emptied past
    LOOKUP_LIMIT entries so memory stays flat.
    """
    for index, (names, fetch) in lookups.items():
        ids = {row[index] for row in batch} - {None}
        missing = ids - names.keys()
        if missing and len(names) + len(missing) > LOOKUP_LIMIT:
            names.clear()
            missing = ids
        if missing:
            names.update(fetch(list(missing)))


def display_fetcher(model):
    """Return fetch(ids) -> {id: str(record)} reading only the columns str() needs."""
    def fetch(ids):
        return {obj.id: str(obj) for obj in model.select().where(model.id.in_(ids))}
    return fetch
