"""Turn spreadsheet cells into field values: dates in Chinese forms, choice labels, yes/no, amounts.

Text cells are normalised and values bounded exactly as a form does it (admin_app/validators.py).
"""
import datetime as dt
import re

import peewee as pw
from flask_babel import lazy_gettext as _l
from openpyxl.utils.cell import get_column_letter
from openpyxl.utils.datetime import from_excel
from wtforms.validators import ValidationError

from admin_app import validators as v
from admin_app.services.exchange.import_files import Formula

DATE_RE = re.compile(r"^(\d{4})(?:年(\d{1,2})月(\d{1,2})日|/(\d{1,2})/(\d{1,2})|-(\d{1,2})-(\d{1,2}))"
                     r"(?:[ T]+(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?$")
TRUE_WORDS = frozenset({"是", "yes", "y", "true", "1", "√", "✓", "对", "有"})
FALSE_WORDS = frozenset({"否", "no", "n", "false", "0", "×", "✗", "无", "不"})
MAX_EXCEL_SERIAL = 2958465  # 9999-12-31
#: between the options of a multiple choice: what people type, and the "、" our exports write
MULTI_SEPARATORS = re.compile(r"[,，;；、\n]")


class CellError(ValueError):
    """A cell value that cannot become the field's value; the message is shown beside the row."""


def normalise(text):
    """Return a header or label reduced for matching: NFKC, no spaces, lower case."""
    text = v.normalise(str(text or "")).lower()
    return re.sub(r"[\s_*]+", "", text)


def column_letter(index):
    """Return the spreadsheet letter of a 0-based column index (0 -> A)."""
    return get_column_letter(index + 1)


def cell_text(value):
    """Return a text cell normalised as typed text is (NFKC, trimmed); other cells unchanged."""
    return v.normalise(value) if isinstance(value, str) else value


def bounded(parse, bounds):
    """Return parse(value) that also checks the field's bounds, turning a refusal into a CellError."""
    if bounds is None:
        return parse

    def checked(value):
        result = parse(value)
        try:
            bounds.check(result)
        except ValidationError as ex:
            raise CellError(str(ex)) from ex
        return result
    return checked


def parse_date(value, with_time=False):
    """Return a date (or datetime) from an Excel date, an Excel serial or 2026年11月23日 / 2026/11/23 / 2026-11-23."""
    if isinstance(value, dt.datetime):
        # Excel keeps times as fractions of a day; round away the float noise to whole seconds
        value = (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
        return value if with_time else value.date()
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time()) if with_time else value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value <= MAX_EXCEL_SERIAL:
        return parse_date(from_excel(value), with_time)
    match = DATE_RE.match(v.normalise(str(value)))
    if not match:
        raise CellError(_l("Write dates as 2026-11-23, 2026/11/23 or 2026年11月23日."))
    year, *parts = match.groups()
    month, day = next((parts[i], parts[i + 1]) for i in (0, 2, 4) if parts[i])
    hour, minute, second = (int(p or 0) for p in parts[6:9])
    if (hour or minute or second) and not with_time:
        raise CellError(_l("Write dates as 2026-11-23, 2026/11/23 or 2026年11月23日."))
    try:
        stamp = dt.datetime(int(year), int(month), int(day), hour, minute, second)
    except ValueError as ex:
        raise CellError(_l("This date does not exist.")) from ex
    return stamp if with_time else stamp.date()


def bool_reader(languages):
    """Return parse(value) giving True/False from 是/否, yes/no, 1/0 and the translated Yes/No."""
    from flask_babel import force_locale

    true_words, false_words = set(TRUE_WORDS), set(FALSE_WORDS)
    for language in languages:
        with force_locale(language):
            true_words.add(normalise(_l("Yes")))
            false_words.add(normalise(_l("No")))

    def parse(value):
        if isinstance(value, bool):
            return value
        word = normalise(value)
        if word in true_words:
            return True
        if word in false_words:
            return False
        raise CellError(_l("Write 是 or 否 (yes or no)."))
    return parse


def parse_decimal(value):
    """Return a Decimal from a number or a text such as ¥1,234.50 (never rounded: the bounds refuse extra places)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = repr(value)
    try:
        return v.to_decimal(v.normalise(str(value)))
    except ValidationError as ex:
        raise CellError(_l("Write a number such as 1234.50.")) from ex


def parse_int(value):
    """Return an integer from a whole number or its text."""
    number = parse_decimal(value)
    if number != number.to_integral_value():
        raise CellError(_l("Write a whole number."))
    return int(number)


def parse_text(value, bounds=None):
    """Return cell text normalised (NFKC, trimmed), with whole numbers written without '.0'; check its bounds."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        value = value.isoformat(" ") if isinstance(value, dt.datetime) else value.isoformat()
    text = v.normalise(str(value), multiline=bool(bounds and bounds.multiline))
    if bounds is not None:
        try:
            bounds.check(text)
        except ValidationError as ex:
            raise CellError(str(ex)) from ex
    return text


def choice_reader(choices, languages):
    """Return parse(value) accepting a choice's code or its label in any of the languages."""
    known, allowed_text = _choice_words(choices, languages)

    def parse(value):
        code = known.get(normalise(value))
        if code is None:
            raise CellError(_l("Choose one of: %(options)s.", options=allowed_text))
        return code
    return parse


def multi_choice_reader(choices, languages):
    """Return parse(value) turning "A、B" (or A,B / A；B, one per line) into the codes "a,b" a multiple choice stores.

    Each part is a code or a label in any of the languages; a repeated option counts once, in its first place.
    """
    known, allowed_text = _choice_words(choices, languages)

    def parse(value):
        codes = []
        for part in MULTI_SEPARATORS.split(str(value)):
            if is_blank(part):
                continue
            code = known.get(normalise(part))
            if code is None:
                raise CellError(_l("“%(part)s” is not an option; choose from: %(options)s.", part=part.strip()[:40],
                                   options=allowed_text))
            codes.append(code)
        return ",".join(dict.fromkeys(codes)) or None
    return parse


def _choice_words(choices, languages):
    """Return ({normalised code or label: code}, the labels listed for a message)."""
    from flask_babel import force_locale

    known = {}
    for code, label in choices:
        known[normalise(code)] = code
        for language in languages:
            with force_locale(language):
                known.setdefault(normalise(str(label)), code)
    return known, " / ".join(str(label) for _code, label in choices)


def field_parser(fld, languages):
    """Return parse(value) for one model field (foreign keys are resolved elsewhere), bounded as its form field."""
    if getattr(fld, "choices", None):
        return choice_reader(fld.choices, languages)
    if getattr(fld, "multichoice", None):  # a custom field (services/fields/schema.py): codes joined by commas
        return bounded(multi_choice_reader(fld.multichoice, languages), v.bounds_for(fld))
    if isinstance(fld, pw.BooleanField):
        return bool_reader(languages)
    if isinstance(fld, pw.DateTimeField):
        return lambda value: parse_date(value, with_time=True)
    if isinstance(fld, pw.DateField):
        return parse_date
    bounds = v.bounds_for(fld)
    if isinstance(fld, pw.DecimalField):
        return bounded(parse_decimal, bounds)
    if isinstance(fld, pw.IntegerField):
        return bounded(parse_int, bounds)
    return lambda value: parse_text(value, bounds)


class CellCache:
    """Read the cells of one column, each distinct value parsed once (a column repeats its types, places, dates).

    read(cell) returns (True, value) — None for a blank — or (False, "Label: why") for a formula or a refused value.
    """

    __slots__ = ("parse", "label", "seen")

    def __init__(self, parse, label):
        self.parse, self.label, self.seen = parse, label, {}

    def read(self, value):
        """Return (ok, value or message) for one cell of the column."""
        if value is None:
            return True, None
        key = (type(value), value)  # 1, 1.0 and True are equal keys, but their texts differ
        try:
            return self.seen[key]
        except KeyError:
            found = self.seen[key] = self._read(value)
            return found
        except TypeError:  # an unhashable cell: read it every time
            return self._read(value)

    def _read(self, value):
        if isinstance(value, Formula):
            return False, f"{self.label}: " + str(_l("cell %(cell)s holds a formula; paste values only.",
                                                     cell=value.cell))
        if is_blank(value):
            return True, None
        try:
            return True, self.parse(value)
        except CellError as ex:
            return False, f"{self.label}: {ex}"


def is_blank(value):
    """Tell whether a cell is empty (spaces of any width count as empty)."""
    return value is None or (isinstance(value, str) and not value.strip().strip(v.STRAY))


def has_values(row):
    """Tell whether a row holds anything to import: a cell that is neither blank nor a formula."""
    return any(not is_blank(cell) and not isinstance(cell, Formula) for cell in row)
