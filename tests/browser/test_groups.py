"""Groups in Chromium: a co-chair forms a working group and fills it; every group
page has no WCAG 2.1 AA violation (axe), reflows at 320 px, and prints without
the site's chrome."""
import pytest

from tests import factories
from tests.browser.axe_scan import AXE, Scanner
from tests.browser.conftest import sign_in
from tests.tenants.bodies import structures


@pytest.fixture
def world(app):
    with app.app_context():
        return structures.build_midtjylland()


def group_pages(world):
    base = f"/{world.slug}/bodies"
    steering, secretariat = world.bodies["steering"], world.bodies["secretariat"]
    peter = world.members["Peter Kjeldsen"]
    return [
        ("groups", base), ("closed groups", f"{base}?status=closed"), ("steering group", f"{base}/{steering}"),
        ("secretariat", f"{base}/{secretariat}"), ("working group", f"{base}/{world.bodies['working']}"),
        ("terms of reference", f"{base}/{steering}/terms"), ("new group", f"{base}/new"),
        ("edit group", f"{base}/{steering}/edit"), ("add member", f"{base}/{steering}/members/new"),
        ("edit member", f"{base}/{steering}/members/{peter}/edit"), ("end term", f"{base}/{steering}/members/{peter}/end"),
        ("coverage", f"{base}/{steering}/coverage"), ("rotating chair", f"{base}/{steering}/chair-rotation"),
        ("served groups", f"{base}/{secretariat}/serves"),
    ]


def test_a_co_chair_forms_a_working_group_and_adds_a_member(new_page, world):
    page = new_page()
    sign_in(page, world.logins["co_chair"], factories.PASSWORD)
    page.goto(f"/{world.slug}/")
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Groups").click()
    page.locator(".tree").get_by_role("link", name="Administrativ styregruppe på klimaområdet (DK2020) i Midtjylland").click()
    page.get_by_role("link", name="Form a working group under this group").click()
    assert page.get_by_label("Part of").input_value() == str(world.bodies["steering"])
    page.get_by_label("Name of the group").fill("Arbejdsgruppe for grøn mobilitet")
    page.get_by_label("Meeting cadence").fill("3-4 pr. semester")
    page.get_by_role("button", name="Create the group").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Arbejdsgruppe for grøn mobilitet"
    page.get_by_role("link", name="Add a member").click()
    page.get_by_label("Person").select_option(label="Karen Dahl")
    page.get_by_label("Organisation represented").select_option(label="Horsens Kommune")
    page.get_by_label("Start of the term").fill("2022-03-01")
    page.get_by_label("End of the term").fill("2022-02-28")
    page.get_by_role("button", name="Add the member").click()
    assert page.locator(".error-summary").get_by_text("The end date is before the start date.").is_visible()
    page.get_by_label("End of the term").fill("")
    page.get_by_role("button", name="Add the member").click()
    members = page.get_by_role("region", name="Members").inner_text()
    assert "Karen Dahl" in members and "Horsens Kommune" in members


def test_every_group_page_has_no_wcag_21_aa_violations(new_page, world):
    page = new_page()
    page.context.add_init_script(script=AXE.axe_script)
    scan = Scanner(page, "en", "owner")
    sign_in(page, world.logins["owner"], factories.PASSWORD)
    for name, path in group_pages(world):
        scan.open(name, path)
    scan.open("add member", f"/{world.slug}/bodies/{world.bodies['steering']}/members/new")
    scan.submit("add member with errors", start_date="2022-03-01", end_date="2022-02-28")
    scan.open("coverage", f"/{world.slug}/bodies/{world.bodies['steering']}/coverage")
    scan.submit("add seat with errors", form="main form[action$='/seats']", label="")
    assert not scan.problems, "\n".join(scan.problems)


def test_group_pages_reflow_at_320_css_pixels(new_page, world):
    page = new_page()
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, world.logins["owner"], factories.PASSWORD)
    wide = []
    for name, path in group_pages(world):
        page.goto(path)
        if page.evaluate("document.documentElement.scrollWidth") > 320:
            wide.append(name)
    assert not wide, f"wider than 320 px: {wide}"


def test_terms_of_reference_print_without_the_sites_chrome(new_page, world):
    page = new_page()
    sign_in(page, world.logins["member"], factories.PASSWORD)
    page.goto(f"/{world.slug}/bodies/{world.bodies['steering']}/terms")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".no-print").is_visible()
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.locator(".site-footer").is_hidden()
