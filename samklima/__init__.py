"""Samklima: joint climate work for Nordic municipalities and regions."""
import importlib
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


# The workspace's domains, each a package with a `register(app)`, in the order
# they may depend on each other (DESIGN): a domain imports only those before it.
# Adding a domain is adding its name here.
DOMAINS = (
    "samklima.tenants.organisations",
    "samklima.tenants.people",
    "samklima.tenants.bodies",
    "samklima.tenants.meetings",
    "samklima.tenants.dashboard",
)


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
    _register_platform(app)
    for name in app.config.get("SAMKLIMA_DOMAINS", DOMAINS):
        # Each domain registers its blueprints, signal receivers, audit labels and demo data.
        importlib.import_module(name).register(app)
    return app


def _register_models() -> None:
    # Importing the models registers them with the metadata (and Alembic).
    from samklima.platform.accounts import models as _accounts  # noqa: F401
    from samklima.platform.audit import models as _audit  # noqa: F401
    from samklima.platform.outbox import models as _outbox  # noqa: F401
    from samklima.platform.workspaces import models as _workspaces  # noqa: F401


def _register_platform(app: Flask) -> None:
    from samklima.platform import audit, commands, demo, formatting
    from samklima.platform.accounts.views import bp as accounts_bp
    from samklima.platform.audit.views import bp as audit_bp
    from samklima.platform.domains import mount_in_workspace
    from samklima.platform.operator import bp as operator_bp
    from samklima.platform.pages import bp as pages_bp
    from samklima.platform.workspaces import access
    from samklima.platform.workspaces.views import bp as workspaces_bp
    from samklima.platform.workspaces.views import workspace_bp

    access.init_app(app)
    app.register_blueprint(pages_bp)
    app.register_blueprint(operator_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(workspaces_bp)
    mount_in_workspace(app, workspace_bp)
    mount_in_workspace(app, audit_bp)
    audit.init_app(app)
    formatting.init_app(app)
    commands.init_app(app)
    demo.init_app(app)
