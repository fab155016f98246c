"""Reads about workspaces and memberships that several pages share."""
from sqlalchemy import func, select

from samklima.extensions import db
from samklima.platform.workspaces.models import Invitation, Tenant, TenantMembership


def memberships_of_user(user) -> list[TenantMembership]:
    return db.session.scalars(
        select(TenantMembership).where(TenantMembership.user_id == user.id).order_by(TenantMembership.id)
    ).all()


def members_of(tenant) -> list[TenantMembership]:
    from samklima.platform.accounts.models import User

    return db.session.scalars(
        select(TenantMembership)
        .join(User, TenantMembership.user_id == User.id)
        .where(TenantMembership.tenant_id == tenant.id)
        .order_by(func.lower(User.name))
    ).all()


def membership_in(tenant, membership_id: int) -> TenantMembership | None:
    """A membership of this workspace only: another workspace's id finds nothing."""
    return db.session.scalar(
        select(TenantMembership).where(TenantMembership.id == membership_id, TenantMembership.tenant_id == tenant.id)
    )


def owner_count(tenant) -> int:
    return db.session.scalar(
        select(func.count()).where(TenantMembership.tenant_id == tenant.id, TenantMembership.role == "owner")
    )


def open_invitations() -> list[Invitation]:
    from samklima.platform.clock import utcnow

    return db.session.scalars(
        select(Invitation)
        .where(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None), Invitation.expires_at > utcnow())
        .order_by(Invitation.created_at.desc())
    ).all()


def workspaces_requiring_two_factor(user) -> list[str]:
    return db.session.scalars(
        select(Tenant.name)
        .join(TenantMembership, TenantMembership.tenant_id == Tenant.id)
        .where(
            TenantMembership.user_id == user.id,
            TenantMembership.role.in_(("owner", "admin")),
            Tenant.requires_admin_two_factor.is_(True),
        )
        .order_by(Tenant.name)
    ).all()


def slug_taken(slug: str) -> bool:
    return db.session.scalar(select(Tenant.id).where(Tenant.slug == slug)) is not None


def membership_in_tenant_of(tenant, user) -> TenantMembership | None:
    return db.session.scalar(
        select(TenantMembership).where(TenantMembership.tenant_id == tenant.id, TenantMembership.user_id == user.id)
    )
