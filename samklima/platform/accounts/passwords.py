"""Password hashing (argon2id) and the ASVS password rules.

8 to 128 characters, no composition rules, and none of the 30,000 most common
passwords (the offline list zxcvbn ships).
"""
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 8
MAX_LENGTH = 128


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Constant work whether or not the account exists."""
    hasher = _hasher()
    try:
        return hasher.verify(stored_hash or _dummy_hash(), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher().check_needs_rehash(stored_hash)


def _dummy_hash() -> str:
    cached = current_app.extensions.setdefault("samklima_dummy_hash", {})
    if "value" not in cached:
        cached["value"] = _hasher().hash("not-a-real-password")
    return cached["value"]


def password_problem(password: str, email: str = ""):
    """Why a new password is refused, as a translated message, or None."""
    if len(password) < MIN_LENGTH:
        return _l("Use at least %(count)d characters.", count=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("Use at most %(count)d characters.", count=MAX_LENGTH)
    lowered = password.lower()
    if lowered in _common_passwords() or (email and lowered == email.lower()):
        return _l("This password is too common and easy to guess. Please choose another.")
    return None
