"""Reads the people pages share; each runs a fixed number of queries."""
from __future__ import annotations

from sqlalchemy import select

from samklima.extensions import db
from samklima.platform.sorting import by_name
from samklima.tenants.people.models import Person


def all_people() -> list[Person]:
    """Every contact with their organisation and linked user (one query)."""
    people = db.session.scalars(select(Person)).unique().all()
    return by_name(people)


def people_of(organisation) -> list[Person]:
    """The contacts of one organisation, by name (one query)."""
    people = db.session.scalars(select(Person).where(Person.organisation_id == organisation.id)).unique().all()
    return by_name(people)
