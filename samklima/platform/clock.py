"""One clock for the whole app: naive UTC datetimes, as stored in the database.

Tests move it with time-machine; nothing here sleeps.
"""
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import g
from sqlalchemy import column, select, table

from samklima.extensions import db
from samklima.platform.tenancy import current_tenant_id

_TENANTS = table("tenants", column("id"), column("time_zone"))


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def local_today(time_zone: str) -> date:
    """Today's date where the workspace is: a term ending "today" ends at local midnight."""
    return datetime.now(ZoneInfo(time_zone)).date()


def workspace_time_zone() -> str | None:
    """The time zone of the workspace in scope (a request's, a job's, a command's), if one is.

    Read once per app context. Through a bare table, not the Tenant model: the
    models import this module for their timestamps.
    """
    tenant_id = current_tenant_id()
    if tenant_id is None:
        return None
    known = g.setdefault("workspace_time_zones", {})
    if tenant_id not in known:
        known[tenant_id] = db.session.scalar(select(_TENANTS.c.time_zone).where(_TENANTS.c.id == tenant_id))
    return known[tenant_id]


def workspace_today() -> date:
    """Today where the workspace in scope is (UTC with none): requests, jobs and the CLI share it."""
    return local_today(workspace_time_zone() or "UTC")


def utc_from_local(day: date, at: time, time_zone: str) -> datetime:
    """The stored (naive UTC) moment of a wall-clock time where the workspace is, DST included."""
    return datetime.combine(day, at, ZoneInfo(time_zone)).astimezone(UTC).replace(tzinfo=None)


def local_from_utc(moment: datetime, time_zone: str) -> datetime:
    """A stored moment as the wall clock shows it where the workspace is (naive)."""
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(time_zone)).replace(tzinfo=None)
