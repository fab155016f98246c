"""The instant every test starts at (RULINGS: no test reads the real hour).

`.ci/run` starts its two passes at two instants across a date change, so a
test that depends on the hour or the date fails in every run, not only in
the evening. Set SAMKLIMA_TEST_START ("YYYY-MM-DD HH:MM <IANA zone>") to try another.
"""
import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

TEST_START = os.environ.get("SAMKLIMA_TEST_START", "2026-06-16 11:00 Europe/Copenhagen")


def test_start() -> datetime:
    """SAMKLIMA_TEST_START as an aware instant."""
    moment, zone = TEST_START.rsplit(" ", 1)
    return datetime.fromisoformat(moment).replace(tzinfo=ZoneInfo(zone))


def start_day(zone: str) -> date:
    """The date in `zone` at the instant the tests start: for constants computed at import time."""
    return test_start().astimezone(ZoneInfo(zone)).date()
