"""Samklima: joint climate work for Nordic municipalities and regions."""
from pathlib import Path

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.engine import Engine

from samklima import config
from samklima.extensions import babel, csrf, db, limiter, login_manager, migrate


@event.listens_for(Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection, connection_record):
    # SQLite enforces foreign keys only when asked, on every connection.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(Path.cwd() / "instance"), instance_relative_config=True)
    app.config.update(config.from_environment(app.instance_path))
    if overrides:
        app.config.update(overrides)
    if app.config.get("TRUSTED_HOSTS") is None:
        app.config["TRUSTED_HOSTS"] = config.trusted_hosts(app.config)
    app.config["OWNER_DATABASE_URL"] = app.config["SQLALCHEMY_DATABASE_URI"]
    if app.config.get("APP_DATABASE_URL"):
        # The app runs as a role that owns nothing, so row-level security binds it.
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["APP_DATABASE_URL"]
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(Path(__file__).parent.parent / "translations"))

    from samklima.platform import i18n, inputs, security

    inputs.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent.parent / "migrations"))
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"

    _register_models()
    security.init_app(app)
    i18n.init_app(app)
    _register_blueprints(app)
    _register_template_helpers(app)
    _register_commands(app)
    return app


def _register_models() -> None:
    # Importing the models registers them with the metadata (and Alembic).
    from samklima.platform.accounts import models as _accounts  # noqa: F401
    from samklima.platform.audit import models as _audit  # noqa: F401
    from samklima.platform.outbox import models as _outbox  # noqa: F401
    from samklima.platform.workspaces import models as _workspaces  # noqa: F401
    from samklima.tenants.bodies import models as _bodies  # noqa: F401
    from samklima.tenants.organisations import models as _organisations  # noqa: F401
    from samklima.tenants.people import models as _people  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    from samklima.platform.accounts.views import bp as accounts_bp
    from samklima.platform.audit.views import bp as audit_bp
    from samklima.platform.operator import bp as operator_bp
    from samklima.platform.pages import bp as pages_bp
    from samklima.platform.workspaces import access
    from samklima.platform.workspaces.views import bp as workspaces_bp
    from samklima.platform.workspaces.views import workspace_bp
    from samklima.tenants.bodies.nominations_views import bp as nominations_bp
    from samklima.tenants.bodies.nominations_views import link_bp as nomination_link_bp
    from samklima.tenants.bodies.views import bp as bodies_bp
    from samklima.tenants.organisations.views import bp as organisations_bp
    from samklima.tenants.people.views import bp as people_bp

    access.init_app(app)
    app.register_blueprint(pages_bp)
    app.register_blueprint(operator_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(workspaces_bp)
    # /nominations/<token>: the link a head answers without an account; its workspace comes from the token.
    app.register_blueprint(nomination_link_bp)
    # Every tenant-scoped blueprint is mounted under /<slug>.
    for blueprint in (workspace_bp, audit_bp, bodies_bp, organisations_bp, people_bp, nominations_bp):
        app.register_blueprint(blueprint, url_prefix="/<slug>")


def _register_template_helpers(app: Flask) -> None:
    from samklima.platform import formatting

    formatting.init_app(app)


def _register_commands(app: Flask) -> None:
    from samklima.platform import commands, demo
    from samklima.tenants import dashboard
    from samklima.tenants import demo as tenant_demo
    from samklima.tenants.bodies import nominations

    commands.init_app(app)
    demo.init_app(app)
    # Tenant domains hook into the platform here: the overview page, scheduled jobs, demo data.
    dashboard.init_app(app)
    nominations.init_app(app)
    tenant_demo.init_app(app)
