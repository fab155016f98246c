"""Every change to a workspace's people (contacts)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from samklima.config import LOCALES
from samklima.extensions import db
from samklima.platform.errors import OperationError
from samklima.platform.permissions import require_role
from samklima.tenants.organisations.models import Organisation
from samklima.tenants.people.models import Person


def find_by_email(email: str) -> Person | None:
    if not email.strip():
        return None
    return db.session.scalar(select(Person).where(func.lower(Person.email) == email.strip().lower()))


def _check(name: str, email: str, organisation_id: int | None, locale: str, exclude_id: int | None = None) -> None:
    if not name.strip():
        raise OperationError(_l("Please fill in this field."), field="name")
    if organisation_id is not None and db.session.scalar(
        select(Organisation.id).where(Organisation.id == organisation_id)
    ) is None:
        raise OperationError(_l("Choose an organisation from the list."), field="organisation_id")
    if locale and locale not in LOCALES:
        raise OperationError(_l("Choose a language from the list."), field="locale")
    same = find_by_email(email)
    if same is not None and same.id != exclude_id:
        raise OperationError(_l("Another person in this workspace already has this e-mail address."), field="email")


def create_person(*, by, name: str, email: str = "", organisation_id: int | None = None, title: str = "",
                  phone: str = "", locale: str = "") -> Person:
    require_role(by, "secretariat")
    return add_person(name=name, email=email, organisation_id=organisation_id, title=title, phone=phone, locale=locale)


def add_person(*, name: str, email: str = "", organisation_id: int | None = None, title: str = "",
               phone: str = "", locale: str = "") -> Person:
    """The rule-checked write, for callers that have checked permission their own way
    (a director answering a nomination link has no account)."""
    _check(name, email, organisation_id, locale)
    person = Person(
        name=name.strip(), email=email.strip().lower(), organisation_id=organisation_id,
        title=title.strip(), phone=phone.strip(), locale=locale,
    )
    db.session.add(person)
    db.session.flush()
    return person


def update_person(person: Person, *, by, name: str, email: str, organisation_id: int | None, title: str,
                  phone: str, locale: str) -> None:
    require_role(by, "secretariat")
    _check(name, email, organisation_id, locale, exclude_id=person.id)
    person.name = name.strip()
    person.email = email.strip().lower()
    person.organisation_id = organisation_id
    person.title = title.strip()
    person.phone = phone.strip()
    person.locale = locale


def person_for_user(user) -> Person | None:
    """The current workspace's contact linked to this account, if any."""
    return db.session.scalar(select(Person).where(Person.user_id == user.id))
