"""The operator console lists workspaces, and exists only for operators."""
import pytest
from sqlalchemy import update

from samklima.extensions import db
from samklima.platform.accounts.models import User
from tests import factories


@pytest.fixture
def platform(app):
    with app.app_context():
        lene = factories.make_user("lene@dk2020.example", "Lene Bach Kristensen", "da")
        factories.make_workspace("dk2020-midtjylland", "DK2020 Midtjylland", "DK", lene)
        factories.make_user("drift@samklima.example", "Samklima drift")
        db.session.execute(update(User).where(User.email == "drift@samklima.example").values(is_operator=True))
        db.session.commit()


def test_operator_sees_every_workspace_with_its_member_count(browser, platform):
    browser.login("drift@samklima.example")
    body = browser.get("/operator").get_data(as_text=True)
    assert "DK2020 Midtjylland" in body and "/dk2020-midtjylland/" in body


def test_operator_console_shows_no_workspace_content(browser, platform):
    browser.login("drift@samklima.example")
    assert "lene@dk2020.example" not in browser.get("/operator").get_data(as_text=True)


def test_the_console_does_not_exist_for_others(browser, platform):
    browser.login("lene@dk2020.example")
    assert browser.get("/operator").status_code == 404


def test_anonymous_visitors_are_asked_to_sign_in(browser):
    response = browser.get("/operator")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_console_names_countries_plans_and_times_in_the_operators_language(browser, platform):
    browser.login("drift@samklima.example")
    body = browser.get("/operator").get_data(as_text=True)
    row = body[body.index("DK2020 Midtjylland"):body.index("</tr>", body.index("DK2020 Midtjylland"))]
    assert "<td>Denmark</td>" in row and "<td>Trial</td>" in row and "<td>Trial period</td>" in row
    assert ">DK<" not in row and ">trial<" not in row
    # The operator reads English and belongs to no workspace: times are in UTC, and say so.
    assert "(Coordinated Universal Time)" in row
