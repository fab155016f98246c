"""Small helpers the group tests share."""
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy import select

from samklima.extensions import db
from samklima.platform.accounts.models import User
from samklima.platform.tenancy import tenant_scope
from samklima.platform.workspaces.models import TenantMembership
from samklima.tenants.bodies.models import Body


@contextmanager
def inside(world):
    """Inside the world's workspace, with a fresh session afterwards."""
    with tenant_scope(world.tenant_id):
        yield
    db.session.rollback()


def acting(world, role_key) -> TenantMembership:
    """The workspace membership of one of the world's logins."""
    return db.session.scalar(
        select(TenantMembership).join(User, User.id == TenantMembership.user_id)
        .where(User.email == world.logins[role_key], TenantMembership.tenant_id == world.tenant_id)
    )


def body(world, key) -> Body:
    return db.session.get(Body, world.bodies[key])


def rows(owner_engine, table, **where):
    """Rows of a table read as the database owner, past row-level security."""
    with owner_engine.connect() as connection:
        statement = sa.text(
            f"SELECT * FROM {table}" + (" WHERE " + " AND ".join(f"{k} = :{k}" for k in where) if where else "")
            + " ORDER BY id"
        )
        return connection.execute(statement, where).mappings().all()


def snapshot(owner_engine):
    """Every row of every table: "nothing written" means this stays equal."""
    with owner_engine.connect() as connection:
        return {
            table.name: sorted(map(repr, connection.execute(sa.select(table)).all()))
            for table in db.metadata.sorted_tables
            if table.name not in ("user_sessions", "audit_events")
        }
