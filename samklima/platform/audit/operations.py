"""Writing audit events: the only door into the audit log."""
from flask import has_request_context, request
from sqlalchemy import select

from samklima.extensions import db
from samklima.platform.audit.actions import action_labels
from samklima.platform.audit.models import AuditEvent
from samklima.platform.tenancy import tenant_scope


def _ip_address() -> str:
    return (request.remote_addr or "")[:45] if has_request_context() else ""


def record(action: str, *, actor=None, subject: str = "", tenant_id: int | None = None, **details) -> AuditEvent:
    """Add an event to the current workspace's log (or `tenant_id`'s, when given)."""
    if action not in action_labels():
        raise ValueError(f"unknown audit action {action!r}")
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        subject=subject[:300],
        ip_address=_ip_address(),
        details=details,
    )
    if tenant_id is None:
        db.session.add(event)
        db.session.flush()
    else:
        with tenant_scope(tenant_id):
            event.tenant_id = tenant_id
            db.session.add(event)
            db.session.flush()
    return event


def record_for_user(user, action: str, **details) -> None:
    """An account event (sign-in, password change) goes to every workspace of the user."""
    from samklima.platform.workspaces.models import TenantMembership

    tenant_ids = db.session.scalars(
        select(TenantMembership.tenant_id).where(TenantMembership.user_id == user.id)
    ).all()
    for tenant_id in tenant_ids:
        record(action, actor=user, subject=user.email, tenant_id=tenant_id, **details)


def record_unscoped_access(app, tenant_ids: list[int], reason: str) -> None:
    """The receiver of signals.unscoped_access."""
    for tenant_id in tenant_ids:
        record("unscoped_access", subject=reason, tenant_id=tenant_id)


def events_page(page: int, per_page: int = 50):
    """The current workspace's events, newest first."""
    return db.paginate(
        select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()),
        page=page, per_page=per_page, error_out=False,
    )
