"""One clock for the whole app: naive UTC datetimes, as stored in the database.

Tests move it with time-machine; nothing here sleeps.
"""
from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
