"""Resolving the workspace of a `/<slug>/...` URL, for every tenant-scoped route.

The workspace comes from the URL, never from the session. A signed-in user who
is not a member gets 404, exactly as for a slug that does not exist.
"""
from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from samklima.extensions import db
from samklima.platform.inputs import NUL
from samklima.platform.tenancy import enter_tenant, leave_tenant
from samklima.platform.workspaces.models import Tenant, TenantMembership


def _enter_workspace(endpoint, values) -> None:
    if not values or "slug" not in values:
        return
    slug = values.pop("slug")
    if not current_user.is_authenticated:
        # Every slug, real or not, sends an anonymous visitor to sign in.
        abort(redirect(url_for("accounts.login", next=request.full_path.rstrip("?"))))
    if NUL in slug:
        abort(404)  # no slug holds one, and PostgreSQL cannot even compare it
    membership = db.session.scalar(
        select(TenantMembership)
        .join(TenantMembership.tenant)
        .options(contains_eager(TenantMembership.tenant))
        .where(Tenant.slug == slug, TenantMembership.user_id == current_user.id)
    )
    if membership is None:
        abort(404)
    g.tenant = membership.tenant
    g.membership = membership
    g.tenant_token = enter_tenant(membership.tenant)
    if (
        membership.tenant.requires_admin_two_factor
        and membership.role in ("owner", "admin")
        and not current_user.has_two_factor
    ):
        flash(_("This workspace requires two-factor authentication for administrators. Please turn it on first."), "warning")
        abort(redirect(url_for("accounts.two_factor")))


def _add_slug(endpoint, values) -> None:
    tenant = g.get("tenant")
    if tenant is not None and "slug" not in values and current_app.url_map.is_endpoint_expecting(endpoint, "slug"):
        values["slug"] = tenant.slug


def _leave_workspace(exc=None) -> None:
    token = g.pop("tenant_token", None)
    if token is not None:
        leave_tenant(token)


def init_app(app) -> None:
    app.url_value_preprocessor(_enter_workspace)
    app.url_defaults(_add_slug)
    app.teardown_request(_leave_workspace)
