"""Sign-in throttling that a stranger cannot turn against the real user (OWASP's advice).

Refusals (429) are keyed on the client: failed attempts per address-and-IP pair,
and per IP across addresses (flask-limiter, on the login view). Failures per
e-mail address alone, from anywhere, only slow the answer down and offer the
reset mail: refusing them would let anyone lock a chosen user out, while a
correct password still gets through.
"""
import time

from flask import current_app
from limits import parse

from samklima.extensions import limiter

ADDRESS_FAILURES = parse("10 per 15 minutes")


def _key(email: str) -> tuple[str, ...]:
    return (current_app.config.get("RATELIMIT_KEY_PREFIX", ""), "login-address", email.strip().lower())


def address_is_under_attack(email: str) -> bool:
    """Has this address had too many failed sign-ins lately, from wherever they came?"""
    return not limiter.limiter.test(ADDRESS_FAILURES, *_key(email))


def note_failure(email: str) -> None:
    limiter.limiter.hit(ADDRESS_FAILURES, *_key(email))


def slow_down() -> None:
    """Answer a failed sign-in to an address under attack a little later (LOGIN_SLOWDOWN_SECONDS)."""
    time.sleep(current_app.config["LOGIN_SLOWDOWN_SECONDS"])
