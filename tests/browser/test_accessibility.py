"""Every page reachable now has no WCAG 2.1 A or AA violation (axe-core and IBM Equal Access
in Chromium); the HTML of each goes to the W3C Nu checker (test_html_validity.py).

Each role of the demo scans every page it can reach, in English and Danish
(and the public pages in Swedish), including forms that failed validation and
the error pages. A failure lists each violation with its rule, impact, page
and elements.
"""
import pyotp
import pytest
from sqlalchemy import select

from samklima.extensions import db, limiter
from samklima.platform.accounts.models import User
from samklima.platform.demo import DEMO_PASSWORD
from tests.browser import checkers
from tests.browser.axe_scan import AXE, Scanner
from tests.browser.conftest import PERSONAS, REQUIRED, sign_in

# Every role in English and Danish; the public pages in Swedish too. A third
# language for every role would add a minute to the run and little more cover.
LANGUAGES = {role: ["en", "da", "sv"] if role == "anonymous" else ["en", "da"] for role in PERSONAS}
BROWSER_LOCALES = {"en": "en-GB", "da": "da-DK", "sv": "sv-SE"}


def anonymous_pages(scan, demo, outbox, app):
    scan.open("front page", "/")
    scan.open("accessibility statement", "/accessibility")
    scan.open("sign-in", "/login")
    scan.submit("sign-in with errors")
    scan.open("sign-in after a workspace link", "/dk2020-midtjylland/")
    scan.open("sign-up", "/signup")
    scan.submit("sign-up with errors", email="not an address", password="kort")
    scan.submit(
        "sign-up sent", errors=False,
        name="Anne Kjær Poulsen", email="klima@silkeborg.example",
        password="kaffe og klimaplaner hver torsdag", password_repeat="kaffe og klimaplaner hver torsdag",
    )
    scan.open("confirm e-mail", outbox.link_to("klima@silkeborg.example"))
    scan.open("broken link", "/verify/not-a-real-token", status=400)
    scan.open("forgotten password", "/password/forgot")
    scan.submit("forgotten password with errors")
    scan.submit("forgotten password sent", errors=False, email="klima@baerum.example")
    reset_link = outbox.link_to("klima@baerum.example")
    scan.open("new password", reset_link)
    scan.submit("new password with errors", password="a", password_repeat="b")
    scan.open("invitation, new account", demo.invitation_links["new account"])
    scan.submit("invitation, new account, with errors")
    scan.open("invitation, existing account", demo.invitation_links["existing account"])
    scan.open("page not found", "/no/such/page", status=404)
    # The personal link of a meeting invitation speaks its invitee's language (Danish), whatever the browser's.
    invitation = Scanner(scan.page, "da", scan.role)
    invitation.open("meeting invitation link", outbox.link_to("lise.munk@aarhus.example"))
    scan.problems += invitation.problems

    # A user with two-factor authentication signs in.
    secret = pyotp.random_base32()
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "klima@baerum.example"))
        user.totp_secret = secret
        user.locale = scan.language
        db.session.commit()
        db.session.remove()
    scan.page.goto("/login")
    scan.submit("sign-in, password", errors=False, email="klima@baerum.example", password=DEMO_PASSWORD)
    scan.submit("sign-in, two-factor code with errors", code="000000")
    scan.submit("sign-in, two-factor code", errors=False, code=pyotp.TOTP(secret).now())
    scan.open("turn off two-factor authentication", "/account/two-factor")
    scan.submit("turn off two-factor authentication with errors")


# Pages outside any workspace look the same whatever one's role in a workspace:
# only the header differs (the workspaces one belongs to, the operator's link).
# They are scanned as the member (two workspaces) and as the operator, not as
# every role again.
ACCOUNT_PAGES_AS = {"member", "operator"}


def account_pages(scan):
    scan.open("accessibility statement", "/accessibility")
    scan.open("new workspace", "/workspaces/new")
    scan.submit("new workspace with errors", slug="Not A Slug!")
    scan.open("your account", "/account")
    scan.submit("your account with errors", name="")
    scan.submit("your account saved", errors=False, name="Testperson Klima")
    scan.open("change password", "/account/password")
    scan.submit("change password with errors", current_password="wrong")
    scan.open("turn on two-factor authentication", "/account/two-factor")
    scan.submit("turn on two-factor authentication with errors", code="12")


def workspace_member_pages(scan, persona, demo):
    is_admin = persona.role in ("owner", "admin")
    scan.open("your workspaces", "/")
    scan.page.locator("details.switcher summary").click()
    scan.scan("workspace switcher open")
    if persona.role in ACCOUNT_PAGES_AS:
        account_pages(scan)
    base = f"/{persona.slug}"
    scan.open("workspace overview", f"{base}/")
    scan.open("members", f"{base}/members")
    scan.open("invitations", f"{base}/invitations")
    if is_admin:
        scan.submit("invitations with errors", email="klima@")
    scan.open("settings", f"{base}/settings")
    if is_admin:
        scan.submit("settings with errors", name="")
        scan.open("audit log", f"{base}/audit")
    else:
        scan.open("audit log, not allowed", f"{base}/audit", status=403)
    directory_pages(scan, persona)
    meeting_pages(scan, persona)
    scan.open("invitation, signed in", demo.invitation_links["new account"])
    scan.open("another workspace", f"/{persona.other_slug}/", status=404)


PREVIEW_WITH_PROBLEMS = "name;kind;country\r\nLemvig Kommune;kommunen;DK\r\nSkive Kommune;kommune;DE\r\n".encode("cp1252")


def directory_pages(scan, persona):
    """Organisations and people: lists, one of each, and (for writers) forms with errors and an import preview."""
    base = f"/{persona.slug}"
    for name, path in (("organisations", "organisations"), ("people", "people")):
        scan.open(name, f"{base}/{path}")
        first = scan.page.locator("main table tbody a").first
        # The demo always has organisations and people: a list without a link is a failure, not a skip.
        assert first.count(), f"{scan.role} {scan.language}, {name}: no link in the table of {name}"
        scan.open(f"one of the {name}", first.get_attribute("href"))
    if persona.role not in ("owner", "admin", "secretariat"):
        scan.open("new organisation, not allowed", f"{base}/organisations/new", status=403)
        return
    scan.open("new organisation", f"{base}/organisations/new")
    scan.submit("new organisation with errors", name="")
    scan.open("new person", f"{base}/people/new")
    scan.submit("new person with errors", name="")
    scan.open("import organisations", f"{base}/organisations/import")
    scan.page.set_input_files("main form input[type=file]", files=[
        {"name": "kommuner.csv", "mimeType": "text/csv", "buffer": PREVIEW_WITH_PROBLEMS}])
    with scan.page.expect_navigation():
        scan.page.locator("main form[novalidate] button[type=submit]").click()
    scan.scan("import preview with problems")


def meeting_pages(scan, persona):
    """The coming meetings, the soonest one (in the demo, with its agenda sent), and for who plans
    meetings: the group's meetings, its meeting plan, planning a period and adding an item, with errors."""
    base = f"/{persona.slug}"
    scan.open("meetings", f"{base}/meetings")
    first = scan.page.locator("main table tbody a").first
    assert first.count(), f"{scan.role} {scan.language}: no meeting in the list of meetings"
    meeting = first.get_attribute("href")
    scan.open("a meeting", meeting)
    group = scan.page.locator("main .lead a").first.get_attribute("href")
    scan.open("the group's meetings", f"{group}/meetings")
    if persona.role not in ("owner", "admin", "secretariat"):
        scan.open("plan a period, not allowed", f"{group}/meetings/plan", status=403)
        return
    scan.open("meeting plan", f"{group}/meetings/settings")
    scan.submit("meeting plan with errors", duration_minutes="0")
    scan.open("plan a period", f"{group}/meetings/plan")
    scan.submit("plan a period with errors", first_day="", last_day="")
    scan.open("add an item", f"{meeting}/items/new")
    scan.submit("add an item with errors", title="")
    scan.open("invite a guest", f"{meeting}/guests")
    scan.open("attendance", f"{meeting}/attendance")


def operator_pages(scan, persona):
    scan.open("your workspaces, none", "/")
    scan.open("operator console", "/operator")
    account_pages(scan)
    scan.open("a workspace", f"/{persona.other_slug}/", status=404)


@pytest.mark.parametrize("role", list(PERSONAS))
def test_every_page_has_no_wcag_21_aa_violations(role, new_page, demo, outbox, app):
    persona = PERSONAS[role]
    problems = []
    for language in LANGUAGES[role]:
        # Each language as a visitor of its own: a fresh browser and rate-limit counters.
        with app.app_context():
            limiter.reset()
        page = new_page(locale=BROWSER_LOCALES[language])
        page.context.add_init_script(script=AXE.axe_script)
        scan = Scanner(page, language, role)
        if role == "anonymous":
            anonymous_pages(scan, demo, outbox, app)
        else:
            demo.set_locale(persona.email, language)
            sign_in(page, persona.email)
            if role == "operator":
                operator_pages(scan, persona)
            else:
                workspace_member_pages(scan, persona, demo)
        problems += scan.problems
    assert not problems, f"{len(problems)} accessibility violations as {role}:\n" + "\n".join(problems)


BROKEN_PAGE = '<html lang="en"><head><title>t</title></head><body><main><h1>t</h1><img src="x.png"></main></body></html>'


def test_the_scan_reports_a_violation(page):
    """The harness itself: a page with a real problem fails, with rule and element named."""
    page.set_content(BROKEN_PAGE)
    scan = Scanner(page, "en", "anonymous", screenshots=False)
    scan.scan("broken page")
    axe = [problem for problem in scan.problems if "[ibm:" not in problem]
    assert len(axe) == 1
    assert "[image-alt] (critical)" in axe[0] and "img" in axe[0]


def test_the_equal_access_engine_reports_a_violation(page):
    """IBM's engine in the same scan: the same problem, with its rule and element."""
    checkers.missing(checkers.why_no_ace(), REQUIRED)
    page.set_content(BROKEN_PAGE)
    scan = Scanner(page, "en", "anonymous", screenshots=False)
    scan.scan("broken page")
    ibm = [problem for problem in scan.problems if "[ibm:" in problem]
    assert len(ibm) == 1, scan.problems
    assert "[ibm:img_alt_valid]" in ibm[0] and "/img[1]" in ibm[0]


FORMS = ('<html lang="en"><head><title>t</title></head><body><header><form{none}><button>Sign out</button></form>'
         '</header><main><h1>t</h1><form><button>Save</button></form>{more}</main></body></html>')


def test_forms_that_cannot_be_told_apart_are_a_violation(page):
    """IBM's engine counts every <form> as a form landmark, unfiltered (checkers.ACE_CHECK): two
    without a name, or with one name, fail; a button form (role="none") and uniquely named forms do not."""
    checkers.missing(checkers.why_no_ace(), REQUIRED)

    def rules(none="", more=""):
        page.set_content(FORMS.format(none=none, more=more))
        return [violation["rule"] for violation in checkers.ace_violations(page)]

    assert rules() == ["aria_form_label_unique"] * 2
    assert rules(none=' role="none"') == []
    assert rules(none=' role="none"', more='<form role="none"><button>Remove</button></form>') == []
    assert rules(none=' role="none"', more='<h2 id="b">Join</h2><form aria-labelledby="b"><button>B</button></form>'
                 '<h2 id="c">Sign in</h2><form aria-labelledby="c"><button>C</button></form>') == []
    assert rules(none=' role="none"', more='<form aria-label="Role"><button>A</button></form>'
                 '<form aria-label="Role"><button>B</button></form>') == ["aria_form_label_unique"] * 2


def test_pages_reflow_at_320_css_pixels(new_page, demo):
    """WCAG 1.4.10: at 320 px only a wide table scrolls sideways, in its own box that the
    keyboard can scroll, and axe finds nothing at that width either."""
    page = new_page()
    page.set_viewport_size({"width": 320, "height": 640})
    page.context.add_init_script(script=AXE.axe_script)
    scan = Scanner(page, "en", "anonymous at 320 px")
    owner = PERSONAS["owner"]
    wide = []

    def check(paths):
        for path in paths:
            scan.open(path, path)
            if page.evaluate("document.documentElement.scrollWidth") > 320:
                wide.append(path)

    check(["/", "/login", "/signup", "/accessibility"])
    demo.set_locale(owner.email, "en")
    sign_in(page, owner.email)
    scan.role = "owner at 320 px"
    # The platform's own pages; each domain adds its pages here as it lands.
    check(["/", "/account", "/workspaces/new",
           *(f"/{owner.slug}/{p}" for p in ("", "members", "invitations", "settings", "audit", "bodies"))])
    assert not wide, f"wider than 320 px: {wide}"
    assert not scan.problems, "\n".join(scan.problems)
