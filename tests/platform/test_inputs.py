"""Inputs no page offers never give a 500: ids beyond the database's integers, NUL characters.

An id above the column's range names a row that exists nowhere: in a URL it is
a 404, in a form it is not one of the choices, in a query string it is ignored.
A NUL (which PostgreSQL cannot store in text) in a form field gets an error
beside the field; in a URL it matches no page; in a query string it is ignored.
"""
import re

import pytest
import sqlalchemy as sa
from flask import request
from flask_wtf import FlaskForm
from werkzeug.routing import IntegerConverter

import samklima
from samklima.extensions import db
from samklima.platform.forms import NUL_MESSAGE, Form
from samklima.platform.inputs import MAX_ID
from samklima.platform.tenancy import tenant_scope
from samklima.tenants.bodies.models import NominationRequest
from tests import factories, mailbox
from tests.tenants.bodies import structures

# Above PostgreSQL's INTEGER (2^31 - 1), and above SQLite's (2^63 - 1).
BEYOND = ["3000000000", "9223372036854775808"]
PASSWORD = "syv søer og en sommerfugl i regnvejr"


@pytest.fixture
def world(app_context):
    return structures.build_midtjylland()


@pytest.fixture
def owner(make_browser, world):
    browser = make_browser()
    browser.login(world.logins["owner"])
    return browser


def text(response):
    return response.get_data(as_text=True)


def field_error(response, field_id):
    match = re.search(rf'<p class="field-error" id="{re.escape(field_id)}-error">([^<]*)</p>', text(response))
    return match.group(1) if match else None


def count(owner_engine, table, **where):
    condition = " AND ".join(f"{name} = :{name}" for name in where) or "true"
    with owner_engine.connect() as connection:
        return connection.scalar(sa.text(f"SELECT count(*) FROM {table} WHERE {condition}"), where)


# --- ids beyond the range ----------------------------------------------------------------

def test_every_integer_in_a_url_rule_ends_where_the_id_columns_end(app):
    converters = [c for rule in app.url_map.iter_rules() for c in rule._converters.values()
                  if isinstance(c, IntegerConverter)]
    assert converters
    assert {converter.max for converter in converters} == {MAX_ID}


@pytest.mark.parametrize("number", BEYOND)
def test_an_id_beyond_the_range_in_a_url_is_not_found(world, owner, number):
    steering = world.bodies["steering"]
    for path in (f"/bodies/{number}", f"/bodies/{steering}/members/{number}/edit", f"/organisations/{number}",
                 f"/people/{number}/edit"):
        assert owner.get(f"/{world.slug}{path}").status_code == 404, path
    assert owner.post(f"/{world.slug}/bodies/{steering}/seats/{number}/remove").status_code == 404


@pytest.mark.parametrize("number", BEYOND)
def test_an_id_beyond_the_range_in_a_form_is_not_one_of_the_choices(world, owner, owner_engine, number):
    steering = f"/{world.slug}/bodies/{world.bodies['steering']}"
    coverage = owner.post(f"{steering}/coverage", {
        "coverage_rule": "member_organisations", "organisation_ids": [str(world.orgs["Aarhus Kommune"]), number]})
    person = owner.post(f"/{world.slug}/people/new", {"name": "Maren Skov", "organisation_id": number})
    chosen = owner.get(f"{steering}/nominations/new?organisation_id={number}&locale=da")

    assert coverage.status_code == 422
    assert field_error(coverage, "organisation_ids") == "Choose an option from the list."
    assert person.status_code == 422
    assert field_error(person, "organisation_id") == "Choose an organisation from the list."
    assert chosen.status_code == 200
    assert "Choose an organisation from the list." in text(chosen)
    assert count(owner_engine, "people", name="Maren Skov") == 0


@pytest.mark.parametrize("number", BEYOND)
def test_a_page_number_beyond_the_range_shows_the_first_page(world, owner, number):
    for path in ("/members", "/invitations", "/audit"):
        response = owner.get(f"/{world.slug}{path}?page={number}")
        assert response.status_code == 200, path
    assert "Mette Kjærgaard" in text(owner.get(f"/{world.slug}/members?page={BEYOND[-1]}"))


@pytest.mark.parametrize("path", ["/invitations/3000000000-abc", "/nominations/99999999999999999-abc"])
def test_a_link_naming_a_workspace_beyond_the_range_is_an_invalid_link(browser, path):
    response = browser.get(path)
    assert response.status_code == 400
    assert "The link does not work" in text(response)


# --- NUL -------------------------------------------------------------------------------------

def test_every_form_inherits_the_form_that_refuses_nul(app):
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = [form for form in subclasses(FlaskForm) if form.__module__.startswith(samklima.__name__ + ".")]
    assert len(ours) > 20
    assert [form.__qualname__ for form in ours if not issubclass(form, Form)] == []


def test_nul_in_the_sign_up_form_is_refused_beside_the_field(browser, owner_engine):
    response = browser.post("/signup", {"name": "Karin\x00 Lindqvist", "email": "karin@trollhattan.example",
                                        "password": PASSWORD, "password_repeat": PASSWORD})

    assert response.status_code == 422
    assert field_error(response, "name") == str(NUL_MESSAGE)
    assert count(owner_engine, "users", email="karin@trollhattan.example") == 0


def test_nul_in_a_workspace_form_is_refused_beside_the_field(world, owner, owner_engine):
    response = owner.post(f"/{world.slug}/bodies/new", {
        "name": "Arbejdsgruppe for mobilitet", "kind": "working_group", "purpose": "Mindre\x00 biltrafik"})

    assert response.status_code == 422
    assert field_error(response, "purpose") == str(NUL_MESSAGE)
    assert 'value="Arbejdsgruppe for mobilitet"' in text(response)
    assert count(owner_engine, "bodies", name="Arbejdsgruppe for mobilitet") == 0


def test_nul_in_the_public_nomination_answer_is_refused_beside_the_field(app, browser, world):
    with app.app_context():
        factories.make_nomination(world.tenant_id, world.bodies["steering"], world.orgs["Lemvig Kommune"],
                                  "direktion@lemvig.example", recipient_name="Jens Kirk", locale="en",
                                  message="Please name a representative.")
    link = re.search(r"http://localhost(/nominations/\S+)",
                     mailbox.mails_to(app, "direktion@lemvig.example")[-1].body_text).group(1)

    response = browser.post(link, {"representatives-0-name": "Thomas\x00 Lund",
                                   "representatives-0-email": "thomas.lund@lemvig.example",
                                   "representatives-0-role": "member", "answered_by": "Jens Kirk",
                                   "action": "answer"})

    assert response.status_code == 422
    assert field_error(response, "representatives-0-name") == str(NUL_MESSAGE)
    assert f"Representative 1, Name: {NUL_MESSAGE}" in text(response)
    with app.app_context(), tenant_scope(world.tenant_id):
        assert db.session.scalars(sa.select(NominationRequest.status).where(
            NominationRequest.recipient_email == "direktion@lemvig.example")).all() == ["sent"]


def test_nul_in_a_workspace_address_is_no_workspace(world, owner):
    assert owner.get("/%00/bodies").status_code == 404
    assert owner.get(f"/{world.slug}%00/bodies").status_code == 404


def test_a_query_parameter_holding_nul_is_ignored(app, world, owner):
    with app.test_request_context("/?next=/bodies%00&status=closed&page=2&a%00b=1"):
        assert request.args.to_dict() == {"status": "closed", "page": "2"}
    assert owner.get(f"/{world.slug}/bodies?status=%00").status_code == 200


def test_a_query_string_with_bytes_that_are_not_utf8_is_still_read(browser):
    # A server hands the bytes on as they came (as Latin-1 in the WSGI environ).
    response = browser.get("/login", environ_overrides={"QUERY_STRING": "next=/\xff\xfe"})
    assert response.status_code == 200


@pytest.mark.parametrize("target", ["/x\r\nSet-Cookie: samklima=1", "/\\evil.example", "/x\x00"])
def test_a_return_address_with_a_line_break_or_backslash_goes_home(browser, target):
    response = browser.post("/language", {"locale": "en", "next": target})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
