"""Workspaces (tenants), who belongs to them, and invitations to join."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samklima.extensions import db
from samklima.platform.accounts.models import User
from samklima.platform.clock import utcnow
from samklima.platform.tenancy import TenantScoped

ROLES = ("owner", "admin", "secretariat", "member", "observer")

# What the interface calls each plan and subscription state (billing adds the paid plans).
PLAN_LABELS = {"trial": _l("Trial")}
SUBSCRIPTION_LABELS = {
    "trialing": _l("Trial period"),
    "active": _lp("subscription status", "Active"),
    "past_due": _l("Payment overdue"),
    "canceled": _l("Cancelled"),
}

# Words that are, or may become, top-level URLs and so can never be a slug.
RESERVED_SLUGS = frozenset(
    """
    about account accessibility admin api app assets auth billing blog contact
    dashboard docs favicon.ico health help invitations invite join language login
    logout mail new nominations operator password privacy register reset robots.txt security
    settings signup static status stripe support terms verify webhooks workspaces www
    """.split()
)


class Tenant(db.Model):
    __tablename__ = "tenants"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    default_locale: Mapped[str] = mapped_column(String(5))
    time_zone: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    plan: Mapped[str] = mapped_column(String(20), default="trial")
    subscription_status: Mapped[str] = mapped_column(String(20), default="trialing")
    requires_admin_two_factor: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TenantMembership(db.Model):
    """A user's role in one workspace.

    Platform-level on purpose: the workspace switcher lists a user's
    memberships across workspaces, so every read here filters by tenant
    explicitly (see workspaces.access).
    """

    __tablename__ = "tenant_memberships"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    tenant: Mapped[Tenant] = relationship(lazy="joined", innerjoin=True)
    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class Invitation(TenantScoped, db.Model):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20))
    locale: Mapped[str] = mapped_column(String(5))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    invited_by: Mapped[User | None] = relationship(lazy="joined")

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > utcnow()
