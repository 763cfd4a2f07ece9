"""Language choice: the user's saved language, else the session's, else Chinese."""
from flask import current_app, has_request_context, request, session
from flask_babel import Babel, get_locale
from flask_login import current_user

from admin_app.services.forms.values import minute

babel = Babel()


def select_locale():
    """Pick the locale for this request."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # a background job or a command: the default, unless it forces a locale
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    wanted = request.args.get("lang")
    if wanted in languages:
        session["lang"] = wanted
        return wanted
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    if session.get("lang") in languages:
        return session["lang"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app):
    """Set up Flask-Babel with our catalog beside Flask-Admin's."""
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.filters["minute"] = minute  # a moment to the minute, the same everywhere


def compile_catalogs():
    """Compile the .po catalogs to .mo files (what `pybabel compile` does)."""
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    root = Path(__file__).parent / "translations"
    for po_path in root.glob("*/LC_MESSAGES/*.po"):
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        with po_path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)
