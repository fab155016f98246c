"""Test set-up: one schema per run, real SQLite or PostgreSQL, clean tables per test.

On PostgreSQL (TEST_DATABASE_URL, a superuser) the run creates a fresh
database, migrates it as the owner, and runs the app as a role that is
neither superuser nor owner, so row-level security really applies.
"""
import os
import re
import uuid

import pytest
import sqlalchemy as sa
import time_machine
from flask_migrate import upgrade

from samklima import create_app
from samklima.extensions import db, limiter
from tests import factories
from tests.clock import TEST_START, test_start

APP_ROLE = "samklima_app_test"
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def pytest_report_header(config):
    return [
        f"database: {'PostgreSQL ' + TEST_DATABASE_URL if TEST_DATABASE_URL else 'SQLite'}",
        f"every test starts at {TEST_START} (SAMKLIMA_TEST_START)",
    ]


def pytest_collection_modifyitems(config, items):
    if TEST_DATABASE_URL:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set TEST_DATABASE_URL")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def _postgres_databases():
    server = sa.engine.make_url(TEST_DATABASE_URL)
    name = f"samklima_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        exists = connection.scalar(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": APP_ROLE})
        if not exists:
            connection.execute(sa.text(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"))
    owner_url = server.set(database=name)
    app_url = owner_url.set(username=APP_ROLE, password=None)
    return admin, name, owner_url.render_as_string(hide_password=False), app_url.render_as_string(hide_password=False)


TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 8,
    "ARGON2_PARALLELISM": 1,
    "SMTP_HOST": "",
    "BASE_URL": "http://localhost",
    "SERVER_NAME": "localhost",
    "LOGIN_SLOWDOWN_SECONDS": 0,  # tests never sleep; test_accounts checks that the pause is asked for
}


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    """(owner URL, app URL): the schema is built once per run."""
    if TEST_DATABASE_URL:
        admin, name, owner_url, app_url = _postgres_databases()
    else:
        path = tmp_path_factory.mktemp("db") / "samklima-test.sqlite3"
        owner_url = app_url = f"sqlite:///{path}"
    migrating = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": owner_url, "APP_DATABASE_URL": None})
    with migrating.app_context():
        upgrade()
        if TEST_DATABASE_URL:
            result = migrating.test_cli_runner().invoke(args=["roles", "grant", APP_ROLE])
            assert result.exit_code == 0, result.output
        db.engine.dispose()
    yield owner_url, app_url
    if TEST_DATABASE_URL:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def app(database):
    owner_url, app_url = database
    application = create_app(
        {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": owner_url, "APP_DATABASE_URL": app_url if TEST_DATABASE_URL else None}
    )
    return application


@pytest.fixture(scope="session")
def owner_engine(database):
    engine = sa.create_engine(database[0])
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def fixed_start():
    """The clock starts at TEST_START and runs on from there; tests travel further with time_machine."""
    with time_machine.travel(test_start(), tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def clean_tables(request, owner_engine):
    """Every test starts with empty tables and fresh rate-limit counters."""
    yield
    if "app" in request.fixturenames:
        app = request.getfixturevalue("app")
        with app.app_context():
            db.session.remove()
            limiter.reset()
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with owner_engine.begin() as connection:
        if owner_engine.dialect.name == "postgresql":
            connection.execute(sa.text(f"TRUNCATE {', '.join(tables)} CASCADE"))
        else:
            for table in tables:
                connection.execute(sa.text(f"DELETE FROM {table}"))


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield
        db.session.remove()


class Browser:
    """A test client that signs in, and sends forms with their CSRF token.

    Each request gets an app context of its own: Flask reuses an app context
    that a test has pushed, and `g` would then leak from one request into
    the next (the signed-in user, the workspace, the CSRF token).
    """

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()

    def csrf_token(self) -> str:
        page = self.get("/login").get_data(as_text=True)
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def get(self, url, **kwargs):
        with self.app.app_context():
            return self.client.get(url, **kwargs)

    def post(self, url, data=None, csrf=True, **kwargs):
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.csrf_token())
        with self.app.app_context():
            return self.client.post(url, data=data, **kwargs)

    def login(self, email, password=factories.PASSWORD):
        response = self.post("/login", {"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    def logout(self):
        return self.post("/logout")


@pytest.fixture
def browser(app):
    return Browser(app)


@pytest.fixture
def make_browser(app):
    return lambda: Browser(app)


@pytest.fixture
def signed_in(make_browser):
    """signed_in(email) → a browser signed in as that person."""

    def sign_in(email):
        browser = make_browser()
        browser.login(email)
        return browser

    return sign_in
