"""Links in e-mails come from the configured BASE_URL, never from the request's Host header.

A POST with a forged Host header must not send the real user a reset link
to the attacker's site: such requests are refused outright, and every mail
that carries a link builds it from BASE_URL whatever host the request used.
"""
import re

import pytest
import sqlalchemy as sa

from tests import factories
from tests.tenants.bodies import structures
from tests.tenants.bodies.nomination_helpers import ask

SITE = "https://samklima.example"
ATTACKER = "attacker.example"


@pytest.fixture
def configured_site(app, monkeypatch):
    """The site's configured address differs from the host the test client uses ("localhost")."""
    monkeypatch.setitem(app.config, "BASE_URL", SITE)


def links_in_mails_to(owner_engine, email) -> list[str]:
    with owner_engine.connect() as connection:
        bodies = connection.execute(
            sa.text("SELECT body_text, body_html FROM outbox_messages WHERE recipient = :email ORDER BY id"),
            {"email": email},
        ).all()
    assert bodies, f"no mail to {email}"
    return [link for text, html in bodies for link in re.findall(r"https?://[^\s\"<>]+", text + html)]


def assert_links_go_to_the_site(owner_engine, email):
    links = links_in_mails_to(owner_engine, email)
    assert links
    assert [link for link in links if not link.startswith(SITE + "/")] == []


def test_a_request_for_another_host_is_refused_and_sends_nothing(browser, owner_engine, app_context):
    factories.make_user("lene.holm@aarhus.example")
    token = browser.csrf_token()
    response = browser.post("/password/forgot", {"email": "lene.holm@aarhus.example", "csrf_token": token},
                            headers={"Host": ATTACKER})
    assert response.status_code == 400
    with owner_engine.connect() as connection:
        assert connection.scalar(sa.text("SELECT count(*) FROM outbox_messages")) == 0


def test_a_forwarded_host_header_does_not_change_the_links(browser, owner_engine, app_context, configured_site):
    factories.make_user("lene.holm@aarhus.example")
    browser.post("/password/forgot", {"email": "lene.holm@aarhus.example"}, headers={"X-Forwarded-Host": ATTACKER})
    assert_links_go_to_the_site(owner_engine, "lene.holm@aarhus.example")


def test_the_verification_mail_links_to_the_configured_site(browser, owner_engine, configured_site):
    browser.post("/signup", {"name": "Lene Holm", "email": "lene.holm@aarhus.example",
                             "password": factories.PASSWORD, "password_repeat": factories.PASSWORD})
    assert_links_go_to_the_site(owner_engine, "lene.holm@aarhus.example")


def test_the_password_reset_mail_links_to_the_configured_site(browser, owner_engine, app_context, configured_site):
    factories.make_user("lene.holm@aarhus.example")
    browser.post("/password/forgot", {"email": "lene.holm@aarhus.example"})
    assert_links_go_to_the_site(owner_engine, "lene.holm@aarhus.example")


def test_the_invitation_mail_links_to_the_configured_site(make_browser, owner_engine, app_context, configured_site):
    world = structures.build_trollhattan()
    owner = make_browser()
    owner.login(world.logins["owner"])
    response = owner.post(f"/{world.slug}/invitations",
                          {"email": "elin.sjoberg@trollhattan.example", "role": "member", "locale": "sv"})
    assert response.status_code == 302
    assert_links_go_to_the_site(owner_engine, "elin.sjoberg@trollhattan.example")


def test_the_nomination_mail_links_to_the_configured_site(make_browser, owner_engine, app_context, configured_site):
    world = structures.build_trollhattan(with_participants=False)
    owner = make_browser()
    owner.login(world.logins["owner"])
    assert ask(owner, world, "group", "Samhällsbyggnadsförvaltningen").status_code == 302
    assert_links_go_to_the_site(owner_engine, "mikael.strand@trollhattan.example")
