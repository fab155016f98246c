"""People: the workspace's contacts, their link to a member, and the invitation
that makes a contact a member, through operations and pages."""
import re
from datetime import date

import pytest
from flask import current_app
from sqlalchemy import func, select

from samklima.extensions import db
from samklima.platform.errors import OperationError
from samklima.platform.permissions import PermissionDenied
from samklima.platform.tenancy import tenant_scope
from samklima.platform.workspaces.models import Invitation, TenantMembership
from samklima.tenants.people import operations, queries
from samklima.tenants.people.models import Person
from tests import factories
from tests.mailbox import mails_to
from tests.tenants.organisations.conftest import membership

LINK = re.compile(r"http://localhost(/invitations/\S+)")
PERSON_FORM = {
    "name": "Henrik Fiktiv Dahl", "organisation_id": "", "title": "Kommunaldirektør",
    "email": "Kommunaldirektor@Skive.example", "phone": "+45 99 15 55 00", "locale": "da", "user_id": "",
}


def people_rows(tenant_id):
    with tenant_scope(tenant_id):
        rows = sorted((p.name, p.email, p.title, p.organisation_id, p.user_id)
                      for p in db.session.scalars(select(Person)).unique())
    db.session.rollback()
    return rows


def signed_in(make_browser, user):
    browser = make_browser()
    browser.login(user.email)
    return browser


def text_of(response):
    return response.get_data(as_text=True)


def create(workspace, user=None, **values):
    with tenant_scope(workspace.id):
        person = operations.create_person(by=membership(workspace, user or workspace.secretariat), **values)
        db.session.commit()
        return person.id


def error_of(call, *args, **kwargs) -> OperationError:
    with pytest.raises(OperationError) as caught:
        call(*args, **kwargs)
    db.session.rollback()
    return caught.value


# --- rules ------------------------------------------------------------------------------------

def test_secretariat_adds_a_director_who_never_signs_in(dk):
    create(dk, name="  Henrik  Fiktiv Dahl ", email=" Kommunaldirektor@Skive.example ", organisation_id=dk.skive_id,
           title="Kommunaldirektør")
    assert people_rows(dk.id) == [("Henrik Fiktiv Dahl", "kommunaldirektor@skive.example", "Kommunaldirektør",
                                   dk.skive_id, None)]


def test_two_people_cannot_share_an_email_address(dk):
    create(dk, name="Henrik Fiktiv Dahl", email="direktor@skive.example")
    error = error_of(create, dk, name="Hanne Fiktiv Dahl", email="DIREKTOR@skive.example")
    assert error.field == "email"
    assert len(people_rows(dk.id)) == 1


@pytest.mark.parametrize("field, values", [
    ("name", {"name": " "}),
    ("email", {"email": "direktør(at)skive"}),
    ("locale", {"locale": "de"}),
    ("organisation_id", {"organisation_id": 999_999}),
])
def test_bad_values_are_refused(dk, field, values):
    assert error_of(create, dk, **{"name": "Henrik Fiktiv Dahl", **values}).field == field
    assert people_rows(dk.id) == []


def test_an_organisation_of_another_workspace_is_refused(dk, se):
    error = error_of(create, dk, name="Henrik Fiktiv Dahl", organisation_id=se.stad_id)
    assert (error.field, str(error.message)) == ("organisation_id", "Choose an organisation from the list.")


def test_a_person_is_linked_to_a_member_of_the_workspace(dk):
    person_id = create(dk, name="Sofie Lund Berg", user_id=dk.member.id)
    with tenant_scope(dk.id):
        assert queries.person_for_user(dk.member).id == person_id


def test_a_member_of_another_workspace_cannot_be_linked(dk, se):
    error = error_of(create, dk, name="Karin Lindqvist", user_id=se.owner.id)
    assert (error.field, str(error.message)) == ("user_id", "Choose a member of this workspace.")
    assert people_rows(dk.id) == []


def test_a_member_is_linked_to_one_person_only(dk):
    create(dk, name="Sofie Lund Berg", user_id=dk.member.id)
    error = error_of(create, dk, name="Sofie Berg", user_id=dk.member.id)
    assert "already linked to Sofie Lund Berg" in str(error.message)


def test_editing_without_naming_the_link_keeps_it(dk):
    person_id = create(dk, name="Sofie Lund Berg", user_id=dk.member.id)
    with tenant_scope(dk.id):
        person = db.session.get(Person, person_id)
        operations.update_person(person, by=membership(dk, dk.secretariat), name="Sofie Lund Berg",
                                 email="sofie@nordisk.example", organisation_id=None, title="Rådgiver", phone="",
                                 locale="")
        db.session.commit()
    assert people_rows(dk.id)[0][4] == dk.member.id


@pytest.mark.parametrize("role", ["member", "observer"])
def test_members_and_observers_cannot_write_people(dk, role):
    with pytest.raises(PermissionDenied):
        create(dk, getattr(dk, role), name="Henrik Fiktiv Dahl")


# --- becoming a user -----------------------------------------------------------------------------

def invite(workspace, person_id, user):
    with tenant_scope(workspace.id):
        person = db.session.get(Person, person_id)
        invitation = operations.invite_person(person, by=membership(workspace, user), tenant=workspace.tenant)
        db.session.commit()
        return invitation.id


def test_inviting_a_contact_sends_a_member_invitation_to_their_address(dk):
    person_id = create(dk, name="Henrik Fiktiv Dahl", email="direktor@skive.example", locale="da")
    invite(dk, person_id, dk.owner)
    with tenant_scope(dk.id):
        invitation = db.session.scalar(select(Invitation))
        assert (invitation.email, invitation.role, invitation.locale) == ("direktor@skive.example", "member", "da")
    assert len(mails_to(current_app, "direktor@skive.example")) == 1


def test_inviting_takes_an_administrator_as_every_invitation_does(dk):
    person_id = create(dk, name="Henrik Fiktiv Dahl", email="direktor@skive.example")
    with pytest.raises(PermissionDenied):
        invite(dk, person_id, dk.secretariat)


def test_a_contact_without_email_or_already_a_member_cannot_be_invited(dk):
    no_email = create(dk, name="Henrik Fiktiv Dahl")
    assert "Add an e-mail address" in str(error_of(invite, dk, no_email, dk.owner).message)
    already = create(dk, name="Sofie L. Berg", email="sofie@nordisk.example")
    assert "link Sofie L. Berg to that member instead" in str(error_of(invite, dk, already, dk.owner).message)
    linked = create(dk, name="Mads Holm Eriksen", user_id=dk.secretariat.id, email="mads.eriksen@dk2020.example")
    assert "already signs in" in str(error_of(invite, dk, linked, dk.owner).message)


def test_accepting_the_invitation_links_the_new_member_to_the_contact(dk, make_browser):
    person_id = create(dk, name="Henrik Fiktiv Dahl", email="direktor@skive.example")
    invite(dk, person_id, dk.owner)
    [mail] = mails_to(current_app, "direktor@skive.example")
    link = LINK.search(mail.body_text).group(1)
    response = make_browser().post(link, {
        "join-name": "Henrik Fiktiv Dahl", "join-password": "klimaplan for skive kommune",
        "join-password_repeat": "klimaplan for skive kommune",
    })
    assert response.status_code == 302
    rows = people_rows(dk.id)
    new_user = db.session.scalar(select(TenantMembership).where(TenantMembership.role == "member",
                                                                TenantMembership.user_id == rows[0][4]))
    assert new_user is not None and new_user.user.email == "direktor@skive.example"


def test_accepting_links_no_contact_that_is_linked_already(dk, make_browser):
    """An existing member signs in and accepts: their own person stays theirs."""
    create(dk, name="Sofie Lund Berg", user_id=dk.member.id)
    other = create(dk, name="Henrik Fiktiv Dahl", email="direktor@skive.example")
    invite(dk, other, dk.owner)
    [mail] = mails_to(current_app, "direktor@skive.example")
    browser = signed_in(make_browser, dk.member)
    assert browser.post(LINK.search(mail.body_text).group(1)).status_code == 302
    assert [row[4] for row in people_rows(dk.id)] == [None, dk.member.id]


def test_a_forwarded_invitation_does_not_hand_over_the_contact(dk, make_browser):
    """Someone else who accepts the director's link joins, but does not become the director."""
    director = create(dk, name="Henrik Fiktiv Dahl", email="direktor@skive.example")
    invite(dk, director, dk.owner)
    [mail] = mails_to(current_app, "direktor@skive.example")
    browser = signed_in(make_browser, dk.member)
    assert browser.post(LINK.search(mail.body_text).group(1)).status_code == 302
    assert [row[4] for row in people_rows(dk.id)] == [None]


def test_the_people_domain_links_contacts_when_an_invitation_is_accepted_and_only_once(app):
    from samklima import create_app
    from samklima.platform import signals

    create_app({"TESTING": True, "SECRET_KEY": "another app"})  # its receivers are its own
    receivers = [receiver for receiver in signals.invitation_accepted.receivers_for(app)]
    assert receivers.count(operations.link_invited_person) == 1


# --- pages -----------------------------------------------------------------------------------

def test_people_list_shows_organisation_title_and_email(dk, make_browser):
    factories.make_person(dk.tenant, "Henrik Fiktiv Dahl", "direktor@skive.example", organisation=dk.skive_id,
                          title="Kommunaldirektør")
    page = text_of(signed_in(make_browser, dk.observer).get(f"/{dk.slug}/people"))
    assert "Henrik Fiktiv Dahl" in page and "Skive Kommune" in page and "Kommunaldirektør" in page
    assert "direktor@skive.example" in page and "/people/new" not in page


def test_secretariat_adds_and_links_a_person_through_the_form(dk, make_browser):
    browser = signed_in(make_browser, dk.secretariat)
    form = text_of(browser.get(f"/{dk.slug}/people/new"))
    assert "Sofie Lund Berg (sofie@nordisk.example)" in form and "karin@trollhattan.example" not in form
    response = browser.post(f"/{dk.slug}/people/new", {**PERSON_FORM, "organisation_id": str(dk.skive_id),
                                                        "user_id": str(dk.member.id)})
    assert response.status_code == 302
    assert people_rows(dk.id) == [("Henrik Fiktiv Dahl", "kommunaldirektor@skive.example", "Kommunaldirektør",
                                   dk.skive_id, dk.member.id)]


def test_linking_a_user_of_another_workspace_through_the_form_is_refused(dk, se, make_browser):
    response = signed_in(make_browser, dk.secretariat).post(f"/{dk.slug}/people/new",
                                                            {**PERSON_FORM, "user_id": str(se.owner.id)})
    page = text_of(response)
    assert response.status_code == 422 and "Choose a member of this workspace." in page
    assert 'value="Henrik Fiktiv Dahl"' in page
    assert people_rows(dk.id) == []


@pytest.mark.parametrize("role", ["member", "observer"])
def test_readers_get_403_on_every_people_form(dk, make_browser, role):
    person_id = factories.make_person(dk.tenant, "Henrik Fiktiv Dahl", "direktor@skive.example").id
    before = people_rows(dk.id)
    browser = signed_in(make_browser, getattr(dk, role))
    for url in ("/people/new", f"/people/{person_id}/edit"):
        assert browser.get(f"/{dk.slug}{url}").status_code == 403
        assert browser.post(f"/{dk.slug}{url}", PERSON_FORM).status_code == 403
    assert browser.post(f"/{dk.slug}/people/{person_id}/invite").status_code == 403
    assert people_rows(dk.id) == before
    with tenant_scope(dk.id):
        assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_admin_invites_from_the_person_page(dk, make_browser):
    person_id = factories.make_person(dk.tenant, "Henrik Fiktiv Dahl", "direktor@skive.example").id
    browser = signed_in(make_browser, dk.owner)
    page = text_of(browser.get(f"/{dk.slug}/people/{person_id}"))
    assert "Invite Henrik Fiktiv Dahl to sign in" in page
    response = browser.post(f"/{dk.slug}/people/{person_id}/invite")
    assert response.status_code == 302
    page = text_of(browser.get(response.headers["Location"]))
    assert "The invitation is on its way to direktor@skive.example." in page
    assert "the invitation has not been accepted yet" in page
    assert "Invite Henrik Fiktiv Dahl to sign in" not in page


def test_the_person_page_shows_current_and_past_groups(dk, make_browser):
    person_id = factories.make_person(dk.tenant, "Thomas Fiktiv Lind", "tl@skive.example", organisation=dk.skive_id).id
    adm = factories.make_body(dk.tenant, "Administrativ styregruppe DK2020", "administrative_steering_group")
    old = factories.make_body(dk.tenant, "Klimanetværket 2019", "network")
    factories.make_membership(dk.tenant, adm, person_id, "co_chair", dk.skive_id, start_date=date(2020, 9, 16))
    factories.make_membership(dk.tenant, old, person_id, "member", start_date=date(2019, 1, 1),
                              end_date=date(2019, 12, 31))
    page = text_of(signed_in(make_browser, dk.member).get(f"/{dk.slug}/people/{person_id}"))
    current, past = page.split("Earlier groups")
    assert "Administrativ styregruppe DK2020" in current and "Co-chair" in current and "Skive Kommune" in current
    assert "Klimanetværket 2019" in past and "Participant" in past
    assert "Klimanetværket 2019" not in current


def test_another_workspaces_person_is_404(dk, se, make_browser):
    theirs = factories.make_person(se.tenant, "Åsa Fiktiv Öberg", "asa@trollhattan.example").id
    browser = signed_in(make_browser, dk.owner)
    for url in (f"/people/{theirs}", f"/people/{theirs}/edit"):
        assert browser.get(f"/{dk.slug}{url}").status_code == 404
    assert browser.post(f"/{dk.slug}/people/{theirs}/invite").status_code == 404
