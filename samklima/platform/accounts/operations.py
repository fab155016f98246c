"""Every change to accounts: sign-up, verification, sign-in, passwords, two-factor."""
from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pyotp
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from samklima.config import TIME_ZONES
from samklima.extensions import db
from samklima.platform.accounts import passwords, sessions, throttle
from samklima.platform.accounts.models import User, UserToken
from samklima.platform.audit.operations import record_for_user
from samklima.platform.clock import utcnow
from samklima.platform.errors import OperationError
from samklima.platform.links import mail_url
from samklima.platform.outbox.operations import queue_mail
from samklima.platform.tokens import hash_secret, new_secret, secret_matches, use_once

log = logging.getLogger("samklima.accounts")

TOKEN_LIFETIMES = {
    UserToken.VERIFY_EMAIL: timedelta(hours=48),
    UserToken.RESET_PASSWORD: timedelta(hours=1),
}


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def _check_new_password(password: str, email: str) -> None:
    problem = passwords.password_problem(password, email)
    if problem:
        raise OperationError(problem, field="password")


def create_user(email: str, name: str, password: str, locale: str, verified: bool = False) -> User:
    email = email.strip().lower()
    if find_user(email) is not None:
        raise OperationError(
            _l("This e-mail address already has an account. Sign in, or reset your password if you have forgotten it."),
            field="email",
        )
    _check_new_password(password, email)
    user = User(
        email=email,
        name=name.strip(),
        password_hash=passwords.hash_password(password),
        locale=locale,
        email_verified_at=utcnow() if verified else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def sign_up(email: str, name: str, password: str, locale: str) -> None:
    """Create the account and mail its verification link; say the same when the address is taken.

    Sign-up must not tell a stranger which addresses have accounts (the reset
    page does not either): the owner of a taken address hears of it by mail.
    The password rule runs first and the password is hashed either way, so
    neither the answer nor its time differs.
    """
    _check_new_password(password, email.strip().lower())
    existing = find_user(email)
    if existing is None:
        send_verification(create_user(email, name, password, locale))
        return
    passwords.hash_password(password)
    queue_mail(existing.email, "accounts/email/signup_taken", existing.locale or locale,
               _l("Someone tried to sign up to Samklima with your address"), user=existing,
               sign_in_link=mail_url("accounts.login"), reset_link=mail_url("accounts.forgot_password"))


def _issue_token(user: User, purpose: str) -> str:
    secret = new_secret()
    db.session.add(
        UserToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=hash_secret(secret),
            expires_at=utcnow() + TOKEN_LIFETIMES[purpose],
        )
    )
    return secret


# purpose: (mail template, subject, the page the link opens)
TOKEN_MAILS = {
    UserToken.VERIFY_EMAIL: ("accounts/email/verify", _l("Confirm your e-mail address for Samklima"), "accounts.verify_email"),
    UserToken.RESET_PASSWORD: ("accounts/email/reset", _l("Reset your Samklima password"), "accounts.reset_password"),
}


def _mail_token(user: User, purpose: str) -> None:
    secret = _issue_token(user, purpose)
    template, subject, endpoint = TOKEN_MAILS[purpose]
    queue_mail(user.email, template, user.locale or "en", subject, carries_secret=True, user=user,
               link=mail_url(endpoint, token=secret))


def send_verification(user: User) -> None:
    _mail_token(user, UserToken.VERIFY_EMAIL)


def _usable_token(secret: str, purpose: str) -> UserToken:
    token = db.session.scalar(
        select(UserToken).where(UserToken.token_hash == hash_secret(secret), UserToken.purpose == purpose)
    )
    if token is None or not secret_matches(secret, token.token_hash):
        raise OperationError(_l("This link is not valid. Please ask for a new one."))
    if token.used_at is not None:
        raise OperationError(_l("This link has already been used. Please ask for a new one."))
    if token.expires_at < utcnow():
        raise OperationError(_l("This link has expired. Please ask for a new one."))
    return token


def check_token(secret: str, purpose: str) -> UserToken:
    """Look a link's token up without using it: opening a link changes nothing."""
    return _usable_token(secret, purpose)


def _use_token(secret: str, purpose: str) -> UserToken:
    token = _usable_token(secret, purpose)
    if not use_once(UserToken.used_at, token.id):
        raise OperationError(_l("This link has already been used. Please ask for a new one."))
    return token


def verify_email(secret: str) -> User:
    token = _use_token(secret, UserToken.VERIFY_EMAIL)
    token.user.email_verified_at = token.user.email_verified_at or utcnow()
    return token.user


def authenticate(email: str, password: str) -> User | None:
    """The user whose password this is, or None; failures are audited."""
    user = find_user(email)
    if not passwords.verify_password(user.password_hash if user else None, password):
        if user is not None:
            record_for_user(user, "login_failed")
        else:
            log.info("failed sign-in for an unknown e-mail address")
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return user


def sign_in_with_password(email: str, password: str) -> User:
    """The first step of signing in: the user whose password this is, verified; else OperationError.

    A wrong password counts towards the address's throttle (accounts.throttle); an
    unverified address gets a new link. Both are kept although the form is refused
    (the view keeps its refusals): the count and the mail are the point.
    """
    user = authenticate(email, password)
    if user is None:
        under_attack = throttle.address_is_under_attack(email)
        throttle.note_failure(email)
        if not under_attack:
            raise OperationError(_l("The e-mail address or the password is not right."))
        throttle.slow_down()
        raise OperationError(_l("The e-mail address or the password is not right."), more=[_l(
            "There have been many failed attempts to sign in with this address. "
            "If you have forgotten your password, ask for a link to choose a new one.")])
    if not user.is_verified:
        send_verification(user)
        raise OperationError(_l("Please confirm your e-mail address first. We have sent you a new link."))
    return user


def verify_two_factor(user: User, code: str) -> bool:
    """Accept a current TOTP code once; a replayed code is refused."""
    totp = pyotp.TOTP(user.totp_secret)
    code = "".join(code.split())
    now = datetime.now(UTC)
    for drift in (-1, 0, 1):
        moment = now + timedelta(seconds=30 * drift)
        counter = totp.timecode(moment)
        if totp.at(moment) == code and (user.totp_last_counter is None or counter > user.totp_last_counter):
            user.totp_last_counter = counter
            return True
    return False


TWO_FACTOR_LOCK_AFTER = 10


def check_two_factor_at_sign_in(user: User, code: str) -> None:
    """The second step of signing in: a right code passes, a wrong one is OperationError,
    and ten wrong ones in a row lock the step.

    A guesser who has the password gets TWO_FACTOR_LOCK_AFTER tries, not five
    a minute for ever; the account holder is told by mail, and choosing a new
    password through the e-mailed link unlocks the step (reset_password).
    """
    wrong = OperationError(_l("That code is not right. Try the newest code in your app."), field="code")
    if user.two_factor_locked_at is not None:
        raise wrong
    if verify_two_factor(user, code):
        user.two_factor_failures = 0
        return
    # In the database, so that guesses sent at the same moment all count.
    db.session.execute(
        update(User).where(User.id == user.id).values(two_factor_failures=User.two_factor_failures + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(user, ["two_factor_failures"])
    if user.two_factor_failures >= TWO_FACTOR_LOCK_AFTER:
        user.two_factor_locked_at = utcnow()
        record_for_user(user, "two_factor_locked")
        queue_mail(user.email, "accounts/email/two_factor_locked", user.locale or "en",
                   _l("Signing in to your Samklima account is locked"), user=user,
                   failures=user.two_factor_failures, reset_link=mail_url("accounts.forgot_password"))
    raise wrong


def sign_in(user: User) -> None:
    sessions.start_session(user)
    record_for_user(user, "login")


def sign_out(user: User) -> None:
    """Signing out ends every session of the user, on every device."""
    sessions.end_all_sessions(user)
    record_for_user(user, "logout")
    sessions.sign_out()


def request_password_reset(email: str) -> None:
    """Mail a reset link if the account exists; say the same either way."""
    user = find_user(email)
    if user is None:
        return
    _mail_token(user, UserToken.RESET_PASSWORD)


def _cancel_reset_links(user: User) -> None:
    """A new password makes every reset link still in the user's mailbox useless."""
    db.session.execute(
        update(UserToken)
        .where(
            UserToken.user_id == user.id,
            UserToken.purpose == UserToken.RESET_PASSWORD,
            UserToken.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )


def reset_password(secret: str, new_password: str) -> User:
    token = _usable_token(secret, UserToken.RESET_PASSWORD)
    _check_new_password(new_password, token.user.email)
    user = _use_token(secret, UserToken.RESET_PASSWORD).user
    _cancel_reset_links(user)
    user.password_hash = passwords.hash_password(new_password)
    user.two_factor_failures = 0
    user.two_factor_locked_at = None
    # The link proves the mailbox, so an unverified address is now verified.
    user.email_verified_at = user.email_verified_at or utcnow()
    sessions.end_all_sessions(user)
    record_for_user(user, "password_reset")
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not passwords.verify_password(user.password_hash, current_password):
        raise OperationError(_l("The current password is not right."), field="current_password")
    _check_new_password(new_password, user.email)
    user.password_hash = passwords.hash_password(new_password)
    _cancel_reset_links(user)
    sessions.end_all_sessions(user, keep_current=True)
    record_for_user(user, "password_changed")


def update_profile(user: User, name: str, locale: str, time_zone: str) -> None:
    if time_zone not in TIME_ZONES:
        raise OperationError(_l("Choose a time zone from the list."), field="time_zone")
    user.name = name.strip()
    user.locale = locale
    user.time_zone = time_zone


def new_two_factor_secret() -> str:
    return pyotp.random_base32()


def two_factor_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name="Samklima")


def enable_two_factor(user: User, secret: str, code: str) -> None:
    user.totp_secret = secret
    user.totp_last_counter = None
    if not verify_two_factor(user, code):
        user.totp_secret = None
        raise OperationError(_l("That code is not right. Check the time on your phone and try the newest code."), field="code")
    record_for_user(user, "two_factor_enabled")


def disable_two_factor(user: User, password: str) -> None:
    from samklima.platform.workspaces.queries import workspaces_requiring_two_factor

    if not passwords.verify_password(user.password_hash, password):
        raise OperationError(_l("The password is not right."), field="password")
    required_by = workspaces_requiring_two_factor(user)
    if required_by:
        raise OperationError(
            _l("Two-factor authentication is required of administrators in: %(names)s.", names=", ".join(required_by))
        )
    user.totp_secret = None
    user.totp_last_counter = None
    record_for_user(user, "two_factor_disabled")
