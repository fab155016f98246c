"""The overview page; the platform's workspace.dashboard route calls it."""
from flask import g, render_template

from samklima.tenants.bodies.labels import KIND_LABELS, role_label
from samklima.tenants.dashboard import queries


def overview():
    return render_template(
        "dashboard/overview.html",
        overview=queries.overview_of(g.membership),
        kind_labels=KIND_LABELS,
        role_label=role_label,
        ending_days=queries.ENDING_WITHIN.days,
    )
