"""The one shape of a form view: a refused form answers 422, and its request keeps nothing."""
import pytest
import sqlalchemy as sa
from flask import redirect
from jinja2 import ChoiceLoader, DictLoader

from samklima import create_app
from samklima.extensions import db
from samklima.platform.accounts.models import User
from samklima.platform.errors import OperationError
from samklima.platform.forms import EmptyForm
from samklima.platform.views import button_view, form_view
from tests.conftest import TEST_CONFIG, Browser

PAGE = "<p>{{ form.form_errors|join(' ') }}</p>{% for m in get_flashed_messages() %}<p>{{ m }}</p>{% endfor %}"


def write_then(refuse: bool):
    """An operation that writes a row, then (perhaps) refuses: the half that must not stay."""
    db.session.add(User(email="halv@skive.example", name="Halv", password_hash="x", locale="da"))
    db.session.flush()
    if refuse:
        raise OperationError("Refused.")
    return "done"


@pytest.fixture
def app_with_form_views(database):
    owner_url, app_url = database
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": owner_url,
                      "APP_DATABASE_URL": app_url if app_url != owner_url else None})
    app.jinja_env.loader = ChoiceLoader([DictLoader({"test/form.html": PAGE}), app.jinja_env.loader])

    @app.route("/try/<how>", methods=["GET", "POST"])
    def attempt(how):
        return form_view(EmptyForm(), lambda: write_then(how != "ok"), lambda result: redirect("/try/ok"),
                         "test/form.html", keep_refusals=how == "kept")

    @app.post("/button/<how>")
    def button(how):
        return button_view(lambda: write_then(how != "ok"), lambda result: None, "/try/ok")

    yield app
    with app.app_context():
        db.engine.dispose()


def users(owner_engine) -> int:
    with owner_engine.connect() as connection:
        return connection.scalar(sa.text("SELECT count(*) FROM users WHERE email = 'halv@skive.example'"))


def test_a_get_shows_the_form(app_with_form_views):
    assert Browser(app_with_form_views).get("/try/refused").status_code == 200


def test_a_refused_form_answers_422_and_keeps_nothing_the_operation_wrote(app_with_form_views, owner_engine):
    response = Browser(app_with_form_views).post("/try/refused")
    assert response.status_code == 422
    assert "<p>Refused.</p>" in response.get_data(as_text=True)
    assert users(owner_engine) == 0


def test_an_accepted_form_keeps_what_the_operation_wrote(app_with_form_views, owner_engine):
    assert Browser(app_with_form_views).post("/try/ok").status_code == 302
    assert users(owner_engine) == 1


def test_a_view_that_keeps_its_refusals_answers_422_and_keeps_them(app_with_form_views, owner_engine):
    assert Browser(app_with_form_views).post("/try/kept").status_code == 422
    assert users(owner_engine) == 1


def test_a_refused_button_is_flashed_and_keeps_nothing(app_with_form_views, owner_engine):
    browser = Browser(app_with_form_views)
    assert browser.post("/button/refused").status_code == 302
    assert users(owner_engine) == 0
    assert "<p>Refused.</p>" in browser.get("/try/ok").get_data(as_text=True)
