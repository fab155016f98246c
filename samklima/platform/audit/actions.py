"""What each audit action is called in the interface.

The platform's own actions are here; each domain names its own, answering
signals.audit_actions in its `register(app)`.
"""
from flask_babel import lazy_gettext as _l

from samklima.platform import signals

ACTION_LABELS = {
    "login": _l("Signed in"),
    "login_failed": _l("Failed sign-in"),
    "logout": _l("Signed out"),
    "password_changed": _l("Password changed"),
    "password_reset": _l("Password reset by e-mail"),
    "two_factor_enabled": _l("Two-factor authentication turned on"),
    "two_factor_disabled": _l("Two-factor authentication turned off"),
    "two_factor_locked": _l("Two-factor sign-in locked after too many wrong codes"),
    "workspace_created": _l("Workspace created"),
    "settings_changed": _l("Workspace settings changed"),
    "role_changed": _l("Role changed"),
    "member_removed": _l("Member removed"),
    "member_joined": _l("Member joined"),
    "invitation_sent": _l("Invitation sent"),
    "invitation_revoked": _l("Invitation withdrawn"),
    "unscoped_access": _l("Data read outside the workspace scope"),
}


def action_labels() -> dict:
    """Every action the current app records, the platform's and its domains', with its label."""
    labels = dict(ACTION_LABELS)
    for domain_labels in signals.answers(signals.audit_actions):
        labels.update(domain_labels)
    return labels
