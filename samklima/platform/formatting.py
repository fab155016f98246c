"""Template helpers: dates in the workspace's zone, numbers and the page chrome."""
from datetime import datetime

from flask import Flask, g, has_request_context, request
from babel.dates import get_timezone_name
from flask_babel import format_date, format_datetime, format_decimal, format_time, get_locale, to_user_timezone
from flask_login import current_user
from sqlalchemy import select

from samklima.config import LOCALE_NAMES, LOCALES
from samklima.extensions import db
from samklima.platform import signals
from samklima.platform.i18n import current_language, time_zone_label
from samklima.platform.permissions import ROLE_LABELS, has_role


# The header lists this many workspaces; "All workspaces" shows the rest.
SWITCHER_SIZE = 10


def _my_workspaces():
    from samklima.platform.workspaces.models import Tenant, TenantMembership

    if not has_request_context() or not current_user.is_authenticated:
        return []
    if "my_workspaces" not in g:
        g.my_workspaces = db.session.execute(
            select(Tenant.slug, Tenant.name)
            .join(TenantMembership, TenantMembership.tenant_id == Tenant.id)
            .where(TenantMembership.user_id == current_user.id)
            .order_by(Tenant.name)
            .limit(SWITCHER_SIZE)
        ).all()
    return g.my_workspaces


def _menu_entries() -> list:
    """The domains' entries in the workspace menu (signals.menu_entries) that this member may use."""
    membership = g.get("membership")
    entries = []
    for answer in signals.answers(signals.menu_entries):
        entries += answer if isinstance(answer, list) else [answer]
    return sorted((entry for entry in entries if has_role(membership, entry.minimum_role)), key=lambda e: e.order)


def datetime_with_zone(value, fmt="medium") -> str:
    """A moment in the reader's zone, with the zone named: outside a workspace, no zone goes without saying."""
    if not value:
        return ""
    return f"{format_datetime(value, fmt)} ({get_timezone_name(to_user_timezone(value), width='long', locale=get_locale())})"


def time_of_day(value, fmt="short") -> str:
    """A stored moment's time of day in the reader's zone; a time of day (a setting) as it is."""
    if not value:
        return ""
    return format_time(value, fmt, rebase=isinstance(value, datetime))


def moment(value, date_width="full") -> str:
    """A stored moment as a date and a time of day to the minute, combined as the reader's
    language combines them ("tirsdag den 11. august 2026 kl. 09.00"), in the reader's zone."""
    if not value:
        return ""
    locale = get_locale()
    pattern = (str(locale.datetime_formats[date_width])
               .replace("{1}", locale.date_formats[date_width].pattern)
               .replace("{0}", locale.time_formats["short"].pattern))
    return format_datetime(value, pattern)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": format_datetime(value, fmt) if value else ""
    app.jinja_env.filters["datetime_with_zone"] = datetime_with_zone
    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt) if value else ""
    # A stored moment's time of day where the workspace is; a time of day (a setting) as it is.
    app.jinja_env.filters["time"] = time_of_day
    app.jinja_env.filters["moment"] = moment
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def page_context():
        return {
            "locales": [(code, LOCALE_NAMES[code]) for code in LOCALES],
            "current_locale": current_language(),
            "tenant": g.get("tenant"),
            "membership": g.get("membership"),
            "my_workspaces": _my_workspaces,
            "menu_entries": _menu_entries,
            "role_labels": {role: str(label) for role, label in ROLE_LABELS.items()},
            "has_role": has_role,
            "time_zone_label": time_zone_label,
            "current_path": request.full_path.rstrip("?") if has_request_context() else "/",
        }
