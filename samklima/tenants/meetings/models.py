"""Meetings of a group: its meeting plan, each meeting, the agenda items members
propose, and who is invited (members, guests, substitutes) with their answers.

Times are stored as naive UTC like every moment in the app; the meeting
happens in the workspace's time zone, where its page and calendar show it.
"""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samklima.extensions import db
from samklima.platform.clock import utcnow
from samklima.platform.tenancy import TenantScoped, tenant_foreign_key
from samklima.tenants.bodies.models import Body
from samklima.tenants.people.models import Person

MEETING_STATUSES = ("planned", "published", "cancelled")
ITEM_KINDS = ("information", "discussion", "decision")
# "proposed": waiting for the chair or the secretariat; "deferred": moved to a later
# meeting, where it stands again as accepted (deferred_from_id); "rejected": with a reason.
ITEM_STATUSES = ("proposed", "accepted", "deferred", "rejected")
# The standing items a group's agendas start with (seed 003: "avstämning av pågående arbete").
STANDING_ITEMS = ("minutes_approval", "action_follow_up", "round_table", "any_other_business")
RSVP_ANSWERS = ("no_answer", "attending", "not_attending", "substitute")
INVITEE_KINDS = ("member", "guest", "substitute")

DEFAULT_PUBLISH_DAYS = 5
DEFAULT_PROPOSAL_DAYS = 10
DEFAULT_ABSENCE_THRESHOLD = 3


class MeetingSettings(TenantScoped, db.Model):
    """How a group meets: its cadence (an RFC 5545 RRULE beside the body's free text),
    the usual time and place, and when agendas close and go out."""

    __tablename__ = "meeting_settings"
    __table_args__ = TenantScoped.tenant_table_args(
        tenant_foreign_key("body_id", "bodies", ondelete="CASCADE"),
        Index("uq_meeting_settings_body", "tenant_id", "body_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(index=True)
    recurrence: Mapped[str] = mapped_column(String(200), default="")
    start_time: Mapped[time] = mapped_column(default=time(9, 0))
    duration_minutes: Mapped[int] = mapped_column(default=120)
    place: Mapped[str] = mapped_column(String(200), default="")
    video_url: Mapped[str] = mapped_column(String(500), default="")
    publish_days_before: Mapped[int] = mapped_column(default=DEFAULT_PUBLISH_DAYS)
    proposal_days_before: Mapped[int] = mapped_column(default=DEFAULT_PROPOSAL_DAYS)
    absence_threshold: Mapped[int] = mapped_column(default=DEFAULT_ABSENCE_THRESHOLD)
    # Comma-separated STANDING_ITEMS, in their order on every new agenda.
    standing_items: Mapped[str] = mapped_column(String(200), default=",".join(STANDING_ITEMS))

    @classmethod
    def defaults(cls, body_id: int) -> MeetingSettings:
        """A group's settings before anyone changed them (column defaults apply only when a row is written)."""
        return cls(body_id=body_id, recurrence="", start_time=time(9, 0), duration_minutes=120, place="",
                   video_url="", publish_days_before=DEFAULT_PUBLISH_DAYS, proposal_days_before=DEFAULT_PROPOSAL_DAYS,
                   absence_threshold=DEFAULT_ABSENCE_THRESHOLD, standing_items=",".join(STANDING_ITEMS))

    def standing(self) -> list[str]:
        return [item for item in self.standing_items.split(",") if item in STANDING_ITEMS]


class Meeting(TenantScoped, db.Model):
    __tablename__ = "meetings"
    __table_args__ = TenantScoped.tenant_table_args(
        tenant_foreign_key("body_id", "bodies", ondelete="CASCADE"),
        Index("ix_meetings_tenant_starts", "tenant_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(200), default="")
    video_url: Mapped[str] = mapped_column(String(500), default="")
    # Announced in advance so members know what to bring (seed 002).
    themes: Mapped[str] = mapped_column(Text, default="")
    case_number: Mapped[str] = mapped_column(String(60), default="")
    # The last local day on which members may propose items, and the day the agenda goes out.
    proposal_deadline: Mapped[date]
    publish_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(10), default="planned")
    published_at: Mapped[datetime | None]
    # When the last update mail about agenda changes after publishing went out.
    announced_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    # iCalendar SEQUENCE: raised on every change invitees' calendars must take over.
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    body: Mapped[Body] = relationship(
        primaryjoin="foreign(Meeting.body_id) == Body.id", lazy="joined", innerjoin=True
    )

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class AgendaItem(TenantScoped, db.Model):
    __tablename__ = "agenda_items"
    __table_args__ = TenantScoped.tenant_table_args(
        tenant_foreign_key("meeting_id", "meetings", ondelete="CASCADE"),
        # No ON DELETE SET NULL on a (tenant_id, id) key: it would null tenant_id too.
        # Deleting a meeting clears the links to it first (operations.delete_meeting).
        tenant_foreign_key("proposer_id", "people"),
        tenant_foreign_key("deferred_to_id", "meetings"),
        tenant_foreign_key("deferred_from_id", "agenda_items"),
        Index("ix_agenda_items_meeting_position", "tenant_id", "meeting_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(12), default="information")
    duration_minutes: Mapped[int] = mapped_column(default=15)
    # A decision item's proposed decision (da indstilling, sv förslag till beslut, nb forslag til vedtak).
    proposed_decision: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="proposed")
    # One of STANDING_ITEMS for the items every agenda starts with; "" for the rest.
    standing: Mapped[str] = mapped_column(String(30), default="")
    # A closed item (da lukket punkt, nb unntatt offentlighet): the group's members and the meeting's
    # invitees only; never in a calendar file or anything public.
    closed: Mapped[bool] = mapped_column(default=False)
    proposer_id: Mapped[int | None] = mapped_column(index=True)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reject_reason: Mapped[str] = mapped_column(Text, default="")
    deferred_to_id: Mapped[int | None] = mapped_column(index=True)
    deferred_from_id: Mapped[int | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    proposer: Mapped[Person | None] = relationship(
        primaryjoin="foreign(AgendaItem.proposer_id) == Person.id", lazy="raise_on_sql"
    )

    @property
    def on_agenda(self) -> bool:
        return self.status == "accepted"


class MeetingInvitee(TenantScoped, db.Model):
    """Someone the meeting's papers go to: a member of the group, a guest without an
    account (seed 002: invited as needed), or a substitute a member sent."""

    __tablename__ = "meeting_invitees"
    __table_args__ = TenantScoped.tenant_table_args(
        tenant_foreign_key("meeting_id", "meetings", ondelete="CASCADE"),
        tenant_foreign_key("person_id", "people"),
        tenant_foreign_key("substitute_for_id", "meeting_invitees", ondelete="CASCADE"),
        Index("uq_meeting_invitees_person", "tenant_id", "meeting_id", "person_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(10), default="member")
    # A member's contact; guests and substitutes have only a name and an address.
    person_id: Mapped[int | None] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    locale: Mapped[str] = mapped_column(String(5), default="")
    substitute_for_id: Mapped[int | None] = mapped_column(index=True)
    rsvp: Mapped[str] = mapped_column(String(15), default="no_answer")
    answered_at: Mapped[datetime | None]
    # Recorded at the meeting: "present", "excused" or "absent".
    attendance: Mapped[str | None] = mapped_column(String(10))
    # The hash of the personal link in the invitation mail (RSVP, the papers).
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The meeting's SEQUENCE this invitee's calendar last got; -1: no invitation sent yet.
    invited_sequence: Mapped[int] = mapped_column(default=-1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person | None] = relationship(
        primaryjoin="foreign(MeetingInvitee.person_id) == Person.id", lazy="joined"
    )

    @property
    def display_name(self) -> str:
        return self.person.name if self.person is not None else self.name

    @property
    def address(self) -> str:
        return self.person.email if self.person is not None else self.email
