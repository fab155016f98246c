"""Meeting invitations, cancellations and calendar files (RFC 5545) that calendars update instead of duplicating.

Outlook, Google and Apple file a meeting under its UID: a later message with
the same UID and a higher SEQUENCE replaces the event, and METHOD:CANCEL with
that UID removes it. So a meeting keeps one UID for life and raises SEQUENCE
on every change; mails say METHOD:REQUEST or METHOD:CANCEL (iTIP, RFC 5546),
downloads and feeds say PUBLISH or nothing. Built from plain data, not the
models, so that mails, downloads and feeds share one way of writing a meeting.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

import icalendar

from samklima.platform.clock import utcnow

PRODUCT = "-//Samklima//Samklima//EN"
METHODS = ("REQUEST", "CANCEL", "PUBLISH")
PARTSTATS = ("NEEDS-ACTION", "ACCEPTED", "DECLINED", "DELEGATED", "TENTATIVE")

# These zones are written as "Z". Any other zone keeps its TZID, even one that
# icalendar finds equal to UTC: it writes Atlantic/Reykjavik (a link to
# Africa/Abidjan in tzdata) as "Z", and an Icelandic workspace would lose its zone.
_UTC_KEYS = frozenset({"UTC", "Etc/UTC"})
# RFC 5545 TEXT excludes control characters but HTAB; icalendar escapes
# newlines and passes the others through, and some clients reject the file.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str
    partstat: str = "NEEDS-ACTION"  # NEEDS-ACTION, ACCEPTED, DECLINED, DELEGATED, TENTATIVE
    rsvp: bool = True


@dataclass(frozen=True)
class Event:
    uid: str  # stable per meeting, e.g. "meeting-12-345@samklima.example"
    sequence: int  # raised on every change
    summary: str
    description: str  # plain text (themes, agenda outline)
    starts_at: datetime  # naive UTC, as the app stores times
    ends_at: datetime  # naive UTC
    time_zone: str  # the workspace's IANA zone, e.g. "Europe/Copenhagen"
    location: str = ""
    url: str = ""  # the meeting's page
    video_url: str = ""
    organizer_name: str = ""
    organizer_email: str = ""
    attendees: tuple[Attendee, ...] = ()
    cancelled: bool = False
    alarm_minutes: int | None = 30  # a VALARM DISPLAY this many minutes before; None: no alarm
    last_modified: datetime | None = None  # naive UTC; DTSTAMP is this or the clock's now


def content_type(method: str | None) -> str:
    """The Content-Type of a calendar part or download; mail clients read the method from it too."""
    _check_method(method)
    if method is None:
        return "text/calendar; charset=utf-8"
    return f"text/calendar; charset=utf-8; method={method}"


def calendar_of(
    events: Iterable[Event], *, method: str | None, name: str = "", product: str = PRODUCT
) -> bytes:
    """One VCALENDAR with these events and one VTIMEZONE per zone they use.

    `method`: "REQUEST" (an invitation mail), "CANCEL" (a cancellation mail),
    "PUBLISH" (a download or a feed) or None (a feed without METHOD).
    `name`: the calendar's name in the subscriber's list (X-WR-CALNAME, NAME).
    """
    _check_method(method)
    events = tuple(events)
    if method in ("REQUEST", "CANCEL") and len({event.uid for event in events}) != 1:
        # Clients file a scheduling message under one UID: a second meeting in it is lost.
        raise ValueError(f"a {method} message carries exactly one meeting")
    components = [_component(event, method) for event in events]
    calendar = icalendar.Calendar()
    calendar.prodid = product
    calendar.version = "2.0"
    if method is not None:
        calendar.method = method
    if name:
        # Not `calendar.calendar_name`: icalendar writes NAME and X-WR-CALNAME
        # unescaped, and a newline in a name breaks the file. A name is one line.
        label = icalendar.vText(_line(name))
        calendar.add("NAME", label)
        calendar.add("X-WR-CALNAME", label)
    for time_zone in _time_zones(events):
        calendar.add_component(time_zone)
    for component in components:
        calendar.add_component(component)
    return calendar.to_ical()


def _check_method(method: str | None) -> None:
    if method is not None and method not in METHODS:
        raise ValueError(f"unknown calendar method {method!r}")


def _component(event: Event, method: str | None) -> icalendar.Event:
    if not event.summary.strip():
        raise ValueError("an event needs a summary")
    if _naive_utc(event.ends_at) <= _naive_utc(event.starts_at):
        raise ValueError("an event must end after it starts")
    if event.alarm_minutes is not None and event.alarm_minutes < 0:
        raise ValueError("an alarm rings before the meeting, not after it starts")
    if method == "REQUEST" and event.cancelled:
        raise ValueError("a cancelled meeting is sent with method CANCEL")
    is_scheduling = method in ("REQUEST", "CANCEL")
    if is_scheduling and not event.organizer_email:
        # iTIP requires ORGANIZER; without it Outlook and Google cannot match the reply or the cancellation.
        raise ValueError(f"a {method} message needs the organizer's e-mail address")
    is_cancelled = event.cancelled or method == "CANCEL"
    stamp = _naive_utc(event.last_modified) if event.last_modified is not None else utcnow()
    component = icalendar.Event.new(
        uid=event.uid,
        sequence=event.sequence,
        stamp=stamp.replace(tzinfo=UTC),
        last_modified=event.last_modified.replace(tzinfo=UTC) if event.last_modified is not None else None,
        summary=_text(event.summary),
        description=_description(event) or None,
        location=_text(event.location) or None,
        url=event.url or None,
        status="CANCELLED" if is_cancelled else "CONFIRMED",
        organizer=_address(event.organizer_email, event.organizer_name) if event.organizer_email else None,
    )
    zone = ZoneInfo(event.time_zone)
    _add_time(component, "DTSTART", event.starts_at, zone)
    _add_time(component, "DTEND", event.ends_at, zone)
    if event.video_url:
        component.conferences = [icalendar.Conference(event.video_url, feature="VIDEO")]
    # Feeds and downloads carry no attendees: a feed URL must not hand out the
    # members' addresses, and RSVP would ask a subscriber to answer a copy.
    if is_scheduling:
        for attendee in event.attendees:
            component.add("ATTENDEE", _attendee(attendee, rsvp=attendee.rsvp if method == "REQUEST" else None))
    if event.alarm_minutes is not None and not is_cancelled:
        component.add_component(
            icalendar.Alarm.new_display(
                description=_text(event.summary), trigger=-timedelta(minutes=event.alarm_minutes)
            )
        )
    return component


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is not None:
        raise ValueError("times are naive UTC, as the app stores them")
    return moment


def _add_time(component: icalendar.Event, name: str, moment: datetime, zone: ZoneInfo) -> None:
    instant = moment.replace(tzinfo=UTC)
    if zone.key in _UTC_KEYS:
        component.add(name, instant)
        return
    wall_clock = instant.astimezone(zone).replace(tzinfo=None)
    component.add(name, wall_clock, parameters={"TZID": zone.key})


def _text(value: str) -> str:
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def _line(value: str) -> str:
    return " ".join(_text(value).split())


def _description(event: Event) -> str:
    description = _text(event.description)
    # Outlook and Google ignore CONFERENCE, and people look for the link in the text.
    if event.video_url and event.video_url not in description:
        description = f"{description}\n\n{event.video_url}" if description else event.video_url
    return description


def _address(email: str, name: str) -> icalendar.vCalAddress:
    return icalendar.vCalAddress.new(email, cn=_line(name) or None)


def _attendee(attendee: Attendee, *, rsvp: bool | None) -> icalendar.vCalAddress:
    if attendee.partstat not in PARTSTATS:
        raise ValueError(f"unknown participation status {attendee.partstat!r}")
    return icalendar.vCalAddress.new(
        attendee.email,
        cn=_line(attendee.name) or None,
        role="REQ-PARTICIPANT",
        partstat=attendee.partstat,
        rsvp=rsvp,
    )


def _time_zones(events: tuple[Event, ...]) -> list[icalendar.Timezone]:
    years: dict[str, list[int]] = {}
    for event in events:
        if event.time_zone in _UTC_KEYS:
            continue
        zone = ZoneInfo(event.time_zone)
        for moment in (event.starts_at, event.ends_at):
            years.setdefault(event.time_zone, []).append(moment.replace(tzinfo=UTC).astimezone(zone).year)
    # A year either side, so that each event falls after the first onset of every observance.
    return [_time_zone(key, min(seen) - 1, max(seen) + 1) for key, seen in years.items()]


class _Transition(NamedTuple):
    onset: datetime  # wall-clock time under the offset in force before, as VTIMEZONE's DTSTART wants it
    offset_from: timedelta
    offset_to: timedelta
    name: str
    is_daylight: bool


def _time_zone(key: str, first_year: int, last_year: int) -> icalendar.Timezone:
    """The zone as yearly rules (RRULE) where its rules allow, else as its dates of change (RDATE).

    Not icalendar's `Timezone.from_tzid`: it lists every change as an RDATE,
    which RFC 5545 allows but Outlook for Windows is reported to misread
    (keeping one offset, so summer meetings show an hour off), and it writes
    the spring change at the first wall-clock time after the gap (03:00 in
    Copenhagen), which readers take under the offset before it: an hour late.
    Yearly rules are what Outlook and Google write themselves.
    """
    # Twelve years at least, so that every date has fallen on every weekday: over
    # three years America/Nuuk's "Saturday before the last Sunday" looks like
    # "the fourth Saturday", and that rule would be wrong the year after.
    rule_years = range(first_year, max(last_year, first_year + 11) + 1)
    transitions = _transitions(key, rule_years.start, rule_years.stop - 1)
    rules = _yearly_rules(transitions, rule_years)
    time_zone = icalendar.Timezone()
    time_zone.add("TZID", key)
    if rules is not None:
        for transition, rule in rules:
            observance = _observance(transition)
            observance.add("RRULE", rule)
            time_zone.add_component(observance)
        return time_zone
    # The offset in force when the span opens, for a zone that has no change before the first event.
    opening = datetime(first_year, 1, 1, tzinfo=UTC).astimezone(ZoneInfo(key))
    offset = opening.utcoffset()
    name, is_daylight = opening.tzname() or "", bool(opening.dst())
    time_zone.add_component(_observance(_Transition(opening.replace(tzinfo=None), offset, offset, name, is_daylight)))
    for kind in _kinds(transition for transition in transitions if transition.onset.year <= last_year):
        observance = _observance(kind[0])
        if kind[1:]:
            observance.add("RDATE", [transition.onset for transition in kind[1:]])
        time_zone.add_component(observance)
    return time_zone


def _observance(transition: _Transition) -> icalendar.TimezoneStandard | icalendar.TimezoneDaylight:
    observance = icalendar.TimezoneDaylight() if transition.is_daylight else icalendar.TimezoneStandard()
    observance.add("TZNAME", transition.name)
    observance.TZOFFSETFROM = transition.offset_from
    observance.TZOFFSETTO = transition.offset_to
    observance.DTSTART = transition.onset
    return observance


@lru_cache(maxsize=64)
def _transitions(key: str, first_year: int, last_year: int) -> tuple[_Transition, ...]:
    """Every change of UTC offset in these years, found day by day and then to the second.

    zoneinfo has no public list of transitions; a day's step cannot miss one,
    as no zone changes twice within a day.
    """
    zone = ZoneInfo(key)
    found = []
    day = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    before = day.astimezone(zone).utcoffset()
    while day < end:
        after = (day + timedelta(days=1)).astimezone(zone).utcoffset()
        if before != after:
            low, high = 0, 86_400  # seconds into the day: still `before` at low, already `after` at high
            while high - low > 1:
                middle = (low + high) // 2
                if (day + timedelta(seconds=middle)).astimezone(zone).utcoffset() == before:
                    low = middle
                else:
                    high = middle
            instant = day + timedelta(seconds=high)
            local = instant.astimezone(zone)
            found.append(
                _Transition(
                    onset=(instant + before).replace(tzinfo=None),
                    offset_from=before,
                    offset_to=after,
                    name=local.tzname() or "",
                    is_daylight=bool(local.dst()),
                )
            )
        day, before = day + timedelta(days=1), after
    return tuple(found)


def _yearly_rules(transitions: tuple[_Transition, ...], years: range) -> list[tuple[_Transition, dict]] | None:
    """Each kind of change as one RRULE (the last or nth weekday of a month), or None if any kind has none."""
    rules = []
    for kind in _kinds(transitions):
        onsets = [transition.onset for transition in kind]
        if [onset.year for onset in onsets] != list(years):
            return None
        if len({(onset.month, onset.weekday(), onset.time()) for onset in onsets}) != 1:
            return None
        if all((onset + timedelta(days=7)).month != onset.month for onset in onsets):
            ordinal = -1
        elif len({(onset.day - 1) // 7 for onset in onsets}) == 1:
            ordinal = (onsets[0].day - 1) // 7 + 1
        else:
            return None
        weekday = _WEEKDAYS[onsets[0].weekday()]
        rules.append((kind[0], {"FREQ": "YEARLY", "BYMONTH": onsets[0].month, "BYDAY": f"{ordinal}{weekday}"}))
    return rules or None


def _kinds(transitions: Iterable[_Transition]) -> list[list[_Transition]]:
    """The transitions grouped into observances: the same change of offset under the same name."""
    kinds: dict[tuple, list[_Transition]] = {}
    for transition in transitions:
        kind = (transition.is_daylight, transition.offset_from, transition.offset_to, transition.name)
        kinds.setdefault(kind, []).append(transition)
    return list(kinds.values())
