"""Choosing the language and time zone of each request, and the language picker."""
from urllib.parse import urlsplit

from flask import Blueprint, g, has_request_context, redirect, request, session
from flask_babel import refresh
from flask_login import current_user

from samklima.config import LOCALES
from samklima.extensions import csrf, db

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


def select_locale() -> str:
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
    tenant = g.get("tenant")
    return tenant.time_zone if tenant is not None else None


def safe_next(target: str | None, fallback: str = "/") -> str:
    """Only a path on this site: an open redirect would help phishing."""
    if not target:
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
