"""Every change to a workspace's people (contacts), their link to a user, and
inviting a contact to become one."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from samklima.config import LOCALES
from samklima.extensions import db
from samklima.platform import rules
from samklima.platform.accounts.models import User
from samklima.platform.audit.operations import record
from samklima.platform.errors import OperationError
from samklima.platform.permissions import require_role
from samklima.platform.workspaces import operations as workspace_operations
from samklima.platform.workspaces.models import Invitation, TenantMembership
from samklima.tenants.organisations.models import Organisation
from samklima.tenants.people.models import Person
from samklima.tenants.people.queries import find_by_email, person_for_user, workspace_membership_of

# "Leave the link as it is": callers that do not deal with accounts pass nothing.
UNCHANGED = object()


def _check(name: str, email: str, organisation_id: int | None, locale: str, exclude_id: int | None = None,
           user_id=UNCHANGED, title: str = "", phone: str = "") -> None:
    rules.require(name, "name")
    for field, value, limit in (("name", name, 200), ("email", email, 254), ("title", title, 200),
                                ("phone", phone, 40)):
        rules.at_most(value.strip(), limit, field)
    rules.email_address(email, "email", required=False)
    if organisation_id is not None and db.session.scalar(
        select(Organisation.id).where(Organisation.id == organisation_id)
    ) is None:
        raise OperationError(_l("Choose an organisation from the list."), field="organisation_id")
    if locale and locale not in LOCALES:
        raise OperationError(_l("Choose a language from the list."), field="locale")
    same = find_by_email(email)
    if same is not None and same.id != exclude_id:
        raise OperationError(_l("Another person in this workspace already has this e-mail address."), field="email")
    if user_id is not UNCHANGED and user_id is not None:
        if workspace_membership_of(user_id) is None:
            raise OperationError(_l("Choose a member of this workspace."), field="user_id")
        linked = db.session.scalar(select(Person).where(Person.user_id == user_id))
        if linked is not None and linked.id != exclude_id:
            raise OperationError(
                _l("This member is already linked to %(name)s.", name=linked.name), field="user_id"
            )


@dataclass
class PersonFields:
    """What the person form says about one contact."""

    name: str
    organisation_id: int | None
    title: str
    email: str
    phone: str
    locale: str
    user_id: int | None


def create_person(*, by, name: str, email: str = "", organisation_id: int | None = None, title: str = "",
                  phone: str = "", locale: str = "", user_id: int | None = None) -> Person:
    require_role(by, "secretariat")
    _check(name, email, organisation_id, locale, user_id=user_id, title=title, phone=phone)
    person = add_person(name=name, email=email, organisation_id=organisation_id, title=title, phone=phone,
                        locale=locale)
    person.user_id = user_id
    db.session.flush()
    record("person_created", actor=by.user, subject=person.name)
    return person


def add_person(*, name: str, email: str = "", organisation_id: int | None = None, title: str = "",
               phone: str = "", locale: str = "") -> Person:
    """The rule-checked write, for callers that have checked permission their own way
    (a director answering a nomination link has no account)."""
    _check(name, email, organisation_id, locale, title=title, phone=phone)
    person = Person(
        name=" ".join(name.split()), email=email.strip().lower(), organisation_id=organisation_id,
        title=title.strip(), phone=phone.strip(), locale=locale,
    )
    db.session.add(person)
    db.session.flush()
    return person


def update_person(person: Person, *, by, name: str, email: str, organisation_id: int | None, title: str,
                  phone: str, locale: str, user_id=UNCHANGED) -> None:
    require_role(by, "secretariat")
    _check(name, email, organisation_id, locale, exclude_id=person.id, user_id=user_id, title=title, phone=phone)
    person.name = " ".join(name.split())
    person.email = email.strip().lower()
    person.organisation_id = organisation_id
    person.title = title.strip()
    person.phone = phone.strip()
    person.locale = locale
    if user_id is not UNCHANGED:
        person.user_id = user_id
    db.session.flush()
    record("person_changed", actor=by.user, subject=person.name)


# --- becoming a user ------------------------------------------------------------------------

def invite_person(person: Person, *, by, tenant) -> Invitation:
    """Invite a contact to join the workspace as a member; accepting links the two.

    Inviting gives access to the workspace, so it takes what every invitation
    takes: an administrator or owner (the platform checks it again).
    """
    require_role(by, "admin")
    if person.user_id is not None:
        raise OperationError(_l("%(name)s already signs in as a member of this workspace.", name=person.name))
    if not person.email:
        raise OperationError(_l("Add an e-mail address for %(name)s first.", name=person.name))
    member = db.session.scalar(
        select(TenantMembership.id)
        .join(User, User.id == TenantMembership.user_id)
        .where(TenantMembership.tenant_id == tenant.id, func.lower(User.email) == person.email)
    )
    if member is not None:
        raise OperationError(_l(
            "%(email)s is already a member of this workspace: link %(name)s to that member instead.",
            email=person.email, name=person.name,
        ))
    locale = person.locale if person.locale in LOCALES else tenant.default_locale
    return workspace_operations.invite(tenant, person.email, "member", locale, by=by)


def link_invited_person(app, tenant, invitation, user) -> None:
    """The receiver of signals.invitation_accepted: the contact with the invited e-mail
    address becomes the accepting user's person in this workspace, unless either is
    linked already. Only the invited address itself: a forwarded link must not hand
    someone else the contact's place in groups."""
    if user.email.lower() != invitation.email.lower():
        return
    person = db.session.scalar(
        select(Person).where(func.lower(Person.email) == invitation.email.lower(), Person.user_id.is_(None))
    )
    if person is None or person_for_user(user) is not None:
        return
    person.user_id = user.id
    db.session.flush()
