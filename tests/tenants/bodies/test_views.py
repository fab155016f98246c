"""The group pages and forms, through the test client, as the people of seeds 003 and 004."""
import io
import re
from datetime import date, timedelta

from docx import Document
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import select

from samklima.extensions import db
from samklima.platform.tenancy import tenant_scope
from samklima.tenants.bodies.models import Body, BodyMemberOrganisation, BodyMembership, BodySeat, SecretariatService
from tests.clock import start_day
from tests.tenants.bodies import structures
from tests.tenants.bodies.helpers import snapshot
from tests.tenants.bodies.pages import table_after, text

TODAY = start_day("Europe/Copenhagen")


def url(world, path=""):
    return f"/{world.slug}/bodies{path}"


def body_url(world, key, path=""):
    return url(world, f"/{world.bodies[key]}{path}")


def read(app, world, model, *where):
    with app.app_context(), tenant_scope(world.tenant_id):
        return db.session.scalars(select(model).where(*where)).all()


# --- the groups page -------------------------------------------------------------------------

def test_groups_page_shows_the_working_group_under_the_steering_group(midtjylland, signed_in):
    page = signed_in(midtjylland.logins["member"]).get(url(midtjylland)).get_data(as_text=True)
    tree = page[page.index('<ul class="tree">'):page.index("Who takes part where")]
    steering = tree.index("Administrativ styregruppe på klimaområdet (DK2020) i Midtjylland")
    nested = tree.index('<ul class="tree">', steering)
    assert steering < nested < tree.index("Arbejdsgruppe for klimatilpasning") < tree.index("</ul>", nested)
    # Ida Holt observes for KL: an observer is a member of the group too.
    assert "Administrative steering group · 8 members" in text(tree)
    assert "Working group · 4 members" in text(tree)


def test_groups_page_filters_closed_groups(app, midtjylland, signed_in):
    owner = signed_in(midtjylland.logins["owner"])
    owner.post(body_url(midtjylland, "working", "/status"), {"status": "closed"})
    active = owner.get(url(midtjylland)).get_data(as_text=True)
    assert "Arbejdsgruppe for klimatilpasning" not in active[active.index("<h1>"):]
    closed = text(owner.get(url(midtjylland, "?status=closed")).get_data(as_text=True))
    assert "Arbejdsgruppe for klimatilpasning Working group · 4 members · Closed · part of Administrativ" in closed
    assert "Politisk styregruppe" not in closed.split("Who takes part where")[0]
    everything = owner.get(url(midtjylland, "?status=all")).get_data(as_text=True)
    assert "Arbejdsgruppe for klimatilpasning" in everything and "Politisk styregruppe" in everything


def test_overview_shows_which_municipalities_take_part_in_which_groups(midtjylland, signed_in):
    page = signed_in(midtjylland.logins["member"]).get(url(midtjylland)).get_data(as_text=True)
    matrix = table_after(page, "Who takes part where")
    header, rows = matrix[0], {row[0]: row[1:] for row in matrix[1:]}
    working = header.index("Arbejdsgruppe for klimatilpasning") - 1
    taking_part = sorted(name for name, cells in rows.items() if cells[working] == "1")
    assert taking_part == ["Aarhus Kommune", "Horsens Kommune", "Lemvig Kommune"]
    steering = header.index("Administrativ styregruppe på klimaområdet (DK2020) i Midtjylland") - 1
    assert rows["Region Midtjylland"][steering] == "2"
    secretariat = header.index("Fælleskommunalt Klimasekretariat i Midtjylland") - 1
    assert sorted(n for n, cells in rows.items() if cells[secretariat] == "1") == ["Aarhus Kommune", "Region Midtjylland"]


def test_groups_link_in_the_workspace_nav(midtjylland, signed_in):
    page = signed_in(midtjylland.logins["member"]).get(f"/{midtjylland.slug}/").get_data(as_text=True)
    nav = page[page.index('class="workspace-nav"'):]
    assert re.search(rf'href="/{midtjylland.slug}/bodies">Groups</a>', nav[:nav.index("</nav>")])


# --- one group's page ----------------------------------------------------------------------

def test_group_page_shows_terms_of_reference_co_chairs_and_the_shared_secretariat(midtjylland, signed_in):
    page = text(signed_in(midtjylland.logins["member"]).get(body_url(midtjylland, "steering")).get_data(as_text=True))
    for expected in [
        "Kind Administrative steering group",
        "Reports to Politisk styregruppe for DK2020 Midtjylland",
        "Start date 16 September 2020", "End date 30 June 2023",
        "Meeting cadence 4 om året", "Case number SAG-2019-04892",
        "Co-chairs Anders Møller Nielsen, Hanne Vestergaard",
        # The secretariat spans two offices: Aarhus Kommune and the region house in Viborg.
        "Secretariat Fælleskommunalt Klimasekretariat i Midtjylland (Aarhus Kommune, Region Midtjylland)",
        "Purpose Den administrative styregruppe har det overordnede ansvar",
        "Sub-groups Arbejdsgruppe for klimatilpasning Working group",
    ]:
        assert expected in page


def test_group_page_lists_members_by_role_with_organisation_seat_and_term(midtjylland, signed_in):
    page = signed_in(midtjylland.logins["member"]).get(body_url(midtjylland, "steering")).get_data(as_text=True)
    headings = re.findall(r"<h3>([^<]+)</h3>", page[page.index(">Members</h2>"):page.index(">Coverage</h2>")])
    assert headings == ["Co-chairs", "Members", "Observers"]
    co_chairs = table_after(page, "Co-chairs")
    assert co_chairs[1][:5] == ["Anders Møller Nielsen nominated by KD-Net", "Skive Kommune",
                                "Kommune udpeget af KD-Net (1)", "", "from 16 Sept 2020"]
    assert [row[1] for row in co_chairs[1:]] == ["Skive Kommune", "Region Midtjylland"]
    members = [row[1] for row in table_after(page, "Members", level=3)[1:]]
    assert members == ["Lemvig Kommune", "Horsens Kommune", "Region Midtjylland", "Samsø Kommune", "Aarhus Kommune"]


def test_a_network_calls_its_members_participants(trollhattan, signed_in):
    page = signed_in(trollhattan.logins["owner"]).get(body_url(trollhattan, "group")).get_data(as_text=True)
    assert "<h3>Participants</h3>" in page


def test_members_see_no_management_buttons(midtjylland, signed_in):
    page = signed_in(midtjylland.logins["member"]).get(body_url(midtjylland, "steering")).get_data(as_text=True)
    assert "Add a member" not in page and "/members/new" not in page and "Close the group" not in page


def test_a_foreign_or_mismatched_member_id_is_not_found(midtjylland, signed_in):
    owner = signed_in(midtjylland.logins["owner"])
    working_member = midtjylland.members["Maja Høj (arbejdsgruppe)"]
    assert owner.get(body_url(midtjylland, "steering", f"/members/{working_member}/edit")).status_code == 404
    assert owner.get(body_url(midtjylland, "steering", "/members/999999/end")).status_code == 404
    assert owner.get(url(midtjylland, "/999999")).status_code == 404


# --- forms: groups ---------------------------------------------------------------------------

def test_secretariat_creates_a_group_with_its_terms_of_reference(app, midtjylland, signed_in):
    response = signed_in(midtjylland.logins["secretariat_role"]).post(url(midtjylland, "/new"), {
        "name": "Følgegruppe for klimatopmødet", "kind": "reference_group", "parent_id": "",
        "reports_to_id": str(midtjylland.bodies["steering"]), "purpose": "At planlægge et større klimatopmøde.",
        "tasks": "", "mandate": "", "start_date": "2021-01-15", "end_date": "2021-12-31",
        "meeting_cadence": "3-4 pr. semester", "case_number": "SAG-2021-00117",
    })
    assert response.status_code == 302
    created = read(app, midtjylland, Body, Body.name == "Følgegruppe for klimatopmødet")[0]
    assert (created.kind, created.reports_to_id, created.meeting_cadence, created.end_date) == (
        "reference_group", midtjylland.bodies["steering"], "3-4 pr. semester", date(2021, 12, 31))
    assert response.headers["Location"].endswith(url(midtjylland, f"/{created.id}"))


def test_a_group_name_pasted_with_a_line_break_is_kept_on_one_line(app, midtjylland, signed_in):
    """The name goes into mail subjects, where a line break would end the header."""
    response = signed_in(midtjylland.logins["secretariat_role"]).post(url(midtjylland, "/new"), {
        "name": "Følgegruppe for\r\nklimatopmødet ", "kind": "reference_group", "parent_id": "", "reports_to_id": "",
        "purpose": "", "tasks": "", "mandate": "", "start_date": "", "end_date": "", "meeting_cadence": "",
        "case_number": "",
    })
    assert response.status_code == 302
    assert read(app, midtjylland, Body, Body.name == "Følgegruppe for klimatopmødet")


def test_the_new_group_form_under_a_group_proposes_a_working_group_there(midtjylland, signed_in):
    page = signed_in(midtjylland.logins["co_chair"]).get(
        url(midtjylland, f"/new?parent={midtjylland.bodies['steering']}")).get_data(as_text=True)
    assert f'<option selected value="{midtjylland.bodies["steering"]}">' in page
    assert '<option selected value="working_group">' in page


def test_a_co_chair_forms_a_working_group_under_the_steering_group(app, midtjylland, signed_in):
    response = signed_in(midtjylland.logins["co_chair"]).post(url(midtjylland, "/new"), {
        "name": "Arbejdsgruppe for grøn mobilitet", "kind": "working_group",
        "parent_id": str(midtjylland.bodies["steering"]), "reports_to_id": "",
    })
    assert response.status_code == 302
    assert read(app, midtjylland, Body, Body.name == "Arbejdsgruppe for grøn mobilitet")[0].parent_id == \
        midtjylland.bodies["steering"]


def test_a_group_ending_before_it_starts_keeps_what_was_typed(owner_engine, midtjylland, signed_in):
    before = snapshot(owner_engine)
    response = signed_in(midtjylland.logins["owner"]).post(url(midtjylland, "/new"), {
        "name": "Følgegruppe", "kind": "reference_group", "purpose": "Erfaringsudveksling mellem parterne",
        "start_date": "2023-06-30", "end_date": "2020-09-16",
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The end date is before the start date." in page
    assert 'value="Følgegruppe"' in page and "Erfaringsudveksling mellem parterne</textarea>" in page
    assert snapshot(owner_engine) == before


def test_a_mistyped_date_gets_a_clear_message(owner_engine, midtjylland, signed_in):
    before = snapshot(owner_engine)
    page = signed_in(midtjylland.logins["owner"]).post(url(midtjylland, "/new"), {
        "name": "Følgegruppe", "kind": "reference_group", "start_date": "16/09/2020",
    }).get_data(as_text=True)
    assert "Enter a date like 2020-09-16." in page and 'value="16/09/2020"' in page
    assert snapshot(owner_engine) == before


def test_a_forged_kind_or_parent_gets_choose_from_the_list(owner_engine, midtjylland, trollhattan, signed_in):
    before = snapshot(owner_engine)
    page = signed_in(midtjylland.logins["owner"]).post(url(midtjylland, "/new"), {
        "name": "Følgegruppe", "kind": "committee", "parent_id": str(trollhattan.bodies["group"]),
    }).get_data(as_text=True)
    assert page.count("Choose an option from the list.") >= 2
    assert snapshot(owner_engine) == before


def test_editing_a_group_cannot_place_it_under_its_working_group(owner_engine, midtjylland, signed_in):
    before = snapshot(owner_engine)
    page = signed_in(midtjylland.logins["owner"]).post(body_url(midtjylland, "steering", "/edit"), {
        "name": "Administrativ styregruppe", "kind": "administrative_steering_group",
        "parent_id": str(midtjylland.bodies["working"]),
    }).get_data(as_text=True)
    assert "A group cannot be placed under itself." in page
    assert snapshot(owner_engine) == before


def test_editing_a_group_keeps_its_coverage_rule(app, midtjylland, signed_in):
    response = signed_in(midtjylland.logins["co_chair"]).post(body_url(midtjylland, "steering", "/edit"), {
        "name": "Administrativ styregruppe for DK2020", "kind": "administrative_steering_group",
        "reports_to_id": str(midtjylland.bodies["political"]), "meeting_cadence": "5 om året",
        "start_date": "2020-09-16", "end_date": "2023-06-30", "case_number": "SAG-2019-04892",
    })
    assert response.status_code == 302
    steering = read(app, midtjylland, Body, Body.id == midtjylland.bodies["steering"])[0]
    assert (steering.name, steering.meeting_cadence, steering.coverage_rule) == (
        "Administrativ styregruppe for DK2020", "5 om året", "seats")


def test_closing_and_reopening_a_group(app, midtjylland, signed_in):
    co_chair = signed_in(midtjylland.logins["co_chair"])
    co_chair.post(body_url(midtjylland, "working", "/status"), {"status": "closed"})
    assert read(app, midtjylland, Body, Body.id == midtjylland.bodies["working"])[0].status == "closed"
    page = co_chair.get(body_url(midtjylland, "working")).get_data(as_text=True)
    assert "Reopen the group" in page
    co_chair.post(body_url(midtjylland, "working", "/status"), {"status": "active"})
    assert read(app, midtjylland, Body, Body.id == midtjylland.bodies["working"])[0].status == "active"


# --- forms: members ----------------------------------------------------------------------------

def member_form(world, **changes):
    form = {
        "person_id": str(world.people["Ole Friis"]), "role": "member",
        "organisation_id": str(world.orgs["Samsø Kommune"]), "seat_id": "",
        "mandate": "Kan træffe beslutninger på vegne af Samsø Kommune",
        "start_date": "2021-02-01", "end_date": "", "nominated_by": "Kommunaldirektøren",
    }
    form.update(changes)
    return form


def test_a_manager_adds_a_member_with_mandate_and_term(app, midtjylland, signed_in):
    response = signed_in(midtjylland.logins["co_chair"]).post(
        body_url(midtjylland, "working", "/members/new"), member_form(midtjylland, end_date="2022-12-31"))
    assert response.status_code == 302
    added = read(app, midtjylland, BodyMembership, BodyMembership.body_id == midtjylland.bodies["working"],
                 BodyMembership.person_id == midtjylland.people["Ole Friis"])[0]
    assert (added.organisation_id, added.start_date, added.end_date, added.nominated_by) == (
        midtjylland.orgs["Samsø Kommune"], date(2021, 2, 1), date(2022, 12, 31), "Kommunaldirektøren")
    assert added.mandate == "Kan træffe beslutninger på vegne af Samsø Kommune"


def test_a_term_that_ends_before_it_starts_gets_a_clear_error_and_keeps_the_form(owner_engine, midtjylland, signed_in):
    before = snapshot(owner_engine)
    response = signed_in(midtjylland.logins["co_chair"]).post(
        body_url(midtjylland, "working", "/members/new"),
        member_form(midtjylland, start_date="2022-01-01", end_date="2021-12-31"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "End of the term: The end date is before the start date." in text(page)
    assert 'value="2021-12-31"' in page and "Kan træffe beslutninger på vegne af Samsø Kommune</textarea>" in page
    assert f'<option selected value="{midtjylland.people["Ole Friis"]}">' in page
    assert snapshot(owner_engine) == before


def test_a_member_without_a_person_or_start_is_refused(owner_engine, midtjylland, signed_in):
    before = snapshot(owner_engine)
    page = signed_in(midtjylland.logins["owner"]).post(
        body_url(midtjylland, "working", "/members/new"),
        member_form(midtjylland, person_id="", start_date="")).get_data(as_text=True)
    assert "Person: Please fill in this field." in text(page)
    assert "Start of the term: Please fill in this field." in text(page)
    assert snapshot(owner_engine) == before


def test_editing_a_membership_changes_role_and_mandate(app, midtjylland, signed_in):
    peter = midtjylland.members["Peter Kjeldsen"]
    response = signed_in(midtjylland.logins["secretariat_member"]).post(
        body_url(midtjylland, "steering", f"/members/{peter}/edit"),
        member_form(midtjylland, person_id=str(midtjylland.people["Peter Kjeldsen"]), role="vice_chair",
                    organisation_id=str(midtjylland.orgs["Aarhus Kommune"]),
                    seat_id=str(midtjylland.seats["Kommune udpeget af KD-Net (2)"]),
                    start_date="2020-09-16", mandate="Direktør for Teknik og Miljø"))
    assert response.status_code == 302
    changed = read(app, midtjylland, BodyMembership, BodyMembership.id == peter)[0]
    assert (changed.role, changed.mandate) == ("vice_chair", "Direktør for Teknik og Miljø")


def test_ending_a_term_keeps_the_member_as_history(app, midtjylland, signed_in):
    owner = signed_in(midtjylland.logins["owner"])
    yesterday = TODAY - timedelta(days=1)
    response = owner.post(body_url(midtjylland, "steering", f"/members/{midtjylland.members['Ole Friis']}/end"),
                          {"end_date": yesterday.isoformat()})
    assert response.status_code == 302
    page = owner.get(body_url(midtjylland, "steering")).get_data(as_text=True)
    past = table_after(page, "Past members")
    assert past[1][:3] == ["Ole Friis", "Samsø Kommune", "Member"]
    assert "Ole Friis" not in [row[0] for row in table_after(page, "Members", level=3)]


def test_a_term_cannot_end_before_it_started(owner_engine, midtjylland, signed_in):
    before = snapshot(owner_engine)
    page = signed_in(midtjylland.logins["owner"]).post(
        body_url(midtjylland, "steering", f"/members/{midtjylland.members['Ole Friis']}/end"),
        {"end_date": "2019-12-31"}).get_data(as_text=True)
    assert "The end date is before the start date." in page
    assert snapshot(owner_engine) == before


# --- coverage ------------------------------------------------------------------------------------

def test_a_coverage_gap_appears_when_a_seat_empties_and_closes_when_it_is_filled(midtjylland, signed_in):
    owner = signed_in(midtjylland.logins["owner"])
    yesterday = TODAY - timedelta(days=1)
    owner.post(body_url(midtjylland, "steering", f"/members/{midtjylland.members['Karen Dahl']}/end"),
               {"end_date": yesterday.isoformat()})
    page = text(owner.get(body_url(midtjylland, "steering")).get_data(as_text=True))
    assert "1 gap in coverage: Seat without a member: Kommune udpeget af KD-Net (5)" in page
    assert "Kommune udpeget af KD-Net (5) KD-Net Vacant" in page
    owner.post(body_url(midtjylland, "steering", "/members/new"), member_form(
        midtjylland, person_id=str(midtjylland.people["Sofie Kragh"]),
        organisation_id=str(midtjylland.orgs["Horsens Kommune"]),
        seat_id=str(midtjylland.seats["Kommune udpeget af KD-Net (5)"]), start_date=TODAY.isoformat(),
        nominated_by="KD-Net"))
    page = text(owner.get(body_url(midtjylland, "steering")).get_data(as_text=True))
    assert "gap in coverage" not in page and "Coverage is complete." in page
    assert "Kommune udpeget af KD-Net (5) KD-Net Sofie Kragh" in page


def test_coverage_by_member_organisations_lists_the_gaps(app, midtjylland, signed_in):
    co_chair = signed_in(midtjylland.logins["co_chair"])
    orgs = midtjylland.orgs
    response = co_chair.post(body_url(midtjylland, "working", "/coverage"), {
        "action": "save", "coverage_rule": "member_organisations",
        "organisation_ids": [str(orgs[name]) for name in ("Aarhus Kommune", "Horsens Kommune", "Lemvig Kommune",
                                                          "Skive Kommune")],
    })
    assert response.status_code == 302
    page = co_chair.get(body_url(midtjylland, "working")).get_data(as_text=True)
    assert "1 gap in coverage: No representative of Skive Kommune" in text(page)
    assert table_after(page, "Coverage")[1:] == [
        ["Aarhus Kommune", "Maja Høj"], ["Horsens Kommune", "Sofie Kragh"], ["Lemvig Kommune", "Thomas Lund"],
        ["Skive Kommune", "No representative"]]


def test_add_all_municipalities_shortcut(app, midtjylland, signed_in):
    response = signed_in(midtjylland.logins["owner"]).post(body_url(midtjylland, "political", "/coverage"), {
        "action": "add_municipalities", "coverage_rule": "member_organisations",
        "organisation_ids": [str(midtjylland.orgs["Region Midtjylland"])],
    })
    assert response.status_code == 302 and response.headers["Location"].endswith("/coverage")
    chosen = {link.organisation_id for link in read(
        app, midtjylland, BodyMemberOrganisation, BodyMemberOrganisation.body_id == midtjylland.bodies["political"])}
    names = {name for name, org_id in midtjylland.orgs.items() if org_id in chosen}
    assert names == {"Region Midtjylland", "Skive Kommune", "Aarhus Kommune", "Lemvig Kommune", "Samsø Kommune",
                     "Horsens Kommune", "Viborg Kommune"}


def test_every_department_of_trollhattan_must_be_represented_seed_003(app_context, signed_in):
    world = structures.build_trollhattan(with_participants=False)
    owner = signed_in(world.logins["owner"])
    page = owner.get(body_url(world, "group")).get_data(as_text=True)
    assert "4 gaps in coverage:" in text(page)
    assert "No representative of Socialförvaltningen" in text(page)
    assert table_after(page, "Coverage")[1] == ["Kommunstyrelseförvaltningen (Trollhättans stad)",
                                                "Johan Ek, Karin Lindqvist"]
    # The department shortcut ticks every förvaltning; the rule counts them either way.
    owner.post(body_url(world, "group", "/coverage"), {
        "action": "add_departments", "coverage_rule": "departments",
        "organisation_ids": [str(world.orgs["Trollhättans stad"])],
        "departments_of": str(world.orgs["Trollhättans stad"]),
    })
    for name, department in [("Amir Haddad", "Samhällsbyggnadsförvaltningen"), ("Elin Berg", "Utbildningsförvaltningen"),
                             ("Sara Nyström", "Socialförvaltningen"), ("Lars Holm", "Kultur- och fritidsförvaltningen")]:
        response = owner.post(body_url(world, "group", "/members/new"), {
            "person_id": str(world.people[name]), "role": "member", "organisation_id": str(world.orgs[department]),
            "start_date": "2021-02-01", "mandate": "Driva förvaltningens linje",
        })
        assert response.status_code == 302
    assert "Coverage is complete." in text(owner.get(body_url(world, "group")).get_data(as_text=True))


def test_seats_are_added_and_removed(app, midtjylland, signed_in):
    owner = signed_in(midtjylland.logins["owner"])
    response = owner.post(body_url(midtjylland, "political", "/seats"), {
        "label": "Borgmester udpeget af KKR Midtjylland", "chosen_by": "KKR Midtjylland", "organisation_id": "",
    })
    assert response.status_code == 302
    seat = read(app, midtjylland, BodySeat, BodySeat.body_id == midtjylland.bodies["political"])[0]
    assert (seat.label, seat.chosen_by) == ("Borgmester udpeget af KKR Midtjylland", "KKR Midtjylland")
    owner.post(body_url(midtjylland, "political", f"/seats/{seat.id}/remove"), {})
    assert read(app, midtjylland, BodySeat, BodySeat.body_id == midtjylland.bodies["political"]) == []


def test_removing_a_seat_keeps_its_member(app, midtjylland, signed_in):
    seat = midtjylland.seats["Region Midtjylland (2)"]
    signed_in(midtjylland.logins["owner"]).post(body_url(midtjylland, "steering", f"/seats/{seat}/remove"), {})
    mikkel = read(app, midtjylland, BodyMembership, BodyMembership.id == midtjylland.members["Mikkel Sand"])[0]
    assert mikkel.seat_id is None and mikkel.end_date is None


def test_a_seat_without_a_name_is_refused(owner_engine, midtjylland, signed_in):
    before = snapshot(owner_engine)
    page = signed_in(midtjylland.logins["owner"]).post(body_url(midtjylland, "political", "/seats"), {
        "label": " ", "chosen_by": "KD-Net"}).get_data(as_text=True)
    assert "Name of the seat: Please fill in this field." in text(page) and 'value="KD-Net"' in page
    assert snapshot(owner_engine) == before


# --- secretariat and chair ------------------------------------------------------------------

def test_the_secretariat_page_says_which_groups_it_serves(app, midtjylland, signed_in):
    owner = signed_in(midtjylland.logins["owner"])
    response = owner.post(body_url(midtjylland, "secretariat", "/serves"), {
        "body_ids": [str(midtjylland.bodies["steering"]), str(midtjylland.bodies["working"])]})
    assert response.status_code == 302
    served = {s.body_id for s in read(app, midtjylland, SecretariatService)}
    assert served == {midtjylland.bodies["steering"], midtjylland.bodies["working"]}
    page = text(owner.get(body_url(midtjylland, "secretariat")).get_data(as_text=True))
    assert "Groups this secretariat serves Administrativ styregruppe på klimaområdet (DK2020) i Midtjylland " \
           "Arbejdsgruppe for klimatilpasning" in page


def test_a_rotating_chair_shows_who_chairs_now_and_next_seed_003(trollhattan, signed_in):
    owner = signed_in(trollhattan.logins["owner"])
    first = TODAY.replace(day=1) - timedelta(days=1)  # the turn started last month
    first = first.replace(day=1)
    response = owner.post(body_url(trollhattan, "group", "/chair-rotation"), {
        "action": "save",
        "membership_ids": [str(trollhattan.members["Karin Lindqvist"]), str(trollhattan.members["Johan Ek"])],
        "first_start": first.isoformat(), "months": "6", "until": (first + timedelta(days=800)).isoformat(),
    })
    assert response.status_code == 302
    page = owner.get(body_url(trollhattan, "group")).get_data(as_text=True)
    assert "Chair Karin Lindqvist" in text(page)
    assert "Johan Ek takes the chair on" in text(page)
    rotation = table_after(page, "Rotating chair")
    assert [row[1] for row in rotation[1:4]] == ["Karin Lindqvist now", "Johan Ek", "Karin Lindqvist"]
    owner.post(body_url(trollhattan, "group", "/chair-rotation"), {"action": "stop"})
    assert "Rotating chair</h3>" not in owner.get(body_url(trollhattan, "group")).get_data(as_text=True)


def test_a_rotation_without_members_or_months_is_refused(owner_engine, trollhattan, signed_in):
    before = snapshot(owner_engine)
    page = signed_in(trollhattan.logins["owner"]).post(body_url(trollhattan, "group", "/chair-rotation"), {
        "action": "save", "first_start": "2021-01-01", "months": "sex", "until": "2022-12-31",
    }).get_data(as_text=True)
    assert "Enter a whole number, like 6." in page and 'value="sex"' in page
    page = signed_in(trollhattan.logins["owner"]).post(body_url(trollhattan, "group", "/chair-rotation"), {
        "action": "save", "first_start": "2021-01-01", "months": "6", "until": "2022-12-31",
    }).get_data(as_text=True)
    assert "Choose at least one member." in page
    assert snapshot(owner_engine) == before


# --- terms of reference ------------------------------------------------------------------------

def test_printable_terms_of_reference(midtjylland, signed_in, app):
    page = signed_in(midtjylland.logins["member"]).get(body_url(midtjylland, "steering", "/terms")).get_data(as_text=True)
    assert "<h1>Terms of reference: Administrativ styregruppe på klimaområdet (DK2020) i Midtjylland</h1>" in page
    assert "style=" not in page and "<style" not in page
    assert "<h2>Tasks</h2>" in page and 'class="no-print"' in page
    members = table_after(page, "Members")
    assert ["Anders Møller Nielsen", "Skive Kommune", "Co-chair"] in members
    css = app.test_client().get("/static/css/samklima.css").get_data(as_text=True)
    assert "@media print" in css


def test_terms_of_reference_download_is_a_word_document_in_the_workspaces_language(app, midtjylland, signed_in):
    """The member reads English; the document speaks the workspace's Danish."""
    response = signed_in(midtjylland.logins["member"]).get(body_url(midtjylland, "steering", "/terms.docx"))
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    document = Document(io.BytesIO(response.data))
    name = "Administrativ styregruppe på klimaområdet (DK2020) i Midtjylland"
    with app.test_request_context(), force_locale("da"):
        title = _("Terms of reference: %(name)s", name=name)
        purpose, members = _("Purpose"), pgettext("group members", "Members")
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == title
    assert document.core_properties.title == title and document.core_properties.language == "da-DK"
    assert purpose in paragraphs and members in paragraphs
    assert "At koordinere samarbejdet mellem kommunernes klimakoordinatorer." in paragraphs
    cells = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    assert ["SAG-2019-04892"] == [row[1] for row in cells if row[1] == "SAG-2019-04892"]
    assert any(row[0] == "Hanne Vestergaard" and row[1] == "Region Midtjylland" for row in cells)
    disposition = response.headers["Content-Disposition"]
    assert "attachment" in disposition and ".docx" in disposition
