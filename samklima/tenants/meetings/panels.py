"""The meetings domain's panels on earlier domains' pages: a group's coming meetings
(signals.body_panels), and the overview's "your next meetings" and what waits (signals.dashboard_panels)."""
from flask import render_template
from markupsafe import Markup

from samklima.platform.signals import Panel
from samklima.tenants.bodies.operations import can_manage_body, managed_body_ids
from samklima.tenants.meetings.queries import meetings_of, waiting_for
from samklima.tenants.people.queries import person_for_user

SHOWN = 3


def body_meetings(app, body, membership) -> Panel:
    coming, past = meetings_of(body)
    html = render_template("meetings/_body_panel.html", body=body, coming=coming[:SHOWN], more=len(coming) > SHOWN,
                           last=past[0] if past else None, can_manage=can_manage_body(membership, body))
    return Panel(order=10, html=Markup(html))


def overview(app, membership) -> Panel:
    person = person_for_user(membership.user)
    found = waiting_for(person.id if person else None, managed_body_ids(membership))
    return Panel(order=5, html=Markup(render_template("meetings/_overview_panel.html", waiting=found)))
