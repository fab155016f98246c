"""Reads that several pages share: coverage gaps and who sits where.

Each function runs a fixed number of queries, however many bodies and
members there are, and works the rest out in memory.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from samklima.extensions import db
from samklima.tenants.bodies.models import Body, BodyMemberOrganisation, BodyMembership, BodySeat
from samklima.tenants.organisations.models import Organisation


@dataclass(frozen=True)
class Gap:
    """Something a body must cover and does not: an organisation or a seat."""

    body: Body
    organisation: Organisation | None = None
    seat: BodySeat | None = None


def active_on(day: date):
    return (BodyMembership.start_date <= day, or_(BodyMembership.end_date.is_(None), BodyMembership.end_date >= day))


def coverage_gaps(day: date, body_ids: list[int] | None = None) -> dict[int, list[Gap]]:
    """The gaps of every active body with a coverage rule (or of `body_ids`)."""
    query = select(Body).where(Body.status == "active", Body.coverage_rule != "none")
    if body_ids is not None:
        query = query.where(Body.id.in_(body_ids))
    bodies = {body.id: body for body in db.session.scalars(query)}
    if not bodies:
        return {}
    required = defaultdict(list)
    for link in db.session.scalars(
        select(BodyMemberOrganisation).where(BodyMemberOrganisation.body_id.in_(bodies))
    ):
        required[link.body_id].append(link.organisation)
    seats = defaultdict(list)
    for seat in db.session.scalars(select(BodySeat).where(BodySeat.body_id.in_(bodies)).order_by(BodySeat.position)):
        seats[seat.body_id].append(seat)
    covered_orgs, filled_seats = defaultdict(set), set()
    for body_id, organisation_id, seat_id in db.session.execute(
        select(BodyMembership.body_id, BodyMembership.organisation_id, BodyMembership.seat_id)
        .where(BodyMembership.body_id.in_(bodies), *active_on(day))
    ):
        covered_orgs[body_id].add(organisation_id)
        filled_seats.add(seat_id)
    departments = _departments_below() if any(b.coverage_rule == "departments" for b in bodies.values()) else {}

    gaps: dict[int, list[Gap]] = {}
    for body_id, body in bodies.items():
        if body.coverage_rule == "seats":
            found = [Gap(body, seat=seat) for seat in seats[body_id] if seat.id not in filled_seats]
        else:
            organisations = required[body_id]
            if body.coverage_rule == "departments":
                organisations = [d for org in organisations for d in departments.get(org.id, [])]
            found = [Gap(body, organisation=org) for org in sorted(organisations, key=lambda o: o.name.lower())
                     if org.id not in covered_orgs[body_id]]
        if found:
            gaps[body_id] = found
    return gaps


def _departments_below() -> dict[int, list[Organisation]]:
    """For each organisation, the departments under it at any depth."""
    organisations = db.session.scalars(select(Organisation)).all()
    children = defaultdict(list)
    for org in organisations:
        children[org.parent_id].append(org)
    result = {}
    for org in organisations:
        found, stack = [], list(children[org.id])
        while stack:
            current = stack.pop()
            if current.kind == "department":
                found.append(current)
            stack.extend(children[current.id])
        result[org.id] = found
    return result
