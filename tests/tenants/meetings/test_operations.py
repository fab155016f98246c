"""Meetings, as the operations promise them: planned, proposed to, decided on,
published once with invitations, moved and cancelled with calendar updates."""
import re
from datetime import date, time, timedelta

import icalendar
import pytest
import sqlalchemy as sa
import time_machine
from sqlalchemy import func, select

from samklima.extensions import db
from samklima.platform.accounts.models import User
from samklima.platform.errors import OperationError
from samklima.platform.outbox.models import OutboxMessage
from samklima.platform.permissions import PermissionDenied
from samklima.platform.tenancy import tenant_scope
from samklima.platform.workspaces.models import Tenant
from samklima.platform.workspaces.queries import membership_in_tenant_of
from samklima.tenants.bodies.models import Body, BodyMembership
from samklima.tenants.meetings import operations
from samklima.tenants.meetings.models import AgendaItem, Meeting, MeetingInvitee
from samklima.tenants.meetings.operations import ItemFields, MeetingFields
from tests import factories, mailbox
from tests.tenants.meetings.conftest import ZONE, in_weeks


def by(group, key):
    """The workspace membership of a login of the group's story (inside its scope)."""
    user = db.session.scalar(select(User).where(User.email == group.logins[key]))
    return membership_in_tenant_of(db.session.get(Tenant, group.tenant_id), user)


def meeting_in(group, weeks=3, **fields) -> int:
    fields.setdefault("day", in_weeks(weeks))
    return factories.make_meeting(group.tenant_id, group.body_id, **fields).id


def calendar_part(message: OutboxMessage) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(message.attachment_body)


def body(group):
    return db.session.get(Body, group.body_id)


# --- planning ---------------------------------------------------------------------------------

def test_a_new_meeting_starts_with_the_groups_standing_items_in_the_workspaces_language(group):
    meeting_id = meeting_in(group)
    with tenant_scope(group.tenant_id):
        meeting = db.session.get(Meeting, meeting_id)
        items = operations.agenda_of(meeting)
        assert [item.standing for item in items] == ["minutes_approval", "action_follow_up", "round_table",
                                                      "any_other_business"]
        assert items[0].title == "Godkendelse af referat fra sidste møde"
        assert meeting.case_number == "SAG-2026-04892"
        assert meeting.publish_on == in_weeks(3) - timedelta(days=5)
        assert meeting.proposal_deadline == in_weeks(3) - timedelta(days=10)


def test_a_meeting_is_stored_in_utc_and_shown_in_the_workspaces_time(group):
    winter = date(2027, 1, 12)
    with time_machine.travel("2026-12-01 10:00 +00:00", tick=False):
        meeting_id = meeting_in(group, day=winter, start=time(9, 0), end=time(11, 30))
    with tenant_scope(group.tenant_id):
        meeting = db.session.get(Meeting, meeting_id)
        assert (meeting.starts_at.hour, meeting.ends_at.hour, meeting.ends_at.minute) == (8, 10, 30)
        assert operations.local_start(meeting).hour == 9


# Each change is a function of the meeting's day: the clock is fixed only once the test runs.
@pytest.mark.parametrize("change, field, message", [
    (lambda day: {"end": time(8, 0)}, "end", "The meeting must end after it starts."),
    (lambda day: {"title": "  "}, "title", "Please fill in this field."),
    (lambda day: {"video_url": "javascript:alert(1)"}, "video_url", "Enter a web address that starts with https://."),
    (lambda day: {"themes": "x" * 20001}, "themes", "Use at most 20000 characters."),
    (lambda day: {"publish_on": day + timedelta(days=1)}, "publish_on",
     "The agenda must go out on the day of the meeting or before."),
    (lambda day: {"proposal_deadline": day - timedelta(days=1), "publish_on": day - timedelta(days=3)},
     "proposal_deadline", "Proposals must close before the agenda goes out."),
    (lambda day: {"day": day + timedelta(days=4 * 366)}, "day", "Choose a day within three years from today."),
])
def test_a_meeting_that_breaks_a_rule_is_refused_beside_its_field(group, change, field, message):
    day = in_weeks(3)
    fields = dict(title="Møde", day=day, start=time(9, 0), end=time(11, 0)) | change(day)
    with tenant_scope(group.tenant_id), pytest.raises(OperationError) as refused:
        operations.create_meeting(body(group), MeetingFields(**fields), by=by(group, "owner"))
    assert (refused.value.field, str(refused.value.message)) == (field, message)


def test_only_who_manages_the_group_plans_its_meetings(group):
    with tenant_scope(group.tenant_id):
        fields = MeetingFields(title="Møde", day=in_weeks(3), start=time(9, 0), end=time(11, 0))
        operations.create_meeting(body(group), fields, by=by(group, "chair"))
        for key in ("member", "outsider", "observer"):
            with pytest.raises(PermissionDenied):
                operations.create_meeting(body(group), fields, by=by(group, key))


def test_planning_a_period_leaves_out_public_holidays_and_says_which(group):
    # Thursdays in May 2027: Kristi himmelfartsdag falls on 6 May.
    with time_machine.travel("2027-01-04 10:00 +00:00", tick=False), tenant_scope(group.tenant_id):
        from samklima.tenants.meetings.plan import Cadence

        owner = by(group, "owner")
        operations.save_settings(body(group), operations.SettingsFields(
            cadence=Cadence(frequency="weekly", weekday=3, start_time=time(13, 0), duration_minutes=90),
            publish_days_before=5, proposal_days_before=10, absence_threshold=3,
            standing_items=("minutes_approval",)), by=owner)
        proposal = operations.propose_plan(body(group), date(2027, 5, 1), date(2027, 5, 31), by=owner, language="da")
        assert [found.day for found in proposal.dates] == [date(2027, 5, 13), date(2027, 5, 20), date(2027, 5, 27)]
        assert [(skipped.day, skipped.holiday) for skipped in proposal.skipped] == [
            (date(2027, 5, 6), "Kristi himmelfartsdag")]
        created = operations.create_planned(body(group), date(2027, 5, 1), date(2027, 5, 31), by=owner,
                                            language="da")
        db.session.commit()
        assert len(created) == 3
        # Planned again, the period gives nothing new: the days are taken.
        with pytest.raises(OperationError, match="gives no dates"):
            operations.create_planned(body(group), date(2027, 5, 1), date(2027, 5, 31), by=owner, language="da")


def test_a_period_cannot_be_planned_without_a_cadence_or_backwards(group):
    with tenant_scope(group.tenant_id):
        owner = by(group, "owner")
        with pytest.raises(OperationError, match="Set how often"):
            operations.propose_plan(body(group), in_weeks(1), in_weeks(20), by=owner, language="da")
        from samklima.tenants.meetings.plan import Cadence

        operations.save_settings(body(group), operations.SettingsFields(
            cadence=Cadence(frequency="monthly"), publish_days_before=5, proposal_days_before=10,
            absence_threshold=3), by=owner)
        with pytest.raises(OperationError) as refused:
            operations.propose_plan(body(group), in_weeks(20), in_weeks(1), by=owner, language="da")
        assert refused.value.field == "last_day"


# --- proposals --------------------------------------------------------------------------------

def test_a_member_proposes_and_the_chair_accepts_defers_or_rejects_and_the_proposer_is_told(group, app):
    first, later = meeting_in(group, 3), meeting_in(group, 8)
    with tenant_scope(group.tenant_id):
        meeting = db.session.get(Meeting, first)
        member, chair = by(group, "member"), by(group, "chair")
        proposals = [operations.propose_item(meeting, ItemFields(title=title, kind=kind, proposed_decision=decision),
                                             by=member)
                     for title, kind, decision in (("Fælles solcelleudbud", "decision", "At styregruppen godkender"),
                                                   ("Status på klimaplaner", "information", ""),
                                                   ("Ny hjemmeside", "discussion", ""))]
        assert {item.status for item in proposals} == {"proposed"}
        operations.accept_item(proposals[0], meeting, by=chair)
        moved = operations.defer_item(proposals[1], meeting, later, by=chair)
        operations.reject_item(proposals[2], meeting, "Hører hjemme i arbejdsgruppen.", by=chair)
        db.session.commit()
        assert [item.title for item in operations.agenda_of(meeting)][-2:] == ["Fælles solcelleudbud", "Eventuelt"]
        assert (moved.meeting_id, moved.status, moved.deferred_from_id) == (later, "accepted", proposals[1].id)
        assert proposals[2].reject_reason == "Hører hjemme i arbejdsgruppen."
    subjects = [message.subject for message in mailbox.mails_to(app, "peter.kjeldsen@aarhus.example")]
    assert subjects == ["Dit forslag er på dagsordenen: Fælles solcelleudbud",
                        "Dit forslag er flyttet til et senere møde: Status på klimaplaner",
                        "Dit forslag er ikke på dagsordenen: Ny hjemmeside"]


def test_a_proposal_after_the_deadline_is_refused_with_the_date(group):
    meeting_id = meeting_in(group, 3)
    with tenant_scope(group.tenant_id):
        deadline = db.session.get(Meeting, meeting_id).proposal_deadline
    with time_machine.travel(f"{deadline + timedelta(days=1)} 09:00 +01:00", tick=False), \
            tenant_scope(group.tenant_id):
        meeting = db.session.get(Meeting, meeting_id)
        with pytest.raises(OperationError, match="Proposals for this meeting closed on"):
            operations.propose_item(meeting, ItemFields(title="For sent"), by=by(group, "member"))
        # The secretariat still adds it.
        assert operations.propose_item(meeting, ItemFields(title="For sent"), by=by(group, "owner")).status == \
            "accepted"


def test_who_is_not_in_the_group_proposes_nothing(group):
    meeting_id = meeting_in(group)
    with tenant_scope(group.tenant_id):
        meeting = db.session.get(Meeting, meeting_id)
        for key in ("outsider", "observer"):
            with pytest.raises(PermissionDenied):
                operations.propose_item(meeting, ItemFields(title="Mit punkt"), by=by(group, key))


def test_a_decision_item_needs_its_proposed_decision(group):
    meeting_id = meeting_in(group)
    with tenant_scope(group.tenant_id), pytest.raises(OperationError) as refused:
        operations.propose_item(db.session.get(Meeting, meeting_id), ItemFields(title="Budget", kind="decision"),
                                by=by(group, "member"))
    assert refused.value.field == "proposed_decision"


def test_a_proposal_cannot_be_deferred_to_a_cancelled_or_earlier_meeting(group):
    earlier, first, cancelled = meeting_in(group, 2), meeting_in(group, 3), meeting_in(group, 6)
    with tenant_scope(group.tenant_id):
        owner = by(group, "owner")
        operations.cancel_meeting(db.session.get(Meeting, cancelled), "", by=owner)
        meeting = db.session.get(Meeting, first)
        item = operations.propose_item(meeting, ItemFields(title="Udskudt"), by=by(group, "member"))
        for target, message in ((cancelled, "That meeting is cancelled"), (earlier, "Choose a later meeting"),
                                (None, "Choose a later meeting")):
            with pytest.raises(OperationError, match=message):
                operations.defer_item(item, meeting, target, by=owner)
        assert item.status == "proposed"


# --- publishing -------------------------------------------------------------------------------

def published(group, meeting_id, key="owner"):
    with tenant_scope(group.tenant_id):
        result = operations.publish_agenda(db.session.get(Meeting, meeting_id), by=by(group, key))
        db.session.commit()
    return result


def test_publishing_sends_each_member_the_agenda_in_their_language_with_an_invitation(group, app):
    meeting_id = meeting_in(group)
    factories.make_agenda_item(group.tenant_id, meeting_id, "Fælles solcelleudbud", kind="decision",
                               proposed_decision="At styregruppen godkender udbuddet.")
    result = published(group, meeting_id)
    assert result.sent == 4 and result.without_address == ["Ole Friis"]
    danish = mailbox.mails_to(app, "karen.dahl@rm.example")
    swedish = mailbox.mails_to(app, "sanna.lindberg@rm.example")
    assert [m.locale for m in danish + swedish] == ["da", "sv"]
    assert danish[0].subject.startswith("Dagsorden: ") and swedish[0].subject.startswith("Dagordning: ")
    assert "Fælles solcelleudbud" in danish[0].body_text and "At styregruppen godkender udbuddet." in \
        danish[0].body_text
    assert (danish[0].sender_name, danish[0].attachment_type) == (
        "DK2020 Midtjylland", "text/calendar; charset=utf-8; method=REQUEST")
    event = calendar_part(danish[0]).walk("VEVENT")[0]
    assert str(event["UID"]) == f"meeting-{group.tenant_id}-{meeting_id}@localhost"
    assert event["SEQUENCE"] == 0
    assert event["DTSTART"].params["TZID"] == ZONE
    assert str(event["ATTENDEE"]) == "mailto:karen.dahl@rm.example"


def test_publishing_twice_sends_nothing_twice(group, app):
    meeting_id = meeting_in(group)
    published(group, meeting_id)
    count = len(mailbox.outbox_messages(app))
    with pytest.raises(OperationError, match="already published"):
        published(group, meeting_id)
    assert len(mailbox.outbox_messages(app)) == count


def test_the_worker_publishes_on_the_publishing_day_and_only_once(group, app):
    from samklima.platform.scheduler import run_jobs

    meeting_id = meeting_in(group)
    with tenant_scope(group.tenant_id):
        publish_on = db.session.get(Meeting, meeting_id).publish_on
    assert run_jobs("publish_agendas") == {"publish_agendas": 0}
    with time_machine.travel(f"{publish_on} 06:00 +01:00", tick=False):
        assert run_jobs("publish_agendas") == {"publish_agendas": 1}
        assert run_jobs("publish_agendas") == {"publish_agendas": 0}
    assert len(mailbox.mails_to(app, "karen.dahl@rm.example")) == 1


def test_a_moved_meeting_updates_every_calendar_and_a_cancelled_one_removes_it(group, app):
    meeting_id = meeting_in(group)
    published(group, meeting_id)
    with tenant_scope(group.tenant_id):
        meeting = db.session.get(Meeting, meeting_id)
        fields = operations.fields_of(meeting)
        fields.start, fields.end = time(13, 0), time(15, 0)
        assert operations.update_meeting(meeting, fields, by=by(group, "owner")) is True
        operations.cancel_meeting(meeting, "Aflyst pga. sygdom.", by=by(group, "owner"))
        db.session.commit()
    invitation, moved, cancelled = mailbox.mails_to(app, "karen.dahl@rm.example")
    moved_event = calendar_part(moved).walk("VEVENT")[0]
    cancelled_calendar = calendar_part(cancelled)
    assert (moved_event["SEQUENCE"], moved_event["DTSTART"].dt.hour) == (1, 13)
    assert cancelled_calendar["METHOD"] == "CANCEL"
    assert cancelled_calendar.walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    assert cancelled_calendar.walk("VEVENT")[0]["SEQUENCE"] == 2
    assert "Aflyst pga. sygdom." in cancelled.body_text


def test_a_guest_gets_the_whole_agenda_in_their_language_but_no_calendar_shows_a_closed_item(group, app):
    meeting_id = meeting_in(group)
    factories.make_agenda_item(group.tenant_id, meeting_id, "Personalesag", closed=True)
    factories.make_agenda_item(group.tenant_id, meeting_id, "Åbent oplæg")
    with tenant_scope(group.tenant_id):
        meeting = db.session.get(Meeting, meeting_id)
        operations.add_guest(meeting, operations.GuestFields("Erik Svensson", "erik@vgregion.example", "sv"),
                             by=by(group, "owner"))
        db.session.commit()
    published(group, meeting_id)
    guest = mailbox.mails_to(app, "erik@vgregion.example")[0]
    assert guest.locale == "sv" and "Åbent oplæg" in guest.body_text and "Personalesag" in guest.body_text
    description = str(calendar_part(guest).walk("VEVENT")[0]["DESCRIPTION"])
    assert "Åbent oplæg" in description and "Personalesag" not in description


def test_a_closed_items_time_counts_for_the_items_after_it_on_every_page(group, signed_in):
    meeting_id = meeting_in(group)
    factories.make_agenda_item(group.tenant_id, meeting_id, "Personalesag", closed=True, duration_minutes=60)
    url = f"/{group.slug}/meetings/{meeting_id}"
    # Standing items 5 + 10 + 20 minutes, the closed hour: "Eventuelt" at 10:35 for everyone.
    for key in ("member", "outsider"):
        page = signed_in(group.logins[key]).get(url).get_data(as_text=True)
        assert re.search(r'agenda-time">10:35</span> Eventuelt', page), key


def test_one_meeting_that_cannot_be_published_holds_up_no_other(group, app):
    from samklima.platform.scheduler import run_jobs

    first, second = meeting_in(group, 3), meeting_in(group, 4)
    with tenant_scope(group.tenant_id):
        broken = db.session.get(Meeting, first)
        # A row no form can write (an import gone wrong): it ends before it starts, so no calendar takes it.
        broken.ends_at = broken.starts_at - timedelta(hours=1)
        days = [db.session.get(Meeting, m).publish_on for m in (first, second)]
        db.session.commit()
    with time_machine.travel(f"{max(days)} 06:00 +01:00", tick=False):
        assert run_jobs("publish_agendas") == {"publish_agendas": 1}
    with tenant_scope(group.tenant_id):
        db.session.expire_all()
        assert [db.session.get(Meeting, m).published_at is not None for m in (first, second)] == [False, True]
    # The broken meeting's mails went with its rolled-back savepoint: one agenda, the other meeting's.
    assert len(mailbox.mails_to(app, "karen.dahl@rm.example")) == 1


def test_changes_after_publishing_go_out_in_one_short_update(group, app):
    meeting_id = meeting_in(group)
    item_id = factories.make_agenda_item(group.tenant_id, meeting_id, "Budget 2027").id
    published(group, meeting_id)
    with tenant_scope(group.tenant_id):
        meeting = db.session.get(Meeting, meeting_id)
        owner = by(group, "owner")
        with pytest.raises(OperationError, match="Nothing on the agenda has changed"):
            operations.announce_changes(meeting, by=owner)
        item = db.session.get(AgendaItem, item_id)
        operations.update_item(item, meeting, ItemFields(title="Budget 2027 og 2028", duration_minutes=30), by=owner)
        assert [changed.id for changed in operations.changed_items(meeting)] == [item_id]
        assert operations.announce_changes(meeting, by=owner) == 4
        db.session.commit()
        assert operations.changed_items(meeting) == []
    update = mailbox.mails_to(app, "karen.dahl@rm.example")[-1]
    assert update.subject.startswith("Ændringer i dagsordenen: ") and "Budget 2027 og 2028" in update.body_text


# --- answers ----------------------------------------------------------------------------------

def invitee_of(group, meeting_id, key) -> MeetingInvitee:
    return db.session.scalar(select(MeetingInvitee).where(MeetingInvitee.meeting_id == meeting_id,
                                                          MeetingInvitee.person_id == group.people[key]))


def test_a_member_sends_a_substitute_who_then_gets_the_papers(group, app):
    meeting_id = meeting_in(group)
    published(group, meeting_id)
    with tenant_scope(group.tenant_id):
        tenant = db.session.get(Tenant, group.tenant_id)
        invitee = invitee_of(group, meeting_id, "karen")
        substitute = operations.answer_invitation(invitee, operations.Answer(
            "substitute", "Mads Holm", "mads.holm@rm.example"), tenant)
        db.session.commit()
        assert (invitee.rsvp, substitute.kind, substitute.substitute_for_id) == ("substitute", "substitute",
                                                                                 invitee.id)
    papers = mailbox.mails_to(app, "mads.holm@rm.example")
    assert len(papers) == 1 and "som stedfortræder" in papers[0].body_text
    assert calendar_part(papers[0]).walk("VEVENT")[0]["SEQUENCE"] == 0


def test_who_sent_a_substitute_still_hears_that_the_meeting_is_cancelled(group, app):
    meeting_id = meeting_in(group)
    published(group, meeting_id)
    with tenant_scope(group.tenant_id):
        operations.answer_invitation(invitee_of(group, meeting_id, "karen"), operations.Answer(
            "substitute", "Mads Holm", "mads.holm@rm.example"), db.session.get(Tenant, group.tenant_id))
        operations.cancel_meeting(db.session.get(Meeting, meeting_id), "", by=by(group, "owner"))
        db.session.commit()
    for address in ("karen.dahl@rm.example", "mads.holm@rm.example"):
        assert calendar_part(mailbox.mails_to(app, address)[-1])["METHOD"] == "CANCEL", address


def test_an_invitation_of_a_member_who_has_left_the_group_no_longer_answers(group):
    meeting_id = meeting_in(group)
    published(group, meeting_id)
    with tenant_scope(group.tenant_id):
        db.session.get(BodyMembership, group.members["karen"]).end_date = in_weeks(1)
        db.session.commit()
        invitee = invitee_of(group, meeting_id, "karen")
        with pytest.raises(operations.MeetingLinkError, match="no longer a member"):
            operations.answer_invitation(invitee, operations.Answer("attending"),
                                         db.session.get(Tenant, group.tenant_id))


def test_the_personal_link_finds_its_invitee_and_no_other(group):
    meeting_id = meeting_in(group)
    published(group, meeting_id)
    with tenant_scope(group.tenant_id):
        invitee = invitee_of(group, meeting_id, "karen")
        token = operations.link_for(invitee).rsplit("/", 1)[1]
    _tenant, found = operations.find_by_token(token)
    assert found.id == invitee.id
    for wrong in (token[:-2], f"{group.tenant_id + 1}-{token.split('-', 1)[1]}", "nothing"):
        with pytest.raises(operations.MeetingLinkError, match="not valid"):
            operations.find_by_token(wrong)


def test_deleting_a_published_meeting_asks_for_the_archive_first(group, app):
    meeting_id = meeting_in(group)
    published(group, meeting_id)
    with tenant_scope(group.tenant_id):
        meeting = db.session.get(Meeting, meeting_id)
        with pytest.raises(OperationError, match="public record") as refused:
            operations.delete_meeting(meeting, by=by(group, "owner"))
        assert refused.value.field == "records_kept"
        operations.delete_meeting(meeting, by=by(group, "owner"), records_kept=True)
        db.session.commit()
        assert db.session.scalar(select(func.count(Meeting.id))) == 0
    assert calendar_part(mailbox.mails_to(app, "karen.dahl@rm.example")[-1])["METHOD"] == "CANCEL"


def test_a_proposal_moved_to_a_later_meeting_can_still_be_removed(group):
    first, later = meeting_in(group, 3), meeting_in(group, 8)
    with tenant_scope(group.tenant_id):
        meeting, owner = db.session.get(Meeting, first), by(group, "owner")
        item = operations.propose_item(meeting, ItemFields(title="Udskudt"), by=by(group, "member"))
        moved = operations.defer_item(item, meeting, later, by=owner)
        operations.remove_item(item, meeting, by=owner)
        db.session.commit()
        assert (moved.deferred_from_id, moved.title) == (None, "Udskudt")


def test_any_other_business_stays_the_last_item(group):
    meeting_id = meeting_in(group)
    with tenant_scope(group.tenant_id):
        meeting, owner = db.session.get(Meeting, meeting_id), by(group, "owner")
        first = operations.propose_item(meeting, ItemFields(title="Første"), by=owner)
        operations.move_item(first, meeting, -1, by=owner)
        operations.propose_item(meeting, ItemFields(title="Anden"), by=owner)
        db.session.flush()
        assert [item.standing for item in operations.agenda_of(meeting)][-1] == "any_other_business"


def test_publishing_claims_the_meeting_once_even_when_two_try_at_once(group, app):
    meeting_id = meeting_in(group)
    with tenant_scope(group.tenant_id):
        stale = db.session.get(Meeting, meeting_id)
        # Another worker publishes it in the meantime, behind this session's back.
        db.session.execute(sa.update(Meeting).where(Meeting.id == meeting_id)
                           .values(published_at=stale.created_at, status="published")
                           .execution_options(synchronize_session=False))
        assert not stale.is_published  # this session still sees it unpublished
        with pytest.raises(OperationError, match="already published"):
            operations.publish_agenda(stale, by=by(group, "owner"))
    assert mailbox.outbox_messages(app) == []
