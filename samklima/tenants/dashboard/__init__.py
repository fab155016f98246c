"""The workspace overview's panel for groups: my groups, coverage gaps, open nominations, terms ending soon."""
from flask import Blueprint

from samklima.platform import signals

bp = Blueprint("dashboard", __name__, template_folder="templates")


def register(app) -> None:
    from samklima.tenants.dashboard.views import groups_panel

    app.register_blueprint(bp)  # no routes of its own: its templates
    signals.connect(signals.dashboard_panels, groups_panel, app)
