"""Reads about workspaces and memberships that several pages share."""
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from samklima.extensions import db
from samklima.platform.workspaces.models import Invitation, Tenant, TenantMembership


def memberships_of_user(user) -> list[TenantMembership]:
    return db.session.scalars(
        select(TenantMembership).where(TenantMembership.user_id == user.id).order_by(TenantMembership.id)
    ).all()


PAGE_SIZE = 50


def _members_query(tenant):
    from samklima.platform.accounts.models import User

    return (
        select(TenantMembership)
        .join(TenantMembership.user)
        .options(contains_eager(TenantMembership.user))
        .where(TenantMembership.tenant_id == tenant.id)
        .order_by(func.lower(User.name), TenantMembership.id)
    )


def members_of(tenant) -> list[TenantMembership]:
    return db.session.scalars(_members_query(tenant)).all()


def members_page(tenant, page: int):
    return db.paginate(_members_query(tenant), page=page, per_page=PAGE_SIZE, error_out=False)


def member_count(tenant) -> int:
    return db.session.scalar(select(func.count()).where(TenantMembership.tenant_id == tenant.id))


def is_member_email(tenant, email: str) -> bool:
    from samklima.platform.accounts.models import User

    return db.session.scalar(
        select(TenantMembership.id).join(TenantMembership.user)
        .where(TenantMembership.tenant_id == tenant.id, func.lower(User.email) == email.lower())
    ) is not None


def membership_in(tenant, membership_id: int) -> TenantMembership | None:
    """A membership of this workspace only: another workspace's id finds nothing."""
    return db.session.scalar(
        select(TenantMembership).where(TenantMembership.id == membership_id, TenantMembership.tenant_id == tenant.id)
    )


def owner_count(tenant) -> int:
    return db.session.scalar(
        select(func.count()).where(TenantMembership.tenant_id == tenant.id, TenantMembership.role == "owner")
    )


def _open_invitations_query():
    from samklima.platform.clock import utcnow

    return (
        select(Invitation)
        .where(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None), Invitation.expires_at > utcnow())
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )


def open_invitations_page(page: int):
    return db.paginate(_open_invitations_query(), page=page, per_page=PAGE_SIZE, error_out=False)


def open_invitation_for(email: str) -> Invitation | None:
    return db.session.scalars(_open_invitations_query().where(func.lower(Invitation.email) == email.lower())).first()


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


def first_time_zone_of(user) -> str | None:
    """The time zone of the first workspace the user joined, if any."""
    return db.session.scalar(
        select(Tenant.time_zone)
        .join(TenantMembership, TenantMembership.tenant_id == Tenant.id)
        .where(TenantMembership.user_id == user.id)
        .order_by(TenantMembership.created_at, TenantMembership.id)
        .limit(1)
    )
