"""Meetings of a group, from plan to report-back: the meeting plan, agenda items and
proposals, published agendas with calendar invitations, answers to invitations."""
from flask_babel import lazy_gettext as _l

from samklima.platform import signals
from samklima.platform.domains import mount_in_workspace


def register(app) -> None:
    from samklima.tenants.meetings import models  # noqa: F401 (its tables, for the metadata and Alembic)
    from samklima.tenants.meetings import demo, labels, operations
    from samklima.tenants.meetings.panels import body_meetings, overview
    from samklima.tenants.meetings.views import bp, link_bp

    mount_in_workspace(app, bp)
    app.register_blueprint(link_bp)
    signals.answer_always(signals.menu_entries, signals.MenuEntry(15, "meetings.index", _l("Meetings")), app)
    signals.answer_always(signals.audit_actions, operations.AUDIT_LABELS, app)
    signals.answer_always(signals.scheduled_jobs, [("publish_agendas", operations.publish_due_agendas)], app)
    signals.connect(signals.body_panels, body_meetings, app)
    signals.connect(signals.dashboard_panels, overview, app)
    signals.connect(signals.demo_data, demo.load, app)
    # For the pages and for the mails, which the worker renders outside any request of this blueprint.
    for name in ("ATTENDANCE_LABELS", "ITEM_KIND_LABELS", "ITEM_STATUS_LABELS", "MEETING_STATUS_LABELS", "RSVP_LABELS",
                 "INVITEE_KIND_LABELS", "STANDING_LABELS"):
        app.add_template_global(getattr(labels, name), name.lower())
