"""Meetings in Chromium (issue 16): the DK2020 secretariat plans a period for the administrative
steering group (a public holiday left out), two members propose items, the chair accepts one and
defers the other, a Swedish guest is invited, the agenda goes out and reaches a real SMTP server in
Danish for a Danish member and in Swedish for the guest, each with an invitation that the
iCalendar library reads back; a member sends a substitute from the link in her mail. Every page on
the way is scanned with axe and IBM Equal Access, and its HTML goes to the W3C Nu checker."""
import re
from datetime import date
from email.utils import parseaddr

import icalendar
import pytest
from sqlalchemy import select

from samklima.extensions import db
from samklima.platform.outbox.operations import send_batch
from samklima.platform.tenancy import tenant_scope
from samklima.tenants.meetings.models import Meeting
from samklima.tenants.people.models import Person
from tests import factories
from tests.browser.axe_scan import Scanner
from tests.browser.conftest import sign_in
from tests.smtp import SMTPServer
from tests.tenants.meetings.conftest import build_group

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: browser tests skipped").expect

# Thursdays from late April to mid-June 2027: Kristi himmelfartsdag falls on Thursday 6 May.
FIRST_DAY, LAST_DAY = date(2027, 4, 26), date(2027, 6, 20)
KAREN = "karen.dahl@rm.example"
GUEST = "erik.svensson@vgregion.example"


@pytest.fixture
def group(app, live_server):
    """The steering group of tests/tenants/meetings, with Karen Dahl signing in too."""
    with app.app_context():
        group = build_group()
        # Her pages in English like the others'; her contact, and so her mail, speaks Danish.
        karen = factories.make_user(KAREN, "Karen Dahl")
        factories.add_member(factories._tenant(group.tenant_id), karen, "member")
        with tenant_scope(group.tenant_id):
            db.session.get(Person, group.people["karen"]).user_id = karen.id
            db.session.commit()
        db.session.remove()
    return group


def meetings_of(app, group) -> list[int]:
    with app.app_context(), tenant_scope(group.tenant_id):
        return db.session.scalars(select(Meeting.id).order_by(Meeting.starts_at)).all()


def propose(page, scan, group, meeting_id, title, kind, **fields):
    page.goto(f"/{group.slug}/meetings/{meeting_id}")
    page.get_by_role("link", name="Propose an item").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label({"decision": "Decision", "discussion": "Discussion"}[kind], exact=True).check()
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Send the proposal").click()
    expect(page.locator(".alert-success")).to_be_visible()
    scan.scan(f"proposal sent: {title}")


def test_a_period_planned_proposed_to_decided_and_sent_reaches_each_reader_in_their_language(
        app, new_page, group, outbox):
    owner = new_page()
    scan = Scanner(owner, "en", "secretariat")
    sign_in(owner, group.logins["owner"], factories.PASSWORD)
    base = f"/{group.slug}"
    scan.open("group with no meetings", f"{base}/bodies/{group.body_id}")
    owner.get_by_role("link", name="Plan a period").click()
    scan.scan("plan a period without a meeting plan")
    owner.get_by_role("link", name="Set how often it meets").click()
    scan.scan("meeting plan")
    owner.get_by_label("Every week").check()
    owner.get_by_label("Weekday", exact=True).select_option(label="Thursday")
    owner.get_by_label("Starts at").fill("13:00")
    owner.get_by_label("Length in minutes").fill("0")
    owner.get_by_role("button", name="Save the meeting plan").click()
    expect(owner.locator(".error-summary")).to_be_visible()
    scan.scan("meeting plan with errors")
    owner.get_by_label("Length in minutes").fill("90")
    owner.get_by_role("button", name="Save the meeting plan").click()
    expect(owner.locator(".alert-success")).to_be_visible()
    scan.scan("the group's meetings, none yet")

    owner.get_by_role("link", name="Plan a period").click()
    owner.get_by_label("First day").fill(LAST_DAY.isoformat())
    owner.get_by_label("Last day").fill(FIRST_DAY.isoformat())
    owner.get_by_role("button", name="Show the dates").click()
    expect(owner.locator(".error-summary")).to_contain_text("The last day comes before the first day.")
    scan.scan("plan a period with errors")
    owner.get_by_label("First day").fill(FIRST_DAY.isoformat())
    owner.get_by_label("Last day").fill(LAST_DAY.isoformat())
    owner.get_by_role("button", name="Show the dates").click()
    expect(owner.get_by_role("heading", name="Left out: public holidays")).to_be_visible()
    expect(owner.locator("main")).to_contain_text("Thursday, 6 May 2027: Ascension Day")
    scan.scan("the proposed dates")
    owner.get_by_role("button", name="Create 7 meetings").click()
    expect(owner.locator(".alert-success")).to_contain_text("7 meetings are planned.")
    first, second = meetings_of(app, group)[:2]

    # Two members propose; the chair decides.
    for login, title, kind, fields in [
        (group.logins["member"], "Fælles udbud af solceller", "decision",
         {"Proposed decision": "At styregruppen godkender et fælles udbud."}),
        (KAREN, "Klimatilpasning i lokalplaner", "discussion", {"Description": "Erfaringer fra Horsens."}),
    ]:
        member = new_page()
        sign_in(member, login, factories.PASSWORD)
        member_scan = Scanner(member, "en", "member")
        propose(member, member_scan, group, first, title, kind, **fields)
        assert not member_scan.problems, "\n".join(member_scan.problems)
        member.close()
    chair = new_page()
    chair_scan = Scanner(chair, "en", "chair")
    sign_in(chair, group.logins["chair"], factories.PASSWORD)
    chair_scan.open("meeting with proposals", f"{base}/meetings/{first}")
    proposals = chair.locator("#proposals ~ ul.cards")
    proposals.locator("li", has_text="Fælles udbud af solceller").get_by_role("button", name="Put on the agenda").click()
    expect(chair.locator(".alert-success")).to_be_visible()
    chair.locator("li", has_text="Klimatilpasning i lokalplaner").get_by_role(
        "link", name="Move to a later meeting").click()
    chair_scan.scan("move to a later meeting")
    chair.get_by_role("button", name="Move the item").click()
    expect(chair.locator(".error-summary")).to_be_visible()
    chair_scan.scan("move to a later meeting with errors")
    chair.get_by_label("Move to the meeting").select_option(index=1)
    chair.get_by_role("button", name="Move the item").click()
    expect(chair.locator(".alert-success")).to_contain_text("moved to the later meeting")
    chair_scan.scan("meeting after the decisions")
    assert not chair_scan.problems, "\n".join(chair_scan.problems)

    # A Swedish guest, then the agenda goes out.
    scan.open("the meeting", f"{base}/meetings/{first}")
    owner.get_by_role("link", name="Invite a guest").click()
    scan.scan("invite a guest")
    owner.get_by_label("Name").fill("Erik Svensson")
    owner.get_by_label("E-mail").fill("not an address")
    owner.get_by_role("button", name="Invite the guest").click()
    expect(owner.locator(".error-summary")).to_be_visible()
    scan.scan("invite a guest with errors")
    owner.get_by_label("E-mail").fill(GUEST)
    owner.get_by_label("Language of the mails").select_option("sv")
    owner.get_by_role("button", name="Invite the guest").click()
    owner.get_by_role("button", name="Send the agenda now").click()
    expect(owner.locator(".alert-success").first).to_contain_text("The agenda is sent to")
    expect(owner.locator("#agenda ~ ol.agenda")).to_contain_text("Fælles udbud af solceller")
    scan.scan("the meeting, agenda sent")
    for name, path in [("change the meeting", f"{base}/meetings/{first}/edit"),
                       ("cancel the meeting", f"{base}/meetings/{first}/cancel"),
                       ("delete a published meeting", f"{base}/meetings/{first}/delete"),
                       ("the later meeting", f"{base}/meetings/{second}"),
                       ("the group's meetings", f"{base}/bodies/{group.body_id}/meetings"),
                       ("all meetings", f"{base}/meetings"),
                       ("the group with its meetings", f"{base}/bodies/{group.body_id}"),
                       ("a new meeting", f"{base}/bodies/{group.body_id}/meetings/new")]:
        scan.open(name, path)
    scan.submit("a new meeting with errors", start="14:00", end="13:00")

    with SMTPServer() as smtp:
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port)
        try:
            with app.app_context():
                send_batch(limit=100)
                db.session.remove()
        finally:
            app.config["SMTP_HOST"] = ""
        # The invitations, not the mails about proposals: those with a calendar part.
        received = {message["To"]: message for message in smtp.inbox.messages
                    if any(part.get_content_type() == "text/calendar" for part in message.iter_attachments())}
    danish, swedish = received[KAREN], received[GUEST]
    # A long subject is folded after "Subject:"; a reader unfolds it (RFC 5322 2.2.3).
    assert danish["Subject"].strip().startswith("Dagsorden: ") and danish["Content-Language"] == "da"
    assert swedish["Subject"].strip().startswith("Dagordning: ") and swedish["Content-Language"] == "sv"
    assert danish["From"].startswith("DK2020 Midtjylland <")
    for message in (danish, swedish):
        [part] = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
        assert part.get_param("method") == "REQUEST"
        calendar = icalendar.Calendar.from_ical(part.get_content())
        [event] = calendar.walk("VEVENT")
        assert event["DTSTART"].dt.date() == date(2027, 4, 29)
        assert event["DTSTART"].params["TZID"] == "Europe/Copenhagen"
        # One organizer for the meeting's life, whoever sends; replies go to who published.
        assert str(event["ORGANIZER"]) == f"mailto:{parseaddr(app.config['MAIL_SENDER'])[1]}"
        assert message["Reply-To"] == group.logins["owner"]

    # Karen cannot come and sends a substitute, from the link in her mail, in Danish.
    karen = new_page(locale="da-DK")
    karen_scan = Scanner(karen, "da", "invitee")
    # As delivered: the outbox keeps no personal link once the mail is sent.
    link = re.search(r"https?://[^/\s]+(/meetings/answer/\S+)", danish.get_body(("plain",)).get_content()).group(1)
    karen_scan.open("invitation link", link)
    karen.locator("input[name=rsvp][value=substitute]").check()
    karen.locator("main form[novalidate] button[type=submit]").click()
    expect(karen.locator(".error-summary")).to_be_visible()
    karen_scan.scan("invitation link with errors")
    karen.locator("input[name=rsvp][value=substitute]").check()
    karen.locator("[name=substitute_name]").fill("Mads Holm")
    karen.locator("[name=substitute_email]").fill("mads.holm@rm.example")
    karen.locator("main form[novalidate] button[type=submit]").click()
    expect(karen.locator(".alert-success")).to_be_visible()
    karen_scan.scan("invitation answered")
    assert outbox.link_to("mads.holm@rm.example").startswith("/meetings/answer/")

    # At the meeting, with the keyboard alone: the answers are filled in; the guest is marked present.
    scan.open("attendance", f"{base}/meetings/{first}/attendance")
    guest_group = owner.get_by_role("group", name="Erik Svensson")
    expect(guest_group.get_by_label("Not marked")).to_be_checked()
    expect(owner.get_by_role("group", name="Karen Dahl").get_by_label("Excused")).to_be_checked()
    expect(owner.get_by_role("group", name="Mads Holm").get_by_label("Present")).to_be_checked()
    guest_group.get_by_label("Not marked").focus()
    owner.keyboard.press("ArrowRight")  # wraps round to the first choice
    expect(guest_group.get_by_label("Present")).to_be_checked()
    with owner.expect_navigation():
        owner.keyboard.press("Enter")
    invitees = owner.get_by_role("region", name="Invitees")
    expect(invitees.get_by_role("row", name="Erik Svensson")).to_contain_text("Present")
    expect(invitees.get_by_role("row", name="Karen Dahl")).to_contain_text("Excused")
    scan.scan("the meeting with its attendance")
    problems = scan.problems + karen_scan.problems
    assert not problems, "\n".join(problems)
