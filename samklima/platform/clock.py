"""One clock for the whole app: naive UTC datetimes, as stored in the database.

Tests move it with time-machine; nothing here sleeps.
"""
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def local_today(time_zone: str) -> date:
    """Today's date where the workspace is: a term ending "today" ends at local midnight."""
    return datetime.now(ZoneInfo(time_zone)).date()
