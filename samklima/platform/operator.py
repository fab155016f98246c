"""The operator console: the platform's own view of its workspaces.

It reads only platform tables (workspaces and memberships), never a
workspace's own data, so it needs no unscoped access.
"""
from babel import Locale
from flask import Blueprint, abort, render_template
from flask_babel import get_locale
from flask_login import current_user, login_required
from sqlalchemy import func, select

from samklima.extensions import db
from samklima.platform.workspaces.models import PLAN_LABELS, SUBSCRIPTION_LABELS, Tenant, TenantMembership

bp = Blueprint("operator", __name__, template_folder="templates")


@bp.before_request
@login_required
def only_operators():
    # Not an operator: the console does not exist for you.
    if not current_user.is_operator:
        abort(404)


@bp.get("/operator")
def workspaces():
    member_counts = (
        select(TenantMembership.tenant_id, func.count().label("members"))
        .group_by(TenantMembership.tenant_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Tenant, func.coalesce(member_counts.c.members, 0))
        .outerjoin(member_counts, member_counts.c.tenant_id == Tenant.id)
        .order_by(Tenant.name)
    ).all()
    return render_template(
        "operator/workspaces.html", rows=rows, country_names=Locale.parse(str(get_locale())).territories,
        plan_labels=PLAN_LABELS, subscription_labels=SUBSCRIPTION_LABELS,
    )
