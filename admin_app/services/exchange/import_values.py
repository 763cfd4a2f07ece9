"""Turn spreadsheet cells into field values: dates in Chinese forms, choice labels, yes/no, amounts."""
import datetime as dt
import re
from decimal import Decimal, InvalidOperation

import peewee as pw
from flask_babel import lazy_gettext as _l
from openpyxl.utils.datetime import from_excel

DATE_RE = re.compile(r"^(\d{4})(?:年(\d{1,2})月(\d{1,2})日|/(\d{1,2})/(\d{1,2})|-(\d{1,2})-(\d{1,2}))"
                     r"(?:[ T]+(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?$")
TRUE_WORDS = frozenset({"是", "yes", "y", "true", "1", "√", "✓", "对", "有"})
FALSE_WORDS = frozenset({"否", "no", "n", "false", "0", "×", "✗", "无", "不"})
MAX_EXCEL_SERIAL = 2958465  # 9999-12-31


class CellError(ValueError):
    """A cell value that cannot become the field's value; the message is shown beside the row."""


def normalise(text):
    """Return a header or label reduced for matching: no spaces, lower case, ASCII brackets."""
    text = str(text or "").strip().lower().translate(str.maketrans("（）：", "():"))
    return re.sub(r"[\s_*]+", "", text)


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
    match = DATE_RE.match(str(value).strip())
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


def parse_decimal(value, places=None):
    """Return a Decimal from a number or a text such as ¥1,234.50, rounded to the field's places."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = repr(value)
    text = str(value).strip().replace(",", "").replace("，", "").lstrip("¥￥").removesuffix("元")
    try:
        number = Decimal(text)
        return number.quantize(Decimal(1).scaleb(-places)) if places is not None else number
    except InvalidOperation as ex:
        raise CellError(_l("Write a number such as 1234.50.")) from ex


def parse_int(value):
    """Return an integer from a whole number or its text."""
    number = parse_decimal(value)
    if number != number.to_integral_value():
        raise CellError(_l("Write a whole number."))
    return int(number)


def parse_text(value, max_length=None):
    """Return cell text, with whole numbers written without '.0'."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        value = value.isoformat(" ") if isinstance(value, dt.datetime) else value.isoformat()
    text = str(value).strip()
    if max_length and len(text) > max_length:
        raise CellError(_l("At most %(max)d characters.", max=max_length))
    return text


def choice_reader(choices, languages):
    """Return parse(value) accepting a choice's code or its label in any of the languages."""
    from flask_babel import force_locale

    known = {}
    for code, label in choices:
        known[normalise(code)] = code
        for language in languages:
            with force_locale(language):
                known.setdefault(normalise(str(label)), code)
    allowed_text = " / ".join(str(label) for _code, label in choices)

    def parse(value):
        code = known.get(normalise(value))
        if code is None:
            raise CellError(_l("Choose one of: %(options)s.", options=allowed_text))
        return code
    return parse


def field_parser(fld, languages):
    """Return parse(value) for one model field (foreign keys are resolved elsewhere)."""
    if getattr(fld, "choices", None):
        return choice_reader(fld.choices, languages)
    if isinstance(fld, pw.BooleanField):
        return bool_reader(languages)
    if isinstance(fld, pw.DecimalField):
        return lambda value: parse_decimal(value, fld.decimal_places)
    if isinstance(fld, pw.DateTimeField):
        return lambda value: parse_date(value, with_time=True)
    if isinstance(fld, pw.DateField):
        return parse_date
    if isinstance(fld, pw.IntegerField):
        return parse_int
    max_length = getattr(fld, "max_length", None)
    return lambda value: parse_text(value, max_length)


def is_blank(value):
    """Tell whether a cell is empty."""
    return value is None or (isinstance(value, str) and not value.strip())
