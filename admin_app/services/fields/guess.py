"""Guess a custom field's type from a spreadsheet column (issue 12, item 7: bring your own ledger)."""
import datetime as dt
import re

from admin_app.services.fields.values import FALSE, TRUE

DATE_TEXT = re.compile(r"^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?$")
DATETIME_TEXT = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[ T]\d{1,2}:\d{2}(:\d{2})?$")
INTEGER_TEXT = re.compile(r"^-?[1-9]\d{0,14}$|^0$")  # a leading zero (a card or account number) stays text
NUMBER_TEXT = re.compile(r"^[-¥￥]?\s*-?\d[\d,]*(\.\d+)?$")
MONEY_WORDS = ("金额", "元", "价", "费", "款", "amount", "price", "cost", "fee", "yuan", "¥", "￥")
MAX_OPTIONS = 12


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _is_integer(value):
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return value.is_integer()
    return bool(INTEGER_TEXT.match(str(value).strip()))


def _is_number(value):
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    text = str(value).strip()
    return bool(NUMBER_TEXT.match(text)) and not re.match(r"^0\d", text)  # 00123 is a code, not a number


def _places(value):
    text = str(value).strip()
    return len(text.split(".", 1)[1]) if "." in text else 0


def _dates(cells):
    if all(isinstance(v, dt.datetime) for v in cells):
        return "date" if all(v.time() == dt.time() for v in cells) else "datetime"
    if all(isinstance(v, dt.date) or DATE_TEXT.match(str(v).strip()) for v in cells):
        return "date"
    if all(isinstance(v, dt.datetime) or DATETIME_TEXT.match(str(v).strip()) for v in cells):
        return "datetime"
    return None


def guess(header, values):
    """Return (kind, options) for a column: dates, yes/no, integers, money or decimals, a few repeated values as
    a choice list (options in order of first appearance), long text as multi-line text, else single-line text."""
    cells = [v for v in values if not _blank(v)]
    if not cells:
        return "text", []
    kind = _dates(cells)
    if kind:
        return kind, []
    words = [str(v).strip().lower() for v in cells]
    if all(w in TRUE | FALSE for w in words) and not all(_is_number(v) for v in cells):
        return "boolean", []
    if all(_is_integer(v) for v in cells):
        return "integer", []
    if all(_is_number(v) for v in cells):
        money = any(w in str(header).lower() for w in MONEY_WORDS) or any(str(v).strip()[:1] in "¥￥" for v in cells)
        return ("money" if money and max(_places(v) for v in cells) <= 2 else "decimal"), []
    distinct = list(dict.fromkeys(str(v).strip() for v in cells))
    if len(distinct) <= MAX_OPTIONS and len(cells) >= 2 * len(distinct):
        return "choice", distinct
    if any(len(str(v)) > 255 or "\n" in str(v) for v in cells):
        return "textarea", []
    return "text", []
