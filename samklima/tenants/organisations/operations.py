"""Every change to a workspace's organisations."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from samklima.extensions import db
from samklima.platform.errors import OperationError
from samklima.platform.permissions import require_role
from samklima.tenants.organisations.models import COUNTRIES, ORGANISATION_KINDS, Organisation


def find_by_name(name: str, parent_id: int | None) -> Organisation | None:
    return db.session.scalar(
        select(Organisation).where(
            func.lower(Organisation.name) == name.strip().lower(),
            Organisation.parent_id.is_(None) if parent_id is None else Organisation.parent_id == parent_id,
        )
    )


def _parent_in_workspace(parent_id: int | None) -> Organisation | None:
    if parent_id is None:
        return None
    parent = db.session.scalar(select(Organisation).where(Organisation.id == parent_id))
    if parent is None:
        raise OperationError(_l("Choose a parent organisation from the list."), field="parent_id")
    return parent


def check_organisation(name: str, kind: str, country: str, parent_id: int | None, exclude_id: int | None = None):
    """Raise on the first rule a new or changed organisation breaks."""
    if not name.strip():
        raise OperationError(_l("Please fill in this field."), field="name")
    if kind not in ORGANISATION_KINDS:
        raise OperationError(_l("Choose a kind from the list."), field="kind")
    if country not in COUNTRIES:
        raise OperationError(_l("Choose a country from the list."), field="country")
    _parent_in_workspace(parent_id)
    same = find_by_name(name, parent_id)
    if same is not None and same.id != exclude_id:
        raise OperationError(_l("An organisation with this name already exists here."), field="name")


def create_organisation(*, by, name: str, kind: str, country: str, parent_id: int | None = None,
                        official_code: str = "", head_name: str = "", head_email: str = "") -> Organisation:
    require_role(by, "secretariat")
    check_organisation(name, kind, country, parent_id)
    organisation = Organisation(
        name=name.strip(), kind=kind, country=country, parent_id=parent_id,
        official_code=official_code.strip(), head_name=head_name.strip(), head_email=head_email.strip().lower(),
    )
    db.session.add(organisation)
    db.session.flush()
    return organisation


def update_organisation(organisation: Organisation, *, by, name: str, kind: str, country: str,
                        parent_id: int | None, official_code: str, head_name: str, head_email: str) -> None:
    require_role(by, "secretariat")
    check_organisation(name, kind, country, parent_id, exclude_id=organisation.id)
    if parent_id is not None and parent_id in descendant_ids(organisation.id) | {organisation.id}:
        raise OperationError(_l("An organisation cannot be placed under itself."), field="parent_id")
    organisation.name = name.strip()
    organisation.kind = kind
    organisation.country = country
    organisation.parent_id = parent_id
    organisation.official_code = official_code.strip()
    organisation.head_name = head_name.strip()
    organisation.head_email = head_email.strip().lower()


def all_organisations() -> list[Organisation]:
    return db.session.scalars(select(Organisation).order_by(func.lower(Organisation.name))).all()


def descendant_ids(organisation_id: int) -> set[int]:
    """Every organisation below this one, at any depth (one query, walked in memory)."""
    children: dict[int | None, list[int]] = {}
    for org_id, parent_id in db.session.execute(select(Organisation.id, Organisation.parent_id)):
        children.setdefault(parent_id, []).append(org_id)
    found, stack = set(), list(children.get(organisation_id, []))
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return found
