"""The workspace overview (/<slug>/): my groups, coverage gaps, open nominations, terms ending soon.

The platform's `workspace.dashboard` keeps its URL and endpoint and calls the
view registered here (the platform never imports a tenant domain).
"""
from flask import Blueprint

bp = Blueprint("dashboard", __name__, template_folder="templates")


def init_app(app) -> None:
    from samklima.platform.workspaces.views import OVERVIEW_HOOK
    from samklima.tenants.dashboard.views import overview

    app.register_blueprint(bp)  # no routes of its own: its templates
    app.extensions[OVERVIEW_HOOK] = overview
