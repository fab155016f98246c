"""Meetings: the one door for every write, with the acting workspace member as `by`.

The rules, all here:
- Who manages the group (bodies.operations.can_manage_body: its chair,
  secretary or coordinator, the secretariat that serves it, the workspace's
  secretariat) plans, edits, cancels and publishes its meetings, and decides
  on proposals. Every current member of the group proposes items.
- A proposal is refused after the meeting's proposal deadline (the last local
  day on which proposals are taken) and for a cancelled meeting; who manages
  the group adds items directly, before or after it.
- Publishing sends the agenda once to every invitee: the group's current
  members on the meeting's day, its guests and the substitutes sent, each in
  their own language with an .ics invitation. Publishing again sends nothing
  again. The worker publishes by itself on the meeting's publishing day.
- Moving a published meeting raises its SEQUENCE and tells every invitee with
  an updated invitation; cancelling does so with a cancellation: calendars
  update the event instead of duplicating it (calendar.py).
- The personal link in an invitation (RSVP, the papers) is
  "<workspace id>-<secret>" like a nomination link: derived from SECRET_KEY,
  only its hash stored. Opening it changes nothing; its page's form acts.
"""
from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from samklima.config import LOCALES
from samklima.extensions import db
from samklima.platform import rules
from samklima.platform.audit.operations import record
from samklima.platform.clock import local_from_utc, utc_from_local, utcnow, workspace_time_zone, workspace_today
from samklima.platform.errors import OperationError
from samklima.platform.i18n import speaking
from samklima.platform.links import mail_url
from samklima.platform.outbox.operations import Attachment, queue_mail
from samklima.platform.permissions import PermissionDenied
from samklima.platform.tenancy import current_tenant_id
from samklima.platform.tokens import hash_secret, keyed_secret, row_for_link, tenant_token
from samklima.platform.workspaces.models import Tenant
from samklima.tenants.bodies.models import Body, BodyMembership
from samklima.tenants.bodies.operations import can_manage_body, require_body_manager
from samklima.tenants.bodies.queries import active_on
from samklima.tenants.meetings import calendar, plan
from samklima.tenants.meetings.labels import STANDING_LABELS
from samklima.tenants.meetings.models import (
    ITEM_KINDS,
    STANDING_ITEMS,
    AgendaItem,
    Meeting,
    MeetingInvitee,
    MeetingSettings,
)
from samklima.tenants.people.models import Person
from samklima.tenants.people.queries import person_for_user

log = logging.getLogger("samklima.meetings")

MAX_TEXT = 20000
MAX_TITLE = 200
MAX_ITEM_MINUTES = 480
MAX_MEETING_HOURS = 12
# How far ahead a meeting may be planned, and how far back one may still be entered (last term's).
LONGEST_AHEAD = timedelta(days=3 * 366)
LONGEST_BACK = timedelta(days=366)
SUBSTITUTE_ANSWER = "substitute"

AUDIT_LABELS = {
    "meeting_created": _l("Meeting planned"),
    "meetings_planned": _l("Meetings planned for a period"),
    "meeting_changed": _l("Meeting changed"),
    "meeting_cancelled": _l("Meeting cancelled"),
    "meeting_deleted": _l("Meeting deleted"),
    "meeting_settings_changed": _l("Meeting plan changed"),
    "agenda_published": _l("Agenda published"),
    "agenda_update_sent": _l("Agenda changes announced"),
    "agenda_item_proposed": _l("Agenda item proposed"),
    "agenda_item_added": _l("Agenda item added"),
    "agenda_item_changed": _l("Agenda item changed"),
    "agenda_item_accepted": _l("Agenda item accepted"),
    "agenda_item_deferred": _l("Agenda item deferred"),
    "agenda_item_rejected": _l("Agenda item rejected"),
    "agenda_item_removed": _l("Agenda item removed"),
    "meeting_guest_added": _l("Guest invited"),
    "meeting_guest_removed": _l("Guest removed"),
    "meeting_rsvp": _l("Answer to a meeting invitation"),
    "meeting_attendance_recorded": _l("Attendance recorded"),
}

STANDING_MINUTES = {"minutes_approval": 5, "action_follow_up": 10, "round_table": 20, "any_other_business": 5}


def _audit(action: str, by, subject: str, **details) -> None:
    record(action, actor=getattr(by, "user", None), subject=subject, **details)


def _workspace_locale() -> str:
    return db.session.scalar(select(Tenant.default_locale).where(Tenant.id == current_tenant_id())) or "en"


def _zone() -> str:
    return workspace_time_zone() or "UTC"


def local_start(meeting: Meeting) -> datetime:
    return local_from_utc(meeting.starts_at, _zone())


def local_day(meeting: Meeting) -> date:
    return local_start(meeting).date()


# --- who may do what ---------------------------------------------------------------

def can_manage(membership, meeting: Meeting) -> bool:
    return can_manage_body(membership, meeting.body)


def require_manager(membership, meeting: Meeting) -> None:
    require_body_manager(membership, meeting.body)


def group_membership_of(membership, body: Body, day: date) -> BodyMembership | None:
    """The acting user's current seat in the group, through their contact in this workspace."""
    if membership is None:
        return None
    person = person_for_user(membership.user)
    if person is None:
        return None
    return db.session.scalar(
        select(BodyMembership).where(BodyMembership.body_id == body.id, BodyMembership.person_id == person.id,
                                     *active_on(day)).order_by(BodyMembership.id).limit(1))


def can_propose(membership, meeting: Meeting) -> bool:
    """Who manages the group, and its current members but its observers (they read)."""
    if membership is None or membership.role == "observer":
        return False
    if can_manage(membership, meeting):
        return True
    seat = group_membership_of(membership, meeting.body, workspace_today())
    return seat is not None and seat.role != "observer"


def sees_closed_items(membership, meeting: Meeting, own: MeetingInvitee | None) -> bool:
    """Closed items (da lukket punkt): who manages the group, its current members, and the meeting's
    guests and substitutes. A member invitation of someone who has left the group no longer counts."""
    return (can_manage(membership, meeting)
            or group_membership_of(membership, meeting.body, workspace_today()) is not None
            or (own is not None and own.kind != "member"))


# --- the group's meeting plan --------------------------------------------------------

def settings_for(body: Body) -> MeetingSettings:
    """The group's settings; a new, unsaved row with the defaults when it has none."""
    found = db.session.scalar(select(MeetingSettings).where(MeetingSettings.body_id == body.id))
    return found if found is not None else MeetingSettings.defaults(body.id)


CADENCE_PROBLEMS = {
    "frequency": _l("Choose how often from the list."),
    "interval": _l("Choose how often, between every 1 and every 12."),
    "weekday": _l("Choose a weekday from the list."),
    "ordinal": _l("Choose which weekday of the month from the list."),
    "months": _l("Choose at least one month."),
    "duration": _l("A meeting lasts between 1 minute and 12 hours."),
}


@dataclass
class SettingsFields:
    cadence: plan.Cadence
    place: str = ""
    video_url: str = ""
    publish_days_before: int | None = None
    proposal_days_before: int | None = None
    absence_threshold: int | None = None
    standing_items: tuple[str, ...] = ()

    def check(self) -> None:
        for field, code in self.cadence.problems():
            raise OperationError(CADENCE_PROBLEMS[code], field=field)
        rules.at_most(self.place.strip(), MAX_TITLE, "place")
        _check_video_url(self.video_url)
        for field, value, lowest, highest in (("publish_days_before", self.publish_days_before, 0, 60),
                                              ("proposal_days_before", self.proposal_days_before, 0, 90),
                                              ("absence_threshold", self.absence_threshold, 1, 20)):
            if value is None or not lowest <= value <= highest:
                raise OperationError(_l("Enter a whole number from %(low)d to %(high)d.", low=lowest, high=highest),
                                     field=field)
        start = self.cadence.start_time
        if start.hour * 60 + start.minute + self.cadence.duration_minutes > 24 * 60:
            raise OperationError(_l("A meeting ends on the day it starts: start earlier or make it shorter."),
                                 field="duration_minutes")


def save_settings(body: Body, fields: SettingsFields, *, by) -> MeetingSettings:
    require_body_manager(by, body)
    fields.check()
    settings = settings_for(body)
    settings.recurrence = fields.cadence.rrule()
    settings.start_time = fields.cadence.start_time
    settings.duration_minutes = fields.cadence.duration_minutes
    settings.place = fields.place.strip()
    settings.video_url = fields.video_url.strip()
    settings.publish_days_before = fields.publish_days_before
    settings.proposal_days_before = fields.proposal_days_before
    settings.absence_threshold = fields.absence_threshold
    settings.standing_items = ",".join(item for item in STANDING_ITEMS if item in fields.standing_items)
    db.session.add(settings)
    _audit("meeting_settings_changed", by, body.name, recurrence=settings.recurrence)
    return settings


def cadence_of(settings: MeetingSettings) -> plan.Cadence | None:
    if not settings.recurrence:
        return None
    return plan.Cadence.from_rrule(settings.recurrence, settings.start_time, settings.duration_minutes)


def _taken_days(body: Body) -> set[date]:
    zone = _zone()
    return {local_from_utc(starts_at, zone).date() for starts_at in db.session.scalars(
        select(Meeting.starts_at).where(Meeting.body_id == body.id, Meeting.status != "cancelled"))}


PERIOD_PROBLEMS = {
    "period_reversed": _l("The last day comes before the first day."),
    "period_too_long": _l("Plan at most three years at a time."),
}


def propose_plan(body: Body, first_day: date | None, last_day: date | None, *, by, language: str) -> plan.Plan:
    """The dates the group's cadence gives over a period, without public holidays and taken days. Writes nothing."""
    require_body_manager(by, body)
    settings = settings_for(body)
    cadence = cadence_of(settings)
    if cadence is None:
        raise OperationError(_l("Set how often the group meets before planning a period."))
    rules.require(first_day, "first_day")
    rules.require(last_day, "last_day")
    today = workspace_today()
    for field, day in (("first_day", first_day), ("last_day", last_day)):
        if not today - LONGEST_BACK <= day <= today + LONGEST_AHEAD:
            raise OperationError(_l("Choose a day within three years from today."), field=field)
    try:
        return plan.propose(cadence, first_day, last_day, country=by.tenant.country, time_zone=_zone(),
                            language=language, taken=_taken_days(body))
    except ValueError as error:
        raise OperationError(PERIOD_PROBLEMS[error.args[0]], field="last_day") from None


def create_planned(body: Body, first_day: date | None, last_day: date | None, *, by, language: str) -> list[Meeting]:
    """Create the meetings the plan proposes (worked out again: a meeting added since is not doubled)."""
    proposed = propose_plan(body, first_day, last_day, by=by, language=language)
    if not proposed.dates:
        raise OperationError(_l("The meeting plan gives no dates in this period. Choose a longer period."),
                             field="last_day")
    if body.status != "active":
        raise OperationError(_l("This group is closed. Open it again before planning meetings."))
    settings = settings_for(body)
    created = [_new_meeting(body, settings, MeetingFields(
        title=body.name, day=found.day, start=None, end=None, place=settings.place, video_url=settings.video_url,
    ), times=(found.starts_at, found.ends_at)) for found in proposed.dates]
    _audit("meetings_planned", by, body.name, first=first_day.isoformat(), last=last_day.isoformat(),
           meetings=len(created), skipped=len(proposed.skipped))
    return created


# --- one meeting ---------------------------------------------------------------------------

def _check_video_url(url: str) -> None:
    url = url.strip()
    if not url:
        return
    rules.at_most(url, 500, "video_url")
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise OperationError(_l("Enter a web address that starts with https://."), field="video_url")


@dataclass
class MeetingFields:
    title: str
    day: date | None
    start: time | None
    end: time | None
    place: str = ""
    video_url: str = ""
    themes: str = ""
    case_number: str = ""
    proposal_deadline: date | None = None
    publish_on: date | None = None

    def check(self, today: date) -> None:
        rules.require(self.title, "title")
        rules.at_most(self.title.strip(), MAX_TITLE, "title")
        rules.require(self.day, "day")
        if not today - LONGEST_BACK <= self.day <= today + LONGEST_AHEAD:
            raise OperationError(_l("Choose a day within three years from today."), field="day")
        rules.require(self.start, "start")
        rules.require(self.end, "end")
        if self.end <= self.start:
            raise OperationError(_l("The meeting must end after it starts."), field="end")
        rules.at_most(self.place.strip(), MAX_TITLE, "place")
        _check_video_url(self.video_url)
        rules.at_most(self.themes, MAX_TEXT, "themes")
        rules.at_most(self.case_number.strip(), 60, "case_number")
        if self.proposal_deadline is not None and self.proposal_deadline > self.day:
            raise OperationError(_l("Proposals must close on the day of the meeting or before."),
                                 field="proposal_deadline")
        if self.publish_on is not None and self.publish_on > self.day:
            raise OperationError(_l("The agenda must go out on the day of the meeting or before."),
                                 field="publish_on")
        if (self.publish_on is not None and self.proposal_deadline is not None
                and self.proposal_deadline > self.publish_on):
            raise OperationError(_l("Proposals must close before the agenda goes out."), field="proposal_deadline")

    def times(self) -> tuple[datetime, datetime]:
        zone = _zone()
        return utc_from_local(self.day, self.start, zone), utc_from_local(self.day, self.end, zone)


def new_meeting_fields(body: Body, day: date) -> MeetingFields:
    """What the form proposes for a new meeting of the group: its usual time and place."""
    settings = settings_for(body)
    start = settings.start_time or time(9, 0)
    end = (datetime.combine(day, start) + timedelta(minutes=settings.duration_minutes or 120)).time()
    return MeetingFields(title=body.name, day=day, start=start, end=max(end, start), place=settings.place,
                         video_url=settings.video_url)


def _new_meeting(body: Body, settings: MeetingSettings, fields: MeetingFields, times=None) -> Meeting:
    """`times`: (start, end) as stored, where the plan worked them out; else from the fields."""
    starts_at, ends_at = times or fields.times()
    meeting = Meeting(
        body_id=body.id, title=fields.title.strip(), starts_at=starts_at, ends_at=ends_at,
        place=fields.place.strip(), video_url=fields.video_url.strip(), themes=fields.themes.strip(),
        case_number=fields.case_number.strip() or body.case_number,
        proposal_deadline=fields.proposal_deadline or fields.day - timedelta(days=settings.proposal_days_before),
        publish_on=fields.publish_on or fields.day - timedelta(days=settings.publish_days_before),
    )
    meeting.proposal_deadline = min(meeting.proposal_deadline, meeting.publish_on)
    db.session.add(meeting)
    db.session.flush()
    # The agenda is the group's paper: its standing items are worded in the workspace's language.
    with speaking(_workspace_locale()):
        titles = {standing: str(STANDING_LABELS[standing]) for standing in settings.standing()}
    for position, standing in enumerate(settings.standing()):
        db.session.add(AgendaItem(
            meeting_id=meeting.id, position=position, standing=standing, status="accepted",
            title=titles[standing], duration_minutes=STANDING_MINUTES[standing],
            kind="decision" if standing == "minutes_approval" else "information",
        ))
    return meeting


def create_meeting(body: Body, fields: MeetingFields, *, by) -> Meeting:
    require_body_manager(by, body)
    if body.status != "active":
        raise OperationError(_l("This group is closed. Open it again before planning meetings."))
    fields.check(workspace_today())
    meeting = _new_meeting(body, settings_for(body), fields)
    _audit("meeting_created", by, f"{body.name}: {fields.day.isoformat()}")
    return meeting


def fields_of(meeting: Meeting) -> MeetingFields:
    zone = _zone()
    start, end = local_from_utc(meeting.starts_at, zone), local_from_utc(meeting.ends_at, zone)
    return MeetingFields(title=meeting.title, day=start.date(), start=start.time(), end=end.time(),
                         place=meeting.place, video_url=meeting.video_url, themes=meeting.themes,
                         case_number=meeting.case_number, proposal_deadline=meeting.proposal_deadline,
                         publish_on=meeting.publish_on)


def _require_open(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise OperationError(_l("This meeting is cancelled."))


def update_meeting(meeting: Meeting, fields: MeetingFields, *, by) -> bool:
    """Change the meeting. Returns whether invitees were told (a published meeting that moved or changed)."""
    require_manager(by, meeting)
    _require_open(meeting)
    fields.check(workspace_today())
    before = (meeting.starts_at, meeting.ends_at, meeting.place, meeting.video_url, meeting.title)
    meeting.starts_at, meeting.ends_at = fields.times()
    meeting.title = fields.title.strip()
    meeting.place = fields.place.strip()
    meeting.video_url = fields.video_url.strip()
    meeting.themes = fields.themes.strip()
    meeting.case_number = fields.case_number.strip()
    meeting.proposal_deadline = fields.proposal_deadline or meeting.proposal_deadline
    meeting.publish_on = fields.publish_on or meeting.publish_on
    meeting.proposal_deadline = min(meeting.proposal_deadline, meeting.publish_on, fields.day)
    meeting.publish_on = min(meeting.publish_on, fields.day)
    moved = before != (meeting.starts_at, meeting.ends_at, meeting.place, meeting.video_url, meeting.title)
    _audit("meeting_changed", by, f"{meeting.body.name}: {fields.day.isoformat()}")
    if moved:
        meeting.sequence += 1
    if moved and meeting.is_published:
        _tell_invitees(meeting, "changed", by)
        return True
    return False


def cancel_meeting(meeting: Meeting, reason: str, *, by) -> None:
    require_manager(by, meeting)
    _require_open(meeting)
    rules.at_most(reason.strip(), MAX_TEXT, "reason")
    meeting.status = "cancelled"
    meeting.cancelled_at = utcnow()
    meeting.cancel_reason = reason.strip()
    meeting.sequence += 1
    _audit("meeting_cancelled", by, f"{meeting.body.name}: {local_day(meeting).isoformat()}")
    if meeting.is_published:
        _tell_invitees(meeting, "cancelled", by)


def delete_meeting(meeting: Meeting, *, by, records_kept: bool = False) -> None:
    """Delete a meeting. A published agenda is a public record: deleting it needs `records_kept`
    (the user confirmed it is archived where the law wants it), and invitees' calendars are told."""
    require_manager(by, meeting)
    if meeting.is_published and not records_kept:
        raise OperationError(_l("The agenda of this meeting was published: it is a public record that may have "
                                "to be archived first. Confirm that it is archived, or cancel the meeting instead."),
                             field="records_kept")
    if meeting.is_published and not meeting.is_cancelled:
        meeting.sequence += 1
        meeting.status = "cancelled"
        _tell_invitees(meeting, "cancelled", by)
    _audit("meeting_deleted", by, f"{meeting.body.name}: {local_day(meeting).isoformat()}")
    # Items deferred to it, or from it to a later meeting, keep their text and lose the link.
    items_here = select(AgendaItem.id).where(AgendaItem.meeting_id == meeting.id).scalar_subquery()
    db.session.execute(update(AgendaItem).where(AgendaItem.deferred_to_id == meeting.id)
                       .values(deferred_to_id=None).execution_options(synchronize_session=False))
    db.session.execute(update(AgendaItem).where(AgendaItem.deferred_from_id.in_(items_here))
                       .values(deferred_from_id=None).execution_options(synchronize_session=False))
    db.session.delete(meeting)


# --- agenda items --------------------------------------------------------------------------

@dataclass
class ItemFields:
    title: str
    description: str = ""
    kind: str = "information"
    duration_minutes: int | None = 15
    proposed_decision: str = ""
    closed: bool = False

    def check(self) -> None:
        rules.require(self.title, "title")
        rules.at_most(self.title.strip(), MAX_TITLE, "title")
        rules.at_most(self.description, MAX_TEXT, "description")
        if self.kind not in ITEM_KINDS:
            raise OperationError(_l("Choose a kind from the list."), field="kind")
        if self.duration_minutes is None or not 1 <= self.duration_minutes <= MAX_ITEM_MINUTES:
            raise OperationError(_l("Enter a whole number from %(low)d to %(high)d.", low=1, high=MAX_ITEM_MINUTES),
                                 field="duration_minutes")
        rules.at_most(self.proposed_decision, MAX_TEXT, "proposed_decision")
        if self.kind == "decision":
            rules.require(self.proposed_decision, "proposed_decision")

    def apply(self, item: AgendaItem) -> None:
        item.title = self.title.strip()
        item.description = self.description.strip()
        item.kind = self.kind
        item.duration_minutes = self.duration_minutes
        # Only a decision item carries a proposed decision.
        item.proposed_decision = self.proposed_decision.strip() if self.kind == "decision" else ""
        item.closed = bool(self.closed)
        item.updated_at = utcnow()


def _next_position(meeting: Meeting) -> int:
    """After every item, and before "any other business", which moves down to stay last."""
    items = db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)).all()
    last = [item for item in items if item.standing == "any_other_business"]
    position = max((item.position for item in items if item not in last), default=-1) + 1
    for item in last:
        item.position = position + 1
    return position


def propose_item(meeting: Meeting, fields: ItemFields, *, by) -> AgendaItem:
    """A member proposes an item; who manages the group adds it to the agenda at once."""
    _require_open(meeting)
    managing = can_manage(by, meeting)
    if not managing:
        if not can_propose(by, meeting):
            raise PermissionDenied()
        if workspace_today() > meeting.proposal_deadline:
            raise OperationError(_l("Proposals for this meeting closed on %(date)s. Ask the secretariat whether "
                                    "it can still be taken, or propose it for the next meeting.",
                                    date=_format_date(meeting.proposal_deadline)))
    fields.check()
    person = person_for_user(by.user)
    item = AgendaItem(meeting_id=meeting.id, position=_next_position(meeting),
                      status="accepted" if managing else "proposed",
                      proposer_id=person.id if person is not None else None, proposed_by_id=by.user_id)
    fields.apply(item)
    db.session.add(item)
    db.session.flush()
    _audit("agenda_item_added" if managing else "agenda_item_proposed", by, f"{meeting.body.name}: {item.title}")
    return item


def _format_date(day: date) -> str:
    from flask_babel import format_date

    return format_date(day, "long")


def _require_item_of(item: AgendaItem, meeting: Meeting) -> None:
    if item.meeting_id != meeting.id:
        raise OperationError(_l("This item belongs to another meeting."))


def update_item(item: AgendaItem, meeting: Meeting, fields: ItemFields, *, by) -> None:
    """Who manages the group edits any item; a proposer edits their own while it waits."""
    _require_item_of(item, meeting)
    _require_open(meeting)
    if not can_manage(by, meeting) and not (item.status == "proposed" and item.proposed_by_id == by.user_id):
        raise PermissionDenied()
    fields.check()
    fields.apply(item)
    _audit("agenda_item_changed", by, f"{meeting.body.name}: {item.title}")


def _decide(item: AgendaItem, meeting: Meeting, by) -> None:
    require_manager(by, meeting)
    _require_item_of(item, meeting)
    _require_open(meeting)
    if item.status != "proposed":
        raise OperationError(_l("This proposal has already been decided."))


def accept_item(item: AgendaItem, meeting: Meeting, *, by) -> None:
    _decide(item, meeting, by)
    item.status = "accepted"
    item.updated_at = utcnow()
    _audit("agenda_item_accepted", by, f"{meeting.body.name}: {item.title}")
    _tell_proposer(item, meeting, "accepted", by)


def defer_item(item: AgendaItem, meeting: Meeting, later_id: int | None, *, by) -> AgendaItem:
    """Move a proposal to a named later meeting of the same group, where it stands on the agenda."""
    _decide(item, meeting, by)
    later = db.session.scalar(select(Meeting).where(Meeting.id == later_id)) if later_id is not None else None
    if later is None or later.body_id != meeting.body_id or later.starts_at <= meeting.starts_at:
        raise OperationError(_l("Choose a later meeting of this group."), field="meeting_id")
    if later.is_cancelled:
        raise OperationError(_l("That meeting is cancelled. Choose another one."), field="meeting_id")
    moved = AgendaItem(meeting_id=later.id, position=_next_position(later), status="accepted",
                       proposer_id=item.proposer_id, proposed_by_id=item.proposed_by_id, deferred_from_id=item.id,
                       title=item.title, description=item.description, kind=item.kind,
                       duration_minutes=item.duration_minutes, proposed_decision=item.proposed_decision,
                       closed=item.closed)
    db.session.add(moved)
    db.session.flush()
    item.status = "deferred"
    item.deferred_to_id = later.id
    item.updated_at = utcnow()
    _audit("agenda_item_deferred", by, f"{meeting.body.name}: {item.title}")
    _tell_proposer(item, meeting, "deferred", by, later=later)
    return moved


def reject_item(item: AgendaItem, meeting: Meeting, reason: str, *, by) -> None:
    _decide(item, meeting, by)
    rules.require(reason, "reason")
    rules.at_most(reason.strip(), MAX_TEXT, "reason")
    item.status = "rejected"
    item.reject_reason = reason.strip()
    item.updated_at = utcnow()
    _audit("agenda_item_rejected", by, f"{meeting.body.name}: {item.title}")
    _tell_proposer(item, meeting, "rejected", by)


def remove_item(item: AgendaItem, meeting: Meeting, *, by) -> None:
    require_manager(by, meeting)
    _require_item_of(item, meeting)
    _require_open(meeting)
    _audit("agenda_item_removed", by, f"{meeting.body.name}: {item.title}")
    # A copy on a later meeting keeps its text and loses the link to where it came from.
    db.session.execute(update(AgendaItem).where(AgendaItem.deferred_from_id == item.id)
                       .values(deferred_from_id=None).execution_options(synchronize_session=False))
    db.session.delete(item)


def move_item(item: AgendaItem, meeting: Meeting, step: int, *, by) -> None:
    """Move an item on the agenda one place up (-1) or down (+1)."""
    require_manager(by, meeting)
    _require_item_of(item, meeting)
    _require_open(meeting)
    items = db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id,
                                                        AgendaItem.status == "accepted")
                               .order_by(AgendaItem.position, AgendaItem.id)).all()
    if item not in items:
        raise OperationError(_l("Only an item on the agenda can be moved."))
    at = items.index(item)
    other = at + (1 if step > 0 else -1)
    if 0 <= other < len(items):
        items[at], items[other] = items[other], items[at]
        for position, each in enumerate(items):
            each.position = position
        item.updated_at = utcnow()


# --- invitees and their links --------------------------------------------------------------

def _secret(invitee: MeetingInvitee) -> str:
    return keyed_secret("meeting-invitee", invitee.tenant_id, invitee.id, invitee.created_at.isoformat())


def link_for(invitee: MeetingInvitee) -> str:
    return mail_url("meeting_link.respond", token=tenant_token(invitee.tenant_id, _secret(invitee)))


def _add_invitee(meeting: Meeting, **values) -> MeetingInvitee:
    # Whole seconds: the link is derived from created_at and must come out the same after a round trip.
    # The secret needs the id, so the row first holds a unique stand-in.
    invitee = MeetingInvitee(meeting_id=meeting.id, created_at=utcnow().replace(microsecond=0),
                             token_hash=hash_secret(secrets.token_hex(16)), **values)
    db.session.add(invitee)
    db.session.flush()
    invitee.token_hash = hash_secret(_secret(invitee))
    return invitee


def invitees_of(meeting: Meeting) -> list[MeetingInvitee]:
    return db.session.scalars(select(MeetingInvitee).where(MeetingInvitee.meeting_id == meeting.id)
                              .order_by(MeetingInvitee.id)).unique().all()


def invite_members(meeting: Meeting) -> None:
    """Every current member of the group on the meeting's day, each once, joins the invitees."""
    known = {invitee.person_id for invitee in invitees_of(meeting) if invitee.person_id is not None}
    members = db.session.scalars(select(BodyMembership).where(
        BodyMembership.body_id == meeting.body_id, *active_on(local_day(meeting))).order_by(BodyMembership.id)
    ).unique().all()
    for membership in members:
        if membership.person_id not in known:
            known.add(membership.person_id)
            _add_invitee(meeting, kind="member", person_id=membership.person_id)


@dataclass
class GuestFields:
    name: str
    email: str
    locale: str

    def check(self, meeting: Meeting) -> None:
        rules.require(self.name, "name")
        rules.at_most(self.name.strip(), 200, "name")
        rules.email_address(self.email, "email")
        if self.locale not in LOCALES:
            raise OperationError(_l("Choose a language from the list."), field="locale")
        wanted = self.email.strip().lower()
        if any(invitee.address.lower() == wanted for invitee in invitees_of(meeting)):
            raise OperationError(_l("This address is already invited to the meeting."), field="email")


def add_guest(meeting: Meeting, fields: GuestFields, *, by) -> MeetingInvitee:
    """A guest without an account gets this meeting's agenda and invitation, nothing else.
    On a published meeting, at once."""
    require_manager(by, meeting)
    _require_open(meeting)
    fields.check(meeting)
    guest = _add_invitee(meeting, kind="guest", name=fields.name.strip(), email=fields.email.strip().lower(),
                         locale=fields.locale)
    _audit("meeting_guest_added", by, f"{meeting.body.name}: {guest.name}", email=guest.email)
    if meeting.is_published:
        _send_agenda(meeting, guest, by.tenant, _reply_address(meeting, by), agenda_of(meeting))
    return guest


def remove_guest(invitee: MeetingInvitee, meeting: Meeting, *, by) -> None:
    require_manager(by, meeting)
    if invitee.meeting_id != meeting.id or invitee.kind == "member":
        raise OperationError(_l("Only a guest or a substitute can be removed from the invitees."))
    _audit("meeting_guest_removed", by, f"{meeting.body.name}: {invitee.display_name}")
    if meeting.is_published and invitee.invited_sequence >= 0 and not meeting.is_cancelled:
        _queue_notice(meeting, invitee, "cancelled", by.tenant, _reply_address(meeting, by), agenda_of(meeting))
    db.session.delete(invitee)


# --- publishing -----------------------------------------------------------------------------

def agenda_of(meeting: Meeting) -> list[AgendaItem]:
    return db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id,
                                                       AgendaItem.status == "accepted")
                              .order_by(AgendaItem.position, AgendaItem.id)).all()


@dataclass(frozen=True)
class TimedItem:
    number: int
    item: AgendaItem
    starts_at: datetime  # naive UTC, like every stored moment: the page shows it in the workspace's zone


def timed(meeting: Meeting, items: list[AgendaItem]) -> list[TimedItem]:
    """The agenda's items numbered from 1, each with its start (the meeting's start plus the items before)."""
    at = meeting.starts_at
    found = []
    for number, item in enumerate(items, 1):
        found.append(TimedItem(number, item, at))
        at += timedelta(minutes=item.duration_minutes)
    return found


def _reply_address(meeting: Meeting, by=None) -> str:
    """Where replies go: the acting manager, else the group's secretary or coordinator."""
    if by is not None and getattr(by, "user", None) is not None:
        return by.user.email
    return db.session.scalar(
        select(Person.email).join(BodyMembership, BodyMembership.person_id == Person.id)
        .where(BodyMembership.body_id == meeting.body_id, BodyMembership.role.in_(("secretary", "coordinator")),
               Person.email != "", *active_on(workspace_today()))
        .order_by(BodyMembership.id).limit(1)) or ""


def locale_of(invitee: MeetingInvitee, tenant: Tenant) -> str:
    locale = invitee.person.locale if invitee.person is not None else invitee.locale
    return locale if locale in LOCALES else tenant.default_locale


def published_agenda(meeting: Meeting) -> list[AgendaItem]:
    """The agenda as it has gone out: nothing before it is published."""
    return agenda_of(meeting) if meeting.is_published else []


def event_of(meeting: Meeting, tenant: Tenant, attendees=(), organizer_email: str = "",
             items: list[AgendaItem] | None = None) -> calendar.Event:
    """The meeting as a calendar event; the same UID every time, so calendars update it.
    `items`: its published agenda, read once by a caller that writes many events."""
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "samklima.example"
    items = published_agenda(meeting) if items is None else items
    outline = "\n".join(f"{row.number}. {row.item.title}" for row in timed(meeting, items) if not row.item.closed)
    description = "\n\n".join(part for part in (meeting.themes, outline, meeting.video_url) if part)
    return calendar.Event(
        uid=f"meeting-{meeting.tenant_id}-{meeting.id}@{host}", sequence=meeting.sequence,
        summary=meeting.title, description=description, starts_at=meeting.starts_at, ends_at=meeting.ends_at,
        time_zone=_zone(), location=meeting.place, video_url=meeting.video_url,
        url=mail_url("meetings.show", slug=tenant.slug, meeting_id=meeting.id),
        organizer_name=tenant.name, organizer_email=organizer_email, attendees=tuple(attendees),
        cancelled=meeting.is_cancelled,
    )


PARTSTAT = {"no_answer": "NEEDS-ACTION", "attending": "ACCEPTED", "not_attending": "DECLINED",
            "substitute": "DELEGATED"}


def _invitation(meeting: Meeting, invitee: MeetingInvitee, tenant: Tenant, method: str,
                items: list[AgendaItem]) -> Attachment:
    # RSVP=FALSE: an answer from Outlook's or Google's buttons would go to an inbox nobody reads;
    # the invitation's link takes it.
    attendee = calendar.Attendee(name=invitee.display_name, email=invitee.address,
                                 partstat=PARTSTAT.get(invitee.rsvp, "NEEDS-ACTION"), rsvp=False)
    # The same ORGANIZER in every message about the meeting, whoever acts: calendars match an
    # update to its event by UID and organizer. MAIL_SENDER may carry a display name.
    organizer = parseaddr(current_app.config["MAIL_SENDER"])[1]
    data = calendar.calendar_of([event_of(meeting, tenant, [attendee], organizer, items)], method=method)
    return Attachment("invite.ics" if method == "REQUEST" else "cancel.ics", calendar.content_type(method),
                      data.decode())


def _subject(meeting: Meeting, kind: str):
    """The mail's subject, translated when queue_mail renders it in the recipient's language."""
    from flask_babel import LazyString, format_date, gettext

    title, day = meeting.title, local_day(meeting)
    texts = {
        "agenda": lambda: gettext("Agenda: %(title)s, %(date)s", title=title, date=format_date(day, "long")),
        "changed": lambda: gettext("Changed: %(title)s, %(date)s", title=title, date=format_date(day, "long")),
        "cancelled": lambda: gettext("Cancelled: %(title)s, %(date)s", title=title, date=format_date(day, "long")),
        "update": lambda: gettext("Agenda changes: %(title)s, %(date)s", title=title, date=format_date(day, "long")),
    }
    return LazyString(texts[kind])


def _mail_invitee(meeting: Meeting, invitee: MeetingInvitee, template: str, subject: str, method: str,
                  tenant: Tenant, reply_to: str, items: list[AgendaItem], **context) -> None:
    """Queue one invitee's mail about the meeting with its calendar part; note the SEQUENCE they got."""
    queue_mail(invitee.address, f"meetings/email/{template}", locale_of(invitee, tenant), _subject(meeting, subject),
               tenant_id=tenant.id, carries_secret=True, sender_name=tenant.name, reply_to=reply_to,
               attachment=_invitation(meeting, invitee, tenant, method, items),
               meeting=meeting, invitee=invitee, workspace=tenant, link=link_for(invitee), **context)
    invitee.invited_sequence = meeting.sequence


def _send_agenda(meeting: Meeting, invitee: MeetingInvitee, tenant: Tenant, reply_to: str,
                 items: list[AgendaItem], template: str = "agenda") -> bool:
    if not invitee.address:
        return False
    _mail_invitee(meeting, invitee, template, "agenda", "REQUEST", tenant, reply_to, items,
                  agenda=timed(meeting, items))
    return True


def _queue_notice(meeting: Meeting, invitee: MeetingInvitee, kind: str, tenant: Tenant, reply_to: str,
                  items: list[AgendaItem]) -> None:
    _mail_invitee(meeting, invitee, kind, kind, "CANCEL" if kind == "cancelled" else "REQUEST", tenant, reply_to,
                  items)


def _tell_invitees(meeting: Meeting, kind: str, by) -> None:
    """Every invitee who got an invitation gets the change, with the calendar's update."""
    tenant, reply_to, items = by.tenant, _reply_address(meeting, by), published_agenda(meeting)
    for invitee in invitees_of(meeting):
        if invitee.address and invitee.invited_sequence >= 0:
            _queue_notice(meeting, invitee, kind, tenant, reply_to, items)


@dataclass(frozen=True)
class Published:
    sent: int
    without_address: list[str]


def publish_agenda(meeting: Meeting, *, by=None, tenant: Tenant | None = None) -> Published:
    """Send the agenda to every invitee once. `by` is who published; None: the worker, on the publishing day."""
    if by is not None:
        require_manager(by, meeting)
        tenant = by.tenant
    _require_open(meeting)
    already = OperationError(_l("The agenda is already published. Changes since then go out as one update mail."))
    if meeting.is_published:
        raise already
    items = agenda_of(meeting)
    if not items:
        raise OperationError(_l("The agenda has no items yet."))
    claimed = db.session.execute(
        update(Meeting).where(Meeting.id == meeting.id, Meeting.published_at.is_(None))
        .values(status="published", published_at=utcnow()).execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(meeting)
    if claimed != 1:
        raise already
    invite_members(meeting)
    reply_to = _reply_address(meeting, by)
    sent, without = 0, []
    for invitee in invitees_of(meeting):
        if _send_agenda(meeting, invitee, tenant, reply_to, items):
            sent += 1
        else:
            without.append(invitee.display_name)
    _audit("agenda_published", by, f"{meeting.body.name}: {local_day(meeting).isoformat()}", recipients=sent)
    return Published(sent, without)


def changed_items(meeting: Meeting) -> list[AgendaItem]:
    """Items on the agenda changed (or put on it) since it went out or since the last update mail."""
    if not meeting.is_published:
        return []
    since = meeting.announced_at or meeting.published_at
    return [item for item in db.session.scalars(select(AgendaItem).where(
        AgendaItem.meeting_id == meeting.id, AgendaItem.status == "accepted", AgendaItem.updated_at > since
    ).order_by(AgendaItem.position))]


def announce_changes(meeting: Meeting, *, by) -> int:
    """One short mail to every invitee with the items changed since the agenda (or the last update) went out."""
    require_manager(by, meeting)
    _require_open(meeting)
    changed = changed_items(meeting)
    if not changed:
        raise OperationError(_l("Nothing on the agenda has changed since it went out."))
    tenant, reply_to = by.tenant, _reply_address(meeting, by)
    items = timed(meeting, agenda_of(meeting))
    changed_ids = {item.id for item in changed}
    sent = 0
    for invitee in invitees_of(meeting):
        if not invitee.address or invitee.rsvp == SUBSTITUTE_ANSWER:
            continue
        queue_mail(invitee.address, "meetings/email/update", locale_of(invitee, tenant), _subject(meeting, "update"),
                   tenant_id=tenant.id, carries_secret=True, sender_name=tenant.name, reply_to=reply_to,
                   meeting=meeting, invitee=invitee, workspace=tenant, agenda=items, changed_ids=changed_ids,
                   link=link_for(invitee))
        sent += 1
    meeting.announced_at = utcnow()
    _audit("agenda_update_sent", by, f"{meeting.body.name}: {local_day(meeting).isoformat()}", items=len(changed))
    return sent


def publish_due_agendas(tenant) -> int:
    """The worker's job: publish every agenda whose publishing day has come, once."""
    today, now = workspace_today(), utcnow()
    due = db.session.scalars(select(Meeting).where(
        Meeting.status == "planned", Meeting.published_at.is_(None), Meeting.publish_on <= today,
        Meeting.starts_at > now).order_by(Meeting.starts_at)).all()
    done = 0
    for meeting in due:
        if not agenda_of(meeting):
            continue
        try:
            with db.session.begin_nested():
                publish_agenda(meeting, tenant=tenant)
            done += 1
        except Exception:
            # Logged, and tried again next minute; the workspace's other agendas still go out.
            log.exception("could not publish the agenda of meeting %s in workspace %s", meeting.id, tenant.id)
    return done


# --- telling the proposer ------------------------------------------------------------------

def _tell_proposer(item: AgendaItem, meeting: Meeting, decision: str, by, later: Meeting | None = None) -> None:
    proposer = db.session.scalar(select(Person).where(Person.id == item.proposer_id)) if item.proposer_id else None
    if proposer is None or not proposer.email:
        return
    tenant = by.tenant
    locale = proposer.locale if proposer.locale in LOCALES else tenant.default_locale
    from flask_babel import LazyString, gettext

    title = item.title
    subjects = {
        "accepted": lambda: gettext("Your proposal is on the agenda: %(title)s", title=title),
        "deferred": lambda: gettext("Your proposal is moved to a later meeting: %(title)s", title=title),
        "rejected": lambda: gettext("Your proposal is not on the agenda: %(title)s", title=title),
    }
    queue_mail(proposer.email, f"meetings/email/item_{decision}", locale, LazyString(subjects[decision]),
               tenant_id=tenant.id, sender_name=tenant.name, reply_to=_reply_address(meeting, by),
               item=item, meeting=meeting, later=later, person=proposer, workspace=tenant,
               url=mail_url("meetings.show", slug=tenant.slug, meeting_id=(later or meeting).id))


# --- answering an invitation ------------------------------------------------------------------

class MeetingLinkError(OperationError):
    """A personal meeting link that does not work (the page then speaks the invitee's language)."""


def find_by_token(token: str) -> tuple[Tenant, MeetingInvitee]:
    """The invitee a link names. Reads only; its workspace comes from the token."""
    return row_for_link(token, MeetingInvitee.token_hash, MeetingLinkError(
        _l("This link is not valid. Ask the secretariat that sent it for a new one.")))


def meeting_of(invitee: MeetingInvitee) -> Meeting:
    return db.session.scalar(select(Meeting).where(Meeting.id == invitee.meeting_id))


def _check_can_answer(invitee: MeetingInvitee, meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise MeetingLinkError(_l("This meeting is cancelled. You do not need to answer."))
    if meeting.ends_at <= utcnow():
        raise MeetingLinkError(_l("This meeting has taken place. You can no longer answer the invitation."))
    if not still_invited(invitee, meeting):
        raise MeetingLinkError(LEFT_THE_GROUP)


LEFT_THE_GROUP = _l("You are no longer a member of this group, so the invitation no longer applies to you. "
                    "If that is a mistake, write to the secretariat.")


def still_invited(invitee: MeetingInvitee, meeting: Meeting) -> bool:
    """A guest or a substitute stays invited; a member only while they sit in the group on the meeting's day."""
    return invitee.kind != "member" or db.session.scalar(
        select(func.count(BodyMembership.id)).where(BodyMembership.body_id == meeting.body_id,
                                                    BodyMembership.person_id == invitee.person_id,
                                                    *active_on(local_day(meeting)))) > 0


@dataclass
class Answer:
    rsvp: str
    substitute_name: str = ""
    substitute_email: str = ""

    def check(self, invitee: MeetingInvitee, meeting: Meeting) -> None:
        if self.rsvp not in PARTSTAT or self.rsvp == "no_answer":
            raise OperationError(_l("Choose an answer."), field="rsvp")
        if self.rsvp == SUBSTITUTE_ANSWER:
            if invitee.kind != "member":
                raise OperationError(_l("Only a member of the group can send a substitute."), field="rsvp")
            rules.require(self.substitute_name, "substitute_name")
            rules.at_most(self.substitute_name.strip(), 200, "substitute_name")
            rules.email_address(self.substitute_email, "substitute_email")
            wanted = self.substitute_email.strip().lower()
            if any(other.address.lower() == wanted and other.substitute_for_id != invitee.id
                   for other in invitees_of(meeting)):
                raise OperationError(_l("This address is already invited to the meeting."), field="substitute_email")


def answer_invitation(invitee: MeetingInvitee, answer: Answer, tenant: Tenant, *, by=None) -> MeetingInvitee | None:
    """Attending, not attending, or sending a substitute who then gets the papers.
    From the personal link (by=None) or the meeting page (by: the member's own invitee)."""
    meeting = meeting_of(invitee)
    _check_can_answer(invitee, meeting)
    answer.check(invitee, meeting)
    substitute = None
    previous = [other for other in invitees_of(meeting) if other.substitute_for_id == invitee.id]
    for other in previous:
        if answer.rsvp != SUBSTITUTE_ANSWER or other.address.lower() != answer.substitute_email.strip().lower():
            if other.invited_sequence >= 0 and meeting.is_published:
                _queue_notice(meeting, other, "cancelled", tenant, _reply_address(meeting, by), agenda_of(meeting))
            db.session.delete(other)
        else:
            substitute = other
    invitee.rsvp = answer.rsvp
    invitee.answered_at = utcnow()
    if answer.rsvp == SUBSTITUTE_ANSWER and substitute is None:
        locale = locale_of(invitee, tenant)
        substitute = _add_invitee(meeting, kind="substitute", name=answer.substitute_name.strip(),
                                  email=answer.substitute_email.strip().lower(), locale=locale,
                                  substitute_for_id=invitee.id)
        if meeting.is_published:
            _send_agenda(meeting, substitute, tenant, _reply_address(meeting, by), agenda_of(meeting),
                         template="substitute")
    record("meeting_rsvp", actor=getattr(by, "user", None), subject=f"{meeting.body.name}: {invitee.display_name}",
           answer=answer.rsvp)
    return substitute


def own_invitee(meeting: Meeting, membership) -> MeetingInvitee | None:
    """The signed-in member's own invitation to this meeting, if they have one."""
    person = person_for_user(membership.user) if membership is not None else None
    if person is None:
        return None
    return db.session.scalar(select(MeetingInvitee).where(MeetingInvitee.meeting_id == meeting.id,
                                                          MeetingInvitee.person_id == person.id))


def answer_own_invitation(meeting: Meeting, answer: Answer, *, by) -> MeetingInvitee | None:
    invitee = own_invitee(meeting, by)
    if invitee is None:
        raise OperationError(_l("You are not invited to this meeting."))
    return answer_invitation(invitee, answer, by.tenant, by=by)


# --- attendance -------------------------------------------------------------------------------------

ATTENDANCE = ("present", "excused", "absent")
# What an answer to the invitation suggests before the secretary has marked anyone.
SUGGESTED = {"attending": "present", "not_attending": "excused", "substitute": "excused"}


def attendance_sheet(meeting: Meeting, *, by) -> list[MeetingInvitee]:
    """Everyone to mark: the meeting's invitees, who exist once its agenda has gone out. Reads only."""
    require_manager(by, meeting)
    _require_open(meeting)
    if not meeting.is_published:
        raise OperationError(_l("Send the agenda first: the attendance sheet lists the people it went to."))
    return invitees_of(meeting)


def suggested_attendance(invitee: MeetingInvitee) -> str | None:
    if invitee.attendance:
        return invitee.attendance
    return "present" if invitee.kind == "substitute" else SUGGESTED.get(invitee.rsvp)


def record_attendance(meeting: Meeting, marks: list[tuple[int | None, str]], *, by) -> int:
    """(invitee id, "present" | "excused" | "absent" | "") for each row of the sheet; "" unmarks."""
    invitees = {invitee.id: invitee for invitee in attendance_sheet(meeting, by=by)}
    for number, (invitee_id, mark) in enumerate(marks):
        # Another meeting's (or workspace's) invitee, or a forged mark: the same refusal. A row
        # without its person (a sheet sent short) marks nobody.
        if invitee_id is not None and (invitee_id not in invitees or mark not in (*ATTENDANCE, "")):
            raise OperationError(_l("Choose an option from the list."), field=f"rows-{number}-mark")
    marks = [(invitee_id, mark) for invitee_id, mark in marks if invitee_id is not None]
    for invitee_id, mark in marks:
        invitees[invitee_id].attendance = mark or None
    _audit("meeting_attendance_recorded", by, f"{meeting.body.name}: {local_day(meeting).isoformat()}",
           present=sum(mark == "present" for _id, mark in marks))
    return len(marks)
