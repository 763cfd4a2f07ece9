"""Page parts shown alike to every user of a role, worked out once per role, language, rules and custom fields.

The navigation menu (`cached_menu`) is one: building it asks each of some fifty views whether the role may open
it and builds their URLs, about a tenth of a list page. It is kept per page as well (the active item), and the
overdue badges, which count per user and change at any time, are left as marks filled in on every page (`fill`).
A list's filter menu is another (views/fields.py).
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


def role_key():
    """Return what a page part shown alike to every user of a role depends on: a hashable tuple.

    The role and the administrator's rules for it decide what shows; the language its words; the custom-field
    schema key stands for any field or choice list an administrator changes (each change bumps it).
    """
    user_role = role()
    rules = decided("menu_rules", lambda: frozenset(panel_rules(user_role).items())) if user_role else None
    return (user_role, rules, str(get_locale()), schema.applied_key(), request.script_root)


def shared(name, key, compute):
    """Return compute() kept per process under (name, key, role_key()); computed again when any part changes."""
    cache = current_app.extensions.setdefault("role_cache", {})
    full = (name, key, role_key())
    found = cache.get(full)
    if found is None:
        found = compute()
        with _lock:
            if len(cache) >= MAX_ENTRIES:
                cache.clear()
            cache[full] = found
    return found


def cached_menu(admin_view, render):
    """Return the menu's markup for this page: `render()` (the layout's menu macro) on a miss, else the cache."""
    return fill(*shared("menu", admin_view.endpoint, lambda: _render_marked(render)))


def _render_marked(render):
    token = _marks.set([])
    try:
        return str(render()), tuple(_marks.get())
    finally:
        _marks.reset(token)


def fill(html, marks):
    """Return the cached markup with each badge mark replaced by the current user's badge."""
    for mark, badge in marks:
        html = html.replace(mark, badge.badge_html(), 1)
    return Markup(html)


def init_app(app):
    """Offer `cached_menu` to the templates (admin/base.html calls it for the main menu)."""
    app.context_processor(lambda: {"cached_menu": cached_menu})
