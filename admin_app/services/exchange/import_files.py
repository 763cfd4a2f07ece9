"""Read an uploaded .xlsx or .csv into plain rows, refusing anything unsafe or malformed.

A plain workbook (no formulas, no DTD in any part) is read with python-calamine, about 15x faster than openpyxl;
anything else, or anything calamine cannot read, goes through openpyxl (with defusedxml), which tells formula cells
apart and refuses entity tricks. Both give the same rows: openpyxl's values (None for blanks, int for whole
numbers, datetime for dates), from cell A1.
"""
import csv
import datetime as dt
import io
import re
import zipfile

import openpyxl
import python_calamine
from defusedxml import ElementTree
from flask_babel import lazy_gettext as _l
from openpyxl.xml import DEFUSEDXML

MACRO_EXTENSIONS = (".xlsm", ".xltm", ".xlam", ".xlsb")
OLD_EXTENSIONS = (".xls", ".et", ".ods", ".numbers")
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # all parts of the zip together
MAX_RATIO = 150  # a sheet of typical records compresses 5-20x; far more means a bomb
MAX_ROWS = 100_000
MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
ESCAPE_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")
FORMULA_RE = re.compile(rb"<(?:\w+:)?f[\s>/]")
DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY")
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
CUSTOM_PROPS = "docProps/custom.xml"


class Formula:
    """A cell that holds a formula: an error only if its column is imported (the importer decides)."""

    __slots__ = ("cell", "text")

    def __init__(self, cell, text):
        self.cell, self.text = cell, text

    def __str__(self):
        return str(self.text)


class ImportFileError(ValueError):
    """The file cannot be imported at all; the message says why, in the user's language."""

    def __init__(self, message, **params):
        super().__init__(str(message) % params if params else str(message))


def read_upload(filename, data, max_bytes, max_rows=MAX_ROWS):
    """Return the sheets of an upload as [(sheet name, [row values])]; raise ImportFileError if unusable."""
    name = (filename or "").lower().strip()
    if not data:
        raise ImportFileError(_l("The file is empty."))
    if len(data) > max_bytes:
        raise ImportFileError(_l("The file is larger than the limit of %(mb)d MB."), mb=max_bytes // (1024 * 1024))
    if name.endswith(MACRO_EXTENSIONS):
        raise ImportFileError(_l("Files with macros (.xlsm and similar) are refused; save the sheet as .xlsx."))
    if name.endswith(OLD_EXTENSIONS):
        raise ImportFileError(_l("This spreadsheet format is not supported; save it as .xlsx or .csv."))
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, max_rows)
    if name.endswith(".csv"):
        return [("csv", _read_csv(data, max_rows), set())]
    raise ImportFileError(_l("This is not a spreadsheet: upload an .xlsx or .csv file."))


def _check_zip(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as ex:
        raise ImportFileError(_l("The file is damaged or is not an .xlsx workbook.")) from ex
    with archive:
        infos = archive.infolist()
        names = {info.filename.lower() for info in infos}
        if any(n.endswith("vbaproject.bin") for n in names) or any("macroenabled" in _content_types(archive, n)
                                                                   for n in ("[content_types].xml",) if n in names):
            raise ImportFileError(_l("Files with macros (.xlsm and similar) are refused; save the sheet as .xlsx."))
        if "xl/workbook.xml" not in names:
            raise ImportFileError(_l("The file is damaged or is not an .xlsx workbook."))
        total = sum(info.file_size for info in infos)
        if total > MAX_UNCOMPRESSED or any(
                info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1)
                for info in infos):
            raise ImportFileError(_l("The file expands to far more data than it holds (a zip bomb); refused."))
        parts = {info.filename: archive.read(info.filename) for info in infos
                 if info.filename.lower().endswith((".xml", ".rels"))}
    sheets = {name: part for name, part in parts.items() if name.startswith("xl/worksheets/")}
    plain = not any(mark in part for part in parts.values() for mark in DTD_MARKS) and not any(
        FORMULA_RE.search(part) for part in sheets.values())
    return sheets, plain


def _content_types(archive, name):
    real = next(i.filename for i in archive.infolist() if i.filename.lower() == name)
    return archive.read(real)[:200_000].decode("utf-8", "replace").lower()


def _merged_rows(sheet_xml):
    """Return the row numbers covered by merged cells in a sheet's XML."""
    rows = set()
    for match in MERGE_RE.finditer(sheet_xml):
        first = int(match.group(2))
        last = int(match.group(4) or first)
        rows.update(range(first, min(last, first + 50) + 1))
    return rows


def _read_xlsx(data, max_rows):
    if not DEFUSEDXML:  # openpyxl parses with defusedxml only when it is installed; never without it
        raise ImportFileError(_l("The server cannot read .xlsx files safely; ask the administrator."))
    sheet_parts, plain = _check_zip(data)
    if plain:
        try:
            return _read_calamine(data, max_rows)
        except ImportFileError:
            raise
        except Exception:  # noqa: BLE001 - openpyxl reads it again and says what is wrong
            pass
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as ex:  # noqa: BLE001 - defusedxml refusals and damaged parts alike
        root = ex.__cause__ or ex.__context__ or ex  # openpyxl wraps defusedxml's EntitiesForbidden
        raise ImportFileError(_l("The workbook could not be read safely (%(reason)s)."),
                              reason=type(root).__name__) from ex
    try:
        return [(ws.title, _sheet_rows(ws, max_rows), _merged_rows(sheet_parts.get(_part(book, ws), b"")))
                for ws in book.worksheets]
    finally:
        book.close()


def _read_calamine(data, max_rows):
    """Return the worksheets of a plain workbook as read_upload does, read by python-calamine."""
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets = []
    for meta in book.sheets_metadata:
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue
        sheet = book.get_sheet_by_name(meta.name)
        values = sheet.to_python(skip_empty_area=False)
        if len(values) > max_rows + 10:
            raise ImportFileError(_l("The sheet has more than %(max)d rows; split it into smaller files."),
                                  max=max_rows)
        rows = [[_calamine_value(value) for value in row] for row in values]
        merged = set()
        for (first, _col), (last, _end) in sheet.merged_cell_ranges or ():
            merged.update(range(first + 1, min(last, first + 50) + 2))
        sheets.append((meta.name, rows, merged))
    return sheets


def _calamine_value(value):
    """Return a calamine cell value as openpyxl gives it: None for blank, int for whole numbers, datetime dates."""
    kind = type(value)
    if kind is str:
        return value if value else None
    if kind is float:
        return int(value) if value.is_integer() and abs(value) < 2 ** 53 else value
    if kind is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    return value


def _part(book, ws):
    return getattr(ws, "_worksheet_path", "").lstrip("/")


def _sheet_rows(ws, max_rows):
    rows = []
    for number, row in enumerate(ws.iter_rows(), start=1):
        if number > max_rows + 10:
            raise ImportFileError(_l("The sheet has more than %(max)d rows; split it into smaller files."),
                                  max=max_rows)
        values = []
        for cell in row:
            value = cell.value
            if getattr(cell, "data_type", None) == "f":
                values.append(Formula(cell.coordinate, value))
                continue
            values.append(_unescape(value) if isinstance(value, str) and "_x" in value else value)
        rows.append(values)
    return rows


def _unescape(text):
    """Turn OOXML escapes such as _x000D_ (a carriage return) back into characters."""
    return ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _read_csv(data, max_rows):
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_l("The CSV file is neither UTF-8 nor GBK text."))
    if "\x00" in text:
        raise ImportFileError(_l("This is not a spreadsheet: upload an .xlsx or .csv file."))
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if len(rows) > max_rows + 10:
        raise ImportFileError(_l("The sheet has more than %(max)d rows; split it into smaller files."), max=max_rows)
    return rows


def read_marks(data):
    """Return an .xlsx's custom properties as {name: text}: the marks our exports leave (empty for anything else)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo(CUSTOM_PROPS)
            if info.file_size > 64 * 1024:
                return {}
            root = ElementTree.fromstring(archive.read(info))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, ValueError):
        return {}
    marks = {}
    for prop in root:
        if prop.get("name") and len(prop):
            marks[prop.get("name")] = (prop[0].text or "").strip()
    return marks
