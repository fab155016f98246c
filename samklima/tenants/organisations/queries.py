"""Reads that the organisation pages share.

Each function runs a fixed number of queries, however many organisations,
people and memberships there are, and works the tree out in memory.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select

from samklima.extensions import db
from samklima.tenants.bodies.models import Body, BodyMembership
from samklima.tenants.organisations.models import Organisation
from samklima.tenants.people.models import Person


def name_key(name: str) -> str:
    """Names compared and sorted as people read them: "ÆRØ KOMMUNE" is "Ærø Kommune".

    In Python, because SQLite's lower() folds ASCII letters only.
    """
    return " ".join(name.split()).casefold()


@dataclass
class TreeNode:
    organisation: Organisation
    depth: int
    ancestors: list[Organisation]
    children: list[TreeNode] = field(default_factory=list)


def organisation_tree() -> list[TreeNode]:
    """Every organisation, depth first: each parent before its departments, by name (one query)."""
    organisations = db.session.scalars(select(Organisation)).unique().all()
    known = {o.id for o in organisations}
    children: dict[int | None, list[Organisation]] = {}
    for organisation in organisations:
        parent_id = organisation.parent_id if organisation.parent_id in known else None
        children.setdefault(parent_id, []).append(organisation)
    for siblings in children.values():
        siblings.sort(key=lambda o: name_key(o.name))
    flat: list[TreeNode] = []
    seen: set[int] = set()

    def walk(parent_id, depth, ancestors, into):
        for organisation in children.get(parent_id, []):
            if organisation.id in seen:
                continue
            seen.add(organisation.id)
            node = TreeNode(organisation, depth, ancestors)
            flat.append(node)
            into.append(node)
            walk(organisation.id, depth + 1, [*ancestors, organisation], node.children)

    walk(None, 0, [], [])
    return flat


def node_of(tree: list[TreeNode], organisation: Organisation) -> TreeNode:
    # Not in the tree only if the data hold a loop, which the operations refuse.
    return next((node for node in tree if node.organisation.id == organisation.id), TreeNode(organisation, 0, []))


def people_of(organisation: Organisation) -> list[Person]:
    people = db.session.scalars(select(Person).where(Person.organisation_id == organisation.id)).unique().all()
    return sorted(people, key=lambda p: name_key(p.name))


@dataclass
class Representation:
    """A group in which the organisation has representatives today."""

    body: Body
    memberships: list[BodyMembership]


def representation_of(organisation: Organisation, day: date) -> list[Representation]:
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
        item.memberships.sort(key=lambda m: name_key(m.person.name))
    return sorted(by_body.values(), key=lambda r: name_key(r.body.name))
