"""Nominations in Chromium: the strategist asks two förvaltningar for representatives, one head
answers from the e-mail link without an account, and the overview shows that gap closed.
Every page on the way is scanned with axe (WCAG 2.1 AA)."""
import pytest

from samklima.extensions import db
from tests import factories
from tests.browser.conftest import sign_in
from tests.browser.axe_scan import Scanner
from tests.tenants.bodies import structures

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: browser tests skipped").expect


@pytest.fixture
def trollhattan(app, live_server):
    """Seed 003 before the förvaltningar have named anyone; Karin reads English."""
    with app.app_context():
        world = structures.build_trollhattan(with_participants=False)
        db.session.remove()
    return world


def gap_rows(page):
    return page.locator("section[aria-labelledby=coverage-gaps] tbody tr")


def ask_from_the_overview(page, scan, department, head_email, with_errors=False):
    page.goto("/trollhattan-hallbarhet/")
    row = gap_rows(page).filter(has_text=department)
    row.get_by_role("link", name="Ask for a representative").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Step 2 of 2: the request")
    if with_errors:
        scan.scan("nomination request form")
        page.get_by_label("E-mail of the head of the organisation").fill("not an address")
        page.get_by_role("button", name="Send the request").click()
        expect(page.locator(".error-summary")).to_be_visible()
        scan.scan("nomination request form with errors")
    page.get_by_label("E-mail of the head of the organisation").fill(head_email)
    page.get_by_label("Number of representatives").fill("1")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".alert-success")).to_contain_text(head_email)


def test_asking_two_forvaltningar_and_one_answer_closes_its_gap(page, new_page, trollhattan, outbox):
    scan = Scanner(page, "en", "strategist")
    sign_in(page, trollhattan.logins["owner"], factories.PASSWORD)
    page.goto("/trollhattan-hallbarhet/")
    scan.scan("overview with gaps")
    expect(gap_rows(page)).to_have_count(4)

    group = trollhattan.bodies["group"]
    scan.open("nomination request, step 1", f"/trollhattan-hallbarhet/bodies/{group}/nominations/new")
    ask_from_the_overview(page, scan, "Samhällsbyggnadsförvaltningen", "mikael.strand@trollhattan.example",
                          with_errors=True)
    scan.scan("nomination requests")
    ask_from_the_overview(page, scan, "Socialförvaltningen", "anders.holm@trollhattan.example")

    # The head of Samhällsbyggnadsförvaltningen answers from the link, without an account.
    head = new_page(locale="sv-SE")
    head_scan = Scanner(head, "sv", "head")
    link = outbox.link_to("mikael.strand@trollhattan.example")
    head_scan.open("nomination link", link)
    head.locator("button[value=answer]").click()
    expect(head.locator(".error-summary")).to_be_visible()
    head_scan.scan("nomination link with errors")
    head.locator("[name=representatives-0-name]").fill("Elin Sjöberg")
    head.locator("[name=representatives-0-email]").fill("elin.sjoberg@trollhattan.example")
    head.locator("[name=representatives-0-title]").fill("Miljöstrateg")
    head.locator("[name=representatives-0-mandate]").fill("Får driva förvaltningens linje i miljöfrågor.")
    head.locator("[name=answered_by]").fill("Mikael Strand")
    head.locator("button[value=answer]").click()
    expect(head.locator(".alert-success")).to_contain_text("Elin Sjöberg")
    head_scan.scan("nomination answered")
    head_scan.open("nomination link used", link, status=400)

    page.goto("/trollhattan-hallbarhet/")
    expect(gap_rows(page)).to_have_count(3)
    expect(gap_rows(page).filter(has_text="Samhällsbyggnadsförvaltningen")).to_have_count(0)
    expect(gap_rows(page).filter(has_text="Socialförvaltningen")).to_contain_text("Asked, answer by")
    scan.scan("overview after the answer")
    problems = scan.problems + head_scan.problems
    assert not problems, f"{len(problems)} accessibility violations:\n" + "\n".join(problems)
