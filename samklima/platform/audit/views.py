"""The workspace's audit log, for its owners and administrators."""
from flask import Blueprint, g, render_template

from samklima.platform.audit.actions import ACTION_LABELS
from samklima.platform.audit.operations import recent_events
from samklima.platform.permissions import require_role

bp = Blueprint("audit", __name__, template_folder="templates")


@bp.get("/audit")
def log():
    require_role(g.membership, "admin")
    return render_template("audit/log.html", events=recent_events(), labels=ACTION_LABELS)
