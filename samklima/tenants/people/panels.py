"""The people domain's panels on earlier domains' pages (signals.organisation_panels)."""
from flask import render_template
from markupsafe import Markup

from samklima.platform.signals import Panel
from samklima.tenants.people.queries import people_of


def organisation_people(app, organisation) -> Panel:
    html = render_template("people/_organisation_panel.html", organisation=organisation,
                           people=people_of(organisation))
    return Panel(order=10, html=Markup(html))
