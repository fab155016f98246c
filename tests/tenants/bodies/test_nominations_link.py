"""The link in the e-mail: a head answers without an account, once, in their language.

The link is /nominations/<workspace id>-<secret>, outside every workspace URL:
these tests also show that it never reaches into another workspace.
"""
from datetime import timedelta

import pytest
from markupsafe import escape
import time_machine
from sqlalchemy import select

from samklima.extensions import db
from samklima.platform.tenancy import tenant_scope
from samklima.tenants.bodies.nominations import operations as nominations
from samklima.tenants.bodies.models import BodyMembership, NominationRequest
from samklima.tenants.bodies.queries import coverage_gaps
from samklima.tenants.people.models import Person
from tests.tenants.bodies import structures
from tests.tenants.bodies.nomination_helpers import (
    answer_form,
    ask,
    everything,
    link_to,
    noon,
    today,
    trollhattan_open,  # noqa: F401 (a fixture)
)

HEAD = "mikael.strand@trollhattan.example"
ELIN = ("Elin Sjöberg", "elin.sjoberg@trollhattan.example", "Miljöstrateg",
        "Får driva förvaltningens linje i miljöfrågor.", "member")


@pytest.fixture
def asked(app, trollhattan_open, make_browser):
    """Karin has asked Samhällsbyggnadsförvaltningen for two representatives; returns the link."""
    karin = make_browser()
    karin.login(trollhattan_open.logins["owner"])
    response = ask(karin, trollhattan_open, "group", "Samhällsbyggnadsförvaltningen", seats="2")
    assert response.status_code == 302
    return link_to(app, HEAD)


def english(browser, link):
    """A visitor who reads English: the tests read the interface's source strings."""
    browser.post("/language", {"locale": "en", "next": link})
    return browser


def request_of(app, world):
    with app.app_context(), tenant_scope(world.tenant_id):
        found = db.session.scalars(select(NominationRequest)).one()
        db.session.expunge_all()
        return found


def gaps_of(app, world):
    with app.app_context(), tenant_scope(world.tenant_id):
        gaps = coverage_gaps(today(), [world.bodies["group"]]).get(world.bodies["group"], [])
        return sorted(gap.organisation.name for gap in gaps)


def members_of(app, world, organisation):
    with app.app_context(), tenant_scope(world.tenant_id):
        rows = db.session.execute(
            select(Person.name, Person.email, Person.title, BodyMembership.role, BodyMembership.mandate,
                   BodyMembership.nominated_by, BodyMembership.start_date)
            .join(Person, Person.id == BodyMembership.person_id)
            .where(BodyMembership.body_id == world.bodies["group"],
                   BodyMembership.organisation_id == world.orgs[organisation])
            .order_by(Person.name)
        ).all()
        return [tuple(row) for row in rows]


# --- opening the link ------------------------------------------------------------------------

def test_opening_the_link_changes_nothing_and_shows_the_group_and_the_request(
        app, owner_engine, asked, make_browser):
    head = make_browser()
    before = everything(owner_engine)
    response = head.get(asked)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert everything(owner_engine) == before  # mail scanners open every link
    assert "Ekologiska hållbarhetsgruppen" in page
    assert "Bidra till gott samarbete i organisationen" in page  # the terms of reference
    assert "Utse en representant med tydligt mandat" in page  # the request's own message
    assert page.count('<fieldset class="representative">') == 2  # two representatives asked for
    assert 'value="Mikael Strand"' in page  # the head's name, ready to confirm
    # In the language of the e-mail, for a visitor who has not chosen one.
    assert '<html lang="sv">' in page
    assert head.get(asked).status_code == 200  # and it can be opened again


def test_a_visitors_own_language_choice_wins(asked, make_browser):
    head = make_browser()
    head.post("/language", {"locale": "da", "next": asked})
    assert '<html lang="da">' in head.get(asked).get_data(as_text=True)


# --- answering --------------------------------------------------------------------------------

def test_the_answer_makes_the_representatives_members_and_closes_the_gap(app, asked, make_browser,
                                                                          trollhattan_open):
    assert "Samhällsbyggnadsförvaltningen" in gaps_of(app, trollhattan_open)
    people_before = len(members_of(app, trollhattan_open, "Samhällsbyggnadsförvaltningen"))
    response = make_browser().post(asked, answer_form(
        "Mikael Strand", ELIN,
        ("Oskar Lind", "oskar.lind@trollhattan.example", "", "Ersättare för Elin Sjöberg.", "substitute")))
    assert response.status_code == 302 and response.location.endswith("/nominations/thanks")
    assert people_before == 0
    assert members_of(app, trollhattan_open, "Samhällsbyggnadsförvaltningen") == [
        ("Elin Sjöberg", "elin.sjoberg@trollhattan.example", "Miljöstrateg", "member",
         "Får driva förvaltningens linje i miljöfrågor.", "Mikael Strand", today()),
        ("Oskar Lind", "oskar.lind@trollhattan.example", "", "substitute", "Ersättare för Elin Sjöberg.",
         "Mikael Strand", today()),
    ]
    request = request_of(app, trollhattan_open)
    assert (request.status, request.answered_by) == ("answered", "Mikael Strand")
    assert "Samhällsbyggnadsförvaltningen" not in gaps_of(app, trollhattan_open)


def test_a_contact_of_another_organisation_cannot_be_named(app, asked, make_browser, trollhattan_open,
                                                          owner_engine):
    """Elin Berg works in Utbildningsförvaltningen: another department's head cannot take her over."""
    before = everything(owner_engine)
    head = english(make_browser(), asked)
    response = head.post(asked, answer_form(
        "Mikael Strand", ("Elin Berg", "elin@trollhattan.example", "", "Ersättare.", "substitute")))
    assert response.status_code == 422
    assert "Another person in this workspace already has this e-mail address." in response.get_data(as_text=True)
    assert everything(owner_engine) == before


def test_the_thanks_page_names_the_new_members(asked, make_browser):
    head = english(make_browser(), asked)
    page = head.post(asked, answer_form("Mikael Strand", ELIN), follow_redirects=True).get_data(as_text=True)
    assert "Thank you. Elin Sjöberg is now a member of Ekologiska hållbarhetsgruppen." in page


def test_declining_closes_the_request_with_its_reason_and_adds_no_one(app, asked, make_browser, trollhattan_open):
    response = make_browser().post(asked, {
        "action": "decline", "declined_by": "Mikael Strand",
        "reason": "Förvaltningen deltar redan via miljöutskottet.\r\nVi återkommer i vår."})
    assert response.status_code == 302
    request = request_of(app, trollhattan_open)
    assert (request.status, request.answered_by) == ("declined", "Mikael Strand")
    assert request.decline_reason == "Förvaltningen deltar redan via miljöutskottet.\nVi återkommer i vår."
    assert members_of(app, trollhattan_open, "Samhällsbyggnadsförvaltningen") == []
    assert "Samhällsbyggnadsförvaltningen" in gaps_of(app, trollhattan_open)


@pytest.mark.parametrize("form, message", [
    (answer_form("Mikael Strand"), "Name at least one representative."),
    (answer_form("Mikael Strand", ("Elin Sjöberg", "", "", "", "member")), "Please fill in this field."),
    (answer_form("Mikael Strand", ("", "elin.sjoberg@trollhattan.example", "", "", "member")),
     "Please fill in this field."),
    (answer_form("Mikael Strand", ("Elin Sjöberg", "elin.sjoberg@", "", "", "member")),
     "Enter a valid e-mail address, like name@kommune.dk."),
    (answer_form("Mikael Strand", ELIN, ("Elin S.", "Elin.Sjoberg@trollhattan.example", "", "", "member")),
     "Each representative needs an e-mail address of their own."),
    (answer_form("Mikael Strand", ELIN[:4] + ("chair",)), "Choose an option from the list."),
    (answer_form("", ELIN), "Please fill in this field."),
    ({"action": "decline", "declined_by": "Mikael Strand", "reason": " "}, "Please fill in this field."),
])
def test_a_bad_answer_keeps_what_was_typed_and_writes_nothing(owner_engine, asked, make_browser, form, message):
    head = english(make_browser(), asked)
    before = everything(owner_engine)
    response = head.post(asked, form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert 'class="error-summary"' in page
    typed = [value for key, value in form.items() if key != "action" and not key.endswith("-role") and value.strip()]
    kept = [value for value in typed if escape(value.strip()) in page or escape(value.strip().lower()) in page]
    assert kept == typed
    assert everything(owner_engine) == before


def test_more_rows_than_asked_for_are_ignored(app, asked, make_browser, trollhattan_open):
    form = answer_form("Mikael Strand", ELIN, ELIN[:1] + ("b@trollhattan.example",) + ELIN[2:],
                       ("Tredje", "c@trollhattan.example", "", "", "member"))
    assert make_browser().post(asked, form).status_code == 302
    assert len(members_of(app, trollhattan_open, "Samhällsbyggnadsförvaltningen")) == 2


# --- used, expired and broken links --------------------------------------------------------------

def test_a_link_used_once_answers_400_and_writes_nothing(owner_engine, asked, make_browser):
    head = make_browser()
    assert head.post(asked, answer_form("Mikael Strand", ELIN)).status_code == 302
    assert '<html lang="sv">' in head.get(asked).get_data(as_text=True)  # the 400 page speaks the mail's language
    english(head, asked)
    before = everything(owner_engine)
    again = head.post(asked, answer_form("Mikael Strand", ("Någon Annan", "annan@trollhattan.example", "", "",
                                                            "member")))
    assert again.status_code == 400
    assert "This request has already been answered." in again.get_data(as_text=True)
    declined = head.post(asked, {"action": "decline", "declined_by": "Mikael Strand", "reason": "Ändrat oss."})
    assert declined.status_code == 400
    opened = head.get(asked)
    assert opened.status_code == 400
    assert everything(owner_engine) == before


def test_the_link_works_during_the_grace_period_and_the_request_shows_overdue(app, asked, make_browser,
                                                                              trollhattan_open):
    late = today() + timedelta(days=14) + nominations.GRACE_PERIOD
    with time_machine.travel(noon(late), tick=False):
        assert make_browser().get(asked).status_code == 200
        with app.app_context(), tenant_scope(trollhattan_open.tenant_id):
            assert db.session.scalars(select(NominationRequest)).one().is_overdue_on(late)
        assert make_browser().post(asked, answer_form("Mikael Strand", ELIN)).status_code == 302


def test_an_expired_link_answers_400_and_writes_nothing(owner_engine, asked, make_browser):
    expired = today() + timedelta(days=14) + nominations.GRACE_PERIOD + timedelta(days=1)
    with time_machine.travel(noon(expired), tick=False):
        head = english(make_browser(), asked)
        before = everything(owner_engine)
        opened = head.get(asked)
        assert opened.status_code == 400
        assert "This link has expired." in opened.get_data(as_text=True)
        assert head.post(asked, answer_form("Mikael Strand", ELIN)).status_code == 400
        assert everything(owner_engine) == before


@pytest.mark.parametrize("token", [
    "garbage",
    "1-",
    "-abc",
    "99999999-abcdefghijklmnopqrstuvwxyz",
    "999999999999999999999999-abc",  # too large for any integer column
    "１-abc",  # a non-ASCII digit
    "1-" + "a" * 500,
    "1-abc%00def",
])
def test_a_broken_or_unknown_link_answers_400_and_writes_nothing(owner_engine, asked, make_browser, token):
    head = english(make_browser(), asked)
    before = everything(owner_engine)
    response = head.get(f"/nominations/{token}")
    assert response.status_code == 400
    assert "This link is not valid." in response.get_data(as_text=True)
    assert head.post(f"/nominations/{token}", answer_form("Mikael Strand", ELIN)).status_code == 400
    assert everything(owner_engine) == before


def test_a_wrong_secret_for_the_right_workspace_answers_400(owner_engine, asked, make_browser):
    tenant_part, secret = asked.split("/")[-1].split("-", 1)
    wrong = f"/nominations/{tenant_part}-{secret[:-1]}{'A' if secret[-1] != 'A' else 'B'}"
    head = make_browser()
    before = everything(owner_engine)
    assert head.get(wrong).status_code == 400
    assert head.post(wrong, answer_form("Mikael Strand", ELIN)).status_code == 400
    assert everything(owner_engine) == before


# --- one workspace's link never reaches another -------------------------------------------------

def test_a_link_of_one_workspace_never_shows_or_changes_another(app, owner_engine, make_browser):
    with app.app_context():
        midtjylland = structures.build_midtjylland()
        trollhattan = structures.build_trollhattan(with_participants=False)
    sender = make_browser()
    sender.login(midtjylland.logins["secretariat_role"])
    ask(sender, midtjylland, "working", "Horsens Kommune", locale="da", recipient_email="direktion@horsens.example",
        message="Horsens bedes udpege en repræsentant.")
    karin = make_browser()
    karin.login(trollhattan.logins["owner"])
    ask(karin, trollhattan, "group", "Samhällsbyggnadsförvaltningen")
    link_a = link_to(app, "direktion@horsens.example")
    link_b = link_to(app, HEAD)
    tenant_a, secret_a = link_a.split("/")[-1].split("-", 1)
    tenant_b, secret_b = link_b.split("/")[-1].split("-", 1)
    assert tenant_a == str(midtjylland.tenant_id) and tenant_b == str(trollhattan.tenant_id)

    head = make_browser()
    page_b = head.get(link_b).get_data(as_text=True)
    for marker in ("Horsens", "Arbejdsgruppe for klimatilpasning", "DK2020"):
        assert marker not in page_b
    # A's secret presented under B's workspace (and the other way round) is just a bad link.
    before = everything(owner_engine)
    for crossed in (f"/nominations/{tenant_b}-{secret_a}", f"/nominations/{tenant_a}-{secret_b}"):
        opened = head.get(crossed)
        assert opened.status_code == 400
        assert "Horsens" not in opened.get_data(as_text=True) and "Ekologiska" not in opened.get_data(as_text=True)
        assert head.post(crossed, answer_form("Mikael Strand", ELIN)).status_code == 400
    assert everything(owner_engine) == before
    # Answering B's own link writes into B only.
    assert head.post(link_b, answer_form("Mikael Strand", ELIN)).status_code == 302
    after = everything(owner_engine)
    assert after["body_memberships"] != before["body_memberships"]
    with owner_engine.connect() as connection:
        import sqlalchemy as sa

        tenants = connection.execute(sa.text(
            "SELECT DISTINCT tenant_id FROM people WHERE email = 'elin.sjoberg@trollhattan.example'")).scalars().all()
    assert tenants == [trollhattan.tenant_id]
