"""Reads the people pages share; each runs a fixed number of queries."""
from __future__ import annotations

from sqlalchemy import func, select

from samklima.extensions import db
from samklima.platform.sorting import by_name
from samklima.platform.tenancy import current_tenant_id
from samklima.platform.workspaces.models import Invitation, TenantMembership
from samklima.platform.workspaces.queries import open_invitation_for as open_invitation_for_email
from samklima.tenants.people.models import Person


def all_people() -> list[Person]:
    """Every contact with their organisation and linked user (one query)."""
    people = db.session.scalars(select(Person)).unique().all()
    return by_name(people)


def people_of(organisation) -> list[Person]:
    """The contacts of one organisation, by name (one query)."""
    people = db.session.scalars(select(Person).where(Person.organisation_id == organisation.id)).unique().all()
    return by_name(people)


def find_by_email(email: str) -> Person | None:
    if not email.strip():
        return None
    wanted = email.strip().lower()
    return db.session.scalar(select(Person).where(func.lower(Person.email) == wanted))


def workspace_membership_of(user_id: int) -> TenantMembership | None:
    """The user's membership of the current workspace; None for anyone else.

    TenantMembership is platform-level (not tenant-scoped), so the workspace
    is named here explicitly.
    """
    return db.session.scalar(
        select(TenantMembership).where(
            TenantMembership.tenant_id == current_tenant_id(), TenantMembership.user_id == user_id
        )
    )


def person_for_user(user) -> Person | None:
    """The current workspace's contact linked to this account, if any."""
    return db.session.scalar(select(Person).where(Person.user_id == user.id))


def open_invitation_for(person: Person) -> Invitation | None:
    if not person.email:
        return None
    return open_invitation_for_email(person.email)
