"""People: the workspace's contacts, with or without an account of their own."""
from flask_babel import lazy_gettext as _l

from samklima.platform import signals
from samklima.platform.domains import mount_in_workspace


def register(app) -> None:
    from samklima.tenants.people import models  # noqa: F401 (its tables, for the metadata and Alembic)
    from samklima.tenants.people.labels import AUDIT_LABELS
    from samklima.tenants.people.operations import link_invited_person
    from samklima.tenants.people.panels import organisation_people
    from samklima.tenants.people.views import bp

    mount_in_workspace(app, bp)
    signals.answer_always(signals.menu_entries, signals.MenuEntry(30, "people.index", _l("People")), app)
    signals.answer_always(signals.audit_actions, AUDIT_LABELS, app)
    signals.connect(signals.invitation_accepted, link_invited_person, app)
    signals.connect(signals.organisation_panels, organisation_people, app)
