"""The workspace overview: my groups and roles, coverage gaps, open nominations, terms ending soon."""
from datetime import timedelta

import pytest
import time_machine
from flask import url_for

from samklima.extensions import db
from samklima.platform.clock import local_today
from tests.clock import start_day
from samklima.platform.tenancy import tenant_scope
from samklima.tenants.bodies.models import BodyMembership
from tests.tenants.bodies import structures
from tests.tenants.bodies.nomination_helpers import ask, noon
from tests.tenants.bodies.pages import table_after, text

TODAY = start_day("Europe/Copenhagen")


@pytest.fixture
def midtjylland(app_context):
    return structures.build_midtjylland()


@pytest.fixture
def trollhattan(app_context):
    return structures.build_trollhattan(with_participants=False)


def overview(make_browser, world, login):
    browser = make_browser()
    browser.login(world.logins[login])
    response = browser.get(f"/{world.slug}/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def rows_after(page, heading):
    return {row[0]: row[1:] for row in table_after(page, heading)[1:]}


def set_end(app, world, name, end):
    with app.app_context(), tenant_scope(world.tenant_id):
        db.session.get(BodyMembership, world.members[name]).end_date = end
        db.session.commit()


def test_the_overview_keeps_its_address_and_endpoint(app, midtjylland):
    with app.test_request_context():
        assert url_for("workspace.dashboard", slug=midtjylland.slug) == f"/{midtjylland.slug}/"


def test_my_groups_and_my_roles_in_them(make_browser, midtjylland):
    page = overview(make_browser, midtjylland, "co_chair")
    mine = rows_after(page, "Your groups")
    steering = "Administrativ styregruppe på klimaområdet (DK2020) i Midtjylland (Administrative steering group)"
    assert mine == {steering: ["Co-chair", "Skive Kommune", "From 16 Sept 2020"]}
    page = overview(make_browser, midtjylland, "secretariat_member")
    assert list(rows_after(page, "Your groups").values()) == [["Coordinator", "Region Midtjylland",
                                                                "From 16 Sept 2020"]]


def test_someone_who_sits_in_no_group_is_told_so(make_browser, midtjylland):
    page = overview(make_browser, midtjylland, "owner")
    assert "You do not sit in any group of this workspace." in page
    assert "Your role" in page and "Owner" in text(page)


def test_an_ended_term_is_not_one_of_my_groups(app, make_browser, midtjylland):
    set_end(app, midtjylland, "Anders Møller Nielsen", TODAY - timedelta(days=1))
    assert "You do not sit in any group of this workspace." in overview(make_browser, midtjylland, "co_chair")


def test_coverage_gaps_of_every_group_with_a_way_to_ask(make_browser, trollhattan):
    page = overview(make_browser, trollhattan, "owner")
    gaps = table_after(page, "Coverage gaps")[1:]
    assert [row[:2] for row in gaps] == [["Ekologiska hållbarhetsgruppen", department] for department in (
        "Kultur- och fritidsförvaltningen", "Samhällsbyggnadsförvaltningen", "Socialförvaltningen",
        "Utbildningsförvaltningen")]
    assert all(row[2].startswith("Ask for a representative") for row in gaps)
    group, department = trollhattan.bodies["group"], trollhattan.orgs["Socialförvaltningen"]
    assert f'href="/{trollhattan.slug}/bodies/{group}/nominations/new?organisation_id={department}"' in page


def test_a_member_sees_the_gaps_but_no_way_to_ask(app, make_browser, midtjylland):
    # The region's second seat empties: a gap the region fills.
    set_end(app, midtjylland, "Mikkel Sand", TODAY - timedelta(days=1))
    member_page = overview(make_browser, midtjylland, "member")
    gaps = table_after(member_page, "Coverage gaps")[1:]
    assert gaps == [["Administrativ styregruppe på klimaområdet (DK2020) i Midtjylland",
                     "Region Midtjylland (2) (chosen by Region Midtjylland)", "–"]]
    manager_page = overview(make_browser, midtjylland, "co_chair")
    assert table_after(manager_page, "Coverage gaps")[1][2].startswith("Ask for a representative")


def test_every_group_covered(make_browser, midtjylland):
    assert "Every group with a coverage rule is fully covered." in overview(make_browser, midtjylland, "member")


def test_open_nominations_with_the_overdue_one_flagged_and_the_gap_says_it_was_asked(app, make_browser, trollhattan):
    karin = make_browser()
    karin.login(trollhattan.logins["owner"])
    today = local_today("Europe/Stockholm")
    ask(karin, trollhattan, "group", "Samhällsbyggnadsförvaltningen", due_date=(today + timedelta(days=2)).isoformat())
    ask(karin, trollhattan, "group", "Socialförvaltningen", recipient_name="Anders Holm",
        recipient_email="anders.holm@trollhattan.example", due_date=(today + timedelta(days=9)).isoformat())
    with time_machine.travel(noon(today + timedelta(days=5)), tick=False):
        page = overview(make_browser, trollhattan, "owner")
    requests = rows_after(page, "Open nomination requests")
    assert list(requests) == ["Samhällsbyggnadsförvaltningen", "Socialförvaltningen"]  # most urgent first
    assert requests["Samhällsbyggnadsförvaltningen"][0] == "Ekologiska hållbarhetsgruppen"
    assert requests["Samhällsbyggnadsförvaltningen"][3] == "Overdue"
    assert requests["Socialförvaltningen"][1:4:2] == ["Anders Holm", "Waiting for an answer"]
    gaps = {row[1]: row[2] for row in table_after(page, "Coverage gaps")[1:]}
    assert gaps["Samhällsbyggnadsförvaltningen"].startswith("Asked, answer by") and "Overdue" in gaps[
        "Samhällsbyggnadsförvaltningen"]
    assert gaps["Utbildningsförvaltningen"].startswith("Ask for a representative")


def test_no_open_nominations(make_browser, midtjylland):
    assert "No nomination request is waiting for an answer." in overview(make_browser, midtjylland, "member")


def test_members_whose_term_ends_within_60_days(app, make_browser, midtjylland):
    set_end(app, midtjylland, "Jette Bruun", TODAY + timedelta(days=30))
    set_end(app, midtjylland, "Ole Friis", TODAY + timedelta(days=60))
    set_end(app, midtjylland, "Karen Dahl", TODAY + timedelta(days=61))
    set_end(app, midtjylland, "Mikkel Sand", TODAY - timedelta(days=1))
    page = overview(make_browser, midtjylland, "member")
    ending = table_after(page, "Terms ending within 60 days")[1:]
    assert [row[0] for row in ending] == ["Jette Bruun", "Ole Friis"]
    assert ending[0][1:4] == ["Administrativ styregruppe på klimaområdet (DK2020) i Midtjylland", "Member",
                              "Lemvig Kommune"]


def test_no_terms_end_soon(make_browser, midtjylland):
    assert "No member's term ends in this period." in overview(make_browser, midtjylland, "member")


def test_a_group_links_to_its_page(make_browser, midtjylland):
    page = overview(make_browser, midtjylland, "co_chair")
    assert f'href="/{midtjylland.slug}/bodies/{midtjylland.bodies["steering"]}"' in page
