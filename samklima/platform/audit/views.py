"""The workspace's audit log, for its owners and administrators."""
from flask import Blueprint, g, render_template, request

from samklima.platform.audit.actions import action_labels
from samklima.platform.audit.operations import events_page
from samklima.platform.inputs import whole_number
from samklima.platform.permissions import require_role

bp = Blueprint("audit", __name__, template_folder="templates")


@bp.get("/audit")
def log():
    require_role(g.membership, "admin")
    events = events_page(request.args.get("page", 1, type=whole_number))
    return render_template("audit/log.html", events=events, labels=action_labels())
