"""Workspace roles, ranked: each role may do what the ones below it may."""
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from werkzeug.exceptions import Forbidden

ROLE_RANK = {"observer": 0, "member": 1, "secretariat": 2, "admin": 3, "owner": 4}

ROLE_LABELS = {
    "owner": _l("Owner"),
    "admin": _l("Administrator"),
    "secretariat": _l("Secretariat"),
    "member": _lp("workspace role", "Member"),
    "observer": _lp("workspace role", "Observer"),
}


class PermissionDenied(Forbidden):
    is_localised = True
    description = _l("Your role in this workspace does not allow this.")


def has_role(membership, minimum: str) -> bool:
    return membership is not None and ROLE_RANK[membership.role] >= ROLE_RANK[minimum]


def require_role(membership, minimum: str) -> None:
    if not has_role(membership, minimum):
        raise PermissionDenied()
