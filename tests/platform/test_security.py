"""Security headers, cookies, CSRF, oversized bodies and the one 404 page."""
import re

import pytest
from sqlalchemy import func, select

from samklima.extensions import db
from samklima.platform.accounts.models import User
from tests import factories


@pytest.fixture
def lene(app):
    with app.app_context():
        lene = factories.make_user("lene@dk2020.example", "Lene Bach Kristensen", "da")
        factories.make_workspace("dk2020-midtjylland", "DK2020 Midtjylland", "DK", lene)
        karin = factories.make_user("karin@trollhattan.example", "Karin Lindqvist", "sv")
        factories.make_workspace("trollhattan-hallbarhet", "Trollhättans stad", "SE", karin)


def test_every_page_sends_a_strict_content_security_policy(browser):
    csp = browser.get("/login").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp


def test_pages_send_nosniff_and_a_referrer_policy(browser):
    headers = browser.get("/login").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_no_page_has_an_inline_script(browser, lene):
    browser.login("lene@dk2020.example")
    for url in ["/", "/login", "/signup", "/account", "/dk2020-midtjylland/", "/dk2020-midtjylland/members"]:
        body = browser.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), url
        assert " on" + "click=" not in body, url


def test_signed_in_pages_are_not_cached(browser, lene):
    assert "no-store" not in browser.get("/login").headers.get("Cache-Control", "")
    browser.login("lene@dk2020.example")
    assert "no-store" in browser.get("/dk2020-midtjylland/").headers["Cache-Control"]


def test_session_cookie_is_httponly_and_samesite(browser, lene):
    response = browser.login("lene@dk2020.example")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_sends_hsts_and_secure_cookies(app, monkeypatch):
    from samklima import create_app
    from tests.conftest import TEST_CONFIG

    monkeypatch.setenv("SAMKLIMA_ENV", "production")
    production = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    assert production.config["SESSION_COOKIE_SECURE"] is True
    with production.app_context():
        response = production.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_another_workspace_and_a_missing_one_give_the_same_404_page(browser, lene):
    browser.login("lene@dk2020.example")
    foreign = browser.get("/trollhattan-hallbarhet/members")
    missing = browser.get("/no-such-workspace/members")
    assert foreign.status_code == missing.status_code == 404

    def without_token(response):
        return re.sub(r'value="[^"]*"', "", response.get_data(as_text=True)).replace("trollhattan-hallbarhet", "X").replace("no-such-workspace", "X")

    assert without_token(foreign) == without_token(missing)


def test_form_without_csrf_token_gets_a_clear_page_and_writes_nothing(app, browser):
    response = browser.post(
        "/signup",
        {"name": "Ida Holm", "email": "ida@aarhus.example", "password": "en lang og god adgangskode",
         "password_repeat": "en lang og god adgangskode"},
        csrf=False,
    )
    assert response.status_code == 400
    assert "The form had expired" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


def test_form_without_csrf_token_is_refused_in_the_users_language(browser):
    response = browser.client.post("/signup", data={"email": "x@y.example"}, headers={"Accept-Language": "da"})
    assert response.status_code == 400
    assert 'lang="da"' in response.get_data(as_text=True)


def test_oversized_body_gets_413_and_writes_nothing(app, browser):
    huge = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = browser.post("/signup", {"name": huge, "email": "ida@aarhus.example"})
    assert response.status_code == 413
    assert "larger than we accept" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


def test_unknown_method_gets_405_page(browser):
    response = browser.client.delete("/login")
    assert response.status_code == 405
    assert "<h1>" in response.get_data(as_text=True)


def test_open_redirects_are_refused(browser):
    response = browser.post("/language", {"locale": "sv", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    response = browser.post("/language", {"locale": "sv", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_pages_opened_by_a_secret_link_are_not_cached(browser):
    response = browser.get("/password/reset/not-a-real-token")
    assert response.status_code == 400
    assert "no-store" in response.headers["Cache-Control"]
