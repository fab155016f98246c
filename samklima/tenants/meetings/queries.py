"""Reads the meeting pages share; each runs a fixed number of queries, however
many items, invitees and meetings there are."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from samklima.extensions import db
from samklima.platform.clock import utcnow, workspace_today
from samklima.platform.sorting import name_key
from samklima.platform.tenancy import get_or_404
from samklima.tenants.bodies.models import Body, BodyMembership
from samklima.tenants.bodies.queries import active_on
from samklima.tenants.meetings.models import AgendaItem, Meeting, MeetingInvitee
from samklima.tenants.meetings.operations import TimedItem, changed_items, timed
from samklima.tenants.organisations.models import Organisation
from samklima.tenants.people.models import Person


def load_meeting(meeting_id: int) -> Meeting:
    """The meeting with its group, or 404 (another workspace's id included)."""
    return get_or_404(Meeting, meeting_id)


@dataclass
class MeetingPage:
    meeting: Meeting
    agenda: list[TimedItem]
    proposals: list[AgendaItem]
    decided: list[AgendaItem]  # deferred and rejected proposals
    invitees: list[MeetingInvitee]
    later_meetings: list[Meeting]
    proposers: dict[int, str]
    moved_to: dict[int, Meeting]
    changed_ids: set[int] = field(default_factory=set)

    def substitutes_for(self, invitee: MeetingInvitee) -> list[MeetingInvitee]:
        return [other for other in self.invitees if other.substitute_for_id == invitee.id]


def meeting_page(meeting: Meeting, *, with_closed: bool) -> MeetingPage:
    """Everything the meeting's page shows. `with_closed`: closed items too (members and invitees)."""
    items = db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                               .order_by(AgendaItem.position, AgendaItem.id)).all()
    # Timed over the whole agenda, closed items included: each item starts when it really does.
    agenda = timed(meeting, [item for item in items if item.status == "accepted"])
    if not with_closed:
        items = [item for item in items if not item.closed]
        agenda = [row for row in agenda if not row.item.closed]
    invitees = db.session.scalars(select(MeetingInvitee).where(MeetingInvitee.meeting_id == meeting.id)
                                  .order_by(MeetingInvitee.id)).unique().all()
    later = db.session.scalars(select(Meeting).where(
        Meeting.body_id == meeting.body_id, Meeting.starts_at > meeting.starts_at, Meeting.status != "cancelled"
    ).order_by(Meeting.starts_at)).unique().all()
    proposer_ids = {item.proposer_id for item in items if item.proposer_id is not None}
    proposers = dict(db.session.execute(select(Person.id, Person.name).where(Person.id.in_(proposer_ids))).all()) \
        if proposer_ids else {}
    target_ids = {item.deferred_to_id for item in items if item.deferred_to_id is not None} - {m.id for m in later}
    moved_to = {m.id: m for m in later}
    if target_ids:
        moved_to |= {m.id: m for m in db.session.scalars(select(Meeting).where(Meeting.id.in_(target_ids))).unique()}
    return MeetingPage(
        meeting=meeting,
        agenda=agenda,
        proposals=[item for item in items if item.status == "proposed"],
        decided=[item for item in items if item.status in ("deferred", "rejected")],
        invitees=list(invitees),
        later_meetings=list(later),
        proposers=proposers,
        moved_to=moved_to,
        changed_ids={item.id for item in changed_items(meeting)},
    )


def meetings_of(body: Body) -> tuple[list[Meeting], list[Meeting]]:
    """The group's coming meetings (soonest first) and its past ones (latest first)."""
    meetings = db.session.scalars(select(Meeting).where(Meeting.body_id == body.id)
                                  .order_by(Meeting.starts_at)).unique().all()
    now = utcnow()
    return [m for m in meetings if m.ends_at >= now], [m for m in reversed(meetings) if m.ends_at < now]


def coming_meetings(limit: int = 200) -> list[Meeting]:
    """The workspace's coming meetings, soonest first, of every group."""
    return db.session.scalars(select(Meeting).where(Meeting.ends_at >= utcnow())
                              .order_by(Meeting.starts_at).limit(limit)).unique().all()


@dataclass
class Waiting:
    """What the overview shows one workspace member of the meetings: theirs, and what waits for them."""

    next_meetings: list[Meeting]
    to_answer: list[Meeting]  # published, coming, invited, not answered yet
    proposals: list[tuple[Meeting, int]]  # meetings they manage with proposals waiting, and how many


def waiting_for(person_id: int | None, managed: set[int] | None, limit: int = 5) -> Waiting:
    """In a fixed number of queries: the member's coming meetings (those of their groups, or where
    they are invited), the invitations they have not answered, and proposals waiting on them."""
    now = utcnow()
    coming = select(Meeting).where(Meeting.ends_at >= now, Meeting.status != "cancelled")
    mine: list[Meeting] = []
    unanswered: list[Meeting] = []
    if person_id is not None:
        groups = select(BodyMembership.body_id).where(BodyMembership.person_id == person_id,
                                                      *active_on(workspace_today()))
        invited = select(MeetingInvitee.meeting_id).where(MeetingInvitee.person_id == person_id)
        mine = db.session.scalars(coming.where(Meeting.body_id.in_(groups) | Meeting.id.in_(invited))
                                  .order_by(Meeting.starts_at).limit(limit)).unique().all()
        unanswered = db.session.scalars(coming.join(MeetingInvitee, MeetingInvitee.meeting_id == Meeting.id).where(
            MeetingInvitee.person_id == person_id, MeetingInvitee.rsvp == "no_answer",
            Meeting.published_at.is_not(None)).order_by(Meeting.starts_at)).unique().all()
    waiting = select(Meeting, func.count(AgendaItem.id)).join(AgendaItem, AgendaItem.meeting_id == Meeting.id).where(
        AgendaItem.status == "proposed", Meeting.ends_at >= now, Meeting.status != "cancelled")
    if managed is not None:
        waiting = waiting.where(Meeting.body_id.in_(managed or {-1}))
    proposals = [tuple(row) for row in db.session.execute(
        waiting.group_by(Meeting.id).order_by(Meeting.starts_at)).unique().all()]
    return Waiting(list(mine), list(unanswered), proposals)


@dataclass(frozen=True)
class Absence:
    """A current member who missed each of the group's last `missed` meetings with attendance taken."""

    person: Person
    missed: int
    head_name: str  # who nominated them: the head of the organisation they represent
    head_email: str


def repeated_absences(body: Body, threshold: int, day) -> list[Absence]:
    """Members absent (excused or not) from each of the last `threshold` meetings whose attendance
    was taken (seed 000: the coordinator then turns to whoever nominated them). Three queries."""
    taken = select(MeetingInvitee.meeting_id).where(MeetingInvitee.attendance.is_not(None))
    last = db.session.scalars(select(Meeting.id).where(
        Meeting.body_id == body.id, Meeting.starts_at <= utcnow(), Meeting.id.in_(taken)
    ).order_by(Meeting.starts_at.desc()).limit(threshold)).all()
    if len(last) < threshold:
        return []
    marks = db.session.execute(select(MeetingInvitee.person_id, MeetingInvitee.attendance).where(
        MeetingInvitee.meeting_id.in_(last), MeetingInvitee.kind == "member")).all()
    missed: dict[int, int] = {}
    for person_id, mark in marks:
        if mark in ("absent", "excused"):
            missed[person_id] = missed.get(person_id, 0) + 1
    away = [person_id for person_id, count in missed.items() if count >= threshold]
    if not away:
        return []
    rows = db.session.execute(
        select(BodyMembership, Organisation.head_name, Organisation.head_email)
        .outerjoin(Organisation, Organisation.id == BodyMembership.organisation_id)
        .where(BodyMembership.body_id == body.id, BodyMembership.person_id.in_(away), *active_on(day))
    ).unique().all()
    found = {membership.person_id: Absence(membership.person, threshold, head_name or "", head_email or "")
             for membership, head_name, head_email in rows}
    return sorted(found.values(), key=lambda absence: name_key(absence.person.name))
