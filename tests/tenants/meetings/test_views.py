"""The meeting pages as their users meet them: who sees and does what, forms that keep
what was typed, the personal link that changes nothing until its form is sent."""
import re
from datetime import timedelta

import icalendar
import recurring_ical_events
from sqlalchemy import select

from samklima.extensions import db
from samklima.platform.tenancy import tenant_scope
from samklima.tenants.meetings.models import AgendaItem, Meeting, MeetingInvitee
from tests import factories, mailbox
from tests.tenants.meetings.conftest import in_weeks


def page(response) -> str:
    return response.get_data(as_text=True)


def planned(group, weeks=3) -> int:
    return factories.make_meeting(group.tenant_id, group.body_id, day=in_weeks(weeks)).id


def test_the_groups_page_shows_its_coming_meetings(group, signed_in):
    meeting_id = planned(group)
    body = page(signed_in(group.logins["member"]).get(f"/{group.slug}/bodies/{group.body_id}"))
    assert f"/{group.slug}/meetings/{meeting_id}" in body
    assert f"/{group.slug}/bodies/{group.body_id}/meetings/plan" not in body  # a member plans nothing


def test_a_member_proposes_an_item_and_the_chair_sees_it_waiting(group, signed_in):
    meeting_id = planned(group)
    member = signed_in(group.logins["member"])
    response = member.post(f"/{group.slug}/meetings/{meeting_id}/items/new", {
        "title": "Fælles solcelleudbud", "kind": "decision", "description": "Otte kommuner er med.",
        "duration_minutes": "20", "proposed_decision": "At styregruppen godkender udbuddet."})
    assert response.status_code == 302
    chair = page(signed_in(group.logins["chair"]).get(f"/{group.slug}/meetings/{meeting_id}"))
    waiting = chair[chair.index('id="proposals"'):]
    assert "Fælles solcelleudbud" in waiting and "Peter Kjeldsen" in waiting and "/accept" in waiting


def test_a_refused_proposal_answers_422_and_keeps_what_was_typed(group, signed_in):
    meeting_id = planned(group)
    response = signed_in(group.logins["member"]).post(f"/{group.slug}/meetings/{meeting_id}/items/new", {
        "title": "Budget", "kind": "decision", "description": "Et langt oplæg om budgettet.",
        "duration_minutes": "20", "proposed_decision": ""})
    assert response.status_code == 422
    assert "Et langt oplæg om budgettet." in page(response) and 'aria-invalid="true"' in page(response)
    with tenant_scope(group.tenant_id):
        assert db.session.scalar(select(AgendaItem).where(AgendaItem.title == "Budget")) is None


def test_a_meeting_that_ends_before_it_starts_is_refused_and_keeps_the_form(group, signed_in):
    response = signed_in(group.logins["owner"]).post(f"/{group.slug}/bodies/{group.body_id}/meetings/new", {
        "title": "Ekstra møde", "day": in_weeks(2).isoformat(), "start": "14:00", "end": "13:00",
        "place": "Regionshuset Viborg", "themes": "Budget og klimaplaner"})
    assert response.status_code == 422
    assert "The meeting must end after it starts." in page(response)
    assert 'value="Regionshuset Viborg"' in page(response) and "Budget og klimaplaner" in page(response)


def test_a_fifty_thousand_character_agenda_text_is_refused_not_a_500(group, signed_in):
    meeting_id = planned(group)
    response = signed_in(group.logins["owner"]).post(f"/{group.slug}/meetings/{meeting_id}/items/new", {
        "title": "Langt punkt", "kind": "information", "description": "ø" * 50000, "duration_minutes": "10"})
    assert response.status_code == 422 and "Use at most 20000 characters." in page(response)


def test_members_and_observers_cannot_reach_the_managers_pages(group, signed_in):
    meeting_id = planned(group)
    for key in ("member", "observer"):
        browser = signed_in(group.logins[key])
        for url in (f"/{group.slug}/meetings/{meeting_id}/edit", f"/{group.slug}/bodies/{group.body_id}/meetings/new",
                    f"/{group.slug}/bodies/{group.body_id}/meetings/plan"):
            assert browser.get(url).status_code == 403, (key, url)
        assert browser.post(f"/{group.slug}/meetings/{meeting_id}/publish").status_code == 403


def test_a_closed_item_is_shown_to_the_groups_members_only(group, signed_in):
    meeting_id = planned(group)
    factories.make_agenda_item(group.tenant_id, meeting_id, "Personalesag", closed=True)
    url = f"/{group.slug}/meetings/{meeting_id}"
    assert "Personalesag" in page(signed_in(group.logins["member"]).get(url))
    assert "Personalesag" not in page(signed_in(group.logins["outsider"]).get(url))


def test_the_personal_link_shows_the_invitation_and_acts_only_when_its_form_is_sent(group, signed_in, make_browser,
                                                                                    app):
    meeting_id = planned(group)
    signed_in(group.logins["owner"]).post(f"/{group.slug}/meetings/{meeting_id}/publish")
    mail = mailbox.mails_to(app, "karen.dahl@rm.example")[0]
    link = re.search(r"http://localhost(/meetings/answer/\S+)", mail.body_text).group(1)
    visitor = make_browser()
    assert visitor.get(link).status_code == 200
    with tenant_scope(group.tenant_id):
        invitee = db.session.scalar(select(MeetingInvitee).where(MeetingInvitee.person_id == group.people["karen"]))
        assert invitee.rsvp == "no_answer"  # a mail scanner opened the link: nothing changed
    assert visitor.post(link, {"rsvp": "not_attending"}).status_code == 302
    with tenant_scope(group.tenant_id):
        db.session.expire_all()
        assert db.session.get(MeetingInvitee, invitee.id).rsvp == "not_attending"
    refused = visitor.post(link, {"rsvp": "substitute", "substitute_name": "", "substitute_email": "x"})
    assert refused.status_code == 422 and 'aria-invalid="true"' in page(refused)


def test_the_calendar_file_is_read_back_by_a_second_parser(group, signed_in):
    meeting_id = planned(group)
    response = signed_in(group.logins["member"]).get(f"/{group.slug}/meetings/{meeting_id}/meeting.ics")
    assert response.headers["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.get_data())
    with tenant_scope(group.tenant_id):
        meeting = db.session.get(Meeting, meeting_id)
        starts_at = meeting.starts_at
    found = recurring_ical_events.of(calendar).between(starts_at - timedelta(hours=1), starts_at + timedelta(days=1))
    assert len(found) == 1
    assert found[0]["DTSTART"].dt.replace(tzinfo=None) != starts_at  # shown in the workspace's zone, not UTC
    assert found[0]["DTSTART"].dt.utcoffset() is not None


def test_the_overview_lists_my_next_meetings_and_what_waits_for_me(group, signed_in):
    meeting_id = planned(group)
    signed_in(group.logins["owner"]).post(f"/{group.slug}/meetings/{meeting_id}/publish")
    member = page(signed_in(group.logins["member"]).get(f"/{group.slug}/"))
    section = member[member.index('id="my-meetings"'):]
    assert f"/{group.slug}/meetings/{meeting_id}" in section and "Tell whether you attend" in section


def sheet_rows(body: str) -> dict[str, str]:
    """The attendance sheet's hidden ids by row, as the page shows them."""
    return dict(re.findall(r'name="(rows-\d+-invitee)" type="hidden" value="(\d+)"', body))


def test_the_secretary_takes_attendance_with_the_answers_filled_in(group, signed_in):
    meeting_id = planned(group)
    owner = signed_in(group.logins["owner"])
    owner.post(f"/{group.slug}/meetings/{meeting_id}/publish")
    with tenant_scope(group.tenant_id):
        karen = db.session.scalar(select(MeetingInvitee).where(MeetingInvitee.person_id == group.people["karen"]))
        karen.rsvp = "not_attending"
        db.session.commit()
        karen_id = karen.id
    sheet = page(owner.get(f"/{group.slug}/meetings/{meeting_id}/attendance"))
    rows = sheet_rows(sheet)
    karen_row = next(name for name, value in rows.items() if value == str(karen_id)).removesuffix("-invitee")
    assert re.search(rf'id="{karen_row}-mark-excused" name="{karen_row}-mark" value="excused" checked', sheet)
    marks = {name: value for name, value in rows.items()} | {
        name.replace("-invitee", "-mark"): "present" for name in rows} | {f"{karen_row}-mark": "excused"}
    assert owner.post(f"/{group.slug}/meetings/{meeting_id}/attendance", marks).status_code == 302
    with tenant_scope(group.tenant_id):
        db.session.expire_all()
        marked = dict(db.session.execute(select(MeetingInvitee.person_id, MeetingInvitee.attendance)
                                         .where(MeetingInvitee.meeting_id == meeting_id)).all())
    assert marked[group.people["karen"]] == "excused" and marked[group.people["member"]] == "present"


def test_an_attendance_sheet_naming_another_meetings_invitee_is_refused_and_writes_nothing(group, signed_in):
    first, other = planned(group, 3), planned(group, 5)
    owner = signed_in(group.logins["owner"])
    for meeting_id in (first, other):
        owner.post(f"/{group.slug}/meetings/{meeting_id}/publish")
    foreign = sheet_rows(page(owner.get(f"/{group.slug}/meetings/{other}/attendance")))["rows-0-invitee"]
    response = owner.post(f"/{group.slug}/meetings/{first}/attendance",
                          {"rows-0-invitee": foreign, "rows-0-mark": "absent"})
    assert response.status_code == 422 and "Choose an option from the list." in page(response)
    with tenant_scope(group.tenant_id):
        assert db.session.scalar(select(MeetingInvitee).where(MeetingInvitee.attendance.is_not(None))) is None


def test_three_absences_in_a_row_show_on_the_group_page_with_a_mail_to_who_nominated(group, signed_in):
    import time_machine

    from samklima.platform.clock import utcnow
    from samklima.tenants.organisations.models import Organisation

    with tenant_scope(group.tenant_id):
        region = db.session.scalar(select(Organisation).where(Organisation.name == "Region Midtjylland"))
        region.head_name, region.head_email = "Camilla Hvid", "direktion@rm.example"
        db.session.commit()
    meetings = [planned(group, weeks) for weeks in (1, 2, 3)]
    owner = signed_in(group.logins["owner"])
    for meeting_id in meetings:
        owner.post(f"/{group.slug}/meetings/{meeting_id}/publish")
        with tenant_scope(group.tenant_id):
            for invitee in db.session.scalars(select(MeetingInvitee).where(MeetingInvitee.meeting_id == meeting_id)):
                invitee.attendance = "absent" if invitee.person_id == group.people["karen"] else "present"
            db.session.commit()
    url = f"/{group.slug}/bodies/{group.body_id}"
    assert "Repeated absence" not in page(owner.get(url))  # the meetings have not taken place yet
    with time_machine.travel(utcnow() + timedelta(weeks=4), tick=False):
        body = page(signed_in(group.logins["owner"]).get(url))  # a new session: the old one has expired
        assert "Karen Dahl has missed the last 3 meetings." in body
        assert 'href="mailto:direktion%40rm.example?subject=' in body
        assert "Repeated absence" not in page(signed_in(group.logins["member"]).get(url))


def test_attendance_waits_for_the_agenda_and_its_page_writes_nothing(group, signed_in):
    meeting_id = planned(group)
    owner = signed_in(group.logins["owner"])
    response = owner.get(f"/{group.slug}/meetings/{meeting_id}/attendance")
    assert response.status_code == 302
    assert "Send the agenda first" in page(owner.get(response.headers["Location"]))
    with tenant_scope(group.tenant_id):
        assert db.session.scalar(select(MeetingInvitee).where(MeetingInvitee.meeting_id == meeting_id)) is None
