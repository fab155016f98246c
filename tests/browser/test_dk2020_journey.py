"""Issue 3's "done when" in Chromium: a secretariat member builds DK2020 Midtjylland (seed 004)
from scratch in a fresh workspace, asks two municipalities for representatives, the director of
one answers from the e-mail link without an account, and that gap closes while the other stays
open. Every page on the way is scanned with axe (WCAG 2.1 AA)."""
import pytest
from sqlalchemy import func, select

from samklima.extensions import db
from samklima.platform.tenancy import tenant_scope
from samklima.platform.workspaces.models import Tenant
from samklima.tenants.bodies.models import BodyMembership, NominationRequest
from tests import factories
from tests.browser.axe_scan import AXE, Scanner
from tests.browser.conftest import sign_in

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: browser tests skipped").expect

SLUG = "dk2020-midtjylland"
SECRETARIAT = "klimasekretariat@aarhus.example"
ORGANISATIONS = [  # name, kind, kommunekode, head, head's e-mail
    ("Region Midtjylland", "Region", "1082", "Anne Kjær Holm", "direktion@rm.example"),
    ("Skive Kommune", "Municipality", "779", "Lone Bak", "direktion@skive.example"),
    ("Aarhus Kommune", "Municipality", "751", "Bjarne Lund", "direktion@aarhus.example"),
    ("Horsens Kommune", "Municipality", "615", "Mette Friis", "direktion@horsens.example"),
]
POLITICAL = "Politisk styregruppe for DK2020 i Midtjylland"
STEERING = "Administrativ styregruppe på klimaområdet (DK2020) i Midtjylland"
SECRETARIAT_BODY = "Fælleskommunalt Klimasekretariat i Midtjylland"
WORKING = "Arbejdsgruppe for klimatilpasning"


@pytest.fixture
def workspace(app, live_server):
    """A fresh Danish workspace: its owner invited the climate coordinator as secretariat."""
    with app.app_context():
        owner = factories.make_user("klimachef@kl.example", "Christina Bork")
        tenant = factories.make_workspace(SLUG, "DK2020 Midtjylland", "DK", owner)
        coordinator = factories.make_user(SECRETARIAT, "Sara Mølgaard", locale="en")
        factories.add_member(tenant, coordinator, role="secretariat")
        tenant_id = tenant.id
        db.session.remove()
    return tenant_id


def nomination_state(app, tenant_id, email):
    """(status of the request to `email`, members of its group): what the link may change."""
    with app.app_context():
        tenant = db.session.get(Tenant, tenant_id)
        with tenant_scope(tenant):
            nomination = db.session.scalar(select(NominationRequest).where(NominationRequest.recipient_email == email))
            members = db.session.scalar(
                select(func.count()).select_from(BodyMembership).where(BodyMembership.body_id == nomination.body_id))
            state = (nomination.status, members)
        db.session.remove()
    return state


def nav(page, name):
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name=name, exact=True).click()


def heading(page):
    return page.get_by_role("heading", level=1)


def open_group(page, name):
    nav(page, "Groups")
    page.locator(".tree").get_by_role("link", name=name, exact=True).click()
    expect(heading(page)).to_have_text(name)


def create_group(page, scan, name, kind, reports_to=None):
    nav(page, "Groups")
    page.get_by_role("link", name="New group").click()
    page.get_by_label("Name of the group").fill(name)
    page.get_by_label("Kind").select_option(label=kind)
    if reports_to:
        page.get_by_label("Reports to").select_option(label=reports_to)
    page.get_by_role("button", name="Create the group").click()
    expect(heading(page)).to_have_text(name)
    scan.scan(f"group {kind}")


def gaps_on_group_page(page):
    return page.locator("ul.gaps li")


def gap_rows(page):
    return page.locator("section[aria-labelledby=coverage-gaps] tbody tr")


def ask(page, organisation):
    page.get_by_label("E-mail of the head of the organisation").wait_for()
    expect(page.get_by_role("heading", level=2)).to_have_text("Step 2 of 2: the request")
    page.get_by_role("button", name="Send the request").click()
    email = next(row[4] for row in ORGANISATIONS if row[0] == organisation)
    expect(page.locator(".alert-success")).to_contain_text(email)


def test_the_secretariat_builds_dk2020_midtjylland_and_one_answer_closes_its_gap(page, new_page, workspace, app,
                                                                                  outbox):
    page.context.add_init_script(script=AXE.axe_script)
    scan = Scanner(page, "en", "secretariat")
    sign_in(page, SECRETARIAT, factories.PASSWORD)
    page.goto(f"/{SLUG}/")
    scan.scan("empty overview")

    # The region and the municipalities, with their codes and heads.
    for number, (name, kind, code, head, email) in enumerate(ORGANISATIONS):
        nav(page, "Organisations")
        page.get_by_role("link", name="New organisation").click()
        if number == 0:
            scan.scan("new organisation")
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_label("Kind").select_option(label=kind)
        page.get_by_label("Country").select_option("DK")
        page.get_by_label("Official code").fill(code)
        page.get_by_label("Name of the head").fill(head)
        page.get_by_label("E-mail address of the head").fill(email)
        page.get_by_role("button", name="Save").click()
        expect(heading(page)).to_have_text(name)
    scan.scan("organisation")
    nav(page, "Organisations")
    for name, *_rest in ORGANISATIONS:
        expect(page.get_by_role("main")).to_contain_text(name)
    scan.scan("organisations")

    # The co-chair from Skive, a contact who never logs in.
    nav(page, "People")
    page.get_by_role("link", name="New person").click()
    scan.scan("new person")
    page.get_by_label("Name", exact=True).fill("Thomas Lindberg")
    page.get_by_label("Organisation", exact=True).select_option(label="Skive Kommune")
    page.get_by_label("Title").fill("Direktør")
    page.get_by_role("button", name="Save").click()
    expect(heading(page)).to_have_text("Thomas Lindberg")
    scan.scan("person")

    # The structure: two steering groups, the shared secretariat serving both, a working group.
    create_group(page, scan, POLITICAL, "Political steering group")
    create_group(page, scan, STEERING, "Administrative steering group", reports_to=POLITICAL)
    create_group(page, scan, SECRETARIAT_BODY, "Secretariat")
    page.get_by_role("link", name="Groups this secretariat serves").first.click()
    scan.scan("served groups")
    page.get_by_label(POLITICAL, exact=True).check()
    page.get_by_label(STEERING, exact=True).check()
    page.get_by_role("button", name="Save").click()
    served = page.locator("main ul").filter(has=page.get_by_role("link", name=POLITICAL, exact=True))
    expect(served.get_by_role("link", name=STEERING, exact=True)).to_be_visible()

    open_group(page, STEERING)
    page.get_by_role("link", name="Form a working group under this group").click()
    page.get_by_label("Name of the group").fill(WORKING)
    page.get_by_role("button", name="Create the group").click()
    expect(heading(page)).to_have_text(WORKING)
    expect(page.locator("nav.breadcrumbs").get_by_role("link", name=STEERING)).to_be_visible()

    # Coverage: one representative per member organisation.
    open_group(page, STEERING)
    page.get_by_role("link", name="Coverage and seats").click()
    scan.scan("coverage")
    page.get_by_label("At least one representative of each member organisation").check()
    for name, *_rest in ORGANISATIONS:
        page.get_by_label(name, exact=True).check()
    page.get_by_role("button", name="Save the coverage").click()
    expect(heading(page)).to_have_text(STEERING)
    expect(gaps_on_group_page(page)).to_have_count(4)

    # The co-chair from Skive closes Skive's gap.
    page.get_by_role("link", name="Add a member").click()
    scan.scan("add member")
    page.get_by_label("Person").select_option(label="Thomas Lindberg")
    page.get_by_label("Role in the group").select_option(label="Co-chair")
    page.get_by_label("Organisation represented").select_option(label="Skive Kommune")
    page.get_by_label("Start of the term").fill("2020-11-01")
    page.get_by_role("button", name="Add the member").click()
    expect(page.get_by_role("region", name="Co-chairs")).to_contain_text("Skive Kommune")
    expect(gaps_on_group_page(page)).to_have_count(3)
    expect(gaps_on_group_page(page).filter(has_text="Skive Kommune")).to_have_count(0)
    scan.scan("steering group with gaps")

    # Ask Aarhus from the group's nomination requests, Horsens from the overview.
    page.get_by_role("link", name="Nomination requests").click()
    page.get_by_role("link", name="Ask for representatives").click()
    scan.scan("nomination request, step 1")
    page.get_by_label("Organisation", exact=True).select_option(label="Aarhus Kommune")
    page.get_by_role("button", name="Continue").click()
    scan.scan("nomination request, step 2")
    ask(page, "Aarhus Kommune")
    scan.scan("nomination requests")
    page.goto(f"/{SLUG}/")
    gap_rows(page).filter(has_text="Horsens Kommune").get_by_role("link", name="Ask for a representative").click()
    ask(page, "Horsens Kommune")

    # Aarhus's director opens the link in the e-mail, without an account.
    aarhus_head = "direktion@aarhus.example"
    before = nomination_state(app, workspace, aarhus_head)
    assert before[0] == "sent"
    head = new_page(locale="da-DK")
    head.context.add_init_script(script=AXE.axe_script)
    link = outbox.link_to(aarhus_head)
    response = head.goto(link)
    assert response.status == 200
    head_scan = Scanner(head, head.locator("html").get_attribute("lang"), "director")
    head_scan.scan("nomination link")
    assert nomination_state(app, workspace, aarhus_head) == before, "opening the link changed something"
    head.locator("[name=representatives-0-name]").fill("Henrik Seiding")
    head.locator("[name=representatives-0-email]").fill("henrik.seiding@aarhus.example")
    head.locator("[name=representatives-0-title]").fill("Direktør, Teknik og Miljø")
    head.locator("[name=representatives-0-mandate]").fill("Kan forpligte Aarhus Kommune i DK2020-samarbejdet.")
    head.locator("[name=answered_by]").fill("Bjarne Lund")
    head.locator("button[value=answer]").click()
    expect(head.locator(".alert-success")).to_contain_text("Henrik Seiding")
    head_scan.scan("nomination answered")
    assert nomination_state(app, workspace, aarhus_head) == ("answered", before[1] + 1)

    # Back at the secretariat: Aarhus's gap is closed, Horsens's still open (and asked).
    open_group(page, STEERING)
    expect(page.get_by_role("region", name="Members")).to_contain_text("Henrik Seiding")
    expect(gaps_on_group_page(page)).to_have_count(2)
    expect(gaps_on_group_page(page).filter(has_text="Aarhus Kommune")).to_have_count(0)
    expect(gaps_on_group_page(page).filter(has_text="Horsens Kommune")).to_have_count(1)
    scan.scan("steering group after the answer")
    page.goto(f"/{SLUG}/")
    steering_gaps = gap_rows(page).filter(has_text=STEERING)
    expect(steering_gaps.filter(has_text="Aarhus Kommune")).to_have_count(0)
    expect(steering_gaps.filter(has_text="Horsens Kommune")).to_contain_text("Asked, answer by")
    expect(steering_gaps.filter(has_text="Region Midtjylland")).to_have_count(1)
    scan.scan("overview after the answer")

    problems = scan.problems + head_scan.problems
    assert not problems, f"{len(problems)} accessibility violations:\n" + "\n".join(problems)
