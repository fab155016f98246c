"""Reads that several pages share: coverage gaps and who sits where.

Each function runs a fixed number of queries, however many bodies and
members there are, and works the rest out in memory.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask import abort
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from samklima.extensions import db
from samklima.platform import trees
from samklima.platform.sorting import by_name, name_key
from samklima.tenants.bodies.models import (
    BODY_ROLES,
    Body,
    BodyMemberOrganisation,
    BodyMembership,
    BodySeat,
    ChairTerm,
    SecretariatService,
)
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
            found = [Gap(body, organisation=org) for org in by_name(organisations)
                     if org.id not in covered_orgs[body_id]]
        if found:
            gaps[body_id] = found
    return gaps


def _departments_below() -> dict[int, list[Organisation]]:
    """For each organisation, the departments under it at any depth."""
    organisations = db.session.scalars(select(Organisation)).all()
    children = trees.children_by_parent(organisations, lambda org: org.parent_id)
    return {org.id: [found for found in trees.below(children, [org.id], key=lambda row: row.id)
                     if found.kind == "department"]
            for org in organisations}


# --- the groups page -------------------------------------------------------------------

@dataclass
class TreeNode:
    body: Body
    children: list[TreeNode]
    member_count: int
    parent_name: str | None = None  # shown when the parent is filtered out


def body_tree(day: date, status: str | None = None) -> list[TreeNode]:
    """The workspace's groups as a forest (parent → sub-groups), in two queries.

    With a status filter, a group whose parent does not match is shown at the
    top level, with the parent's name beside it.
    """
    bodies = by_name(db.session.scalars(select(Body).order_by(Body.id)).all())
    counts = dict(db.session.execute(
        select(BodyMembership.body_id, func.count(BodyMembership.id))
        .where(*active_on(day)).group_by(BodyMembership.body_id)
    ).all())
    by_id = {body.id: body for body in bodies}
    shown = {body.id for body in bodies if status is None or body.status == status}
    nodes = {body_id: TreeNode(by_id[body_id], [], counts.get(body_id, 0)) for body_id in shown}
    roots = []
    for body in bodies:
        if body.id not in shown:
            continue
        node = nodes[body.id]
        if body.parent_id in nodes:
            nodes[body.parent_id].children.append(node)
        else:
            if body.parent_id in by_id:
                node.parent_name = by_id[body.parent_id].name
            roots.append(node)
    return roots


@dataclass
class Participation:
    """Which organisations take part in which active groups, and with how many people."""

    organisations: list[Organisation]
    bodies: list[Body]
    counts: dict[tuple[int, int], int]


def participation(day: date) -> Participation:
    """Rows: the organisations that active members represent; columns: the active
    groups they sit in (seed 004's working group across three municipalities)."""
    rows = db.session.execute(
        select(BodyMembership.organisation_id, BodyMembership.body_id, func.count(BodyMembership.id))
        .join(Body, Body.id == BodyMembership.body_id)
        .where(Body.status == "active", BodyMembership.organisation_id.is_not(None), *active_on(day))
        .group_by(BodyMembership.organisation_id, BodyMembership.body_id)
    ).all()
    counts = {(org_id, body_id): count for org_id, body_id, count in rows}
    organisation_ids = {org_id for org_id, _b, _c in rows}
    body_ids = {body_id for _o, body_id, _c in rows}
    organisations = by_name(db.session.scalars(
        select(Organisation).where(Organisation.id.in_(organisation_ids)).order_by(Organisation.id)
    ).all()) if organisation_ids else []
    bodies = by_name(db.session.scalars(
        select(Body).where(Body.id.in_(body_ids)).order_by(Body.id)
    ).all()) if body_ids else []
    return Participation(organisations, bodies, counts)


# --- one group's page ------------------------------------------------------------------

@dataclass
class SeatView:
    seat: BodySeat
    holders: list[BodyMembership]


@dataclass
class MemberOrganisationView:
    organisation: Organisation
    representatives: list[BodyMembership]


@dataclass
class SecretariatView:
    body: Body
    organisations: list[Organisation]  # whom its active members represent: its offices


@dataclass
class BodyPage:
    body: Body
    sub_groups: list[Body]
    current: dict[str, list[BodyMembership]]  # role → members, roles in BODY_ROLES order
    past: list[BodyMembership]
    chairs: list[BodyMembership]
    chair_rotation: list[ChairTerm]
    current_chair_term: ChairTerm | None
    next_chair_term: ChairTerm | None
    seats: list[SeatView]
    member_organisations: list[MemberOrganisationView]
    gaps: list[Gap]
    served_by: list[SecretariatView]
    serves: list[Body]

    @property
    def current_members(self) -> list[BodyMembership]:
        return [m for members in self.current.values() for m in members]

    @property
    def seat_labels(self) -> dict[int, str]:
        return {view.seat.id: view.seat.label for view in self.seats}


def load_body(body_id: int) -> Body:
    """A group with its parent and "reports to" (lazy="raise_on_sql": loaded here, on purpose)."""
    from samklima.platform.tenancy import get_or_404

    return get_or_404(Body, body_id, joinedload(Body.parent), joinedload(Body.reports_to))


def body_page(body: Body, day: date) -> BodyPage:
    """Everything a group's page shows, in a fixed number of queries."""
    sub_groups = by_name(db.session.scalars(
        select(Body).where(Body.parent_id == body.id).order_by(Body.id)
    ).all())
    memberships = db.session.scalars(
        select(BodyMembership).where(BodyMembership.body_id == body.id)
        .order_by(BodyMembership.start_date, BodyMembership.id)
    ).unique().all()
    seats = db.session.scalars(
        select(BodySeat).where(BodySeat.body_id == body.id).order_by(BodySeat.position, BodySeat.id)
    ).all()
    links = db.session.scalars(
        select(BodyMemberOrganisation).where(BodyMemberOrganisation.body_id == body.id)
    ).all()
    terms = db.session.scalars(
        select(ChairTerm).where(ChairTerm.body_id == body.id).order_by(ChairTerm.starts_on)
    ).all()

    current_members = [m for m in memberships if m.end_date is None or m.end_date >= day]
    past = sorted((m for m in memberships if m.end_date is not None and m.end_date < day),
                  key=lambda m: (m.end_date, m.id), reverse=True)
    current = {role: [] for role in BODY_ROLES}
    for membership in by_name(current_members, lambda m: m.person.name):
        current[membership.role].append(membership)
    current = {role: members for role, members in current.items() if members}

    started = [term for term in terms if term.starts_on <= day]
    upcoming = [term for term in terms if term.starts_on > day]
    current_term = started[-1] if started else None
    if current_term is not None:
        chairs = [current_term.membership]
    else:
        chairs = [m for m in current.get("chair", []) if m.is_active_on(day)]

    active = by_name((m for m in current_members if m.is_active_on(day)), lambda m: m.person.name)
    seat_views = [SeatView(seat, [m for m in active if m.seat_id == seat.id]) for seat in seats]
    targets = {link.organisation_id: link.organisation for link in links}
    if body.coverage_rule == "departments":
        # Seed 003: "minst en från varje förvaltning" counts the departments, not the city.
        below = _departments_below()
        targets = {dep.id: dep for org_id in targets for dep in below.get(org_id, [])}
    organisation_views = [
        MemberOrganisationView(org, [m for m in active if m.organisation_id == org.id])
        for org in by_name(targets.values())
    ]
    gaps = coverage_gaps(day, [body.id]).get(body.id, [])
    served_by, serves = _secretariat_links(body, day)
    return BodyPage(
        body=body, sub_groups=sub_groups, current=current, past=past, chairs=chairs,
        chair_rotation=terms, current_chair_term=current_term, next_chair_term=upcoming[0] if upcoming else None,
        seats=seat_views, member_organisations=organisation_views, gaps=gaps, served_by=served_by, serves=serves,
    )


def _secretariat_links(body: Body, day: date) -> tuple[list[SecretariatView], list[Body]]:
    """The secretariats serving this group (with the organisations their members
    come from) and, for a secretariat, the groups it serves: three queries."""
    links = db.session.execute(
        select(SecretariatService.secretariat_id, SecretariatService.body_id).where(
            or_(SecretariatService.body_id == body.id, SecretariatService.secretariat_id == body.id))
    ).all()
    secretariat_ids = {s for s, b in links if b == body.id}
    served_ids = {b for s, b in links if s == body.id}
    wanted = secretariat_ids | served_ids
    related = {b.id: b for b in db.session.scalars(select(Body).where(Body.id.in_(wanted)))} if wanted else {}
    offices = defaultdict(dict)
    if secretariat_ids:
        for secretariat_id, organisation in db.session.execute(
            select(BodyMembership.body_id, Organisation)
            .join(Organisation, Organisation.id == BodyMembership.organisation_id)
            .where(BodyMembership.body_id.in_(secretariat_ids), *active_on(day))
        ).all():
            offices[secretariat_id][organisation.id] = organisation
    served_by = [
        SecretariatView(related[s], by_name(offices[s].values()))
        for s in by_name(secretariat_ids, lambda s: related[s].name)
    ]
    serves = by_name(related[b] for b in served_ids)
    return served_by, serves


# --- choices for the forms ---------------------------------------------------------------

def all_bodies() -> list[Body]:
    return by_name(db.session.scalars(select(Body).order_by(Body.id)).all())


def seats_of(body: Body) -> list[BodySeat]:
    return db.session.scalars(
        select(BodySeat).where(BodySeat.body_id == body.id).order_by(BodySeat.position, BodySeat.id)
    ).all()


def member_organisation_ids(body: Body) -> list[int]:
    return list(db.session.scalars(
        select(BodyMemberOrganisation.organisation_id).where(BodyMemberOrganisation.body_id == body.id)
    ))


def served_body_ids(secretariat: Body) -> list[int]:
    return list(db.session.scalars(
        select(SecretariatService.body_id).where(SecretariatService.secretariat_id == secretariat.id)
    ))


def current_memberships(body: Body, day: date) -> list[BodyMembership]:
    return db.session.scalars(
        select(BodyMembership).where(BodyMembership.body_id == body.id, *active_on(day))
        .order_by(BodyMembership.id)
    ).unique().all()


def membership_of(body: Body, member_id: int) -> BodyMembership:
    """A member of this group only: another group's (or workspace's) id is 404."""
    from samklima.platform.tenancy import get_or_404

    membership = get_or_404(BodyMembership, member_id)
    if membership.body_id != body.id:
        abort(404)
    return membership


def seat_of(body: Body, seat_id: int) -> BodySeat:
    from samklima.platform.tenancy import get_or_404

    seat = get_or_404(BodySeat, seat_id)
    if seat.body_id != body.id:
        abort(404)
    return seat


def shortcut_organisation_ids(organisations: list[Organisation], *, municipalities: bool = False,
                              departments_of: int | None = None) -> set[int]:
    """"All municipalities" or "all departments of X" (at any depth), from a loaded list."""
    found = set()
    if municipalities:
        found |= {org.id for org in organisations if org.kind == "municipality"}
    if departments_of is not None:
        children = trees.children_by_parent(organisations, lambda org: org.parent_id)
        found |= {org.id for org in trees.below(children, [departments_of], key=lambda row: row.id)
                  if org.kind == "department"}
    return found


@dataclass
class Representation:
    """A group in which the organisation has representatives today."""

    body: Body
    memberships: list[BodyMembership]


def representation_of(organisation, day: date) -> list[Representation]:
    """The groups whose active members represent this organisation (one query)."""
    rows = db.session.execute(
        select(BodyMembership, Body)
        .join(Body, Body.id == BodyMembership.body_id)
        .where(
            BodyMembership.organisation_id == organisation.id,
            BodyMembership.start_date <= day,
            or_(BodyMembership.end_date.is_(None), BodyMembership.end_date >= day),
        )
    ).unique().all()
    by_body: dict[int, Representation] = {}
    for membership, body in rows:
        by_body.setdefault(body.id, Representation(body, [])).memberships.append(membership)
    for item in by_body.values():
        item.memberships[:] = by_name(item.memberships, lambda m: m.person.name)
    return by_name(by_body.values(), lambda r: r.body.name)


@dataclass
class Place:
    body: Body
    membership: BodyMembership


def places_of(person, day: date) -> tuple[list[Place], list[Place]]:
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
