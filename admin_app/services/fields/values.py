"""Turn a typed-in text (a default, an Excel cell, a value before a type change) into a custom field's value."""
import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

TRUE = {"1", "true", "yes", "y", "是", "对", "√", "✓"}
FALSE = {"0", "false", "no", "n", "否", "不", "×", "✗"}


class ValueRefused(ValueError):
    """A text does not fit the field's type."""


def _decimal(text):
    try:
        return Decimal(text.replace(",", "").replace("¥", "").replace("￥", "").strip())
    except InvalidOperation as ex:
        raise ValueRefused(_("not a number")) from ex


def _integer(text):
    number = _decimal(text)
    if number != number.to_integral():
        raise ValueRefused(_("not a whole number"))
    return int(number)


def _date(text):
    try:
        return dt.date.fromisoformat(re.sub(r"[./年月]", "-", text.strip()).rstrip("日")[:10])
    except ValueError as ex:
        raise ValueRefused(_("not a date (YYYY-MM-DD)")) from ex


def _datetime(text):
    try:
        return dt.datetime.fromisoformat(text.strip().replace("/", "-"))
    except ValueError as ex:
        raise ValueRefused(_("not a date and time (YYYY-MM-DD HH:MM)")) from ex


def _boolean(text):
    word = text.strip().lower()
    if word in TRUE or word in FALSE:
        return word in TRUE
    raise ValueRefused(_("not yes or no"))


def _choice(options, text):
    word = text.strip()
    for option in options:
        if word in (option["value"], option.get("zh"), option.get("en")):
            return option["value"]
    raise ValueRefused(_("not one of the options"))


def convert(defn, raw):
    """Return the stored value of a text for a field definition; raise ValueRefused with the reason."""
    text = "" if raw is None else str(raw).strip()
    if text == "":
        return None
    kind = defn.kind
    if kind in ("text", "textarea"):
        if kind == "text" and len(text) > 255:
            raise ValueRefused(_("longer than 255 characters"))
        return text
    if kind == "multichoice":
        return ",".join(_choice(defn.options(), part) for part in re.split(r"[,，;；、]", text) if part.strip())
    simple = {"integer": _integer, "decimal": _decimal, "money": _decimal, "date": _date, "datetime": _datetime,
              "boolean": _boolean, "user": _integer, "customer": _integer}
    if kind == "choice":
        return _choice(defn.options(), text)
    return simple[kind](text)
