"""The meetings domain's panels on earlier domains' pages: a group's coming meetings
(signals.body_panels), and the overview's "your next meetings" and what waits (signals.dashboard_panels)."""
from urllib.parse import quote

from flask import render_template
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup

from samklima.platform.clock import workspace_today

from samklima.platform.signals import Panel
from samklima.tenants.bodies.operations import can_manage_body, managed_body_ids
from samklima.tenants.meetings.operations import settings_for
from samklima.tenants.meetings.queries import meetings_of, repeated_absences, waiting_for
from samklima.tenants.people.queries import person_for_user

SHOWN = 3


def body_meetings(app, body, membership) -> Panel:
    coming, past = meetings_of(body)
    can_manage = can_manage_body(membership, body)
    absences = repeated_absences(body, settings_for(body).absence_threshold, workspace_today()) if can_manage else []
    html = render_template("meetings/_body_panel.html", body=body, coming=coming[:SHOWN], more=len(coming) > SHOWN,
                           last=past[0] if past else None, can_manage=can_manage,
                           absences=[(absence, _prepared_mail(body, absence)) for absence in absences])
    return Panel(order=10, html=Markup(html))


def _prepared_mail(body, absence) -> str:
    """A mailto: link to whoever nominated the member, with a first draft to edit (seed 000)."""
    if not absence.head_email:
        return ""
    subject = _("Attendance in %(group)s", group=body.name)
    text = ngettext(
        "Dear %(head)s,\n\n%(name)s has not attended the last %(num)d meeting of %(group)s. Can we talk about "
        "how your organisation is best represented in the group?\n",
        "Dear %(head)s,\n\n%(name)s has not attended the last %(num)d meetings of %(group)s. Can we talk about "
        "how your organisation is best represented in the group?\n",
        absence.missed, head=absence.head_name or absence.head_email, name=absence.person.name, group=body.name)
    return f"mailto:{quote(absence.head_email)}?subject={quote(subject)}&body={quote(text)}"


def overview(app, membership) -> Panel:
    person = person_for_user(membership.user)
    found = waiting_for(person.id if person else None, managed_body_ids(membership))
    return Panel(order=5, html=Markup(render_template("meetings/_overview_panel.html", waiting=found)))
