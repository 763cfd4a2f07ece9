"""Labels of custom fields and their options in the request's language."""
from flask_babel import LazyString, get_locale
from flask_babel import gettext as _


def language():
    """Return "en" or "zh" for the current locale (zh outside a request)."""
    try:
        return "en" if str(get_locale() or "zh").startswith("en") else "zh"
    except RuntimeError:
        return "zh"


def pick(zh, en):
    """Return the text of the current language, the Chinese one when no English is given."""
    return (en if language() == "en" else zh) or zh or en or ""


def option_label(option):
    """Return a lazy label of one option; a retired option reads "label (retired)"."""
    def text():
        shown = pick(option.get("zh", ""), option.get("en", ""))
        return _("%(label)s (retired)", label=shown) if option.get("retired") else shown
    return LazyString(text)


def field_label(defn):
    """Return a lazy label of a custom field."""
    zh, en = defn.label_zh, defn.label_en
    return LazyString(lambda: pick(zh, en))


def help_text(defn):
    """Return a lazy help text of a custom field."""
    zh, en = defn.help_zh, defn.help_en
    return LazyString(lambda: pick(zh, en))
