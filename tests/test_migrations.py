"""Migrations build the schema the models describe, and step down again."""
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from samklima import create_app
from samklima.extensions import db
from tests.conftest import TEST_CONFIG, TEST_DATABASE_URL


@pytest.fixture
def empty_database(tmp_path):
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    admin = sa.create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    name = f"samklima_migrations_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield sa.engine.make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def migrating_app(empty_database):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": empty_database, "APP_DATABASE_URL": None})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def schema_differences():
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgrade_from_empty_builds_exactly_the_models_schema(migrating_app):
    upgrade()
    assert schema_differences() == []


def test_latest_migration_steps_down_and_up_again(migrating_app):
    upgrade()
    downgrade(revision="-1")
    upgrade()
    assert schema_differences() == []
    tables = sa.inspect(db.engine).get_table_names()
    assert {"tenants", "users", "audit_events", "invitations", "outbox_messages"} <= set(tables)
