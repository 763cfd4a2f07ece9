"""Application factory."""
import logging

from flask import Flask, redirect, url_for
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from admin_app.config import INSTANCE, Config

csrf = CSRFProtect()


def create_app(config=None):
    """Build a configured app; `config` is a dict or object that overrides Config."""
    # imported here, not at the top: the views import admin_app's modules, and admin_app must not import them back
    from admin_app import admin, auth, commands, db, i18n, public, ratelimit, security
    from admin_app.services.jobs import queue as jobs_queue

    app = Flask(__name__, instance_path=str(INSTANCE), instance_relative_config=False)
    app.config.from_object(Config())
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    logging.basicConfig(level=app.config.get("LOG_LEVEL", "INFO"))
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        # the client's address and scheme as the last `proxies` proxies saw them; nothing from anyone else
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    i18n.init_app(app)
    csrf.init_app(app)
    security.init_app(app)
    db.init_app(app)
    ratelimit.init_app(app)
    auth.init_app(app)
    admin.init_app(app)
    commands.init_app(app)
    public.init_app(app)
    jobs_queue.init_app(app)

    @app.route("/")
    def root():
        return redirect(url_for("admin.index"))

    return app
