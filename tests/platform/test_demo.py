"""`flask demo load`: the demo that `make run` serves, with its five logins."""
import pytest
from sqlalchemy import select

from samklima.extensions import db
from samklima.platform.demo import DEMO_PASSWORD, PRINTED_LOGINS
from samklima.platform.workspaces.models import Tenant


@pytest.fixture
def demo(app):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_prints_the_five_logins(demo):
    for email in PRINTED_LOGINS:
        assert email in demo
    assert DEMO_PASSWORD in demo


@pytest.mark.parametrize("email", PRINTED_LOGINS)
def test_each_demo_login_signs_in(browser, demo, email):
    browser.login(email, DEMO_PASSWORD)
    assert browser.get("/").status_code == 200


def test_demo_workspaces_speak_their_countrys_language_and_currency(app, demo):
    with app.app_context():
        workspaces = {t.slug: (t.default_locale, t.time_zone, t.currency) for t in db.session.scalars(select(Tenant))}
    assert workspaces == {
        "dk2020-midtjylland": ("da", "Europe/Copenhagen", "DKK"),
        "trollhattan-hallbarhet": ("sv", "Europe/Stockholm", "SEK"),
        "baerum-klima": ("nb", "Europe/Oslo", "NOK"),
    }


def test_demo_roles_are_as_promised(browser, demo):
    browser.login("radgiver@nordisk.example", DEMO_PASSWORD)
    assert browser.get("/dk2020-midtjylland/").status_code == 200
    assert browser.get("/trollhattan-hallbarhet/").status_code == 200
    assert browser.get("/baerum-klima/").status_code == 404
    browser.logout()
    browser.login("strateg@trollhattan.example", DEMO_PASSWORD)
    assert browser.get("/trollhattan-hallbarhet/audit").status_code == 200
    browser.logout()
    browser.login("sekretariat@dk2020.example", DEMO_PASSWORD)
    assert browser.get("/dk2020-midtjylland/audit").status_code == 403


def test_loading_the_demo_twice_changes_nothing(app, demo):
    again = app.test_cli_runner().invoke(args=["demo", "load"])
    assert again.exit_code == 0
    assert "already loaded" in again.output
    with app.app_context():
        assert len(db.session.scalars(select(Tenant)).all()) == 3
