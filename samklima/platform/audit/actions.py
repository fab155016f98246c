"""What each audit action is called in the interface."""
from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "login": _l("Signed in"),
    "login_failed": _l("Failed sign-in"),
    "logout": _l("Signed out"),
    "password_changed": _l("Password changed"),
    "password_reset": _l("Password reset by e-mail"),
    "two_factor_enabled": _l("Two-factor authentication turned on"),
    "two_factor_disabled": _l("Two-factor authentication turned off"),
    "workspace_created": _l("Workspace created"),
    "settings_changed": _l("Workspace settings changed"),
    "role_changed": _l("Role changed"),
    "member_removed": _l("Member removed"),
    "member_joined": _l("Member joined"),
    "invitation_sent": _l("Invitation sent"),
    "invitation_revoked": _l("Invitation withdrawn"),
    "unscoped_access": _l("Data read outside the workspace scope"),
}
