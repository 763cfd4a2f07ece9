"""Typed values: one normalisation and one set of bounds for forms, in-place edits, bulk edit and import.

Every typed text is NFKC-normalised and trimmed (`normalise`); what a value may be follows from the model
field (`bounds_for`): text length (CharField's max_length, a TextField's app-level `max_length`, default
TEXT_MAX), integer range (`min_value`/`max_value`, default the database's 32-bit range), money digits and
places (an error, never a silent rounding). See docs/values.md. Also validators for Chinese phone numbers,
ID cards and dates. Messages are translated when raised (gettext): Flask-Admin shows only plain-str errors.
"""
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from wtforms.validators import Email, ValidationError

MOBILE = re.compile(r"^(?:\+?86[- ]?)?1[3-9]\d{9}$")
LANDLINE = re.compile(r"^(?:\+?86[- ]?)?0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$")
SERVICE = re.compile(r"^(?:400|800)-?\d{3}-?\d{4}$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def is_phone(value):
    """Tell whether a text is a Chinese mobile, landline or 400/800 number."""
    text = re.sub(r"[\s()（）]", "", value or "")
    return bool(MOBILE.match(text) or LANDLINE.match(text) or SERVICE.match(text))


def is_id_card(value):
    """Tell whether a text is a valid 18-digit resident ID number (GB 11643 checksum)."""
    text = (value or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", text):
        return False
    try:
        dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return False
    total = sum(int(d) * w for d, w in zip(text[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == text[17]


def phone(form, field):
    """Reject a text that is not a Chinese phone number."""
    if field.data and not is_phone(field.data):
        raise ValidationError(_("Enter a mobile number such as 13812345678 or a landline such as 010-12345678."))


def id_card(form, field):
    """Reject an ID-card number whose format, date or check digit is wrong."""
    if field.data and not is_id_card(field.data):
        raise ValidationError(_("This is not a valid 18-digit ID-card number (check the last digit)."))


def not_future(form, field):
    """Reject a date or time after now."""
    value = field.data
    if value is None:
        return
    limit = dt.datetime.now() if isinstance(value, dt.datetime) else dt.date.today()
    if value > limit:
        raise ValidationError(_("This date cannot be in the future."))


def non_negative(form, field):
    """Reject an amount or count below zero."""
    if field.data is not None and Decimal(str(field.data)) < 0:
        raise ValidationError(_("This value cannot be negative."))


def email_optional(form, field):
    """Reject a non-empty text that is not an email address."""
    if field.data:
        Email(message=_("Enter a valid email address."))(form, field)


# --- normalisation and bounds of every typed value ----------------------------------------------------
#: a TextField without its own `max_length` holds at most this many characters
TEXT_MAX = 10_000
#: CharField without a max_length (peewee's default is 255)
CHAR_MAX = 255
INT_RANGE = (-(2**31), 2**31 - 1)
BIGINT_RANGE = (-(2**63), 2**63 - 1)
DB_LIMITS = frozenset({*INT_RANGE, *BIGINT_RANGE, None})
#: C0/C1 control characters except tab, line feed and carriage return; lone surrogates; non-characters
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
#: invisible characters that stray in from pasting; removed at either end like spaces
STRAY = " \t\r\n\u200b\u200c\u200d\u2060\ufeff"
SPACE_RUN = re.compile(r"[ \t]{2,}")


def normalise(value, multiline=False):
    """Return typed text NFKC-normalised (full-width ０-９ Ａ-ｚ ，（） and U+3000 become ASCII) and trimmed.

    Single-line text also has runs of spaces collapsed to one; non-text values are returned unchanged.
    """
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFKC", value).strip(STRAY)
    return text if multiline else SPACE_RUN.sub(" ", text)


def search_term(value):
    """Return a search term normalised as stored values are, control characters dropped (never matched)."""
    return CONTROL.sub("", normalise(value)) if isinstance(value, str) else value


@dataclass(frozen=True)
class Bounds:
    """What a typed value of one field may be: kind text/int/decimal, its limits."""

    kind: str
    max_length: int | None = None
    min_value: object = None
    max_value: object = None
    max_digits: int | None = None
    places: int | None = None
    multiline: bool = False

    def check(self, value):
        """Raise ValidationError (translated) if value breaks a bound; None and "" always pass."""
        if value is None or value == "":
            return
        if isinstance(value, str):
            _check_text(self, value)
        if self.kind == "decimal" and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            _check_money(self, Decimal(str(value)))
        if self.kind in ("int", "decimal") and isinstance(value, int | float | Decimal) \
                and not isinstance(value, bool):
            _check_range(self, value)

    def __call__(self, form, field):
        """Act as a WTForms validator on field.data."""
        self.check(field.data)


def _check_text(bounds, text):
    if CONTROL.search(text):
        raise ValidationError(_("Control characters (such as NUL) are not allowed; remove them and try again."))
    if bounds.max_length and len(text) > bounds.max_length:
        raise ValidationError(_("At most %(max)d characters (this has %(num)d).", max=bounds.max_length,
                                num=len(text)))


def _check_money(bounds, number):
    if not number.is_finite():
        raise ValidationError(_("Enter a number such as 1234.50."))
    if bounds.max_digits is not None:  # first: quantizing 1e400 would overflow the decimal context
        whole = bounds.max_digits - (bounds.places or 0)
        if abs(number) >= Decimal(10) ** whole:
            raise ValidationError(_("At most %(digits)d digits before the decimal point.", digits=whole))
    if bounds.places is not None and number != number.quantize(Decimal(1).scaleb(-bounds.places)):
        raise ValidationError(_("At most %(places)d decimal places; the value is not rounded for you.",
                                places=bounds.places))


def _check_range(bounds, number):
    low, high = bounds.min_value, bounds.max_value
    if (low is None or number >= low) and (high is None or number <= high):
        return
    # the database's own limit is not the field's rule: when only one side is the field's, name only that one
    low_rule, high_rule = low not in DB_LIMITS, high not in DB_LIMITS
    if low_rule and not high_rule and number < low:
        raise ValidationError(_("Enter %(min)s or more.", min=low))
    if high_rule and not low_rule and number > high:
        raise ValidationError(_("Enter %(max)s or less.", max=high))
    raise ValidationError(_("Enter a number from %(min)s to %(max)s.", min=low, max=high))


def bounds_for(fld):
    """Return the Bounds of a peewee field (choices and foreign keys: text bounds only), or None."""
    import peewee as pw

    if isinstance(fld, pw.ForeignKeyField | pw.BooleanField | pw.DateField | pw.DateTimeField | pw.AutoField):
        return None
    if isinstance(fld, pw.DecimalField):
        return Bounds("decimal", min_value=getattr(fld, "min_value", None), max_value=getattr(fld, "max_value", None),
                      max_digits=fld.max_digits, places=fld.decimal_places)
    if isinstance(fld, pw.IntegerField):
        low, high = BIGINT_RANGE if isinstance(fld, pw.BigIntegerField) else INT_RANGE
        return Bounds("int", min_value=getattr(fld, "min_value", low), max_value=getattr(fld, "max_value", high))
    if isinstance(fld, pw.TextField):
        return Bounds("text", max_length=getattr(fld, "max_length", None) or TEXT_MAX, multiline=True)
    if isinstance(fld, pw.CharField | pw.FixedCharField):
        return Bounds("text", max_length=fld.max_length or CHAR_MAX)
    return None


def bounds_for_input(field):
    """Return the Bounds of a WTForms field that has no model field behind it (a form-only or custom field)."""
    kind = type(field).__name__
    if kind in ("PasswordField", "FileField", "MultipleFileField", "BooleanField"):
        return None
    if kind == "IntegerField":
        return Bounds("int", min_value=INT_RANGE[0], max_value=INT_RANGE[1])
    if kind == "DecimalField":
        return Bounds("decimal", places=getattr(field, "places", None))
    if hasattr(field, "data") and kind.endswith(("StringField", "TextAreaField", "HiddenField", "SearchField")):
        return Bounds("text", max_length=TEXT_MAX, multiline=kind == "TextAreaField")
    return None


def to_decimal(text):
    """Return a Decimal from normalised text such as 1,234.50 or ¥1234; raise ValidationError if not a number."""
    cleaned = str(text).strip().replace(",", "").lstrip("¥").removesuffix("元")
    try:
        number = Decimal(cleaned)
    except InvalidOperation as ex:
        raise ValidationError(_("Enter a number such as 1234.50.")) from ex
    if not number.is_finite():
        raise ValidationError(_("Enter a number such as 1234.50."))
    return number
