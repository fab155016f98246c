"""Every change to workspaces and their members: the one door for these writes."""
from __future__ import annotations

import re
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from samklima.config import LOCALES, TIME_ZONES
from samklima.extensions import db
from samklima.platform import signals
from samklima.platform.accounts.models import User
from samklima.platform.accounts.operations import create_user
from samklima.platform.audit.operations import record
from samklima.platform.clock import utcnow
from samklima.platform.errors import OperationError
from samklima.platform.links import mail_url
from samklima.platform.outbox.operations import queue_mail
from samklima.platform.permissions import ROLE_LABELS, require_role
from samklima.platform.tenancy import tenant_scope
from samklima.platform.tokens import hash_secret, new_secret, secret_matches, split_tenant_token, tenant_token, use_once
from samklima.platform.workspaces import queries
from samklima.platform.workspaces.models import RESERVED_SLUGS, ROLES, Invitation, Tenant, TenantMembership

INVITATION_LIFETIME = timedelta(days=7)



SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$")
# What a workspace in each Nordic country starts with; all can be changed.
COUNTRY_DEFAULTS = {
    "DK": ("da", "Europe/Copenhagen", "DKK"),
    "SE": ("sv", "Europe/Stockholm", "SEK"),
    "NO": ("nb", "Europe/Oslo", "NOK"),
    "FI": ("fi", "Europe/Helsinki", "EUR"),
    "IS": ("is", "Atlantic/Reykjavik", "ISK"),
}


def check_slug(slug: str) -> None:
    if not SLUG_PATTERN.match(slug):
        raise OperationError(
            _l("Use 3 to 63 lowercase letters (a-z), digits and hyphens, starting and ending with a letter or digit."),
            field="slug",
        )
    if slug in RESERVED_SLUGS:
        raise OperationError(_l("This address is reserved. Please choose another."), field="slug")
    if queries.slug_taken(slug):
        raise OperationError(_l("Another workspace already uses this address. Please choose another."), field="slug")


def create_workspace(name: str, slug: str, country: str, by, locale: str | None = None) -> Tenant:
    slug = slug.strip().lower()
    check_slug(slug)
    if country not in COUNTRY_DEFAULTS:
        raise OperationError(_l("Choose a country from the list."), field="country")
    default_locale, time_zone, currency = COUNTRY_DEFAULTS[country]
    tenant = Tenant(
        slug=slug,
        name=name.strip(),
        country=country,
        default_locale=locale if locale in LOCALES else default_locale,
        time_zone=time_zone,
        currency=currency,
    )
    db.session.add(tenant)
    db.session.flush()
    db.session.add(TenantMembership(tenant_id=tenant.id, user_id=by.id, role="owner"))
    record("workspace_created", actor=by, subject=tenant.name, tenant_id=tenant.id)
    return tenant


def update_settings(tenant: Tenant, *, by: TenantMembership, name: str, default_locale: str, time_zone: str,
                    requires_admin_two_factor: bool) -> None:
    require_role(by, "admin")
    if default_locale not in LOCALES:
        raise OperationError(_l("Choose a language from the list."), field="default_locale")
    if time_zone not in TIME_ZONES:
        raise OperationError(_l("Choose a time zone from the list."), field="time_zone")
    tenant.name = name.strip()
    tenant.default_locale = default_locale
    tenant.time_zone = time_zone
    tenant.requires_admin_two_factor = requires_admin_two_factor
    record("settings_changed", actor=by.user, subject=tenant.name)


def _check_role_change_allowed(target: TenantMembership, by: TenantMembership, new_role: str | None) -> None:
    require_role(by, "admin")
    touches_owner = target.role == "owner" or new_role == "owner"
    if touches_owner and by.role != "owner":
        raise OperationError(_l("Only an owner can give or take away the owner role."))
    if target.role == "owner" and new_role != "owner" and queries.owner_count(target.tenant) <= 1:
        raise OperationError(_l("A workspace needs at least one owner. Make someone else an owner first."))


def change_role(target: TenantMembership, new_role: str, *, by: TenantMembership) -> None:
    if new_role not in ROLES:
        raise OperationError(_l("Choose a role from the list."), field="role")
    _check_role_change_allowed(target, by, new_role)
    if target.role == new_role:
        return
    old_role = target.role
    target.role = new_role
    record("role_changed", actor=by.user, subject=target.user.email, old=old_role, new=new_role)


def remove_member(target: TenantMembership, *, by: TenantMembership) -> None:
    """Takes effect on the member's next request: access is read from this row."""
    if target.id != by.id:
        _check_role_change_allowed(target, by, None)
    elif target.role == "owner" and queries.owner_count(target.tenant) <= 1:
        raise OperationError(_l("A workspace needs at least one owner. Make someone else an owner first."))
    record("member_removed", actor=by.user, subject=target.user.email, role=target.role)
    db.session.delete(target)
    db.session.flush()


def invite(tenant: Tenant, email: str, role: str, locale: str, *, by: TenantMembership) -> Invitation:
    require_role(by, "admin")
    email = email.strip().lower()
    if role not in ROLES:
        raise OperationError(_l("Choose a role from the list."), field="role")
    if role == "owner" and by.role != "owner":
        raise OperationError(_l("Only an owner can give or take away the owner role."), field="role")
    if queries.is_member_email(tenant, email):
        raise OperationError(_l("This person is already a member of the workspace."), field="email")
    if queries.open_invitation_for(email) is not None:
        raise OperationError(_l("This person already has an open invitation. Withdraw it first to send a new one."), field="email")
    secret = new_secret()
    invitation = Invitation(
        email=email,
        role=role,
        locale=locale if locale in LOCALES else tenant.default_locale,
        token_hash=hash_secret(secret),
        invited_by_id=by.user_id,
        expires_at=utcnow() + INVITATION_LIFETIME,
    )
    db.session.add(invitation)
    db.session.flush()
    queue_mail(
        email,
        "workspaces/email/invitation",
        invitation.locale,
        _l("You are invited to %(workspace)s on Samklima", workspace=tenant.name),
        tenant_id=tenant.id,
        carries_secret=True,
        tenant=tenant,
        inviter=by.user,
        role_label=ROLE_LABELS[role],
        expires_at=invitation.expires_at,
        link=mail_url("workspaces.invitation", token=tenant_token(tenant.id, secret)),
    )
    record("invitation_sent", actor=by.user, subject=email, role=role)
    return invitation


def revoke_invitation(invitation: Invitation, *, by: TenantMembership) -> None:
    require_role(by, "admin")
    if invitation.accepted_at is not None:
        raise OperationError(_l("This invitation has already been used."))
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        record("invitation_revoked", actor=by.user, subject=invitation.email)


class InvitationLinkError(OperationError):
    """The link names no invitation that is still open: the page says so instead of the invitation."""


def find_invitation(token: str) -> tuple[Tenant, Invitation]:
    """The open invitation a link names; its workspace comes from the token."""
    invalid = InvitationLinkError(
        _l("This invitation link is not valid. Ask the person who invited you for a new one."))
    parts = split_tenant_token(token)
    if parts is None:
        raise invalid
    tenant = db.session.get(Tenant, parts[0])
    if tenant is None:
        raise invalid
    with tenant_scope(tenant):
        invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_secret(parts[1])))
    if invitation is None or not secret_matches(parts[1], invitation.token_hash):
        raise invalid
    if invitation.accepted_at is not None:
        raise InvitationLinkError(_l("This invitation has already been used."))
    if invitation.revoked_at is not None:
        raise InvitationLinkError(_l("This invitation has been withdrawn."))
    if invitation.expires_at < utcnow():
        raise InvitationLinkError(_l("This invitation has expired. Ask the person who invited you for a new one."))
    return tenant, invitation


def _claim(invitation: Invitation) -> None:
    if not use_once(Invitation.accepted_at, invitation.id):
        raise InvitationLinkError(_l("This invitation has already been used."))


def _add_membership(tenant: Tenant, user, role: str) -> bool:
    """True when this made the membership. Someone invited twice (at work and at
    home) may accept both at once: the first membership stands, as when they come
    one after the other, instead of the second breaking the unique (tenant, user)."""
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    table = TenantMembership.__table__
    statement = (
        insert(table)
        .values(tenant_id=tenant.id, user_id=user.id, role=role, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["tenant_id", "user_id"])
        .returning(table.c.id)
    )
    return db.session.connection().execute(statement).first() is not None


def _join(tenant: Tenant, invitation: Invitation, user) -> None:
    if queries.membership_in_tenant_of(tenant, user) is None and _add_membership(tenant, user, invitation.role):
        record("member_joined", actor=user, subject=user.email, role=invitation.role)
    if not user.is_verified and user.email == invitation.email:
        user.email_verified_at = utcnow()
    db.session.flush()
    signals.invitation_accepted.send(current_app._get_current_object(), tenant=tenant, invitation=invitation,
                                     user=user)


def accept_invitation(token: str, user) -> Tenant:
    """Join the workspace; must run inside the invitation's workspace scope."""
    tenant, invitation = find_invitation(token)
    _claim(invitation)
    _join(tenant, invitation, user)
    return tenant


def join_with_invitation(token: str, name: str, password: str) -> User:
    """Make the invited person's account and join with it; inside the invitation's workspace scope.

    The claim comes first: of two requests at once the second stops there, not
    at the account's unique e-mail address. An account refused (a weak
    password) raises, and the caller discards the transaction, claim and all.
    """
    tenant, invitation = find_invitation(token)
    _claim(invitation)
    user = create_user(invitation.email, name, password, invitation.locale, verified=True)
    _join(tenant, invitation, user)
    return user
