"""IP Alliance Exchange (产业知识产权联盟交易平台)."""

from __future__ import annotations

import os

from flask import Flask, g, request, session
from flask_login import current_user

from config import BASE_DIR, CONFIGS, INSTANCE_DIR

from .extensions import babel, csrf, db, limiter, login_manager, migrate


def create_app(config_name: str | None = None, **overrides) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        instance_path=str(INSTANCE_DIR),
    )
    from .request_class import NulFreeRequest

    app.request_class = NulFreeRequest  # no NUL in query strings and form fields (PostgreSQL refuses them)
    config_name = config_name or os.environ.get("APP_CONFIG", "development")
    app.config.from_object(CONFIGS[config_name])
    app.config.update(overrides)
    if config_name == "production":
        for key, dev_value in (("SECRET_KEY", "dev-only-not-secret"), ("ESCROW_SECRET", "dev-escrow-secret")):
            if app.config[key] in ("", dev_value):
                raise RuntimeError(f"set {key} in the environment: production refuses the development value")
    os.makedirs(app.instance_path, exist_ok=True)
    from .logging_setup import configure_logging

    configure_logging(app)
    from .proxy import TrustedProxies

    app.wsgi_app = TrustedProxies(app.wsgi_app, app.config["FORWARDED_ALLOW_IPS"])

    register_extensions(app)
    register_converters(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_template_helpers(app)
    register_security_headers(app)
    register_page_cache(app)  # after the locale is chosen (a before_request of the security headers)
    return app


def register_page_cache(app: Flask) -> None:
    from . import page_cache

    page_cache.init_app(app)


def select_locale() -> str:
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    lang = session.get("lang")
    if lang in languages:
        return lang
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (the schema must be known before migrate binds)

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    from .services import login_throttle

    login_throttle.init_app(app)
    login_manager.init_app(app)
    from .search import init_app as init_search

    init_search(app)
    from .services import matching

    matching.init_app(app)
    from . import events  # after each commit: the index, the matches, the page cache, the to-do counts

    events.install()
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "warning"

    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Please log in to see this page.")

    @login_manager.user_loader
    def load_user(token: str):
        from .models import User

        try:
            user_id, version = (int(x) for x in token.split(":", 1))
        except ValueError:
            return None
        user = db.session.get(User, user_id)
        # A bumped session version (logout everywhere, disabling) makes old cookies worthless.
        if user is None or user.session_version != version or not user.active:
            return None
        return user


def register_converters(app: Flask) -> None:
    from .converters import BoundedIntConverter

    app.url_map.converters["int"] = BoundedIntConverter  # before any route is added


def register_blueprints(app: Flask) -> None:
    from .api import bp as api_bp
    from .auth import bp as auth_bp
    from .centers import bp as centers_bp
    from .deals import bp as deals_bp
    from .listings import bp as listings_bp
    from .matching import bp as matching_bp
    from .main import bp as main_bp
    from .needs import bp as needs_bp
    from .negotiation import bp as negotiation_bp
    from .orgs import bp as orgs_bp
    from .patentdb import bp as patentdb_bp
    from .patents import bp as patents_bp
    from .pools import bp as pools_bp
    from .program import bp as program_bp
    from .targets import bp as targets_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(orgs_bp, url_prefix="/orgs")
    app.register_blueprint(centers_bp, url_prefix="/centers")
    app.register_blueprint(patents_bp, url_prefix="/patents")
    app.register_blueprint(listings_bp, url_prefix="/listings")
    app.register_blueprint(matching_bp, url_prefix="/matching")
    app.register_blueprint(needs_bp, url_prefix="/needs")
    app.register_blueprint(deals_bp, url_prefix="/deals")
    app.register_blueprint(negotiation_bp, url_prefix="/threads")
    app.register_blueprint(targets_bp, url_prefix="/targets")
    app.register_blueprint(pools_bp, url_prefix="/pools")
    app.register_blueprint(program_bp, url_prefix="/program")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(patentdb_bp)  # /search and /database/…


def register_errorhandlers(app: Flask) -> None:
    from .main.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from .cli import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from . import templating

    templating.register(app)


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def security_headers(response):
        h = response.headers
        h.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            "frame-ancestors 'none'",
        )
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Referrer-Policy", "same-origin")
        if request.is_secure:
            h.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response

    @app.before_request
    def remember_request_locale():
        g.locale = select_locale()
