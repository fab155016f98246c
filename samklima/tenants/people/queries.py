"""Reads the people pages share; each runs a fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from samklima.extensions import db
from samklima.tenants.bodies.models import Body, BodyMembership
from samklima.tenants.organisations.queries import name_key
from samklima.tenants.people.models import Person


def all_people() -> list[Person]:
    """Every contact with their organisation and linked user (one query)."""
    people = db.session.scalars(select(Person)).unique().all()
    return sorted(people, key=lambda p: name_key(p.name))


@dataclass
class Place:
    body: Body
    membership: BodyMembership


def places_of(person: Person, day: date) -> tuple[list[Place], list[Place]]:
    """(current, past) memberships of groups; a term that has not begun yet counts as current."""
    rows = db.session.execute(
        select(BodyMembership, Body)
        .join(Body, Body.id == BodyMembership.body_id)
        .where(BodyMembership.person_id == person.id)
    ).unique().all()
    places = [Place(body, membership) for membership, body in rows]
    current = [p for p in places if p.membership.end_date is None or p.membership.end_date >= day]
    past = [p for p in places if p.membership.end_date is not None and p.membership.end_date < day]
    current.sort(key=lambda p: (name_key(p.body.name), p.membership.start_date))
    past.sort(key=lambda p: p.membership.end_date, reverse=True)
    return current, past
