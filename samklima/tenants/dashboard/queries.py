"""What the workspace overview shows, read in a fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from samklima.extensions import db
from samklima.platform.clock import workspace_today
from samklima.platform.sorting import by_name, name_key
from samklima.tenants.bodies.models import Body, BodyMembership, NominationRequest
from samklima.tenants.bodies.nominations.queries import open_nominations
from samklima.tenants.bodies.operations import managed_body_ids
from samklima.tenants.bodies.queries import Gap, active_on, coverage_gaps
from samklima.tenants.people.queries import person_for_user

ENDING_WITHIN = timedelta(days=60)


@dataclass
class Overview:
    today: date
    # (membership, body) of the signed-in user's own seats.
    my_memberships: list[tuple[BodyMembership, Body]]
    # (body, its gaps), by the body's name.
    gaps: list[tuple[Body, list[Gap]]]
    open_nominations: list[NominationRequest]
    # (membership, body) whose term ends within ENDING_WITHIN.
    ending: list[tuple[BodyMembership, Body]]
    # Bodies the user manages; None means every one.
    managed: set[int] | None

    def can_manage(self, body_id: int) -> bool:
        return self.managed is None or body_id in self.managed

    def __post_init__(self):
        self._open = {(n.body_id, n.organisation_id): n for n in reversed(self.open_nominations)}

    def open_request(self, body_id: int, organisation_id: int | None) -> NominationRequest | None:
        """The request waiting for an answer that would close this gap, if one was sent."""
        return self._open.get((body_id, organisation_id))


def overview_of(membership) -> Overview:
    day = workspace_today()
    person = person_for_user(membership.user)
    mine = []
    if person is not None:
        mine = db.session.execute(
            select(BodyMembership, Body).join(Body, Body.id == BodyMembership.body_id)
            .where(BodyMembership.person_id == person.id, Body.status == "active", *active_on(day))
            .order_by(BodyMembership.id)
        ).all()
        mine = by_name(mine, lambda row: row[1].name)
    gaps = coverage_gaps(day)
    ending = db.session.execute(
        select(BodyMembership, Body).join(Body, Body.id == BodyMembership.body_id)
        .where(Body.status == "active", BodyMembership.start_date <= day,
               BodyMembership.end_date >= day, BodyMembership.end_date <= day + ENDING_WITHIN)
        .order_by(BodyMembership.id)
    ).all()
    ending = sorted(ending, key=lambda row: (row[0].end_date, name_key(row[1].name)))
    return Overview(
        today=day,
        my_memberships=[tuple(row) for row in mine],
        gaps=by_name(((found[0].body, found) for found in gaps.values()), lambda pair: pair[0].name),
        open_nominations=open_nominations(),
        ending=[tuple(row) for row in ending],
        managed=managed_body_ids(membership),
    )
