"""A workspace's audit log of security events."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samklima.extensions import db
from samklima.platform.accounts.models import User
from samklima.platform.clock import utcnow
from samklima.platform.tenancy import TenantScoped


class AuditEvent(TenantScoped, db.Model):
    __tablename__ = "audit_events"
    __table_args__ = TenantScoped.tenant_table_args(Index("ix_audit_events_tenant_created", "tenant_id", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    action: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Who or what the event is about, as text: it must outlive the row it names.
    subject: Mapped[str] = mapped_column(String(300), default="")
    ip_address: Mapped[str] = mapped_column(String(45), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship(lazy="joined")
