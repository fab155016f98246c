"""Workspace (tenant) isolation for every tenant-owned model.

Three layers guard one rule, "a workspace sees only its own rows":
1. every ORM statement touching a tenant-owned model gets `tenant_id = <current>`
   added (with_loader_criteria), and raises when no workspace is current;
2. new rows get their tenant_id from the current workspace, and a row can
   never be written into, or moved to, another workspace;
3. on PostgreSQL, row-level security filters on `app.tenant_id`, which is set
   per transaction here, so a bug in 1 or 2 returns nothing rather than leaking.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from functools import cache
from contextvars import ContextVar
from typing import Iterator

from flask import abort, current_app, has_app_context
from sqlalchemy import ForeignKey, ForeignKeyConstraint, UniqueConstraint, event, select, text
from sqlalchemy.sql import visitors
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, declared_attr, mapped_column, with_loader_criteria

from samklima.extensions import db
from samklima.platform import signals

audit_log = logging.getLogger("samklima.audit")

_current_tenant: ContextVar[int | None] = ContextVar("samklima_tenant", default=None)
_unscoped: ContextVar[set[int] | None] = ContextVar("samklima_unscoped", default=None)


class TenantScopeError(RuntimeError):
    """A tenant-owned model was used with no workspace in scope."""


class TenantScoped:
    """Mixin for every model a workspace owns.

    `(tenant_id, id)` is unique so that other tenant-owned tables can point at
    a row with a composite foreign key that includes tenant_id: the database
    then refuses any reference across workspaces (see `tenant_foreign_key`).
    """

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True, nullable=False)

    @declared_attr.directive
    def __table_args__(cls):
        return cls.tenant_table_args()

    @classmethod
    def tenant_table_args(cls, *extra):
        return (UniqueConstraint("tenant_id", "id"), *extra)


def tenant_foreign_key(column: str, target: str, ondelete: str | None = None) -> ForeignKeyConstraint:
    """A composite foreign key (tenant_id, column) -> target(tenant_id, id)."""
    return ForeignKeyConstraint(
        ["tenant_id", column], [f"{target}.tenant_id", f"{target}.id"], ondelete=ondelete
    )


def tenant_owned_tables() -> list[str]:
    """Every table of a tenant-owned model, read from the models themselves."""
    return sorted(
        mapper.local_table.name
        for mapper in db.Model.registry.mappers
        if issubclass(mapper.class_, TenantScoped)
    )


def current_tenant_id() -> int | None:
    return _current_tenant.get()


def _tenant_id_of(tenant) -> int:
    return tenant if isinstance(tenant, int) else tenant.id


def _sync_database_setting() -> None:
    """Tell PostgreSQL about a scope change inside a transaction that has begun."""
    if not has_app_context():
        return
    session = db.session()
    if session.in_transaction():
        _set_config(session.connection())


def _set_config(connection) -> None:
    if connection.dialect.name != "postgresql":
        return
    tenant_id = _current_tenant.get()
    connection.execute(
        text("SELECT set_config('app.tenant_id', :tenant_id, true)"),
        {"tenant_id": "" if tenant_id is None or _unscoped.get() is not None else str(tenant_id)},
    )


@contextmanager
def tenant_scope(tenant) -> Iterator[None]:
    """Run a block inside one workspace (CLI commands, the outbox worker, tests)."""
    token = _current_tenant.set(_tenant_id_of(tenant))
    _sync_database_setting()
    try:
        yield
    finally:
        _current_tenant.reset(token)
        _sync_database_setting()


def enter_tenant(tenant):
    """Start a request's workspace scope; `leave_tenant` ends it at teardown."""
    token = _current_tenant.set(_tenant_id_of(tenant))
    _sync_database_setting()
    return token


def leave_tenant(token) -> None:
    _current_tenant.reset(token)


@contextmanager
def unscoped(reason: str) -> Iterator[None]:
    """Read across workspaces, explicitly and rarely.

    Logged, and every workspace whose rows were loaded gets an audit event
    saying so. Under PostgreSQL's row-level security the application role
    still sees no tenant rows here: cross-workspace work that must succeed in
    production loops over workspaces with `tenant_scope` instead.
    """
    touched: set[int] = set()
    token = _unscoped.set(touched)
    audit_log.warning("unscoped access: %s", reason)
    _sync_database_setting()
    try:
        yield
    finally:
        _unscoped.reset(token)
        _sync_database_setting()
        if touched:
            signals.unscoped_access.send(current_app._get_current_object(), tenant_ids=sorted(touched), reason=reason)


def get_or_404(model, object_id, *options):
    """Load a tenant-owned row by id; a foreign id looks exactly like a missing one."""
    if not issubclass(model, TenantScoped):
        raise TypeError(f"{model.__name__} is not tenant-owned")
    found = db.session.scalar(select(model).where(model.id == object_id).options(*options))
    if found is None:
        abort(404)
    return found


@cache
def _tenant_tables() -> frozenset:
    return frozenset(
        mapper.local_table for mapper in db.Model.registry.mappers if issubclass(mapper.class_, TenantScoped)
    )


def _tenant_tables_in(statement) -> set:
    """Tenant-owned tables anywhere in a statement, subqueries included: a count
    over a subquery names no mapper at the top, yet reads every workspace."""
    return {element for element in visitors.iterate(statement) if element in _tenant_tables()}


@event.listens_for(Session, "do_orm_execute")
def _scope_statement(state: ORMExecuteState) -> None:
    if _unscoped.get() is not None:
        return
    tables = _tenant_tables_in(state.statement)
    if not tables:
        return
    tenant_id = _current_tenant.get()
    if tenant_id is None:
        names = ", ".join(sorted(table.name for table in tables))
        raise TenantScopeError(f"statement on {names} with no workspace in scope")
    if state.is_insert:
        # Bulk inserts skip the flush check: every row must name this workspace.
        rows = state.parameters if isinstance(state.parameters, list) else [state.parameters or {}]
        if any(row.get("tenant_id") != tenant_id for row in rows):
            raise TenantScopeError("bulk insert of rows for another workspace")
        return
    state.statement = state.statement.options(
        with_loader_criteria(TenantScoped, lambda cls: cls.tenant_id == tenant_id, include_aliases=True)
    )


@event.listens_for(Session, "before_flush")
def _check_tenant_on_flush(session: Session, flush_context, instances) -> None:
    tenant_id = _current_tenant.get()
    for obj in session.new:
        if not isinstance(obj, TenantScoped):
            continue
        if obj.tenant_id is None:
            if tenant_id is None:
                raise TenantScopeError(f"new {type(obj).__name__} with no workspace in scope")
            obj.tenant_id = tenant_id
        elif obj.tenant_id != tenant_id and _unscoped.get() is None:
            raise TenantScopeError(f"new {type(obj).__name__} belongs to another workspace")
    for obj in session.dirty:
        if isinstance(obj, TenantScoped):
            history = db.inspect(obj).attrs.tenant_id.history
            if history.deleted and history.deleted[0] is not None:
                raise TenantScopeError(f"{type(obj).__name__} cannot move to another workspace")


@event.listens_for(TenantScoped, "load", propagate=True)
def _note_unscoped_load(target, context) -> None:
    touched = _unscoped.get()
    if touched is not None:
        touched.add(target.tenant_id)


@event.listens_for(Session, "after_begin")
def _set_database_tenant(session: Session, transaction, connection) -> None:
    # A new transaction starts with no setting (set_config(..., true) ends with
    # its transaction), so there is nothing to say until a workspace is current.
    if _current_tenant.get() is not None:
        _set_config(connection)


def rls_statements(table: str) -> list[str]:
    """PostgreSQL DDL that makes a table answer only the current workspace's rows.

    NULLIF: a pooled connection whose transaction-local setting has ended holds
    '' rather than NULL, and ''::int would fail every query.
    """
    condition = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int"
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY tenant_isolation ON {table} USING ({condition}) WITH CHECK ({condition})",
    ]


def enable_row_level_security(op, *tables: str) -> None:
    """Used by migrations for each new tenant-owned table; a no-op on SQLite."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        for statement in rls_statements(table):
            op.execute(statement)


def disable_row_level_security(op, *tables: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
