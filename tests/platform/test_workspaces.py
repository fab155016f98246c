"""Workspaces: creating one, the switcher, invitations, roles, settings and the audit log."""
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from flask import current_app
from sqlalchemy import select

from samklima.extensions import db
from samklima.platform.errors import OperationError
from samklima.platform.tenancy import tenant_scope
from samklima.platform.workspaces import operations
from samklima.platform.workspaces.models import Invitation, Tenant, TenantMembership
from tests import factories, mailbox

SLUG = "dk2020-midtjylland"
LINK = re.compile(r"http://localhost/invitations/\S+")
# What a new person fills in on the invitation page.
JOIN = {
    "join-name": "Karin Lindqvist",
    "join-password": "hållbar stad vid göta älv",
    "join-password_repeat": "hållbar stad vid göta älv",
}
KARIN = {"email": "karin@trollhattan.example", "role": "member", "locale": "sv"}


# --- helpers -----------------------------------------------------------------


@dataclass
class Team:
    """DK2020 Midtjylland with one person in each role; people by e-mail."""

    tenant_id: int
    owner: str = "mette.kjaergaard@aarhus.example"
    admin: str = "soren.holm@viborg.example"
    secretariat: str = "birgitte.ravn@midtjylland.example"
    member: str = "anne.lund@skive.example"
    observer: str = "jens.bak@randers.example"


@pytest.fixture
def team(app):
    with app.app_context():
        owner = factories.make_user(Team.owner, "Mette Kjærgaard")
        tenant = factories.make_workspace(SLUG, "DK2020 Midtjylland", "DK", owner)
        for role, name in [
            ("admin", "Søren Holm"),
            ("secretariat", "Birgitte Ravn"),
            ("member", "Anne Lund"),
            ("observer", "Jens Bak"),
        ]:
            factories.add_member(tenant, factories.make_user(getattr(Team, role), name), role)
        return Team(tenant_id=tenant.id)


def signed_in(make_browser, email):
    browser = make_browser()
    browser.login(email)
    return browser


def snapshot(owner_engine):
    """Every row of every table, read past row-level security: "nothing written" means this is equal."""
    with owner_engine.connect() as connection:
        return {
            table.name: sorted(map(repr, connection.execute(sa.select(table)).all()))
            for table in db.metadata.sorted_tables
        }


def audit_events(owner_engine, action):
    with owner_engine.connect() as connection:
        return connection.execute(
            sa.text("SELECT tenant_id, actor_id, subject FROM audit_events WHERE action = :a ORDER BY id"),
            {"a": action},
        ).all()


def user_id(email):
    return db.session.scalar(sa.text("SELECT id FROM users WHERE email = :e"), {"e": email})


def membership_id(tenant_id, email):
    return db.session.scalar(
        select(TenantMembership.id).where(
            TenantMembership.tenant_id == tenant_id, TenantMembership.user_id == user_id(email)
        )
    )


def role_of(tenant_id, email):
    return db.session.scalar(
        select(TenantMembership.role).where(
            TenantMembership.tenant_id == tenant_id, TenantMembership.user_id == user_id(email)
        )
    )


def mails_to(recipient):
    return mailbox.mails_to(current_app, recipient)


def invite(app, team, email, role="member", locale="da"):
    """An admin's invitation, made directly; returns the link from the mail."""
    with app.app_context():
        tenant = db.session.get(Tenant, team.tenant_id)
        by = db.session.get(TenantMembership, membership_id(team.tenant_id, team.admin))
        factories.make_invitation(tenant, by, email, role=role, locale=locale)
        return LINK.search(mails_to(email)[-1].body_text).group(0)


def text(response):
    return response.get_data(as_text=True)


def hrefs(html):
    return set(re.findall(r'href="(/[^"]*)"', html))


def same_page(html, *slugs):
    """The page with the parts that always differ (CSRF tokens, the slug in the URL) taken out."""
    html = re.sub(r'name="csrf_token" value="[^"]+"', "", html)
    for slug in slugs:
        html = html.replace(slug, "SLUG")
    return html


# --- creating a workspace ------------------------------------------------------


def test_creator_becomes_owner_of_new_workspace(app, make_browser):
    with app.app_context():
        factories.make_user("ida.norgaard@skive.example", "Ida Nørgaard")
    browser = signed_in(make_browser, "ida.norgaard@skive.example")

    response = browser.post("/workspaces/new", {"name": "Skive Kommune klima", "slug": "skive-klima", "country": "DK"})

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/skive-klima/")
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "skive-klima"))
        assert tenant.name == "Skive Kommune klima"
        assert role_of(tenant.id, "ida.norgaard@skive.example") == "owner"
    assert browser.get("/skive-klima/").status_code == 200


@pytest.mark.parametrize(
    "country, locale, time_zone, currency",
    [
        ("DK", "da", "Europe/Copenhagen", "DKK"),
        ("SE", "sv", "Europe/Stockholm", "SEK"),
        ("NO", "nb", "Europe/Oslo", "NOK"),
    ],
)
def test_country_sets_default_language_time_zone_and_currency(app_context, country, locale, time_zone, currency):
    owner = factories.make_user("kim.dahl@samklima.example", "Kim Dahl")

    tenant = factories.make_workspace(f"klima-{country.lower()}", "Klimanetværk", country, owner)

    assert (tenant.default_locale, tenant.time_zone, tenant.currency) == (locale, time_zone, currency)


def _refused_slug(app, make_browser, owner_engine, slug):
    with app.app_context():
        factories.make_user("ida.norgaard@skive.example", "Ida Nørgaard")
    browser = signed_in(make_browser, "ida.norgaard@skive.example")
    before = snapshot(owner_engine)

    response = browser.post("/workspaces/new", {"name": "Skive Kommune klima", "slug": slug, "country": "DK"})

    assert response.status_code == 422
    page = text(response)
    assert 'value="Skive Kommune klima"' in page
    assert f'value="{slug}"' in page
    assert 'aria-invalid="true"' in page
    assert snapshot(owner_engine) == before
    return page


@pytest.mark.parametrize("slug", ["login", "admin", "static", "api", "billing"])
def test_reserved_slug_is_refused_and_nothing_is_written(app, make_browser, owner_engine, slug):
    page = _refused_slug(app, make_browser, owner_engine, slug)
    assert "This address is reserved. Please choose another." in page


def test_taken_slug_is_refused_and_nothing_is_written(app, make_browser, owner_engine, team):
    page = _refused_slug(app, make_browser, owner_engine, SLUG)
    assert "Another workspace already uses this address. Please choose another." in page


@pytest.mark.parametrize(
    "slug", ["skive_klima", "skive klima", "-skive", "skive-", "sk", "bærum-klima", "aarhus/klima"]
)
def test_malformed_slug_is_refused_and_nothing_is_written(app, make_browser, owner_engine, slug):
    page = _refused_slug(app, make_browser, owner_engine, slug)
    assert "Use 3 to 63 lowercase letters (a-z), digits and hyphens" in page


# --- the workspace list and switcher ---------------------------------------------


@pytest.fixture
def radgiver_in_two_of_three(app):
    """Pia is in DK2020 Midtjylland and Trollhättan, not in Bærum."""
    with app.app_context():
        lene = factories.make_user("lene@dk2020.example", "Lene Bach Kristensen")
        karin = factories.make_user("karin@trollhattan.example", "Karin Lindqvist")
        ola = factories.make_user("ola@baerum.example", "Ola Berg")
        pia = factories.make_user("pia@nordisk.example", "Pia Nyström")
        midtjylland = factories.make_workspace(SLUG, "DK2020 Midtjylland", "DK", lene)
        trollhattan = factories.make_workspace("trollhattan-hallbarhet", "Trollhättans stad hållbarhet", "SE", karin)
        factories.make_workspace("baerum-klima", "Bærum kommune klima", "NO", ola)
        factories.add_member(midtjylland, pia, "member")
        factories.add_member(trollhattan, pia, "admin")


def test_workspace_list_shows_exactly_the_users_workspaces(radgiver_in_two_of_three, make_browser):
    page = text(signed_in(make_browser, "pia@nordisk.example").get("/"))

    cards = page.split('<ul class="card-list">')[1].split("</ul>")[0]
    assert hrefs(cards) == {f"/{SLUG}/", "/trollhattan-hallbarhet/"}
    assert "Bærum kommune klima" not in page


def test_workspace_switcher_shows_exactly_the_users_workspaces(radgiver_in_two_of_three, make_browser):
    page = text(signed_in(make_browser, "pia@nordisk.example").get(f"/{SLUG}/"))

    switcher = page.split('<details class="switcher">')[1].split("</details>")[0]
    assert hrefs(switcher) == {f"/{SLUG}/", "/trollhattan-hallbarhet/", "/"}
    assert "Bærum" not in page


# --- invitations ------------------------------------------------------------------


def test_admin_invitation_queues_mail_in_chosen_language_with_link(app, make_browser, team):
    browser = signed_in(make_browser, team.admin)

    response = browser.post(
        f"/{SLUG}/invitations", {"email": "Karin.Lindqvist@Trollhattan.example", "role": "member", "locale": "sv"}
    )

    assert response.status_code == 302
    with app.app_context():
        [mail] = mails_to("karin.lindqvist@trollhattan.example")
        assert mail.locale == "sv"
        assert mail.subject == "Du är inbjuden till DK2020 Midtjylland i Samklima"
        assert "har bjudit in dig till arbetsrummet DK2020 Midtjylland" in mail.body_text
        link = LINK.search(mail.body_text).group(0)
        assert link in mail.body_html
        secret = link.split("/invitations/")[1].split("-", 1)[1]
        with tenant_scope(team.tenant_id):
            invitation = db.session.scalar(select(Invitation))
        assert invitation.email == "karin.lindqvist@trollhattan.example"
        assert secret not in invitation.token_hash


@pytest.mark.parametrize("data", [KARIN, {"email": "ikke en adresse"}], ids=["valid", "invalid"])
@pytest.mark.parametrize("role", ["observer", "member", "secretariat"])
def test_non_admin_cannot_invite(make_browser, owner_engine, team, role, data):
    browser = signed_in(make_browser, getattr(team, role))
    before = snapshot(owner_engine)

    response = browser.post(f"/{SLUG}/invitations", data)

    assert response.status_code == 403
    assert snapshot(owner_engine) == before


def test_admin_cannot_invite_an_owner(make_browser, owner_engine, team):
    browser = signed_in(make_browser, team.admin)
    before = snapshot(owner_engine)

    response = browser.post(f"/{SLUG}/invitations", {**KARIN, "role": "owner"})

    assert response.status_code == 422
    assert "Only an owner can give or take away the owner role." in text(response)
    assert snapshot(owner_engine) == before


def test_owner_can_invite_an_owner(app, make_browser, team):
    browser = signed_in(make_browser, team.owner)

    response = browser.post(f"/{SLUG}/invitations", {**KARIN, "role": "owner"})

    assert response.status_code == 302
    with app.app_context(), tenant_scope(team.tenant_id):
        assert db.session.scalar(select(Invitation.role)) == "owner"


def test_opening_invitation_link_changes_nothing(app, browser, owner_engine, team):
    link = invite(app, team, "karin@trollhattan.example")
    before = snapshot(owner_engine)

    response = browser.get(link)

    assert response.status_code == 200
    assert "DK2020 Midtjylland" in text(response)
    assert snapshot(owner_engine) == before


def test_new_person_creates_account_from_invitation_and_joins_signed_in(app, browser, team):
    link = invite(app, team, "karin@trollhattan.example", role="secretariat", locale="sv")

    response = browser.post(link, JOIN)

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/{SLUG}/")
    with app.app_context():
        assert role_of(team.tenant_id, "karin@trollhattan.example") == "secretariat"
    dashboard = browser.get(f"/{SLUG}/")
    assert dashboard.status_code == 200
    assert "Karin Lindqvist" in text(dashboard)


def test_joining_with_mismatched_passwords_is_refused_and_nothing_is_written(app, browser, owner_engine, team):
    link = invite(app, team, "karin@trollhattan.example")
    before = snapshot(owner_engine)

    response = browser.post(link, {**JOIN, "join-password_repeat": "något annat"})

    assert response.status_code == 422
    assert "The two passwords are not the same." in text(response)
    assert 'value="Karin Lindqvist"' in text(response)
    assert snapshot(owner_engine) == before


def test_existing_user_signs_in_and_accepts_invitation(app, browser, team):
    with app.app_context():
        factories.make_user("karin@trollhattan.example", "Karin Lindqvist")
    link = invite(app, team, "karin@trollhattan.example", role="observer")
    path = link.removeprefix("http://localhost")

    invitation_page = text(browser.get(path))
    assert "You already have an account. Sign in to accept the invitation." in invitation_page
    signed_in_now = browser.post(
        f"/login?next={path}", {"email": "karin@trollhattan.example", "password": factories.PASSWORD}
    )
    assert signed_in_now.headers["Location"].endswith(path)
    with app.app_context():
        assert role_of(team.tenant_id, "karin@trollhattan.example") is None

    accepted = browser.post(path)

    assert accepted.status_code == 302
    with app.app_context():
        assert role_of(team.tenant_id, "karin@trollhattan.example") == "observer"
    assert browser.get(f"/{SLUG}/").status_code == 200


def _assert_link_refused(browser, owner_engine, link, message):
    """Both opening the link and trying to join with it give 400 and write nothing."""
    before = snapshot(owner_engine)
    opened = browser.get(link)
    joined = browser.post(link, JOIN)
    for response in (opened, joined):
        assert response.status_code == 400
        assert "The link does not work" in text(response)
        assert message in text(response)
    assert snapshot(owner_engine) == before


def test_invitation_link_still_works_just_before_seven_days(app, browser, team):
    link = invite(app, team, "karin@trollhattan.example")

    with time_machine.travel(datetime.now(UTC) + timedelta(days=6, hours=23)):
        assert browser.get(link).status_code == 200


def test_expired_invitation_gives_400_and_writes_nothing(app, browser, owner_engine, team):
    link = invite(app, team, "karin@trollhattan.example")

    with time_machine.travel(datetime.now(UTC) + timedelta(days=7, minutes=1)):
        _assert_link_refused(browser, owner_engine, link, "This invitation has expired.")


def test_used_invitation_link_gives_400_and_writes_nothing(app, browser, make_browser, owner_engine, team):
    link = invite(app, team, "karin@trollhattan.example")
    assert browser.post(link, JOIN).status_code == 302

    _assert_link_refused(make_browser(), owner_engine, link, "This invitation has already been used.")


def test_withdrawn_invitation_gives_400_and_writes_nothing(app, browser, make_browser, owner_engine, team):
    link = invite(app, team, "karin@trollhattan.example")
    with app.app_context(), tenant_scope(team.tenant_id):
        invitation_id = db.session.scalar(select(Invitation.id))
    admin = signed_in(make_browser, team.admin)
    assert admin.post(f"/{SLUG}/invitations/{invitation_id}/revoke").status_code == 302

    _assert_link_refused(browser, owner_engine, link, "This invitation has been withdrawn.")


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "1-",
        "-abc",
        "999999-abc",
        "99999999999999999999999-abc",
        "²-abc",
        "TENANT-not-the-secret",
        "TENANT-" + "x" * 300,
    ],
)
def test_garbage_invitation_token_gives_400_and_writes_nothing(app, browser, owner_engine, team, token):
    invite(app, team, "karin@trollhattan.example")
    link = "/invitations/" + token.replace("TENANT", str(team.tenant_id))

    _assert_link_refused(browser, owner_engine, link, "This invitation link is not valid.")


def _refused_invitation(make_browser, owner_engine, team, email, message):
    browser = signed_in(make_browser, team.admin)
    before = snapshot(owner_engine)

    response = browser.post(f"/{SLUG}/invitations", {"email": email, "role": "member", "locale": "da"})

    assert response.status_code == 422
    assert message in text(response)
    assert f'value="{email}"' in text(response)
    assert snapshot(owner_engine) == before


def test_inviting_a_member_is_refused_and_nothing_is_written(make_browser, owner_engine, team):
    _refused_invitation(
        make_browser, owner_engine, team, team.member, "This person is already a member of the workspace."
    )


def test_inviting_someone_already_invited_is_refused_and_nothing_is_written(app, make_browser, owner_engine, team):
    invite(app, team, "karin@trollhattan.example")

    _refused_invitation(
        make_browser, owner_engine, team, "karin@trollhattan.example", "This person already has an open invitation."
    )


# --- roles and membership ----------------------------------------------------------


def change_role(app, make_browser, team, by, target, role):
    with app.app_context():
        target_id = membership_id(team.tenant_id, target)
    response = signed_in(make_browser, by).post(
        f"/{SLUG}/members/{target_id}/role", {"role": role}, follow_redirects=True
    )
    return text(response)


def test_admin_changes_a_members_role(app, make_browser, team):
    page = change_role(app, make_browser, team, team.admin, team.member, "secretariat")

    assert "The role of Anne Lund is changed." in page
    with app.app_context():
        assert role_of(team.tenant_id, team.member) == "secretariat"


def test_member_cannot_change_roles(app, make_browser, owner_engine, team):
    with app.app_context():
        target_id = membership_id(team.tenant_id, team.observer)
    browser = signed_in(make_browser, team.member)
    before = snapshot(owner_engine)

    response = browser.post(f"/{SLUG}/members/{target_id}/role", {"role": "admin"})

    assert response.status_code == 403
    assert snapshot(owner_engine) == before


def test_admin_cannot_make_someone_owner(app, make_browser, team):
    page = change_role(app, make_browser, team, team.admin, team.member, "owner")

    assert "Only an owner can give or take away the owner role." in page
    with app.app_context():
        assert role_of(team.tenant_id, team.member) == "member"


def test_admin_cannot_take_the_owner_role(app, make_browser, team):
    page = change_role(app, make_browser, team, team.admin, team.owner, "admin")

    assert "Only an owner can give or take away the owner role." in page
    with app.app_context():
        assert role_of(team.tenant_id, team.owner) == "owner"


def test_admin_cannot_remove_an_owner(app, make_browser, team):
    with app.app_context():
        owner_id = membership_id(team.tenant_id, team.owner)

    response = signed_in(make_browser, team.admin).post(f"/{SLUG}/members/{owner_id}/remove", follow_redirects=True)

    assert "Only an owner can give or take away the owner role." in text(response)
    with app.app_context():
        assert role_of(team.tenant_id, team.owner) == "owner"


def test_owner_can_make_someone_owner(app, make_browser, team):
    change_role(app, make_browser, team, team.owner, team.admin, "owner")

    with app.app_context():
        assert role_of(team.tenant_id, team.admin) == "owner"


def test_owner_can_take_the_owner_role_from_another_owner(app, make_browser, team):
    change_role(app, make_browser, team, team.owner, team.admin, "owner")

    change_role(app, make_browser, team, team.owner, team.admin, "member")

    with app.app_context():
        assert role_of(team.tenant_id, team.admin) == "member"


def test_last_owner_cannot_be_demoted(app, make_browser, team):
    page = change_role(app, make_browser, team, team.owner, team.owner, "admin")

    assert "A workspace needs at least one owner." in page
    with app.app_context():
        assert role_of(team.tenant_id, team.owner) == "owner"


def test_last_owner_cannot_leave(app, make_browser, team):
    with app.app_context():
        owner_id = membership_id(team.tenant_id, team.owner)

    response = signed_in(make_browser, team.owner).post(f"/{SLUG}/members/{owner_id}/remove", follow_redirects=True)

    assert "A workspace needs at least one owner." in text(response)
    with app.app_context():
        assert role_of(team.tenant_id, team.owner) == "owner"


def test_last_owner_cannot_be_removed_by_operation(app, team):
    # A request context: the error's message is translated for the current user.
    with app.test_request_context(), tenant_scope(team.tenant_id):
        owner = db.session.get(TenantMembership, membership_id(team.tenant_id, team.owner))

        with pytest.raises(OperationError, match="at least one owner"):
            operations.remove_member(owner, by=owner)
        assert role_of(team.tenant_id, team.owner) == "owner"


def test_member_may_leave(app, make_browser, team):
    with app.app_context():
        own_id = membership_id(team.tenant_id, team.member)
    browser = signed_in(make_browser, team.member)

    response = browser.post(f"/{SLUG}/members/{own_id}/remove", follow_redirects=True)

    assert "You have left DK2020 Midtjylland." in text(response)
    with app.app_context():
        assert role_of(team.tenant_id, team.member) is None


def test_removed_member_gets_404_on_next_request(app, make_browser, team):
    member = signed_in(make_browser, team.member)
    assert member.get(f"/{SLUG}/members").status_code == 200
    with app.app_context():
        target_id = membership_id(team.tenant_id, team.member)
    assert signed_in(make_browser, team.admin).post(f"/{SLUG}/members/{target_id}/remove").status_code == 302

    assert member.get(f"/{SLUG}/members").status_code == 404


# --- settings ----------------------------------------------------------------------

NEW_SETTINGS = {
    "name": "DK2020 Region Midtjylland",
    "default_locale": "en",
    "time_zone": "UTC",
    "requires_admin_two_factor": "y",
}


def test_admin_changes_settings(app, make_browser, team):
    response = signed_in(make_browser, team.admin).post(f"/{SLUG}/settings", NEW_SETTINGS)

    assert response.status_code == 302
    with app.app_context():
        tenant = db.session.get(Tenant, team.tenant_id)
        assert (tenant.name, tenant.default_locale, tenant.time_zone, tenant.requires_admin_two_factor) == (
            "DK2020 Region Midtjylland",
            "en",
            "UTC",
            True,
        )


@pytest.mark.parametrize("data", [NEW_SETTINGS, {"name": ""}], ids=["valid", "invalid"])
@pytest.mark.parametrize("role", ["observer", "member", "secretariat"])
def test_non_admin_cannot_change_settings(make_browser, owner_engine, team, role, data):
    browser = signed_in(make_browser, getattr(team, role))
    before = snapshot(owner_engine)

    response = browser.post(f"/{SLUG}/settings", data)

    assert response.status_code == 403
    assert "Your role in this workspace does not allow this." in text(response)
    assert snapshot(owner_engine) == before


# --- the audit log -----------------------------------------------------------------


def test_admin_sees_role_changes_invitations_and_sign_ins_in_audit_log(app, make_browser, team):
    change_role(app, make_browser, team, team.owner, team.member, "secretariat")
    invite(app, team, "karin@trollhattan.example")

    page = text(signed_in(make_browser, team.admin).get(f"/{SLUG}/audit"))

    assert "Role changed (Member → Secretariat)" in page
    assert "Invitation sent" in page
    assert "karin@trollhattan.example" in page
    assert "Signed in" in page


@pytest.mark.parametrize("role", ["member", "observer", "secretariat"])
def test_non_admin_cannot_read_audit_log(make_browser, team, role):
    response = signed_in(make_browser, getattr(team, role)).get(f"/{SLUG}/audit")

    assert response.status_code == 403
    assert "Invitation sent" not in text(response)


def _change_role(app, make_browser, team):
    change_role(app, make_browser, team, team.admin, team.member, "secretariat")
    return team.admin, team.member


def _remove_member(app, make_browser, team):
    with app.app_context():
        target_id = membership_id(team.tenant_id, team.member)
    signed_in(make_browser, team.admin).post(f"/{SLUG}/members/{target_id}/remove")
    return team.admin, team.member


def _send_invitation(app, make_browser, team):
    signed_in(make_browser, team.admin).post(f"/{SLUG}/invitations", KARIN)
    return team.admin, "karin@trollhattan.example"


def _revoke_invitation(app, make_browser, team):
    invite(app, team, "karin@trollhattan.example")
    with app.app_context(), tenant_scope(team.tenant_id):
        invitation_id = db.session.scalar(select(Invitation.id))
    signed_in(make_browser, team.admin).post(f"/{SLUG}/invitations/{invitation_id}/revoke")
    return team.admin, "karin@trollhattan.example"


def _join(app, make_browser, team):
    link = invite(app, team, "karin@trollhattan.example")
    make_browser().post(link, JOIN)
    return "karin@trollhattan.example", "karin@trollhattan.example"


def _create_workspace(app, make_browser, team):
    signed_in(make_browser, team.member).post(
        "/workspaces/new", {"name": "Skive Kommune klima", "slug": "skive-klima", "country": "DK"}
    )
    return team.member, "Skive Kommune klima"


def _change_settings(app, make_browser, team):
    signed_in(make_browser, team.admin).post(f"/{SLUG}/settings", NEW_SETTINGS)
    return team.admin, "DK2020 Region Midtjylland"


@pytest.mark.parametrize(
    "action, act",
    [
        ("role_changed", _change_role),
        ("member_removed", _remove_member),
        ("invitation_sent", _send_invitation),
        ("invitation_revoked", _revoke_invitation),
        ("member_joined", _join),
        ("workspace_created", _create_workspace),
        ("settings_changed", _change_settings),
    ],
)
def test_audit_event_is_written(app, make_browser, owner_engine, team, action, act):
    before = len(audit_events(owner_engine, action))

    actor, subject = act(app, make_browser, team)

    events = audit_events(owner_engine, action)
    assert len(events) == before + 1
    tenant_id, actor_id, event_subject = events[-1]
    with app.app_context():
        expected_tenant = db.session.scalar(
            select(Tenant.id).where(Tenant.slug == ("skive-klima" if action == "workspace_created" else SLUG))
        )
        assert (tenant_id, actor_id, event_subject) == (expected_tenant, user_id(actor), subject)


# --- which workspace a URL reaches ------------------------------------------------


def test_unknown_slug_and_foreign_workspace_give_the_same_404_page(app, make_browser, team):
    with app.app_context():
        karin = factories.make_user("karin@trollhattan.example", "Karin Lindqvist")
        factories.make_workspace("trollhattan-hallbarhet", "Trollhättans stad hållbarhet", "SE", karin)
    browser = signed_in(make_browser, "karin@trollhattan.example")

    foreign = browser.get(f"/{SLUG}/members")
    unknown = browser.get("/ingen-saadan-kommune/members")

    assert foreign.status_code == unknown.status_code == 404
    assert same_page(text(foreign), SLUG) == same_page(text(unknown), "ingen-saadan-kommune")
    assert "Mette Kjærgaard" not in text(foreign)


@pytest.mark.parametrize("path", ["/", "/members", "/invitations", "/settings", "/audit"])
def test_anonymous_visitor_is_sent_to_sign_in_for_real_and_unknown_slugs(browser, team, path):
    real = browser.get(f"/{SLUG}{path}")
    unknown = browser.get(f"/ingen-saadan-kommune{path}")

    assert real.status_code == unknown.status_code == 302
    assert real.headers["Location"].startswith("/login?next=")
    assert real.headers["Location"].replace(SLUG, "SLUG") == unknown.headers["Location"].replace(
        "ingen-saadan-kommune", "SLUG"
    )


@pytest.mark.parametrize("path", ["/members/1/role", "/members/1/remove", "/invitations", "/settings"])
def test_anonymous_post_is_sent_to_sign_in_for_real_and_unknown_slugs(browser, owner_engine, team, path):
    before = snapshot(owner_engine)

    real = browser.post(f"/{SLUG}{path}", {"role": "owner"}, csrf=False)
    unknown = browser.post(f"/ingen-saadan-kommune{path}", {"role": "owner"}, csrf=False)

    assert real.status_code == unknown.status_code == 302
    assert real.headers["Location"].replace(SLUG, "SLUG") == unknown.headers["Location"].replace(
        "ingen-saadan-kommune", "SLUG"
    )
    assert snapshot(owner_engine) == before
