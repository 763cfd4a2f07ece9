"""Pick lists of related records that search as you type (Flask-Admin ajax refs)."""
from flask_babel import lazy_gettext as _l

# Flask-Admin's own placeholder reads "select a model"; say what to type instead.
USER_REF = {"fields": ("username", "display_name"), "page_size": 10, "placeholder": _l("Type a name to search")}
CUSTOMER_REF = {"fields": ("name", "phone", "search_key"),  # search_key: pinyin and initials (马涵琳: mhl)
                "page_size": 10, "placeholder": _l("Type a name or phone to search")}
FEEDBACK_REF = {"fields": ("content",), "page_size": 10, "placeholder": _l("Type to search")}
