"""The main journeys so far, in Chromium: as people use them, with mouse and with keyboard only."""
import re

import pytest
from flask_babel import force_locale, gettext, pgettext
from sqlalchemy import select

from samklima.extensions import db
from samklima.platform.accounts.models import User
from samklima.platform.workspaces.models import TenantMembership
from tests import factories
from tests.browser.conftest import sign_in

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: browser tests skipped").expect

PASSWORD = factories.PASSWORD


def translated(app, locale, message, context=None):
    with app.test_request_context(), force_locale(locale):
        return pgettext(context, message) if context else gettext(message)


def user_row(app, email):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        db.session.expunge_all()
        db.session.remove()
    return user


@pytest.fixture
def workspace_with_member(app):
    """DK2020 Midtjylland with its owner, an administrator and a member, all speaking English."""
    with app.app_context():
        owner = factories.make_user("klimakoordinator@dk2020.example", "Lene Bach Kristensen", "en")
        admin = factories.make_user("sekretariat@dk2020.example", "Mads Holm Eriksen", "en")
        member = factories.make_user("radgiver@nordisk.example", "Sofie Lund Berg", "en")
        tenant = factories.make_workspace("dk2020-midtjylland", "DK2020 Midtjylland", "DK", owner)
        factories.add_member(tenant, admin, "admin")
        factories.add_member(tenant, member, "member")
        db.session.remove()


def heading(page):
    return page.get_by_role("heading", level=1)


def test_new_user_signs_up_creates_a_workspace_and_invites_a_colleague_who_joins(app, page, new_page, outbox):
    page.goto("/")
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Your name").fill("Anne Kjær Poulsen")
    page.get_by_label("E-mail address").fill("klima@silkeborg.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(heading(page)).to_have_text("Check your inbox")

    # Opening the link (as a mail scanner would) only shows a button.
    page.goto(outbox.link_to("klima@silkeborg.example"))
    expect(heading(page)).to_have_text("Confirm your e-mail address")
    assert not user_row(app, "klima@silkeborg.example").is_verified
    page.get_by_role("button", name="Confirm e-mail address").click()
    expect(page.get_by_role("status")).to_contain_text("Your e-mail address is confirmed")
    assert user_row(app, "klima@silkeborg.example").is_verified

    page.get_by_label("E-mail address").fill("klima@silkeborg.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(heading(page)).to_have_text("Your workspaces")

    page.get_by_role("link", name="Create a workspace").click()
    page.get_by_label("Name of the workspace").fill("Silkeborg Kommune – klimaplan")
    page.get_by_label("Web address").fill("silkeborg-klima")
    page.get_by_label("Country").select_option("DK")
    page.get_by_role("button", name="Create workspace").click()
    expect(heading(page)).to_have_text("Silkeborg Kommune – klimaplan")
    expect(page).to_have_url(re.compile(r"/silkeborg-klima/$"))

    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Invitations").click()
    page.get_by_label("E-mail address").fill("natur@silkeborg.example")
    page.get_by_label("Role", exact=True).select_option("secretariat")
    page.get_by_label("Language of the invitation").select_option("da")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text("The invitation is on its way to natur@silkeborg.example")
    expect(page.get_by_role("table")).to_contain_text("natur@silkeborg.example")

    invitee = new_page()
    invitee.goto(outbox.link_to("natur@silkeborg.example"))
    expect(heading(invitee)).to_have_text("You are invited to Silkeborg Kommune – klimaplan")
    invitee.get_by_label("Your name").fill("Mikkel Juul Andersen")
    invitee.get_by_label("Password", exact=True).fill("natur og klima går hånd i hånd")
    invitee.get_by_label("Repeat the password").fill("natur og klima går hånd i hånd")
    invitee.get_by_role("button", name="Create account and join").click()
    expect(invitee).to_have_url(re.compile(r"/silkeborg-klima/$"))
    expect(heading(invitee)).to_have_text("Silkeborg Kommune – klimaplan")
    # The invitation was in Danish, so the new account speaks Danish.
    expect(invitee.locator("html")).to_have_attribute("lang", "da")
    expect(invitee.get_by_role("status")).to_contain_text("Silkeborg Kommune – klimaplan")

    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Members").click()
    expect(page.get_by_role("row", name=re.compile("Mikkel Juul Andersen"))).to_contain_text("Secretariat")


def test_admin_changes_a_members_role(app, page, workspace_with_member):
    sign_in(page, "sekretariat@dk2020.example", PASSWORD)
    page.goto("/dk2020-midtjylland/members")
    page.get_by_label("New role for Sofie Lund Berg").select_option("secretariat")
    page.get_by_role("row", name=re.compile("Sofie Lund Berg")).get_by_role("button", name="Change role").click()
    expect(page.get_by_role("status")).to_have_text("The role of Sofie Lund Berg is changed.")
    expect(page.get_by_role("row", name=re.compile("Sofie Lund Berg"))).to_contain_text("Secretariat")
    with app.app_context():
        role = db.session.scalar(
            select(TenantMembership.role).join(User).where(User.email == "radgiver@nordisk.example")
        )
        db.session.remove()
    assert role == "secretariat"
    page.get_by_role("link", name="Audit log").click()
    change = page.get_by_role("row", name=re.compile(r"\(Member → Secretariat\)"))
    expect(change).to_contain_text("radgiver@nordisk.example")


def test_visitor_switches_language_with_the_picker(app, page):
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Language").select_option("da")
    page.get_by_role("button", name="Change language").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(heading(page)).to_have_text(translated(app, "da", "Sign in"))


def test_signed_in_user_switches_language_and_keeps_it(app, page, workspace_with_member):
    sign_in(page, "radgiver@nordisk.example", PASSWORD)
    page.goto("/dk2020-midtjylland/members")
    page.get_by_label("Language").select_option("sv")
    page.get_by_role("button", name="Change language").click()
    expect(page).to_have_url(re.compile(r"/dk2020-midtjylland/members$"))
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(heading(page)).to_have_text(translated(app, "sv", "Members", context="workspace members"))
    assert user_row(app, "radgiver@nordisk.example").locale == "sv"


def test_sign_out_ends_the_session(page, workspace_with_member):
    sign_in(page, "radgiver@nordisk.example", PASSWORD)
    page.goto("/dk2020-midtjylland/")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_have_text("You are signed out on all your devices.")
    expect(heading(page)).to_have_text("Sign in")
    page.goto("/dk2020-midtjylland/")
    expect(page).to_have_url(re.compile(r"/login\?next="))


# Keyboard only: Tab, Shift+Tab, Enter, Space, arrow keys and typing; no clicks.

FOCUS_STATE = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== "none";
  return {visible: outline || shadow, html: element.outerHTML.slice(0, 120), tag: element.tagName};
}"""


def tab_to(page, selector, limit=40, key="Tab"):
    """Press Tab until `selector` has focus; every stop on the way must show its focus."""
    for _ in range(limit):
        page.keyboard.press(key)
        state = page.evaluate(FOCUS_STATE)
        assert state["visible"], f"focus is not visible on {state['html']}"
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{selector} was not reached with {key} in {limit} steps")


def test_keyboard_only_sign_in_invite_switch_language_and_sign_out(page, workspace_with_member, outbox):
    page.goto("/login")
    # The skip link is the first Tab stop, and it moves focus to <main>.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('a.skip-link')")
    assert page.evaluate(FOCUS_STATE)["visible"]
    expect(page.locator(".skip-link")).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.tagName") == "MAIN"

    tab_to(page, "input[name=email]")
    page.keyboard.type("klimakoordinator@dk2020.example")
    tab_to(page, "input[name=password]")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Your workspaces")

    tab_to(page, "main a[href='/dk2020-midtjylland/']")
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("DK2020 Midtjylland")

    tab_to(page, ".workspace-nav a[href$='/invitations']")
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Invitations")
    tab_to(page, "input[name=email]")
    page.keyboard.type("klima@horsens.example")
    tab_to(page, "select[name=role]")
    page.keyboard.press("ArrowUp")  # from "Member" up to "Secretariat"
    expect(page.locator("select[name=role]")).to_have_value("secretariat")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Space")
    expect(page.get_by_role("status")).to_contain_text("The invitation is on its way to klima@horsens.example")
    assert outbox.link_to("klima@horsens.example").startswith("/invitations/")

    # The language picker sits before <main>: Shift+Tab back to it.
    tab_to(page, "#language-select", key="Shift+Tab")
    page.keyboard.press("ArrowDown")  # English -> Dansk
    tab_to(page, ".language-picker button")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "da")

    tab_to(page, ".account-nav button[type=submit]")
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator("input[name=email]")).to_be_visible()
    page.goto("/dk2020-midtjylland/")
    expect(page).to_have_url(re.compile(r"/login\?next="))
