"""Choosing the language and time zone of each request, and the language picker."""
from urllib.parse import urlsplit

from babel import Locale
from babel.dates import get_timezone_location, get_timezone_name
from flask import Blueprint, g, has_request_context, redirect, request, session
from flask_babel import force_locale, get_locale, refresh
from flask_login import current_user

from samklima.config import FORMATTING_LOCALES, LOCALE_TIME_ZONES, LOCALES, TIME_ZONE_COUNTRIES
from samklima.platform.clock import workspace_time_zone

bp = Blueprint("i18n", __name__)

# Browsers in Norway often send plain "no": that is Bokmål.
_ALIASES = {"no": "nb", "nob": "nb", "nno": "nn"}


def browser_locale() -> str | None:
    for tag, _quality in request.accept_languages:
        primary = tag.lower().replace("_", "-").split("-")[0]
        primary = _ALIASES.get(primary, primary)
        if primary in LOCALES:
            return primary
    return None


def formatting_locale(code: str) -> str:
    """The Babel locale that formats dates and numbers for one of our LOCALES."""
    return FORMATTING_LOCALES.get(code, code)


def current_language() -> str:
    """The request's language as one of LOCALES (for lang attributes and what a user chose)."""
    return get_locale().language


def speaking(code: str):
    """Render in one of our LOCALES (a mail, a document), with its date and number formats."""
    return force_locale(formatting_locale(code))


def select_locale() -> str:
    return formatting_locale(_chosen_language())


def _chosen_language() -> str:
    """The user's own choice, then the workspace default, then the browser."""
    if not has_request_context():
        tenant = g.get("tenant")
        return tenant.default_locale if tenant is not None else "en"
    if current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    if session.get("locale") in LOCALES:
        return session["locale"]
    # A page reached from an e-mail speaks the mail's language (use_page_locale).
    if g.get("page_locale") in LOCALES:
        return g.page_locale
    tenant = g.get("tenant")
    if tenant is not None:
        return tenant.default_locale
    return browser_locale() or "en"


def use_page_locale(locale: str) -> None:
    """Show this page in `locale` unless the reader chose a language themselves."""
    g.page_locale = locale
    refresh()  # Flask-Babel caches the locale once something has asked for it


def select_timezone() -> str | None:
    """Inside a workspace its zone; elsewhere (account pages, the operator console) the reader's own."""
    zone = workspace_time_zone()
    if zone is not None:
        return zone
    if has_request_context() and current_user.is_authenticated:
        return user_time_zone(current_user)
    return None


def user_time_zone(user) -> str:
    """The zone a person chose, else the usual one of their language, else their first workspace's."""
    if user.time_zone:
        return user.time_zone
    if user.locale in LOCALE_TIME_ZONES:
        return LOCALE_TIME_ZONES[user.locale]
    from samklima.platform.workspaces.queries import first_time_zone_of

    return first_time_zone_of(user) or "UTC"


def time_zone_label(zone: str) -> str:
    """A zone as a reader names it, in the reader's language: "Danmark (København)", not Europe/Copenhagen."""
    locale = get_locale()
    country = TIME_ZONE_COUNTRIES.get(zone)
    if country is None:
        return get_timezone_name(zone, width="long", locale=locale)
    city = get_timezone_location(zone, locale=locale, return_city=True)
    return f"{Locale.parse(str(locale)).territories.get(country, country)} ({city})"


def safe_next(target: str | None, fallback: str = "/") -> str:
    """Only a path on this site: an open redirect would help phishing.

    No control characters (a line break cannot go into the Location header) and
    no backslash (browsers read "/\\evil.example" as "//evil.example").
    """
    if not target or any(ord(c) < 0x20 or c in "\x7f\\" for c in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


@bp.post("/language")
def choose_language():
    locale = request.form.get("locale", "")
    if locale in LOCALES:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
    return redirect(safe_next(request.form.get("next")))


def init_app(app) -> None:
    app.register_blueprint(bp)
