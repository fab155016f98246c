"""Which language and time zone a page speaks, and the language picker."""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from babel.dates import format_datetime
from flask_babel import force_locale
from sqlalchemy import select

from samklima.config import LOCALE_NAMES
from samklima.extensions import db
from samklima.platform.accounts.models import User
from tests import factories


@pytest.fixture
def midtjylland(app):
    with app.app_context():
        lene = factories.make_user("lene@dk2020.example", "Lene Bach Kristensen", locale=None)
        factories.make_workspace("dk2020-midtjylland", "DK2020 Midtjylland", "DK", lene)


def lang_of(response):
    return response.get_data(as_text=True).split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize(
    ("header", "expected"),
    [("da-DK,da;q=0.9,en;q=0.5", "da"), ("sv-SE", "sv"), ("no", "nb"), ("nb-NO", "nb"), ("nn", "nn"),
     ("fi", "fi"), ("is-IS", "is"), ("de-DE,fr;q=0.8", "en")],
)
def test_an_anonymous_visitor_gets_the_browsers_language(browser, header, expected):
    assert lang_of(browser.get("/login", headers={"Accept-Language": header})) == expected


def test_workspace_default_beats_the_browser(browser, midtjylland):
    browser.login("lene@dk2020.example")
    response = browser.get("/dk2020-midtjylland/", headers={"Accept-Language": "sv"})
    assert lang_of(response) == "da"
    assert "Medlemmer" in response.get_data(as_text=True)


def test_the_users_own_choice_beats_the_workspace_default(app, browser, midtjylland):
    browser.login("lene@dk2020.example")
    browser.post("/language", {"locale": "fi", "next": "/dk2020-midtjylland/"})
    assert lang_of(browser.get("/dk2020-midtjylland/")) == "fi"
    with app.app_context():
        assert db.session.scalars(select(User.locale)).one() == "fi"


def test_an_anonymous_choice_lasts_for_the_visit(browser):
    response = browser.post("/language", {"locale": "is", "next": "/signup"})
    assert response.headers["Location"] == "/signup"
    assert lang_of(browser.get("/signup", headers={"Accept-Language": "da"})) == "is"


def test_an_unknown_language_is_ignored(browser):
    browser.post("/language", {"locale": "xx"})
    assert lang_of(browser.get("/login")) == "en"


def test_every_page_offers_every_language_named_in_itself(browser):
    body = browser.get("/login").get_data(as_text=True)
    for code, name in LOCALE_NAMES.items():
        assert f'<option value="{code}" lang="{code}"' in body and name in body


def test_times_are_shown_in_the_workspaces_time_zone(browser, midtjylland):
    signed_in_at = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
    with time_machine.travel(signed_in_at, tick=False):
        browser.login("lene@dk2020.example")
        body = browser.get("/dk2020-midtjylland/audit").get_data(as_text=True)
    shown = format_datetime(signed_in_at, "short", tzinfo=ZoneInfo("Europe/Copenhagen"), locale="da")
    assert "10.30" in shown and shown in body


@pytest.mark.parametrize("locale, workspace_member, group_member", [
    ("sv", "Medlem", "Ledamot"),  # a formal group's member is a "ledamot" (GLOSSARY)
    ("is", "Meðlimur", "Fulltrúi"),
])
def test_a_workspace_member_and_a_group_member_can_be_called_differently(app, locale, workspace_member,
                                                                        group_member):
    from samklima.platform.permissions import ROLE_LABELS as WORKSPACE_ROLES
    from samklima.tenants.bodies.labels import role_label

    with app.test_request_context(), force_locale(locale):
        assert str(WORKSPACE_ROLES["member"]) == workspace_member
        assert str(role_label("member", "working_group")) == group_member


def test_norwegian_keeps_a_groups_mandate_apart_from_a_members(app):
    from samklima.tenants.bodies.forms import BodyForm, MembershipForm

    with app.test_request_context(), force_locale("nb"):
        group, member = str(BodyForm.mandate.args[0]), str(MembershipForm.mandate.args[0])
    assert group != member
