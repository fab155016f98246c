"""Groups (bodies): terms of reference, members and their terms, coverage, secretariats, nominations."""
from flask_babel import lazy_gettext as _l

from samklima.platform import signals
from samklima.platform.domains import mount_in_workspace


def register(app) -> None:
    from samklima.tenants.bodies import demo, models  # noqa: F401 (its tables, for the metadata and Alembic)
    from samklima.tenants.bodies.nominations import operations as nominations
    from samklima.tenants.bodies.labels import AUDIT_LABELS, KIND_LABELS, role_label
    from samklima.tenants.bodies.panels import organisation_representation, person_groups
    from samklima.tenants.bodies.nominations.views import bp as nominations_bp
    from samklima.tenants.bodies.nominations.views import link_bp as nomination_link_bp
    from samklima.tenants.bodies.views import bp

    mount_in_workspace(app, bp)
    mount_in_workspace(app, nominations_bp)
    # /nominations/<token>: the link a head answers without an account; its workspace comes from the token.
    app.register_blueprint(nomination_link_bp)
    signals.answer_always(signals.menu_entries, signals.MenuEntry(10, "bodies.index", _l("Groups")), app)
    signals.answer_always(signals.audit_actions, AUDIT_LABELS | nominations.AUDIT_LABELS, app)
    signals.answer_always(signals.scheduled_jobs, [("nomination_reminders", nominations.send_due_reminders)], app)
    signals.connect(signals.demo_data, demo.load, app)
    signals.connect(signals.organisation_panels, organisation_representation, app)
    signals.connect(signals.person_panels, person_groups, app)
    # For every template, a later domain's too: what a group's kind and a member's role are called.
    app.add_template_global(KIND_LABELS, "body_kind_labels")
    app.add_template_global(role_label, "body_role_label")
