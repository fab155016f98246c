"""Organisations: municipalities, regions, their departments (a tree of any depth) and other bodies."""
from flask_babel import lazy_gettext as _l

from samklima.platform import signals
from samklima.platform.domains import mount_in_workspace


def register(app) -> None:
    from samklima.tenants.organisations import models  # noqa: F401 (its tables, for the metadata and Alembic)
    from samklima.tenants.organisations.labels import AUDIT_LABELS
    from samklima.tenants.organisations.views import bp

    mount_in_workspace(app, bp)
    signals.answer_always(signals.menu_entries, signals.MenuEntry(20, "organisations.index", _l("Organisations")), app)
    signals.answer_always(signals.audit_actions, AUDIT_LABELS, app)
