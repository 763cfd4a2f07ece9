"""Reading and changing rule settings: stored values over the seed defaults, validated, every change logged.

Reads cost one small SELECT per request (kept on flask.g), so every worker sees a change on its next request.
"""
import contextlib
from decimal import Decimal, InvalidOperation

from flask import g, has_request_context
from flask_babel import lazy_gettext as _l

from admin_app.db import write_transaction
from admin_app.services.settings.registry import BY_KEY, SETTINGS, defaults
from models import now
from models.settings import RuleSetting, RuleSettingChange


def parse(setting, text):
    """Return the typed value of a setting from text; raise ValueError with a translated message."""
    text = str(text if text is not None else "").strip()
    if not text:
        raise ValueError(_l("Enter a value."))
    if setting.kind == "choice":
        if text not in {code for code, _label in setting.choices}:
            raise ValueError(_l("Choose one of the options."))
        return text
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValueError(_l("Enter a number."))
    if setting.kind == "int":
        if value != value.to_integral_value():
            raise ValueError(_l("Enter a whole number."))
        value = int(value)
    elif value != value.quantize(Decimal("0.001")):
        raise ValueError(_l("At most 3 decimal places."))
    if value < setting.low or (setting.high is not None and value > setting.high):
        raise ValueError(_l("Must be between %(low)s and %(high)s.", low=fmt(setting.low), high=fmt(setting.high)))
    return value


def fmt(value):
    """Return a value as stored text: integers without decimals, decimals without trailing zeros."""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)


def _stored():
    return {row.key: row.value for row in RuleSetting.select(RuleSetting.key, RuleSetting.value)}


def current():
    """Return {key: value} of every setting: the stored value, or the seed default."""
    if has_request_context() and "rule_settings" in g:
        return g.rule_settings
    values = defaults()
    for key, text in _stored().items():
        if key in BY_KEY:
            # a value stored under an older rule that no longer validates leaves the default in force
            with contextlib.suppress(ValueError):
                values[key] = parse(BY_KEY[key], text)
    if has_request_context():
        g.rule_settings = values
    return values


def get(key):
    """Return one setting's current value."""
    return current()[key]


def validate(form):
    """Return ({key: value}, {key: translated error}) from submitted texts {key: text}."""
    values, errors = {}, {}
    for setting in SETTINGS:
        if setting.key not in form:
            continue
        try:
            values[setting.key] = parse(setting, form[setting.key])
        except ValueError as exc:
            errors[setting.key] = str(exc.args[0])
    low, high = values.get("grading_receivable_low"), values.get("grading_receivable_high")
    if low is not None and high is not None and low > high:
        errors["grading_receivable_low"] = str(_l("Must not be greater than the high receivable."))
    return values, errors


def save(values, actor=(None, "system")):
    """Store changed settings and log each (who, when, old, new) in one transaction; return the changed keys."""
    old = current()
    changed = [key for key, value in values.items() if key in BY_KEY and fmt(value) != fmt(old[key])]
    if not changed:
        return []
    user_id, username = actor
    with write_transaction():
        for key in changed:
            text = fmt(values[key])
            updated = RuleSetting.update(value=text, updated_at=now(), version=RuleSetting.version + 1).where(
                RuleSetting.key == key).execute()
            if not updated:
                RuleSetting.create(key=key, value=text)
        RuleSettingChange.insert_many([
            {"key": key, "old_value": fmt(old[key]), "new_value": fmt(values[key]), "user": user_id,
             "username": username, "at": now()} for key in changed]).execute()
    if has_request_context():
        g.pop("rule_settings", None)
    return changed


def history(limit=200):
    """Return the latest setting changes, newest first."""
    return list(RuleSettingChange.select().order_by(RuleSettingChange.at.desc(), RuleSettingChange.id.desc())
                .limit(limit))
