"""The groups domain's panels on earlier domains' pages: where an organisation is
represented (signals.organisation_panels), where a person sits (signals.person_panels)."""
from flask import render_template
from markupsafe import Markup

from samklima.platform.clock import workspace_today
from samklima.platform.signals import Panel
from samklima.tenants.bodies.queries import places_of, representation_of


def organisation_representation(app, organisation) -> Panel:
    html = render_template("bodies/_organisation_panel.html", organisation=organisation,
                           representation=representation_of(organisation, workspace_today()))
    return Panel(order=20, html=Markup(html))


def person_groups(app, person) -> Panel:
    current, past = places_of(person, workspace_today())
    html = render_template("bodies/_person_panel.html", person=person, current=current, past=past)
    return Panel(order=10, html=Markup(html))
