"""Form validators for Chinese phone numbers, ID cards, amounts and dates.

Messages are translated when raised (gettext, not lazy_gettext): Flask-Admin shows only plain-str errors.
"""
import datetime as dt
import re
from decimal import Decimal

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
