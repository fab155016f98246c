"""The named signals through which domains join the platform and each other.

The platform never imports a tenant domain, and an earlier domain never
imports a later one (DESIGN: organisations <- people <- bodies <- meetings ...).
Where the platform or an earlier domain needs a later one's part (a panel on
the overview, an entry in the menu, a job for the worker, demo data, the
labels of its audit events, what happens when an invitation is accepted), it
sends one of these signals and the later domain answers it. Like Flask's own
signals (blinker), and Indico's `indico/core/signals/`.

Every signal is sent with the Flask app as its sender, and a domain connects
with `sender=app` in its `register(app)`: several apps in one process (tests,
a throw-away domain) never hear each other's receivers. Each signal's doc says
what it is sent with and what a receiver returns.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from blinker import Namespace
from flask import current_app

_signals = Namespace()

invitation_accepted = _signals.signal("invitation-accepted", doc="""
Someone joined a workspace through an invitation (workspaces.operations), inside
that workspace's scope and transaction. Sent with `tenant`, `invitation` and
`user`; receivers return nothing (people links the contact with the invited address).
""")

dashboard_panels = _signals.signal("dashboard-panels", doc="""
The workspace overview (`workspace.dashboard`) is being shown to `membership`.
A receiver returns a Panel (order, rendered HTML) or None; panels show in their order.
""")

organisation_panels = _signals.signal("organisation-panels", doc="""
An organisation's page (organisations.show) is shown. Sent with `organisation`; a
later domain returns a Panel of what it knows of it (its people, the groups it sits in) or None.
""")

person_panels = _signals.signal("person-panels", doc="""
A person's page (people.show) is shown. Sent with `person`; a later domain returns
a Panel (the groups the person sits in) or None.
""")

body_panels = _signals.signal("body-panels", doc="""
A group's page (bodies.show) is shown to `membership`. Sent with `body`; a later domain
returns a Panel (the group's coming meetings) or None.
""")

menu_entries = _signals.signal("menu-entries", doc="""
The workspace menu is being drawn. A receiver returns a MenuEntry or a list of them;
entries show in their order, each only to members with at least its role.
""")

scheduled_jobs = _signals.signal("scheduled-jobs", doc="""
The worker (`flask outbox work`) or `flask jobs run` asks which jobs there are.
A receiver returns a list of (name, job), job(tenant) -> int; see platform.scheduler.
""")

demo_data = _signals.signal("demo-data", doc="""
`flask demo load` has created the demo workspaces and logins. Sent with `tenants`
(by slug) and `users` (by e-mail); a receiver adds its domain's demo rows, in order
of the domain list, inside each workspace's scope itself.
""")

audit_actions = _signals.signal("audit-actions", doc="""
The audit log asks what each action is called. A receiver returns a dict of
action -> lazy label for the actions its domain records.
""")

unscoped_access = _signals.signal("unscoped-access", doc="""
A block under `tenancy.unscoped(reason)` loaded rows of other workspaces. Sent with
`tenant_ids` and `reason`; the audit log writes an event into each of them.
""")


@dataclass(frozen=True)
class Panel:
    order: int
    html: object  # Markup: a rendered template, shown as it is


@dataclass(frozen=True)
class MenuEntry:
    order: int
    endpoint: str
    label: object  # a lazy string: translated when the menu is drawn
    minimum_role: str = "observer"


def answers(signal, **kwargs) -> list:
    """What the current app's receivers of `signal` returned, without the Nones."""
    return [value for _receiver, value in signal.send(current_app._get_current_object(), **kwargs)
            if value is not None]


def panels(signal, **kwargs) -> list[Panel]:
    """The panels the current app's receivers of `signal` return, in their order."""
    return sorted(answers(signal, **kwargs), key=lambda panel: panel.order)


def connect(signal, receiver: Callable, app) -> None:
    """Connect `receiver` for `app` only, and keep it (blinker holds receivers weakly by default)."""
    signal.connect(receiver, sender=app, weak=False)


def answer_always(signal, value, app) -> None:
    """Answer `signal` for `app` with the same value every time (menu entries, audit labels)."""
    connect(signal, lambda _sender, **_kwargs: value, app)
