"""Demo meetings (issue 16), on top of the groups of the bodies demo.

DK2020 Midtjylland (seed 004): the administrative steering group meets on the
second Tuesday of every month but July; its constituting meeting has taken
place, the coming half year is planned, and the next agenda has gone out
(five items, one decision item with its indstilling) with answers in every
state. Trollhättan (seed 003): the ecological sustainability group meets
eight times a year, with proposals in every state on its next agenda. The
network for ecological sustainability (seed 002) announces a theme for each
meeting.

Through the operations, as the app does; dates relative to the day of loading.
"""
from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from samklima.extensions import db
from samklima.platform.clock import local_today, utcnow
from samklima.platform.tenancy import tenant_scope
from samklima.platform.workspaces.queries import membership_in_tenant_of
from samklima.tenants.bodies.models import Body
from samklima.tenants.meetings import operations
from samklima.tenants.meetings.models import AgendaItem, MeetingInvitee
from samklima.tenants.meetings.operations import Answer, ItemFields, MeetingFields, SettingsFields
from samklima.tenants.meetings.plan import Cadence
from samklima.tenants.people.models import Person

ALL_BUT_JULY = tuple(month for month in range(1, 13) if month != 7)
# Eight a year: no meetings in June, July, August and December.
EIGHT_A_YEAR = (1, 2, 3, 4, 5, 9, 10, 11)
# Three or four a semester (seed 002).
PER_SEMESTER = (2, 3, 5, 9, 10, 12)

NETWORK_THEMES = [
    "Tema: klimatanpassning i detaljplaner. Ta med ett exempel från er förvaltning.",
    "Tema: hållbara inköp och livsmedel i skola och omsorg.",
    "Tema: energieffektivisering i kommunens lokaler – vad har vi lärt oss?",
    "Tema: biologisk mångfald och grönstruktur i staden.",
    "Tema: resor i tjänsten och fossilfria transporter.",
    "Tema: uppföljning av miljöprogrammet inför årsrapporten.",
]


def _body(name: str) -> Body:
    return db.session.scalar(select(Body).where(Body.name == name))


def _person(name: str) -> Person:
    return db.session.scalar(select(Person).where(Person.name == name))


def _settings(body, by, cadence, place, standing=("minutes_approval", "action_follow_up", "round_table",
                                                  "any_other_business")):
    operations.save_settings(body, SettingsFields(
        cadence=cadence, place=place, publish_days_before=5, proposal_days_before=10, absence_threshold=3,
        standing_items=standing), by=by)


def _proposal(meeting, by, person, **fields) -> AgendaItem:
    """A proposal as the member would have sent it (the demo's members have no accounts to sign in with)."""
    item = operations.propose_item(meeting, ItemFields(**fields), by=by)
    item.status, item.proposer_id = "proposed", person.id
    return item


def _answer(meeting, name: str, tenant, rsvp: str, substitute: tuple[str, str] = ("", "")) -> None:
    invitee = db.session.scalar(select(MeetingInvitee).where(MeetingInvitee.meeting_id == meeting.id,
                                                             MeetingInvitee.person_id == _person(name).id))
    operations.answer_invitation(invitee, Answer(rsvp, *substitute), tenant)


def _midtjylland(tenant, users, today: date) -> None:
    by = membership_in_tenant_of(tenant, users["klimakoordinator@dk2020.example"])
    steering = _body("Administrativ styregruppe for DK2020 Midtjylland")
    _settings(steering, by, Cadence(frequency="monthly", weekday=1, ordinal=2, months=ALL_BUT_JULY,
                                    start_time=time(10, 0), duration_minutes=120),
              "Regionshuset Viborg, Skottenborg 26, 8800 Viborg", standing=("minutes_approval", "any_other_business"))
    # The constituting meeting took place two months ago; its agenda went out then.
    constituting = operations.create_meeting(steering, MeetingFields(
        title="Konstituerende møde i den administrative styregruppe", day=today - timedelta(days=60),
        start=time(10, 0), end=time(12, 0), place="Regionshuset Viborg, Skottenborg 26, 8800 Viborg",
        themes="Styregruppens kommissorium, mødeplan og samarbejdet med sekretariatet."), by=by)
    constituting.status, constituting.published_at = "published", utcnow() - timedelta(days=65)
    operations.invite_members(constituting)  # as publishing did, without mailing about a meeting long past
    # Everyone came but one, who had sent word.
    sheet = operations.attendance_sheet(constituting, by=by)
    operations.record_attendance(constituting, [
        (invitee.id, "excused" if invitee.display_name == "Jakob Ravn" else "present") for invitee in sheet], by=by)

    planned = operations.create_planned(steering, today + timedelta(days=7), today + timedelta(days=190), by=by,
                                        language="da")
    upcoming = planned[0]
    operations.propose_item(upcoming, ItemFields(
        title="Status på kommunernes klimahandlingsplaner", kind="information", duration_minutes=20,
        description="Sekretariatet gennemgår, hvor langt de 19 kommuner er med CAPF-kravene."), by=by)
    operations.propose_item(upcoming, ItemFields(
        title="Fælles udbud af solcelleanlæg på kommunale bygninger", kind="decision", duration_minutes=30,
        description="Otte kommuner ønsker et fælles udbud. Sekretariatet har lavet et notat om model og tidsplan.",
        proposed_decision="Det indstilles, at styregruppen godkender, at sekretariatet forbereder et fælles udbud "
                          "med de interesserede kommuner, og at sagen forelægges den politiske styregruppe."),
        by=by)
    operations.propose_item(upcoming, ItemFields(
        title="Oplæg: klimatilpasning i lokalplaner", kind="discussion", duration_minutes=25,
        description="Arbejdsgruppen for klimatilpasning fortæller om erfaringerne fra Horsens og Skanderborg."),
        by=by)
    operations.publish_agenda(upcoming, by=by)
    _answer(upcoming, "Lise Munk", tenant, "attending")
    _answer(upcoming, "Bo Lindholt", tenant, "attending")
    _answer(upcoming, "Jakob Ravn", tenant, "not_attending")
    _answer(upcoming, "Rikke Ploug", tenant, "substitute", ("Anne Holm", "anne.holm@samsoe.example"))
    # A member's proposal for the meeting after, still waiting.
    _proposal(planned[1], by, _person("Ole Damgaard"), title="Fælles klimaregnskab for kommunernes bilflåder",
              kind="discussion", duration_minutes=20,
              description="Horsens foreslår, at kommunerne bruger samme metode til at opgøre bilflådens udledning.")


def _trollhattan(tenant, users, today: date) -> None:
    by = membership_in_tenant_of(tenant, users["strateg@trollhattan.example"])
    group = _body("Ekologiska hållbarhetsgruppen")
    _settings(group, by, Cadence(frequency="monthly", weekday=2, ordinal=2, months=EIGHT_A_YEAR,
                                 start_time=time(13, 0), duration_minutes=120), "Stadshuset, Drottninggatan 11")
    planned = operations.create_planned(group, today + timedelta(days=3), today + timedelta(days=365), by=by,
                                        language="sv")
    upcoming, later = planned[0], planned[1]
    for proposer, title, decision in [
        ("Elin Sjöberg", "Dagvattenstrategi för nya detaljplaner", None),
        ("Oskar Nilsson", "Klimatsmart skolmat: resultat från pilotskolorna", "accept"),
        ("Sara Holmqvist", "Grönare evenemang i kommunens regi", "defer"),
        ("Fredrik Ahlström", "Ny logotyp för hållbarhetsarbetet", "reject"),
    ]:
        item = _proposal(upcoming, by, _person(proposer), title=title, kind="discussion", duration_minutes=20)
        if decision == "accept":
            operations.accept_item(item, upcoming, by=by)
        elif decision == "defer":
            operations.defer_item(item, upcoming, later.id, by=by)
        elif decision == "reject":
            operations.reject_item(item, upcoming, "Kommunikationsavdelningen äger frågan; vi tar upp den med dem.",
                                   by=by)

    network = _body("Nätverk för ekologisk hållbarhet (NEH)")
    _settings(network, by, Cadence(frequency="monthly", weekday=3, ordinal=1, months=PER_SEMESTER,
                                   start_time=time(9, 0), duration_minutes=120), "Stadshuset, rum Göta älv")
    meetings = operations.create_planned(network, today + timedelta(days=3), today + timedelta(days=365), by=by,
                                         language="sv")
    for meeting, theme in zip(meetings, NETWORK_THEMES):
        meeting.themes = theme


def load(app, tenants, users) -> None:
    """The receiver of signals.demo_data, after the groups' demo (the domain list's order)."""
    for slug, build in (("dk2020-midtjylland", _midtjylland), ("trollhattan-hallbarhet", _trollhattan)):
        tenant = tenants[slug]
        with tenant_scope(tenant):
            build(tenant, users, local_today(tenant.time_zone))
            # Written inside the workspace's scope: under row-level security a later flush, in the
            # next workspace's scope, would find none of these rows.
            db.session.flush()
