"""Walking trees that are read in one query and held in memory: organisations and their
departments, groups and the groups formed under them. Each rows' tree can hold a loop
only if the data were written past the operations; the walks end anyway."""
from __future__ import annotations

from collections import defaultdict
from typing import Callable, Hashable, Iterable, TypeVar

Row = TypeVar("Row")
Key = TypeVar("Key", bound=Hashable)


def children_by_parent(rows: Iterable[Row], parent_of: Callable[[Row], Key | None]) -> dict[Key | None, list[Row]]:
    """The rows under each parent (None: the top)."""
    children: dict = defaultdict(list)
    for row in rows:
        children[parent_of(row)].append(row)
    return children


def below(children: dict, start: Iterable, key: Callable = lambda row: row) -> list:
    """The rows under the rows whose keys are `start`, at any depth, each once (`key`: a row's
    key, which its children are filed under; the start rows count only if under one another)."""
    found, seen = [], set()
    stack = [child for start_key in start for child in children.get(start_key, [])]
    while stack:
        row = stack.pop()
        if key(row) in seen:
            continue
        seen.add(key(row))
        found.append(row)
        stack.extend(children.get(key(row), []))
    return found
