"""Accounts (issue 2, item 5): sign-up, verification, sign-in, sessions, passwords, two-factor.

Behaviour a user sees goes through the test client; pure rules call the
operations. Rows are read with the owner's engine, so what a test sees is what
was committed, on SQLite and on PostgreSQL alike.
"""
import html
import re
import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pyotp
import pytest
import sqlalchemy as sa
import time_machine
from argon2 import PasswordHasher
from babel.dates import format_datetime, get_timezone_name

from samklima import config
from samklima.extensions import db
from samklima.platform.accounts import operations, passwords
from samklima.platform.accounts.operations import find_user
from samklima.platform.errors import OperationError
from tests import factories

MONDAY_MORNING = datetime(2025, 3, 3, 7, 30, tzinfo=UTC)
NEW_PASSWORD = "cykelstier langs gudenåen til randers"
WRONG_PASSWORD = "kaffe og klimaplaner hver fredag"

CSRF_MESSAGE = "The form had expired or was sent from another page. Please fill it in again."
WRONG_LOGIN_MESSAGE = "The e-mail address or the password is not right."
COMMON_PASSWORD_MESSAGE = "This password is too common and easy to guess. Please choose another."


# Helpers ------------------------------------------------------------------


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def main_of(response) -> str:
    """The page's own content, without the header's forms and their CSRF tokens."""
    return re.search(r"<main.*</main>", text(response), re.S).group(0)


def row(owner_engine, sql, **params):
    with owner_engine.connect() as connection:
        return connection.execute(sa.text(sql), params).mappings().first()


def count(owner_engine, table, where="1=1", **params) -> int:
    with owner_engine.connect() as connection:
        return connection.scalar(sa.text(f"SELECT count(*) FROM {table} WHERE {where}"), params)


def user_row(owner_engine, email):
    return row(owner_engine, "SELECT * FROM users WHERE email = :email", email=email)


def mails_to(owner_engine, email) -> list:
    with owner_engine.connect() as connection:
        return connection.execute(
            sa.text("SELECT * FROM outbox_messages WHERE recipient = :email ORDER BY id"), {"email": email}
        ).mappings().all()


def link_in(mail, kind) -> str:
    """The path of the `kind` link ("verify" or "password/reset") in a mail's plain text."""
    return re.search(rf"http://localhost(/{kind}/\S+)", mail["body_text"]).group(1)


def is_signed_in(browser) -> bool:
    response = browser.get("/account")
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and "/login" in response.headers["Location"], response.status_code
    return False


def session_cookie(browser) -> str:
    return browser.client.get_cookie("session").value


def browser_with_cookie(make_browser, value):
    other = make_browser()
    other.client.set_cookie("session", value)
    return other


def sign_up(browser, email="mette.holm@aarhus.example", password=factories.PASSWORD, repeat=None, **kwargs):
    return browser.post(
        "/signup",
        {
            "name": "Mette Overgaard Holm",
            "email": email,
            "password": password,
            "password_repeat": password if repeat is None else repeat,
        },
        **kwargs,
    )


def try_login(browser, email, password, **kwargs):
    return browser.post("/login", {"email": email, "password": password}, **kwargs)


def request_reset(browser, owner_engine, email) -> str:
    response = browser.post("/password/forgot", {"email": email})
    assert response.status_code == 200
    return link_in(mails_to(owner_engine, email)[-1], "password/reset")


def choose_password(browser, link, password=NEW_PASSWORD):
    return browser.post(link, {"password": password, "password_repeat": password})


def turn_on_two_factor(browser) -> str:
    """Turn two-factor on as a person would: read the key off the page, type the app's code."""
    page = browser.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    response = browser.post("/account/two-factor", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302, text(response)
    return secret


def wrong_code(secret) -> str:
    """A six-digit code that no current time step of this secret produces."""
    totp = pyotp.TOTP(secret)
    now = datetime.now(UTC)
    valid = {totp.at(now + timedelta(seconds=30 * drift)) for drift in (-1, 0, 1)}
    return next(code for code in (f"{n:06d}" for n in range(123456, 1000000)) if code not in valid)


@pytest.fixture
def lene(app):
    """A verified user of Aarhus Kommune, who reads Samklima in English."""
    with app.app_context():
        user = factories.make_user("lene.bach@aarhus.example", "Lene Bach Kristensen", "en")
        return user.email


@pytest.fixture
def frozen():
    with time_machine.travel(MONDAY_MORNING, tick=False) as traveller:
        yield traveller


# Sign-up and e-mail verification ----------------------------------------------


def test_signup_creates_unverified_account_and_mails_a_verification_link(browser, owner_engine):
    response = sign_up(browser)

    assert response.status_code == 200
    assert "We have sent a link to mette.holm@aarhus.example" in text(response)
    user = user_row(owner_engine, "mette.holm@aarhus.example")
    assert user["name"] == "Mette Overgaard Holm"
    assert user["email_verified_at"] is None
    [mail] = mails_to(owner_engine, "mette.holm@aarhus.example")
    assert link_in(mail, "verify")


def test_opening_the_verification_link_changes_nothing(browser, owner_engine):
    sign_up(browser)
    link = link_in(mails_to(owner_engine, "mette.holm@aarhus.example")[0], "verify")

    # A mail scanner opens the link, perhaps more than once.
    for _ in range(2):
        page = browser.get(link)
        assert page.status_code == 200
        assert "Confirm e-mail address" in text(page)

    assert user_row(owner_engine, "mette.holm@aarhus.example")["email_verified_at"] is None
    assert count(owner_engine, "user_tokens", "used_at IS NOT NULL") == 0


def test_posting_from_the_verification_page_verifies_the_address(browser, owner_engine):
    sign_up(browser)
    link = link_in(mails_to(owner_engine, "mette.holm@aarhus.example")[0], "verify")

    response = browser.post(link)

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")
    assert user_row(owner_engine, "mette.holm@aarhus.example")["email_verified_at"] is not None
    browser.login("mette.holm@aarhus.example")
    assert is_signed_in(browser)


def test_verification_link_works_only_once(browser, owner_engine):
    sign_up(browser)
    link = link_in(mails_to(owner_engine, "mette.holm@aarhus.example")[0], "verify")
    browser.post(link)

    again = browser.post(link)

    assert again.status_code == 400
    assert "This link has already been used. Please ask for a new one." in text(again)


def test_unknown_verification_link_gets_a_clear_message(browser):
    response = browser.get("/verify/not-a-token-we-ever-sent")

    assert response.status_code == 400
    assert "This link is not valid. Please ask for a new one." in text(response)


def test_unverified_user_cannot_sign_in_and_gets_a_new_link(browser, owner_engine):
    sign_up(browser)

    response = try_login(browser, "mette.holm@aarhus.example", factories.PASSWORD)

    assert response.status_code == 422
    assert "Please confirm your e-mail address first. We have sent you a new link." in text(response)
    assert not is_signed_in(browser)
    assert count(owner_engine, "user_sessions") == 0
    first, second = mails_to(owner_engine, "mette.holm@aarhus.example")
    assert link_in(second, "verify") != link_in(first, "verify")
    browser.post(link_in(second, "verify"))
    assert user_row(owner_engine, "mette.holm@aarhus.example")["email_verified_at"] is not None


def test_signup_with_a_registered_email_answers_as_for_a_new_one_and_tells_the_owner_by_mail(
        browser, make_browser, owner_engine, lene):
    before = user_row(owner_engine, lene)
    new_person = main_of(sign_up(make_browser(), email="mette.holm@aarhus.example"))

    response = sign_up(browser, email="Lene.Bach@Aarhus.example", password=NEW_PASSWORD)

    assert response.status_code == 200
    # The same page, but for the address typed: a stranger cannot tell which addresses have accounts.
    assert main_of(response).replace("lene.bach@aarhus.example", "mette.holm@aarhus.example") == new_person
    assert user_row(owner_engine, lene) == before
    assert count(owner_engine, "users") == 2
    assert count(owner_engine, "user_tokens", "user_id = :id", id=before["id"]) == 0
    [notice] = mails_to(owner_engine, "lene.bach@aarhus.example")
    assert notice["subject"] == "Someone tried to sign up to Samklima with your address"
    assert "You already have an account, so nothing was changed." in notice["body_text"]
    assert "http://localhost/password/forgot" in notice["body_text"]


def test_signup_with_a_weak_password_is_refused_alike_for_a_taken_and_a_new_address(browser, owner_engine, lene):
    for email in ("lene.bach@aarhus.example", "mette.holm@aarhus.example"):
        response = sign_up(browser, email=email, password="password1")
        assert response.status_code == 422
        assert COMMON_PASSWORD_MESSAGE in text(response)
    assert count(owner_engine, "outbox_messages") == 0


def test_signup_with_different_repeated_password_is_refused(browser, owner_engine):
    response = sign_up(browser, repeat="kaffe og klimaplaner hver onsdag")

    assert "The two passwords are not the same." in text(response)
    assert count(owner_engine, "users") == 0


# Password rules -------------------------------------------------------------


def test_password_under_8_characters_is_refused(browser, owner_engine):
    response = sign_up(browser, password="skive12")

    assert response.status_code == 422
    assert "Use at least 8 characters." in text(response)
    assert count(owner_engine, "users") == 0
    assert count(owner_engine, "outbox_messages") == 0


def test_64_character_password_is_accepted(browser, owner_engine):
    password = "trollhättan cyklar till jobbet när isen har smält på göta älv ok"
    assert len(password) == 64

    response = sign_up(browser, password=password)

    assert "Check your inbox" in text(response)
    assert PasswordHasher().verify(user_row(owner_engine, "mette.holm@aarhus.example")["password_hash"], password)


def test_password_over_128_characters_is_refused(browser, owner_engine):
    response = sign_up(browser, password="bærum planter trær " * 7)  # 133 characters

    assert "Use at most 128 characters." in text(response)
    assert count(owner_engine, "users") == 0


@pytest.mark.parametrize("password", ["password123", "qwerty123", "Password123"])
def test_common_password_is_refused_with_a_clear_message(browser, owner_engine, password):
    response = sign_up(browser, password=password)

    assert COMMON_PASSWORD_MESSAGE in text(response)
    assert count(owner_engine, "users") == 0
    assert count(owner_engine, "outbox_messages") == 0


@pytest.mark.parametrize(
    ("length", "accepted"), [(7, False), (8, True), (64, True), (128, True), (129, False)]
)
def test_password_length_is_8_to_128_characters(app_context, length, accepted):
    password = ("aarhus å " * 20)[:length]

    assert (passwords.password_problem(password) is None) is accepted


@pytest.mark.parametrize(
    "password",
    ["limfjordens blå vand", "sommerfuglehuset", "VINDMØLLEPARKEN", "83920571846", "kø ved færgen!"],
)
def test_no_composition_rules(app_context, password):
    # Only lower case, only capitals, only digits: none needs a mix of kinds.
    assert passwords.password_problem(password) is None


def test_passwords_are_stored_as_argon2id_hashes(browser, owner_engine):
    sign_up(browser)

    stored = user_row(owner_engine, "mette.holm@aarhus.example")["password_hash"]

    assert stored.startswith("$argon2id$")
    assert factories.PASSWORD not in stored
    assert PasswordHasher().verify(stored, factories.PASSWORD)


# Signing in and out ----------------------------------------------------------


def test_user_signs_in_and_out(browser, lene):
    assert not is_signed_in(browser)

    response = browser.login(lene)
    assert response.headers["Location"].endswith("/")
    assert is_signed_in(browser)

    browser.logout()
    assert not is_signed_in(browser)


def test_signed_out_visitor_is_sent_to_sign_in_and_back(browser, lene):
    response = browser.get("/account")

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login?next=%2Faccount")
    assert "Please sign in to see this page." in text(browser.get(response.headers["Location"]))
    signed_in = try_login(browser, lene, factories.PASSWORD, query_string={"next": "/account"})
    assert signed_in.headers["Location"].endswith("/account")


def test_wrong_password_gets_a_clear_message_and_no_session(browser, owner_engine, lene):
    response = try_login(browser, lene, WRONG_PASSWORD)

    assert response.status_code == 422
    assert WRONG_LOGIN_MESSAGE in text(response)
    assert not is_signed_in(browser)
    assert count(owner_engine, "user_sessions") == 0


def test_unknown_email_gets_the_same_message_as_a_wrong_password(browser, lene):
    response = try_login(browser, "ukendt@aarhus.example", WRONG_PASSWORD)

    assert response.status_code == 422
    assert WRONG_LOGIN_MESSAGE in text(response)


def test_wrong_password_is_audited_as_login_failed_in_each_workspace_of_the_user(app, browser, owner_engine, lene):
    with app.app_context():
        user = find_user(lene)
        aarhus = factories.make_workspace("aarhus-klima", "Aarhus Kommune", "DK", user)
        skive_owner = factories.make_user("jens@skive.example", "Jens Mikkelsen")
        skive = factories.make_workspace("skive-klima", "Skive Kommune", "DK", skive_owner)
        factories.add_member(skive, user)
        bystander = factories.make_user("ingrid@baerum.example", "Ingrid Solberg", "nb")
        baerum = factories.make_workspace("baerum-klima", "Bærum kommune", "NO", bystander)
        tenant_ids = {aarhus.id, skive.id}
        baerum_id = baerum.id

    try_login(browser, lene, WRONG_PASSWORD)

    with owner_engine.connect() as connection:
        events = connection.execute(
            sa.text("SELECT tenant_id, subject FROM audit_events WHERE action = 'login_failed'")
        ).all()
    assert {tenant_id for tenant_id, _ in events} == tenant_ids
    assert len(events) == 2
    assert {subject for _, subject in events} == {lene}
    assert count(owner_engine, "audit_events", "tenant_id = :t", t=baerum_id) == 1  # only its creation


def test_sign_in_gives_a_fresh_session_id(browser, make_browser, lene):
    browser.get("/login")
    with browser.client.session_transaction() as session:
        session["sid"] = "planted-by-an-attacker"  # session fixation
    cookie_before = session_cookie(browser)

    browser.login(lene)

    with browser.client.session_transaction() as session:
        sid = session["sid"]
    assert sid != "planted-by-an-attacker"
    assert session_cookie(browser) != cookie_before
    assert not is_signed_in(browser_with_cookie(make_browser, cookie_before))

    browser.login(lene)  # signing in again gives yet another id
    with browser.client.session_transaction() as session:
        assert session["sid"] != sid


def test_signing_in_again_ends_the_previous_session_of_this_browser(browser, make_browser, owner_engine, lene):
    browser.login(lene)
    copied = session_cookie(browser)

    browser.login(lene)

    assert not is_signed_in(browser_with_cookie(make_browser, copied))
    assert is_signed_in(browser)
    assert count(owner_engine, "user_sessions") == 1


def test_sign_out_ends_every_session_of_the_user(make_browser, owner_engine, lene):
    laptop, phone = make_browser(), make_browser()
    laptop.login(lene)
    phone.login(lene)

    laptop.logout()

    assert not is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert count(owner_engine, "user_sessions") == 0


def test_copied_cookie_stops_working_after_sign_out(browser, make_browser, lene):
    browser.login(lene)
    copied = session_cookie(browser)
    assert is_signed_in(browser_with_cookie(make_browser, copied))

    browser.logout()

    assert not is_signed_in(browser_with_cookie(make_browser, copied))


def test_sign_out_needs_a_post(browser, lene):
    browser.login(lene)

    browser.get("/logout", follow_redirects=True)

    assert is_signed_in(browser)


def test_password_change_ends_every_other_session_but_keeps_the_current_one(make_browser, owner_engine, lene):
    laptop, phone = make_browser(), make_browser()
    laptop.login(lene)
    phone.login(lene)

    response = laptop.post(
        "/account/password",
        {"current_password": factories.PASSWORD, "password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert count(owner_engine, "user_sessions") == 1
    make_browser().login(lene, NEW_PASSWORD)


def test_password_change_with_wrong_current_password_is_refused_and_changes_nothing(
    make_browser, owner_engine, lene
):
    laptop, phone = make_browser(), make_browser()
    laptop.login(lene)
    phone.login(lene)
    before = user_row(owner_engine, lene)["password_hash"]

    response = laptop.post(
        "/account/password",
        {"current_password": WRONG_PASSWORD, "password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD},
    )

    assert response.status_code == 422
    assert "The current password is not right." in text(response)
    assert user_row(owner_engine, lene)["password_hash"] == before
    assert is_signed_in(phone)


def test_password_change_to_a_common_password_is_refused(browser, owner_engine, lene):
    browser.login(lene)
    before = user_row(owner_engine, lene)["password_hash"]

    response = browser.post(
        "/account/password",
        {"current_password": factories.PASSWORD, "password": "qwerty123", "password_repeat": "qwerty123"},
    )

    assert COMMON_PASSWORD_MESSAGE in text(response)
    assert user_row(owner_engine, lene)["password_hash"] == before


# Session lifetime -------------------------------------------------------------


def test_idle_time_defaults_to_60_minutes_and_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("SESSION_IDLE_MINUTES", raising=False)
    assert config.from_environment(str(tmp_path))["SESSION_IDLE_MINUTES"] == 60

    monkeypatch.setenv("SESSION_IDLE_MINUTES", "15")
    assert config.from_environment(str(tmp_path))["SESSION_IDLE_MINUTES"] == 15


def test_session_ends_after_an_hour_without_requests(app, browser, owner_engine, frozen, lene):
    assert app.config["SESSION_IDLE_MINUTES"] == 60
    browser.login(lene)

    frozen.shift(timedelta(minutes=59))
    assert is_signed_in(browser)
    frozen.shift(timedelta(minutes=59))
    assert is_signed_in(browser)  # idle time counts from the last request, not from sign-in

    frozen.shift(timedelta(minutes=61))
    assert not is_signed_in(browser)
    assert count(owner_engine, "user_sessions") == 0


def test_idle_time_is_configurable(app, browser, frozen, monkeypatch, lene):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 15)
    browser.login(lene)

    frozen.shift(timedelta(minutes=16))

    assert not is_signed_in(browser)


def test_session_ends_after_12_hours_even_when_active(browser, frozen, lene):
    browser.login(lene)
    for _ in range(14):  # a request every 50 minutes, up to 11 h 40 min
        frozen.shift(timedelta(minutes=50))
        assert is_signed_in(browser)

    frozen.shift(timedelta(minutes=25))  # 12 h 05 min after sign-in

    assert not is_signed_in(browser)


# Password reset -------------------------------------------------------------


def test_reset_link_lets_the_user_choose_a_new_password(browser, make_browser, owner_engine, lene):
    link = request_reset(browser, owner_engine, lene)

    response = choose_password(browser, link)

    assert response.status_code == 302
    make_browser().login(lene, NEW_PASSWORD)
    assert try_login(make_browser(), lene, factories.PASSWORD).status_code == 422


def test_opening_the_reset_link_changes_nothing(browser, owner_engine, lene):
    link = request_reset(browser, owner_engine, lene)
    before = user_row(owner_engine, lene)

    for _ in range(2):
        page = browser.get(link)
        assert page.status_code == 200
        assert "Choose a new password" in text(page)

    assert user_row(owner_engine, lene) == before
    assert count(owner_engine, "user_tokens", "used_at IS NOT NULL") == 0
    assert choose_password(browser, link).status_code == 302


def test_reset_link_works_only_once(browser, owner_engine, lene):
    link = request_reset(browser, owner_engine, lene)
    choose_password(browser, link)
    after_first = user_row(owner_engine, lene)["password_hash"]

    again = choose_password(browser, link, "en helt anden adgangskode til skive")

    assert again.status_code == 400
    assert "This link has already been used. Please ask for a new one." in text(again)
    assert user_row(owner_engine, lene)["password_hash"] == after_first


def test_a_reset_link_used_twice_at_the_same_moment_works_once(app, browser, owner_engine, lene):
    """Two requests with one link, both past the first check before either writes: one wins."""
    secret = request_reset(browser, owner_engine, lene).rsplit("/", 1)[1]
    both_checked = threading.Barrier(2, timeout=10)
    waited = set()

    def hold_the_first_write(connection, cursor, statement, *args):
        if statement.lstrip().upper().startswith("UPDATE USER_TOKENS") and threading.get_ident() not in waited:
            waited.add(threading.get_ident())
            both_checked.wait()

    outcomes = {}

    def reset(password):
        with app.test_request_context():
            try:
                operations.reset_password(secret, password)
                db.session.commit()
                outcomes[password] = "changed"
            except OperationError as error:
                db.session.rollback()
                outcomes[password] = str(error.message)
            finally:
                db.session.remove()

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", hold_the_first_write)
    try:
        threads = [threading.Thread(target=reset, args=(password,))
                   for password in (NEW_PASSWORD, "en helt anden adgangskode til skive")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        sa.event.remove(engine, "before_cursor_execute", hold_the_first_write)

    assert sorted(outcomes.values()) == ["This link has already been used. Please ask for a new one.", "changed"]
    [winner] = [password for password, outcome in outcomes.items() if outcome == "changed"]
    assert PasswordHasher().verify(user_row(owner_engine, lene)["password_hash"], winner)


def test_reset_link_expires_after_one_hour(browser, owner_engine, frozen, lene):
    link = request_reset(browser, owner_engine, lene)
    before = user_row(owner_engine, lene)["password_hash"]

    frozen.shift(timedelta(minutes=59))
    assert browser.get(link).status_code == 200

    frozen.shift(timedelta(minutes=2))
    response = choose_password(browser, link)

    assert response.status_code == 400
    assert "This link has expired. Please ask for a new one." in text(response)
    assert user_row(owner_engine, lene)["password_hash"] == before


def test_password_reset_cancels_the_users_other_reset_links(browser, owner_engine, lene):
    first = request_reset(browser, owner_engine, lene)
    second = request_reset(browser, owner_engine, lene)
    choose_password(browser, second)

    response = browser.get(first)

    assert response.status_code == 400
    assert "This link has already been used. Please ask for a new one." in text(response)


def test_password_change_cancels_open_reset_links(make_browser, owner_engine, lene):
    link = request_reset(make_browser(), owner_engine, lene)
    browser = make_browser()
    browser.login(lene)
    browser.post(
        "/account/password",
        {"current_password": factories.PASSWORD, "password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD},
    )

    response = choose_password(make_browser(), link, "en helt anden adgangskode til skive")

    assert response.status_code == 400
    make_browser().login(lene, NEW_PASSWORD)


def test_reset_for_an_unknown_email_gives_the_same_page_as_a_known_one(make_browser, owner_engine, lene):
    def page_for(email):
        response = make_browser().post("/password/forgot", {"email": email})
        assert response.status_code == 200
        body = re.sub(r'name="csrf_token" value="[^"]+"', "", text(response))
        return body.replace(email, "EMAIL")

    known = page_for(lene)
    unknown = page_for("ukendt@aarhus.example")

    assert unknown == known
    assert "we have sent a link to reset the password" in known
    assert mails_to(owner_engine, "ukendt@aarhus.example") == []
    assert count(owner_engine, "user_tokens") == 1


def test_password_reset_ends_every_session(browser, make_browser, owner_engine, lene):
    phone = make_browser()
    phone.login(lene)
    link = request_reset(browser, owner_engine, lene)

    choose_password(browser, link)

    assert not is_signed_in(phone)
    assert count(owner_engine, "user_sessions") == 0


def test_reset_to_a_common_password_is_refused_and_the_link_stays_usable(browser, owner_engine, lene):
    link = request_reset(browser, owner_engine, lene)
    before = user_row(owner_engine, lene)["password_hash"]

    response = choose_password(browser, link, "password123")

    assert COMMON_PASSWORD_MESSAGE in text(response)
    assert user_row(owner_engine, lene)["password_hash"] == before
    assert count(owner_engine, "user_tokens", "used_at IS NOT NULL") == 0


# Two-factor authentication ------------------------------------------------------


def test_two_factor_is_turned_on_with_a_code_from_the_key_on_the_page(browser, owner_engine, frozen, lene):
    browser.login(lene)

    secret = turn_on_two_factor(browser)

    assert user_row(owner_engine, lene)["totp_secret"] == secret


def test_two_factor_is_not_turned_on_with_a_wrong_code(browser, owner_engine, frozen, lene):
    browser.login(lene)
    page = browser.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)

    response = browser.post("/account/two-factor", {"code": wrong_code(secret)})

    assert "That code is not right. Check the time on your phone and try the newest code." in text(response)
    assert user_row(owner_engine, lene)["totp_secret"] is None


def test_sign_in_asks_for_the_code_when_two_factor_is_on(browser, make_browser, frozen, lene):
    browser.login(lene)
    secret = turn_on_two_factor(browser)
    frozen.shift(timedelta(seconds=90))
    laptop = make_browser()

    response = try_login(laptop, lene, factories.PASSWORD)

    assert response.status_code == 302
    assert "/login/two-factor" in response.headers["Location"]
    assert not is_signed_in(laptop)
    assert laptop.post("/login/two-factor", {"code": pyotp.TOTP(secret).now()}).status_code == 302
    assert is_signed_in(laptop)


def test_wrong_two_factor_code_is_refused(browser, make_browser, frozen, lene):
    browser.login(lene)
    secret = turn_on_two_factor(browser)
    frozen.shift(timedelta(seconds=90))
    laptop = make_browser()
    try_login(laptop, lene, factories.PASSWORD)

    response = laptop.post("/login/two-factor", {"code": wrong_code(secret)})

    assert response.status_code == 422
    assert "That code is not right. Try the newest code in your app." in text(response)
    assert not is_signed_in(laptop)


def test_two_factor_code_cannot_be_replayed(browser, make_browser, frozen, lene):
    browser.login(lene)
    secret = turn_on_two_factor(browser)
    frozen.shift(timedelta(seconds=90))
    code = pyotp.TOTP(secret).now()
    laptop, eavesdropper = make_browser(), make_browser()
    try_login(laptop, lene, factories.PASSWORD)
    assert laptop.post("/login/two-factor", {"code": code}).status_code == 302

    try_login(eavesdropper, lene, factories.PASSWORD)
    response = eavesdropper.post("/login/two-factor", {"code": code})

    assert "That code is not right." in text(response)
    assert not is_signed_in(eavesdropper)


def test_two_factor_codes_are_throttled_per_account(browser, make_browser, frozen, lene):
    browser.login(lene)
    secret = turn_on_two_factor(browser)
    frozen.shift(timedelta(seconds=90))
    laptop = make_browser()
    try_login(laptop, lene, factories.PASSWORD)
    for _ in range(5):
        assert laptop.post("/login/two-factor", {"code": wrong_code(secret)}).status_code == 422

    response = laptop.post("/login/two-factor", {"code": pyotp.TOTP(secret).now()})

    assert response.status_code == 429
    assert "Too many attempts in a short time." in text(response)
    assert not is_signed_in(laptop)


def test_ten_wrong_codes_in_a_row_lock_the_second_step_until_a_password_reset(
        app, browser, make_browser, owner_engine, frozen, lene):
    browser.login(lene)
    secret = turn_on_two_factor(browser)
    for attempt in range(10):
        # A minute apart: the per-minute throttle is not what stops this guesser.
        frozen.shift(timedelta(minutes=1))
        laptop = make_browser()
        try_login(laptop, lene, factories.PASSWORD)
        assert laptop.post("/login/two-factor", {"code": wrong_code(secret)}).status_code == 422

    frozen.shift(timedelta(minutes=1))
    laptop = make_browser()
    try_login(laptop, lene, factories.PASSWORD)
    response = laptop.post("/login/two-factor", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    assert "Signing in to this account is locked" in text(response)
    assert not is_signed_in(laptop)
    [notice] = [mail for mail in mails_to(owner_engine, lene) if "locked" in mail["subject"]]
    assert notice["subject"] == "Signing in to your Samklima account is locked"
    assert "typed 10 times in a row" in notice["body_text"]

    link = request_reset(make_browser(), owner_engine, lene)
    assert choose_password(make_browser(), link).status_code == 302
    frozen.shift(timedelta(minutes=1))
    laptop = make_browser()
    try_login(laptop, lene, NEW_PASSWORD)
    assert laptop.post("/login/two-factor", {"code": pyotp.TOTP(secret).now()}).status_code == 302
    assert is_signed_in(laptop)


def test_a_right_code_starts_the_count_of_wrong_ones_again(browser, make_browser, owner_engine, frozen, lene):
    browser.login(lene)
    secret = turn_on_two_factor(browser)
    for round_ in range(2):
        for _ in range(9):
            frozen.shift(timedelta(minutes=1))
            laptop = make_browser()
            try_login(laptop, lene, factories.PASSWORD)
            laptop.post("/login/two-factor", {"code": wrong_code(secret)})
        frozen.shift(timedelta(minutes=1))
        laptop = make_browser()
        try_login(laptop, lene, factories.PASSWORD)
        assert laptop.post("/login/two-factor", {"code": pyotp.TOTP(secret).now()}).status_code == 302
    assert user_row(owner_engine, lene)["two_factor_locked_at"] is None


def test_turning_two_factor_off_needs_the_password(browser, owner_engine, frozen, lene):
    browser.login(lene)
    turn_on_two_factor(browser)

    refused = browser.post("/account/two-factor", {"password": WRONG_PASSWORD})
    assert "The password is not right." in text(refused)
    assert user_row(owner_engine, lene)["totp_secret"] is not None

    accepted = browser.post("/account/two-factor", {"password": factories.PASSWORD})
    assert accepted.status_code == 302
    assert user_row(owner_engine, lene)["totp_secret"] is None


@pytest.fixture
def baerum_requires_two_factor(app, owner_engine):
    """Bærum kommune's workspace, which requires two-factor of its administrators."""
    with app.app_context():
        owner = factories.make_user("ingrid.solberg@baerum.example", "Ingrid Solberg", "nb")
        tenant = factories.make_workspace("baerum-klima", "Bærum kommune", "NO", owner)
        admin = factories.make_user("ole.haugen@baerum.example", "Ole Haugen", "en")
        member = factories.make_user("kari.dahl@baerum.example", "Kari Dahl", "en")
        factories.add_member(tenant, admin, "admin")
        factories.add_member(tenant, member, "member")
    with owner_engine.begin() as connection:
        connection.execute(sa.text("UPDATE tenants SET requires_admin_two_factor = true WHERE slug = 'baerum-klima'"))
    return "/baerum-klima/members"


def test_workspace_requiring_two_factor_sends_an_admin_without_it_to_the_setup_page(
    browser, frozen, baerum_requires_two_factor
):
    browser.login("ole.haugen@baerum.example")

    response = browser.get(baerum_requires_two_factor)

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/two-factor")
    turn_on_two_factor(browser)
    assert browser.get(baerum_requires_two_factor).status_code == 200


def test_workspace_requiring_two_factor_of_admins_lets_a_member_in_without_it(browser, baerum_requires_two_factor):
    browser.login("kari.dahl@baerum.example")

    assert browser.get(baerum_requires_two_factor).status_code == 200


def test_admin_cannot_turn_off_two_factor_that_a_workspace_requires(
    browser, owner_engine, frozen, baerum_requires_two_factor
):
    browser.login("ole.haugen@baerum.example")
    turn_on_two_factor(browser)

    response = browser.post("/account/two-factor", {"password": factories.PASSWORD})

    assert "Two-factor authentication is required of administrators in: Bærum kommune." in text(response)
    assert user_row(owner_engine, "ole.haugen@baerum.example")["totp_secret"] is not None


# Login throttling --------------------------------------------------------------


def test_repeated_failed_logins_are_answered_with_429(browser, owner_engine, lene):
    for _ in range(5):
        assert try_login(browser, lene, WRONG_PASSWORD).status_code == 422

    response = try_login(browser, lene, factories.PASSWORD)

    assert response.status_code == 429
    assert "Too many attempts in a short time. Please wait a minute and try again." in text(response)
    assert not is_signed_in(browser)
    assert count(owner_engine, "user_sessions") == 0


def test_failed_logins_from_one_address_are_throttled_across_email_addresses(browser):
    for number in range(10):
        assert try_login(browser, f"gaest{number}@skive.example", WRONG_PASSWORD).status_code == 422

    assert try_login(browser, "gaest10@skive.example", WRONG_PASSWORD).status_code == 429


def test_successful_sign_ins_from_one_address_are_not_throttled(app, make_browser):
    # Twelve colleagues at Skive's town hall, behind one address, sign in at nine.
    with app.app_context():
        for number in range(12):
            factories.make_user(f"kollega{number}@skive.example", f"Kollega {number}")

    for number in range(12):
        assert try_login(make_browser(), f"kollega{number}@skive.example", factories.PASSWORD).status_code == 302


def test_login_is_allowed_again_after_a_minute(browser, frozen, lene):
    for _ in range(5):
        try_login(browser, lene, WRONG_PASSWORD)
    assert try_login(browser, lene, factories.PASSWORD).status_code == 429

    frozen.shift(timedelta(seconds=61))

    assert try_login(browser, lene, factories.PASSWORD).status_code == 302


def test_a_guesser_elsewhere_cannot_lock_the_real_user_out(browser, monkeypatch, app, lene):
    """OWASP: refuse per client; for the address alone, slow down and let the right password through."""
    for number in range(12):
        guesser = {"environ_overrides": {"REMOTE_ADDR": f"203.0.113.{number}"}}
        assert try_login(browser, lene, WRONG_PASSWORD, **guesser).status_code == 422

    pauses = []
    monkeypatch.setitem(app.config, "LOGIN_SLOWDOWN_SECONDS", 2)
    monkeypatch.setattr("samklima.platform.accounts.throttle.time.sleep", pauses.append)
    at_her_desk = {"environ_overrides": {"REMOTE_ADDR": "198.51.100.20"}}
    wrong = try_login(browser, lene, WRONG_PASSWORD, **at_her_desk)
    assert wrong.status_code == 422
    assert "There have been many failed attempts to sign in with this address." in text(wrong)
    assert pauses == [2]

    assert try_login(browser, lene, factories.PASSWORD, **at_her_desk).status_code == 302
    assert is_signed_in(browser)


def test_the_address_counter_alone_never_slows_an_address_that_is_not_under_attack(browser, monkeypatch, lene):
    pauses = []
    monkeypatch.setattr("samklima.platform.accounts.throttle.time.sleep", pauses.append)
    for _ in range(3):
        assert try_login(browser, lene, WRONG_PASSWORD).status_code == 422
    assert pauses == []


def test_throttled_login_page_is_in_the_browsers_language(browser, lene):
    for _ in range(5):
        try_login(browser, lene, WRONG_PASSWORD, headers={"Accept-Language": "da"})

    response = try_login(browser, lene, WRONG_PASSWORD, headers={"Accept-Language": "da-DK,da;q=0.9,en;q=0.5"})

    assert response.status_code == 429
    assert '<html lang="da">' in response.get_data(as_text=True)
    assert "Der har været for mange forsøg på kort tid. Vent et minut, og prøv igen." in text(response)


# CSRF -------------------------------------------------------------------------


def test_signup_without_csrf_token_gets_a_clear_400_page_and_writes_nothing(browser, owner_engine):
    response = sign_up(browser, csrf=False)

    assert response.status_code == 400
    assert CSRF_MESSAGE in text(response)
    assert count(owner_engine, "users") == 0
    assert count(owner_engine, "outbox_messages") == 0


def test_profile_change_without_csrf_token_gets_a_clear_400_page_and_changes_nothing(browser, owner_engine, lene):
    browser.login(lene)

    response = browser.post("/account", {"name": "Lene Bach", "locale": "da"}, csrf=False)

    assert response.status_code == 400
    assert CSRF_MESSAGE in text(response)
    assert user_row(owner_engine, lene)["name"] == "Lene Bach Kristensen"
    assert user_row(owner_engine, lene)["locale"] == "en"


def test_sign_out_without_csrf_token_is_refused(browser, lene):
    browser.login(lene)

    response = browser.post("/logout", csrf=False)

    assert response.status_code == 400
    assert is_signed_in(browser)


# Profile ----------------------------------------------------------------------


def test_profile_saves_name_and_language(app, browser, owner_engine):
    with app.app_context():
        factories.make_user("mette.holm@aarhus.example", "Mette Holm", "en")
    browser.login("mette.holm@aarhus.example")

    response = browser.post("/account", {"name": "Mette Overgaard Holm", "locale": "da", "time_zone": "Europe/Copenhagen"})

    assert response.status_code == 302
    saved = user_row(owner_engine, "mette.holm@aarhus.example")
    assert (saved["name"], saved["locale"]) == ("Mette Overgaard Holm", "da")
    page = browser.get("/account").get_data(as_text=True)
    assert '<html lang="da">' in page
    assert "Mette Overgaard Holm" in page


def test_session_times_are_shown_in_the_users_own_zone_with_the_zone_named(browser, owner_engine, lene):
    browser.login(lene)
    response = browser.post("/account", {"name": "Lene Bach Kristensen", "locale": "en",
                                         "time_zone": "Europe/Helsinki"})
    assert response.status_code == 302
    page = text(browser.get("/account"))
    helsinki = datetime.now(ZoneInfo("Europe/Helsinki"))
    zone_name = get_timezone_name(helsinki, width="long", locale="en_GB")
    # British forms for English (day before month, 24-hour clock), in Helsinki's time.
    assert f"{format_datetime(helsinki, 'short', locale='en_GB')} ({zone_name})" in page
    assert user_row(owner_engine, lene)["time_zone"] == "Europe/Helsinki"


def test_the_time_zone_list_names_each_zone_in_the_readers_language(browser, lene):
    browser.login(lene)
    browser.post("/language", {"locale": "da", "next": "/account"})
    page = text(browser.get("/account"))
    assert '<option value="Europe/Copenhagen">Danmark (København)</option>' in page
    assert '<option value="Atlantic/Reykjavik">Island (Reykjavik)</option>' in page
    assert ">Europe/Copenhagen<" not in page


def test_a_time_zone_not_in_the_list_is_refused(browser, owner_engine, lene):
    browser.login(lene)
    response = browser.post("/account", {"name": "Lene", "locale": "en", "time_zone": "America/New_York"})
    assert "Choose a time zone from the list." in text(response)
    assert user_row(owner_engine, lene)["time_zone"] is None


def test_profile_with_an_empty_name_is_refused(browser, owner_engine, lene):
    browser.login(lene)

    response = browser.post("/account", {"name": "   ", "locale": "en"})

    assert response.status_code == 422
    assert "Please fill in this field." in text(response)
    assert user_row(owner_engine, lene)["name"] == "Lene Bach Kristensen"


def test_profile_with_an_unknown_language_is_refused(browser, owner_engine, lene):
    browser.login(lene)

    response = browser.post("/account", {"name": "Lene Bach Kristensen", "locale": "tlh"})

    assert response.status_code == 422
    assert "Choose a language from the list." in text(response)
    assert user_row(owner_engine, lene)["locale"] == "en"
