"""Invitations, cancellations and feeds as iCalendar: read back by icalendar, dateutil and recurring-ical-events."""
import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import time_machine
from dateutil import tz as dateutil_tz

from samklima.tenants.meetings.calendar import Attendee, Event, calendar_of, content_type

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
ORGANIZER = ("Mette Secretariat", "mette@aarhus.example")
ASE = Attendee("Åse Þórsdóttir", "ase@kommune.example", partstat="ACCEPTED")
BO = Attendee("Bo Ek", "bo@kommun.example")
HOSTILE = (
    "Tema: CO₂-budget; kommuner, regioner \\ alle\n"
    "Line two: æøå ÆØÅ äö ÄÖ þð ÞÐ, \"quoted\" and 'single'; end\\n is not a newline\n"
    + "Very long line without breaks " * 12
    + "\n\nÞetta er íslenska; Dette er dansk, og det er svensk: åäö."
)


def meeting(**changes) -> Event:
    fields = dict(
        uid="meeting-12-345@samklima.example",
        sequence=3,
        summary="Klimaforum Midtjylland",
        description="Themes: heat plans\nAgenda: 1. Welcome 2. Heat plans",
        starts_at=datetime(2026, 3, 10, 9, 0),
        ends_at=datetime(2026, 3, 10, 11, 0),
        time_zone="Europe/Copenhagen",
        location="Rådhuset, mødesal 2",
        url="https://samklima.example/midtjylland/meetings/345",
        organizer_name=ORGANIZER[0],
        organizer_email=ORGANIZER[1],
        attendees=(ASE, BO),
        last_modified=datetime(2026, 3, 1, 12, 30),
    )
    return Event(**{**fields, **changes})


def parsed(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def only_event(data: bytes) -> icalendar.Event:
    (event,) = parsed(data).events
    return event


def attendees_by_email(event: icalendar.Event) -> dict[str, icalendar.vCalAddress]:
    return {str(attendee).removeprefix("mailto:"): attendee for attendee in event.attendees}


def meeting_at(starts_at: datetime, **changes) -> Event:
    """A one-hour meeting starting at this naive UTC time."""
    return meeting(starts_at=starts_at, ends_at=starts_at + timedelta(hours=1), **changes)


def time_zone_written_for(time_zone: str, starts_at: datetime) -> icalendar.Timezone:
    (timezone,) = parsed(calendar_of([meeting_at(starts_at, time_zone=time_zone)], method=None)).timezones
    return timezone


def between(calendar: icalendar.Calendar, start: datetime, end: datetime) -> list[icalendar.Event]:
    return recurring_ical_events.of(calendar).between(start.replace(tzinfo=UTC), end.replace(tzinfo=UTC))


# --- what makes a calendar update the meeting instead of adding another ------------------

def test_invitation_has_method_request_and_the_meetings_uid_and_sequence():
    calendar = parsed(calendar_of([meeting()], method="REQUEST"))

    (event,) = calendar.events
    assert calendar["METHOD"] == "REQUEST"
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//Samklima//Samklima//EN"
    assert event["UID"] == "meeting-12-345@samklima.example"
    assert event["SEQUENCE"] == 3
    assert event["STATUS"] == "CONFIRMED"


def test_changed_meeting_keeps_its_uid_and_carries_the_raised_sequence():
    first = only_event(calendar_of([meeting(sequence=0)], method="REQUEST"))
    moved = only_event(calendar_of([meeting_at(datetime(2026, 3, 11, 9), sequence=1)], method="REQUEST"))

    assert moved["UID"] == first["UID"]
    assert (first["SEQUENCE"], moved["SEQUENCE"]) == (0, 1)


def test_cancellation_has_method_cancel_status_cancelled_and_the_given_sequence():
    calendar = parsed(calendar_of([meeting(sequence=4, cancelled=True)], method="CANCEL"))

    (event,) = calendar.events
    assert calendar["METHOD"] == "CANCEL"
    assert event["UID"] == "meeting-12-345@samklima.example"
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 4
    assert str(event["ORGANIZER"]) == "mailto:mette@aarhus.example"


def test_cancellation_is_cancelled_even_if_the_event_is_not_marked_so():
    event = only_event(calendar_of([meeting(cancelled=False)], method="CANCEL"))

    assert event["STATUS"] == "CANCELLED"


def test_cancellation_rings_no_alarm():
    event = only_event(calendar_of([meeting(cancelled=True)], method="CANCEL"))

    assert event.walk("VALARM") == []


def test_cancellation_names_the_attendees_but_asks_no_answer():
    event = only_event(calendar_of([meeting(cancelled=True)], method="CANCEL"))

    ase = attendees_by_email(event)["ase@kommune.example"]
    assert set(attendees_by_email(event)) == {"ase@kommune.example", "bo@kommun.example"}
    assert "RSVP" not in ase.params


def test_cancelled_meeting_in_a_feed_is_cancelled_and_the_others_confirmed():
    data = calendar_of(
        [meeting(uid="a@samklima.example", cancelled=True), meeting(uid="b@samklima.example")], method=None
    )

    calendar = parsed(data)
    assert "METHOD" not in calendar
    assert {str(event["UID"]): str(event["STATUS"]) for event in calendar.events} == {
        "a@samklima.example": "CANCELLED",
        "b@samklima.example": "CONFIRMED",
    }
    assert [len(event.walk("VALARM")) for event in calendar.events] == [0, 1]


def test_download_has_method_publish():
    calendar = parsed(calendar_of([meeting()], method="PUBLISH"))

    assert calendar["METHOD"] == "PUBLISH"


# --- organizer and attendees -------------------------------------------------------------

def test_invitation_names_the_organizer_with_mailto_and_common_name():
    event = only_event(calendar_of([meeting()], method="REQUEST"))

    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:mette@aarhus.example"
    assert organizer.params["CN"] == "Mette Secretariat"


def test_invitation_carries_each_attendees_participation_status_and_asks_for_an_answer():
    event = only_event(calendar_of([meeting()], method="REQUEST"))

    attendees = attendees_by_email(event)
    assert set(attendees) == {"ase@kommune.example", "bo@kommun.example"}
    ase, bo = attendees["ase@kommune.example"], attendees["bo@kommun.example"]
    assert ase.params["CN"] == "Åse Þórsdóttir"
    assert ase.params["ROLE"] == "REQ-PARTICIPANT"
    assert (ase.params["PARTSTAT"], bo.params["PARTSTAT"]) == ("ACCEPTED", "NEEDS-ACTION")
    assert (ase.params["RSVP"], bo.params["RSVP"]) == ("TRUE", "TRUE")


def test_attendee_who_need_not_answer_gets_rsvp_false():
    event = only_event(calendar_of([meeting(attendees=(replace(BO, rsvp=False),))], method="REQUEST"))

    assert attendees_by_email(event)["bo@kommun.example"].params["RSVP"] == "FALSE"


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
def test_invitation_or_cancellation_without_organizer_is_refused(method):
    with pytest.raises(ValueError, match="organizer"):
        calendar_of([meeting(organizer_email="", organizer_name="")], method=method)


@pytest.mark.parametrize("method", [None, "PUBLISH"])
def test_feed_and_download_carry_no_attendees(method):
    event = only_event(calendar_of([meeting()], method=method))

    assert "ATTENDEE" not in event
    assert str(event["ORGANIZER"]) == "mailto:mette@aarhus.example"


def test_feed_may_have_no_organizer():
    event = only_event(calendar_of([meeting(organizer_email="", organizer_name="")], method=None))

    assert "ORGANIZER" not in event


def test_unknown_participation_status_is_refused():
    with pytest.raises(ValueError, match="participation status"):
        calendar_of([meeting(attendees=(replace(BO, partstat="MAYBE"),))], method="REQUEST")


def test_request_with_two_meetings_is_refused():
    with pytest.raises(ValueError, match="exactly one meeting"):
        calendar_of([meeting(uid="a@samklima.example"), meeting(uid="b@samklima.example")], method="REQUEST")


def test_request_for_a_cancelled_meeting_is_refused():
    with pytest.raises(ValueError, match="CANCEL"):
        calendar_of([meeting(cancelled=True)], method="REQUEST")


# --- times and zones ---------------------------------------------------------------------

@pytest.mark.parametrize(
    ("starts_at", "wall_clock"),
    [
        (datetime(2026, 3, 10, 9, 0), datetime(2026, 3, 10, 10, 0)),  # CET, UTC+1
        (datetime(2026, 6, 16, 8, 0), datetime(2026, 6, 16, 10, 0)),  # CEST, UTC+2
    ],
)
def test_start_is_the_wall_clock_time_in_the_workspaces_zone(starts_at, wall_clock):
    event = only_event(calendar_of([meeting_at(starts_at)], method="REQUEST"))

    start, end = event["DTSTART"], event["DTEND"]
    assert start.params["TZID"] == "Europe/Copenhagen"
    assert end.params["TZID"] == "Europe/Copenhagen"
    assert start.dt.replace(tzinfo=None) == wall_clock
    assert end.dt.replace(tzinfo=None) == wall_clock + timedelta(hours=1)
    assert start.dt == starts_at.replace(tzinfo=UTC)


def test_calendar_carries_one_vtimezone_for_the_zone_the_event_uses():
    calendar = parsed(calendar_of([meeting()], method="REQUEST"))

    assert [timezone.tz_name for timezone in calendar.timezones] == ["Europe/Copenhagen"]
    assert calendar.get_missing_tzids() == set()


def test_many_events_in_one_zone_share_one_vtimezone():
    events = [
        meeting_at(starts_at, uid=f"meeting-12-{n}@samklima.example")
        for n, starts_at in enumerate([datetime(2026, 1, 13, 9), datetime(2026, 6, 9, 8), datetime(2027, 11, 2, 9)])
    ]

    calendar = parsed(calendar_of(events, method=None))

    assert [timezone.tz_name for timezone in calendar.timezones] == ["Europe/Copenhagen"]
    assert len(calendar.events) == 3


def test_events_in_two_zones_get_two_vtimezones():
    events = [
        meeting(uid="dk@samklima.example"),
        meeting(uid="fi@samklima.example", time_zone="Europe/Helsinki"),
        meeting_at(datetime(2026, 6, 16, 8), uid="dk2@samklima.example"),
    ]

    calendar = parsed(calendar_of(events, method=None))

    assert sorted(timezone.tz_name for timezone in calendar.timezones) == ["Europe/Copenhagen", "Europe/Helsinki"]
    helsinki = next(event for event in calendar.events if event["UID"] == "fi@samklima.example")
    assert helsinki["DTSTART"].params["TZID"] == "Europe/Helsinki"
    assert helsinki["DTSTART"].dt.replace(tzinfo=None) == datetime(2026, 3, 10, 11, 0)


def test_vtimezones_come_before_the_events_that_use_them():
    calendar = parsed(calendar_of([meeting()], method="REQUEST"))

    assert [component.name for component in calendar.subcomponents] == ["VTIMEZONE", "VEVENT"]


def test_zone_is_written_as_the_yearly_rules_outlook_reads():
    (timezone,) = parsed(calendar_of([meeting()], method="REQUEST")).timezones

    (summer,), (winter,) = timezone.daylight, timezone.standard
    assert summer["RRULE"] == icalendar.vRecur({"FREQ": "YEARLY", "BYMONTH": 3, "BYDAY": "-1SU"})
    assert winter["RRULE"] == icalendar.vRecur({"FREQ": "YEARLY", "BYMONTH": 10, "BYDAY": "-1SU"})
    # Onsets in the local time before the change: 02:00 CET and 03:00 CEST, as RFC 5545 reads them.
    assert (summer.DTSTART.time().hour, winter.DTSTART.time().hour) == (2, 3)
    assert (summer.TZOFFSETFROM, summer.TZOFFSETTO) == (timedelta(hours=1), timedelta(hours=2))
    assert (winter.TZOFFSETFROM, winter.TZOFFSETTO) == (timedelta(hours=2), timedelta(hours=1))
    assert "RDATE" not in summer
    assert "RDATE" not in winter


def test_zone_without_a_weekday_rule_is_written_as_its_dates_of_change():
    timezone = time_zone_written_for("America/Nuuk", datetime(2026, 6, 16, 8))

    # Nuuk's summer time starts at 23:00 on the Saturday before March's last Sunday: no BYDAY says that.
    assert [observance for observance in timezone.walk() if "RRULE" in observance] == []
    assert [observance for observance in timezone.walk() if "RDATE" in observance] != []


@pytest.mark.parametrize(
    ("time_zone", "year"),
    [
        ("Europe/Copenhagen", 2026),
        ("Europe/Stockholm", 2026),
        ("Europe/Oslo", 2027),
        ("Europe/Helsinki", 2026),
        ("Atlantic/Faroe", 2026),
        ("Atlantic/Reykjavik", 2026),
        ("America/Nuuk", 2026),
        ("America/Nuuk", 2029),  # summer time starts on the 24th, not on March's last Saturday
    ],
)
def test_vtimezone_gives_tzdatas_offset_at_every_hour_of_the_year(time_zone, year):
    timezone = time_zone_written_for(time_zone, datetime(year, 6, 16, 8))
    # Two readers of the VTIMEZONE itself, neither looking the TZID up in tzdata.
    readers = {
        "icalendar": timezone.to_tz(lookup_tzid=False),
        "dateutil": dateutil_tz.tzical(io.StringIO(timezone.to_ical().decode())).get(),
    }
    zone = ZoneInfo(time_zone)

    hours = [datetime(year, 1, 1, tzinfo=UTC) + timedelta(hours=n) for n in range(24 * 365)]
    wrong = {
        reader: [hour for hour in hours if hour.astimezone(tzinfo).utcoffset() != hour.astimezone(zone).utcoffset()]
        for reader, tzinfo in readers.items()
    }
    assert wrong == {"icalendar": [], "dateutil": []}


@pytest.mark.parametrize("year", [2023, 2026])
def test_dates_of_change_are_tzdatas_instants_read_as_rfc_5545_reads_them(year):
    """Each onset is wall-clock time under TZOFFSETFROM, so onset minus TZOFFSETFROM is the instant of change.

    In 2023 Greenland moved from UTC-3 to UTC-2 without summer time: icalendar's
    and dateutil's readers take that onset under the new offset, an hour early,
    so this case is checked against the RFC's own reading instead.
    """
    timezone = time_zone_written_for("America/Nuuk", datetime(year, 6, 16, 8))
    zone = ZoneInfo("America/Nuuk")
    hours = [datetime(year - 1, 1, 1, tzinfo=UTC) + timedelta(hours=n) for n in range(24 * 365 * 3)]
    offsets = [hour.astimezone(zone).utcoffset() for hour in hours]
    tzdata_changes = [hour for hour, offset, previous in zip(hours[1:], offsets[1:], offsets) if offset != previous]

    changes = [
        (onset - observance.TZOFFSETFROM).replace(tzinfo=UTC)
        for observance in timezone.standard + timezone.daylight
        if observance.TZOFFSETFROM != observance.TZOFFSETTO  # the opening offset, not a change
        for onset in [observance.DTSTART] + [rdate for rdate, _ in observance.rdates]
    ]
    assert [observance for observance in timezone.walk() if "RRULE" in observance] == []
    assert sorted(changes) == tzdata_changes


def test_workspace_in_utc_gets_utc_times_and_no_vtimezone():
    calendar = parsed(calendar_of([meeting(time_zone="UTC")], method="REQUEST"))

    (event,) = calendar.events
    assert calendar.timezones == []
    assert "TZID" not in event["DTSTART"].params
    assert event["DTSTART"].dt == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def test_icelandic_workspace_keeps_its_zone_though_it_is_utc_all_year():
    calendar = parsed(calendar_of([meeting(time_zone="Atlantic/Reykjavik")], method="REQUEST"))

    (event,) = calendar.events
    assert event["DTSTART"].params["TZID"] == "Atlantic/Reykjavik"
    assert [timezone.tz_name for timezone in calendar.timezones] == ["Atlantic/Reykjavik"]


def test_another_reader_finds_the_events_at_their_instants():
    events = [
        meeting(uid="winter@samklima.example"),
        meeting_at(datetime(2026, 6, 16, 8), uid="summer@samklima.example"),
        meeting_at(datetime(2026, 10, 26, 7), uid="fi@samklima.example", time_zone="Europe/Helsinki"),
    ]
    calendar = parsed(calendar_of(events, method=None))

    found = between(calendar, datetime(2026, 1, 1), datetime(2027, 1, 1))

    assert sorted((str(event["UID"]), event["DTSTART"].dt.astimezone(UTC)) for event in found) == [
        ("fi@samklima.example", datetime(2026, 10, 26, 7, tzinfo=UTC)),
        ("summer@samklima.example", datetime(2026, 6, 16, 8, tzinfo=UTC)),
        ("winter@samklima.example", datetime(2026, 3, 10, 9, tzinfo=UTC)),
    ]


def test_another_reader_finds_nothing_outside_the_meetings_hours():
    calendar = parsed(calendar_of([meeting()], method=None))

    # 10:00-12:00 in Copenhagen is 09:00-11:00 UTC: the hour before it and the hour after are free.
    before = between(calendar, datetime(2026, 3, 10, 8), datetime(2026, 3, 10, 9))
    during = between(calendar, datetime(2026, 3, 10, 10, 59), datetime(2026, 3, 10, 11))
    after = between(calendar, datetime(2026, 3, 10, 11), datetime(2026, 3, 10, 12))

    assert (before, len(during), after) == ([], 1, [])


def test_times_with_a_zone_are_refused_as_the_app_stores_naive_utc():
    with pytest.raises(ValueError, match="naive UTC"):
        calendar_of([meeting(starts_at=datetime(2026, 3, 10, 10, tzinfo=COPENHAGEN))], method=None)


def test_meeting_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="end after it starts"):
        calendar_of([meeting(ends_at=datetime(2026, 3, 10, 8))], method=None)


# --- stamp, alarm, links, name -----------------------------------------------------------

def test_dtstamp_is_the_last_change_in_utc():
    event = only_event(calendar_of([meeting(last_modified=datetime(2026, 3, 1, 12, 30))], method="REQUEST"))

    assert event["DTSTAMP"].dt == datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
    assert event["LAST-MODIFIED"].dt == datetime(2026, 3, 1, 12, 30, tzinfo=UTC)


def test_dtstamp_is_the_clocks_now_without_a_last_change():
    with time_machine.travel(datetime(2026, 5, 4, 7, 15, tzinfo=UTC), tick=False):
        event = only_event(calendar_of([meeting(last_modified=None)], method="REQUEST"))

    assert event["DTSTAMP"].dt == datetime(2026, 5, 4, 7, 15, tzinfo=UTC)
    assert "LAST-MODIFIED" not in event


def test_alarm_is_a_display_alarm_thirty_minutes_before():
    event = only_event(calendar_of([meeting()], method="REQUEST"))

    (alarm,) = event.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm["TRIGGER"].to_ical() == b"-PT30M"
    assert alarm["DESCRIPTION"] == "Klimaforum Midtjylland"


def test_alarm_minutes_are_the_events_own():
    event = only_event(calendar_of([meeting(alarm_minutes=15)], method="REQUEST"))

    (alarm,) = event.walk("VALARM")
    assert alarm["TRIGGER"].dt == timedelta(minutes=-15)


def test_no_alarm_when_none_is_asked_for():
    event = only_event(calendar_of([meeting(alarm_minutes=None)], method="REQUEST"))

    assert event.walk("VALARM") == []


def test_url_is_the_meetings_page():
    event = only_event(calendar_of([meeting()], method="REQUEST"))

    assert event["URL"] == "https://samklima.example/midtjylland/meetings/345"


def test_video_link_is_a_conference_and_stands_in_the_description():
    event = only_event(calendar_of([meeting(video_url="https://meet.example/klima-345")], method="REQUEST"))

    (conference,) = event.conferences
    assert conference.uri == "https://meet.example/klima-345"
    assert "VIDEO" in conference.feature
    assert event["DESCRIPTION"] == (
        "Themes: heat plans\nAgenda: 1. Welcome 2. Heat plans\n\nhttps://meet.example/klima-345"
    )


def test_video_link_already_in_the_description_is_not_repeated():
    description = "Join: https://meet.example/klima-345"

    event = only_event(
        calendar_of([meeting(description=description, video_url="https://meet.example/klima-345")], method=None)
    )

    assert event["DESCRIPTION"] == description


def test_feed_has_its_name_as_x_wr_calname():
    calendar = parsed(calendar_of([meeting()], method=None, name="Klimaforum Midtjylland – møder"))

    assert calendar["X-WR-CALNAME"] == "Klimaforum Midtjylland – møder"


def test_calendar_without_name_has_no_x_wr_calname():
    calendar = parsed(calendar_of([meeting()], method="REQUEST"))

    assert "X-WR-CALNAME" not in calendar


def test_empty_feed_is_a_valid_calendar():
    calendar = parsed(calendar_of([], method=None, name="Ingen møder"))

    assert (calendar.events, calendar.timezones) == ([], [])
    assert calendar["X-WR-CALNAME"] == "Ingen møder"


# --- hostile text ------------------------------------------------------------------------

def test_hostile_text_round_trips_exactly():
    hostile_name = 'Åse "Þór"; Ðögg, \\ x: y'
    data = calendar_of(
        [meeting(summary=HOSTILE[:200], description=HOSTILE, location=HOSTILE[:90],
                 attendees=(replace(ASE, name=hostile_name),), organizer_name=hostile_name)],
        method="REQUEST",
    )

    calendar = parsed(data)
    (event,) = calendar.events
    assert event["SUMMARY"] == HOSTILE[:200]
    assert event["DESCRIPTION"] == HOSTILE
    assert event["LOCATION"] == HOSTILE[:90]
    assert event["ORGANIZER"].params["CN"] == hostile_name
    assert attendees_by_email(event)["ase@kommune.example"].params["CN"] == hostile_name


def test_hostile_calendar_name_is_escaped_as_text_on_one_line():
    calendar = parsed(calendar_of([], method=None, name="Møder; råd, udvalg \\ Þing\nog ÆØÅ"))

    # icalendar reads X-WR-CALNAME undecoded; clients read it as TEXT: "Møder; råd, udvalg \ Þing og ÆØÅ".
    assert calendar["X-WR-CALNAME"] == r"Møder\; råd\, udvalg \\ Þing og ÆØÅ"
    assert calendar["NAME"] == calendar["X-WR-CALNAME"]


def test_hostile_text_is_folded_into_lines_of_at_most_75_octets_ending_in_crlf():
    data = calendar_of([meeting(summary=HOSTILE[:200], description=HOSTILE)], method="REQUEST")

    lines = data.split(b"\r\n")
    assert lines[-1] == b""
    assert [line for line in lines if len(line) > 75] == []
    assert [line for line in lines if b"\n" in line or b"\r" in line] == []
    data.decode("utf-8")  # folding never splits a letter's bytes


def test_carriage_returns_become_newlines_and_other_control_characters_are_dropped():
    event = only_event(calendar_of([meeting(description="one\r\ntwo\rthree\x00\x0bfour\tfive")], method=None))

    assert event["DESCRIPTION"] == "one\ntwo\nthree" + "four\tfive"


def test_line_breaks_in_an_address_are_refused():
    smuggling = "mette@aarhus.example\r\nATTENDEE:mailto:x@evil.example"

    with pytest.raises(ValueError):
        calendar_of([meeting(organizer_email=smuggling)], method="REQUEST")


def test_line_breaks_in_a_link_are_refused():
    with pytest.raises(ValueError):
        calendar_of([meeting(url="https://samklima.example/\r\nATTENDEE:mailto:x@evil.example")], method=None)


# --- methods and content type ------------------------------------------------------------

@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("REQUEST", "text/calendar; charset=utf-8; method=REQUEST"),
        ("CANCEL", "text/calendar; charset=utf-8; method=CANCEL"),
        ("PUBLISH", "text/calendar; charset=utf-8; method=PUBLISH"),
        (None, "text/calendar; charset=utf-8"),
    ],
)
def test_content_type_names_the_method(method, expected):
    assert content_type(method) == expected


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="method"):
        calendar_of([meeting()], method="REPLY")
    with pytest.raises(ValueError, match="method"):
        content_type("request")
