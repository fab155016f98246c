"""The groups' panel on the workspace overview (signals.dashboard_panels)."""
from flask import render_template
from markupsafe import Markup

from samklima.platform.signals import Panel
from samklima.tenants.bodies.labels import KIND_LABELS, role_label
from samklima.tenants.dashboard import queries


def groups_panel(app, membership) -> Panel:
    html = Markup(render_template(
        "dashboard/overview.html",
        overview=queries.overview_of(membership),
        kind_labels=KIND_LABELS,
        role_label=role_label,
        ending_days=queries.ENDING_WITHIN.days,
    ))
    return Panel(order=10, html=html)
