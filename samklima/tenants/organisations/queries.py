"""Reads that the organisation pages share.

Each function runs a fixed number of queries, however many organisations
there are, and works the tree out in memory.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from samklima.extensions import db
from samklima.platform import trees
from samklima.platform.sorting import by_name
from samklima.tenants.organisations.models import Organisation


def folded(name: str) -> str:
    """A name as it is compared when matching: "ÆRØ  KOMMUNE" is "Ærø Kommune".

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
    children = trees.children_by_parent(by_name(organisations), lambda o: o.parent_id if o.parent_id in known else None)
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


def all_organisations() -> list[Organisation]:
    return by_name(db.session.scalars(select(Organisation)).all())


def find_by_name(name: str, parent_id: int | None) -> Organisation | None:
    """The organisation of this name directly under `parent_id` (None: at the top)."""
    siblings = db.session.scalars(
        select(Organisation).where(
            Organisation.parent_id.is_(None) if parent_id is None else Organisation.parent_id == parent_id
        )
    )
    wanted = folded(name)
    return next((o for o in siblings if folded(o.name) == wanted), None)


def _parents() -> dict[int, int | None]:
    return dict(db.session.execute(select(Organisation.id, Organisation.parent_id)).all())


def descendant_ids(organisation_id: int) -> set[int]:
    """Every organisation below this one, at any depth (one query, walked in memory)."""
    parents = _parents()
    return set(trees.below(trees.children_by_parent(parents, parents.get), [organisation_id]))
