"""Asking the head of an organisation for representatives: the form, the e-mail, the list,
withdrawing, and who may do it (seeds 000 and 002)."""
from datetime import timedelta

import time_machine
from babel.dates import format_date
from sqlalchemy import select

from samklima.extensions import db
from samklima.platform.tenancy import tenant_scope
from samklima.tenants.bodies.nominations import operations as nominations
from samklima.tenants.bodies.models import NominationRequest
from samklima.tenants.organisations.models import Organisation
from tests.tenants.bodies.nomination_helpers import (
    MESSAGE,
    ask,
    everything,
    link_in,
    list_url,
    mails_to,
    new_url,
    noon,
    request_form,
    today,
    trollhattan_open,  # noqa: F401 (a fixture)
)
from tests.tenants.bodies.pages import table_after, text


def requests_of(app, world):
    with app.app_context(), tenant_scope(world.tenant_id):
        found = db.session.scalars(select(NominationRequest).order_by(NominationRequest.id)).all()
        db.session.expunge_all()
        return found


def set_head(app, world, organisation, name, email):
    with app.app_context(), tenant_scope(world.tenant_id):
        org = db.session.get(Organisation, world.orgs[organisation])
        org.head_name, org.head_email = name, email
        db.session.commit()


# --- asking --------------------------------------------------------------------------------

def test_the_form_first_asks_which_organisation_the_missing_ones_first(trollhattan_open, signed_in):
    page = signed_in(trollhattan_open.logins["owner"]).get(new_url(trollhattan_open, "group")).get_data(as_text=True)
    assert "Step 1 of 2" in page
    missing = page[page.index('<optgroup label="Not yet represented in this group">'):page.index("</optgroup>")]
    # Seed 003: one participant per förvaltning; the strategists cover Kommunstyrelseförvaltningen.
    assert "Samhällsbyggnadsförvaltningen (Trollhättans stad)" in missing
    assert "Kommunstyrelseförvaltningen" not in missing


def test_choosing_an_organisation_prefills_its_head_and_a_message_in_its_language(app, midtjylland, signed_in):
    set_head(app, midtjylland, "Horsens Kommune", "Helle Mikkelsen", "helle.mikkelsen@horsens.example")
    browser = signed_in(midtjylland.logins["secretariat_role"])
    page = browser.get(new_url(midtjylland, "working") + f"?organisation_id={midtjylland.orgs['Horsens Kommune']}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Step 2 of 2" in html
    assert 'value="Helle Mikkelsen"' in html and 'value="helle.mikkelsen@horsens.example"' in html
    # A Danish municipality is written to in Danish unless the sender chooses otherwise.
    assert 'name="locale" type="hidden" value="da"' in html
    assert "Dansk" in text(html[html.index('class="facts"'):])
    assert "Horsens Kommune" in html[html.index('id="message"'):]  # the message names the organisation
    assert f'value="{(today("Europe/Copenhagen") + nominations.DEFAULT_ANSWER_TIME).isoformat()}"' in html


def test_the_sender_may_choose_another_language_for_the_email(app, midtjylland, signed_in):
    browser = signed_in(midtjylland.logins["secretariat_role"])
    html = browser.get(new_url(midtjylland, "working")
                       + f"?organisation_id={midtjylland.orgs['Horsens Kommune']}&locale=en").get_data(as_text=True)
    assert 'name="locale" type="hidden" value="en"' in html


def test_an_unknown_organisation_goes_back_to_the_first_step(midtjylland, trollhattan, signed_in):
    browser = signed_in(midtjylland.logins["secretariat_role"])
    # Another workspace's organisation is as unknown as a made-up one.
    for value in (str(trollhattan.orgs["Trollhättans stad"]), "9999999", "Horsens"):
        html = browser.get(new_url(midtjylland, "working") + f"?organisation_id={value}").get_data(as_text=True)
        assert "Step 1 of 2" in html and "Choose an organisation from the list." in html


def test_a_request_goes_out_in_the_recipients_language_as_text_and_html(app, trollhattan_open, signed_in):
    browser = signed_in(trollhattan_open.logins["owner"])
    response = ask(browser, trollhattan_open, "group", "Samhällsbyggnadsförvaltningen", seats="2")
    assert response.status_code == 302 and response.location.endswith("/nominations")
    [mail] = mails_to(app, "mikael.strand@trollhattan.example")
    assert mail.locale == "sv"
    due = today() + timedelta(days=14)
    # The due date as Swedish readers write it, in both parts of the mail.
    assert format_date(due, "long", locale="sv") in mail.body_text
    assert format_date(due, "long", locale="sv") in mail.body_html
    assert "Utse en representant med tydligt mandat" in mail.body_text
    assert "<p>Utse en representant med tydligt mandat att företräda förvaltningen.</p>" in mail.body_html
    assert '<html lang="sv">' in mail.body_html
    assert "Ekologiska hållbarhetsgruppen" in mail.subject
    link = link_in(mail)
    assert link.startswith(f"/nominations/{trollhattan_open.tenant_id}-")
    [request] = requests_of(app, trollhattan_open)
    assert (request.status, request.seats, request.locale, request.due_date) == ("sent", 2, "sv", due)
    # Only a hash of the link's secret is kept.
    secret = link.split("/")[-1].split("-", 1)[1]
    assert secret not in request.token_hash and len(request.token_hash) == 64


def test_the_list_shows_each_request_with_its_status(app, trollhattan_open, signed_in):
    browser = signed_in(trollhattan_open.logins["owner"])
    ask(browser, trollhattan_open, "group", "Samhällsbyggnadsförvaltningen")
    ask(browser, trollhattan_open, "group", "Utbildningsförvaltningen", recipient_name="Helena Boström",
        recipient_email="helena.bostrom@trollhattan.example", due_date=(today() + timedelta(days=2)).isoformat())
    with time_machine.travel(noon(today() + timedelta(days=4)), tick=False):
        # Signed in again: four days later the session has long ended.
        page = signed_in(trollhattan_open.logins["owner"]).get(list_url(trollhattan_open, "group")).get_data(as_text=True)
    rows = {row[0]: row for row in table_after(page, "Nomination requests")[1:]}
    assert "Overdue" in rows["Utbildningsförvaltningen"][4]
    assert "Waiting for an answer" in rows["Samhällsbyggnadsförvaltningen"][4]
    assert "Helena Boström" in rows["Utbildningsförvaltningen"][1]


def test_a_member_reads_the_list_but_cannot_ask(app, midtjylland, signed_in):
    member = signed_in(midtjylland.logins["member"])
    page = member.get(list_url(midtjylland, "steering"))
    assert page.status_code == 200
    assert "Ask for representatives" not in page.get_data(as_text=True)


def test_the_nomination_pages_link_back_to_their_group(midtjylland, signed_in):
    member = signed_in(midtjylland.logins["member"])
    page = member.get(list_url(midtjylland, "steering")).get_data(as_text=True)
    group_url = f'/{midtjylland.slug}/bodies/{midtjylland.bodies["steering"]}"'
    assert f'<li><a href="{group_url}>' in page


def test_a_bad_request_keeps_what_was_typed_and_writes_nothing(app, owner_engine, trollhattan_open, signed_in):
    browser = signed_in(trollhattan_open.logins["owner"])
    before = everything(owner_engine)
    cases = [
        ({"recipient_email": "mikael.strand@"}, "Enter a valid e-mail address"),
        ({"recipient_email": ""}, "Please fill in this field."),
        ({"seats": "0"}, "Ask for between 1 and 10 representatives."),
        ({"seats": "many"}, "Enter a whole number, like 6."),
        ({"due_date": today().isoformat()}, "Choose a due date after today."),
        ({"due_date": "31.12.2026"}, "Enter a date like 2020-09-16."),
        ({"due_date": (today() + timedelta(days=400)).isoformat()}, "Choose a due date within a year."),
        ({"message": "  "}, "Please fill in this field."),
        ({"locale": "de"}, "Choose a language from the list."),
    ]
    for change, message in cases:
        response = ask(browser, trollhattan_open, "group", "Samhällsbyggnadsförvaltningen", **change)
        page = response.get_data(as_text=True)
        assert response.status_code == 422, change
        assert message in page, change
        assert 'value="Mikael Strand"' in page, change  # what was typed stays
    assert everything(owner_engine) == before


def test_a_second_open_request_to_the_same_organisation_is_refused(app, owner_engine, trollhattan_open, signed_in):
    browser = signed_in(trollhattan_open.logins["owner"])
    ask(browser, trollhattan_open, "group", "Samhällsbyggnadsförvaltningen")
    before = everything(owner_engine)
    page = ask(browser, trollhattan_open, "group", "Samhällsbyggnadsförvaltningen").get_data(as_text=True)
    assert ("Samhällsbyggnadsförvaltningen already has an open request for this group. "
            "Withdraw it first to send a new one.") in page
    assert everything(owner_engine) == before


def test_a_closed_group_asks_no_one(app, owner_engine, trollhattan_open, signed_in):
    browser = signed_in(trollhattan_open.logins["owner"])
    with app.app_context(), tenant_scope(trollhattan_open.tenant_id):
        from samklima.tenants.bodies.models import Body

        db.session.get(Body, trollhattan_open.bodies["group"]).status = "closed"
        db.session.commit()
    before = everything(owner_engine)
    page = ask(browser, trollhattan_open, "group", "Samhällsbyggnadsförvaltningen").get_data(as_text=True)
    assert "This group is closed. Open it again before asking for representatives." in page
    assert everything(owner_engine) == before


# --- who may ask -----------------------------------------------------------------------------

def test_a_member_who_does_not_manage_the_group_gets_403_and_nothing_is_written(app, owner_engine, midtjylland,
                                                                                  signed_in):
    form = request_form(midtjylland, "Horsens Kommune", locale="da")
    for login in ("member", "body_observer", "workspace_observer"):
        browser = signed_in(midtjylland.logins[login])
        before = everything(owner_engine)
        assert browser.get(new_url(midtjylland, "steering")).status_code == 403, login
        assert browser.post(new_url(midtjylland, "steering"), form).status_code == 403, login
        assert everything(owner_engine) == before, login


def test_a_co_chair_asks_for_the_group_and_for_a_working_group_under_it(app, midtjylland, signed_in):
    browser = signed_in(midtjylland.logins["co_chair"])
    for body_key in ("steering", "working"):
        response = ask(browser, midtjylland, body_key, "Horsens Kommune", locale="da",
                       recipient_email=f"direktion.{body_key}@horsens.example")
        assert response.status_code == 302, body_key
    # ... but not for the political steering group, which the co-chair does not run.
    assert ask(browser, midtjylland, "political", "Horsens Kommune").status_code == 403


def test_the_shared_secretariat_asks_for_the_groups_it_serves(app, midtjylland, signed_in):
    browser = signed_in(midtjylland.logins["secretariat_member"])
    assert ask(browser, midtjylland, "political", "Viborg Kommune", locale="da").status_code == 302


# --- withdrawing -----------------------------------------------------------------------------

def test_withdrawing_a_request_ends_its_link(app, owner_engine, trollhattan_open, signed_in, make_browser):
    browser = signed_in(trollhattan_open.logins["owner"])
    ask(browser, trollhattan_open, "group", "Samhällsbyggnadsförvaltningen")
    [request] = requests_of(app, trollhattan_open)
    link = link_in(mails_to(app, "mikael.strand@trollhattan.example")[0])
    withdraw = f"{list_url(trollhattan_open, 'group')}/{request.id}/withdraw"
    assert browser.post(withdraw).status_code == 302
    assert requests_of(app, trollhattan_open)[0].status == "withdrawn"
    page = browser.get(list_url(trollhattan_open, "group")).get_data(as_text=True)
    assert "Withdrawn" in page
    head = make_browser()
    head.post("/language", {"locale": "en"})  # the page would otherwise speak the mail's Swedish
    response = head.get(link)
    assert response.status_code == 400
    assert "This request has been withdrawn. You do not need to do anything." in response.get_data(as_text=True)
    # Withdrawing twice says why nothing happens.
    again = browser.post(withdraw, follow_redirects=True).get_data(as_text=True)
    assert "Only a request that is waiting for an answer can be withdrawn." in again


def test_only_a_manager_withdraws(app, owner_engine, midtjylland, signed_in):
    secretariat = signed_in(midtjylland.logins["secretariat_role"])
    ask(secretariat, midtjylland, "steering", "Horsens Kommune", locale="da")
    [request] = requests_of(app, midtjylland)
    withdraw = f"{list_url(midtjylland, 'steering')}/{request.id}/withdraw"
    browsers = [signed_in(midtjylland.logins[login]) for login in ("member", "workspace_observer")]
    before = everything(owner_engine)
    for browser in browsers:
        assert browser.post(withdraw).status_code == 403
    assert everything(owner_engine) == before


def test_a_request_of_another_group_is_not_found_under_this_one(app, midtjylland, signed_in):
    secretariat = signed_in(midtjylland.logins["secretariat_role"])
    ask(secretariat, midtjylland, "steering", "Horsens Kommune", locale="da")
    [request] = requests_of(app, midtjylland)
    assert secretariat.post(f"{list_url(midtjylland, 'working')}/{request.id}/withdraw").status_code == 404
    assert requests_of(app, midtjylland)[0].status == "sent"


def test_default_message_speaks_of_a_clear_mandate_and_is_signed(app, trollhattan_open):
    with app.test_request_context(), tenant_scope(trollhattan_open.tenant_id):
        from samklima.tenants.bodies.models import Body

        body = db.session.get(Body, trollhattan_open.bodies["group"])
        org = db.session.get(Organisation, trollhattan_open.orgs["Socialförvaltningen"])
        message = nominations.default_message(body, org, "Karin Lindqvist", "en")
    assert "appoint a representative with a clear mandate" in message
    assert "work of Socialförvaltningen" in message
    assert "Meeting cadence: ca 8 gånger per år" in message
    assert message.rstrip().endswith("Karin Lindqvist")
    assert MESSAGE not in message
