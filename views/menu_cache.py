"""The navigation menu, rendered once per role, language, permission rules, custom fields and page, then reused.

Every page shows the menu, and building it asks each of some fifty views whether the role may open it and builds
their URLs: about a tenth of a list page. What the menu shows depends only on the parts of the key (`menu_key`),
except the overdue badges, which count per user and change at any time: the cached markup holds a mark for each
badge, filled in on every page (`fill`).
"""
import contextvars
import threading

from flask import current_app, request
from flask_babel import get_locale
from markupsafe import Markup

from admin_app.permissions import decided, panel_rules, role
from admin_app.services.fields import schema

#: a key's cached menus are dropped all at once beyond this many (badge-free keys: roles x languages x pages)
MAX_ENTRIES = 2000
_marks = contextvars.ContextVar("menu_badge_marks", default=None)
_lock = threading.Lock()


def badge_mark(badge):
    """Return a mark standing for a badge while the menu renders for the cache, else None.

    badge: an object whose `badge_html()` returns the badge's markup for the current user.
    """
    marks = _marks.get()
    if marks is None:
        return None
    mark = f"<!--menu-badge-{len(marks)}-->"
    marks.append((mark, badge))
    return mark


def menu_key(admin_view):
    """Return what the menu's markup depends on, badges aside: a hashable tuple.

    The role and the administrator's rules for it decide which items show; the language their names; the page
    which item is active; the custom-field schema key stands for any definition an administrator changes.
    """
    user_role = role()
    rules = decided("menu_rules", lambda: frozenset(panel_rules(user_role).items())) if user_role else None
    return (user_role, rules, str(get_locale()), schema.applied_key(), admin_view.endpoint, request.script_root)


def cached_menu(admin_view, render):
    """Return the menu's markup for this page: `render()` (the layout's menu macro) on a miss, else the cache."""
    cache = current_app.extensions.setdefault("menu_cache", {})
    key = menu_key(admin_view)
    found = cache.get(key)
    if found is None:
        token = _marks.set([])
        try:
            html = str(render())
            found = (html, tuple(_marks.get()))
        finally:
            _marks.reset(token)
        with _lock:
            if len(cache) >= MAX_ENTRIES:
                cache.clear()
            cache[key] = found
    return fill(*found)


def fill(html, marks):
    """Return the cached markup with each badge mark replaced by the current user's badge."""
    for mark, badge in marks:
        html = html.replace(mark, badge.badge_html(), 1)
    return Markup(html)


def init_app(app):
    """Offer `cached_menu` to the templates (admin/base.html calls it for the main menu)."""
    app.context_processor(lambda: {"cached_menu": cached_menu})
