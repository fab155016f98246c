"""Configuration read from the environment, with safe defaults for a laptop."""
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

LOCALES = ("en", "da", "sv", "nb", "nn", "fi", "is")
# Each language named in itself, as the language picker shows it.
LOCALE_NAMES = {
    "en": "English",
    "da": "Dansk",
    "sv": "Svenska",
    "nb": "Norsk bokmål",
    "nn": "Norsk nynorsk",
    "fi": "Suomi",
    "is": "Íslenska",
}

# The time zones a workspace or a person chooses from, the country each is named
# by, and the usual one for each language (a person who has not chosen one).
TIME_ZONES = ("Europe/Copenhagen", "Europe/Stockholm", "Europe/Oslo", "Europe/Helsinki", "Atlantic/Reykjavik", "UTC")
TIME_ZONE_COUNTRIES = {
    "Europe/Copenhagen": "DK",
    "Europe/Stockholm": "SE",
    "Europe/Oslo": "NO",
    "Europe/Helsinki": "FI",
    "Atlantic/Reykjavik": "IS",
}
LOCALE_TIME_ZONES = {
    "da": "Europe/Copenhagen",
    "sv": "Europe/Stockholm",
    "nb": "Europe/Oslo",
    "nn": "Europe/Oslo",
    "fi": "Europe/Helsinki",
    "is": "Atlantic/Reykjavik",
}
# Babel's "en" formats dates the American way (9/16/20, 12-hour clock); Nordic
# readers of English expect the British forms (16/09/2020, 24-hour clock).
FORMATTING_LOCALES = {"en": "en_GB"}


def _secret_key(instance_path: Path) -> str:
    """Use SECRET_KEY, else a key generated once into instance/ (never committed)."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def trusted_hosts(config: dict) -> list[str]:
    """The hosts this site answers for: BASE_URL's, any named in TRUSTED_HOSTS, and on a laptop
    the loopback names. A request for any other host gets 400 (see platform/links.py)."""
    hosts = [urlsplit(config["BASE_URL"]).hostname or ""]
    hosts += [host.strip() for host in os.environ.get("TRUSTED_HOSTS", "").split(",") if host.strip()]
    if not config["PRODUCTION"]:
        hosts += ["localhost", "127.0.0.1"]
    return sorted(set(hosts) - {""})


def from_environment(instance_path: str) -> dict:
    instance = Path(instance_path)
    production = os.environ.get("SAMKLIMA_ENV", "development") == "production"
    return {
        "SECRET_KEY": _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DATABASE_URL", f"sqlite:///{instance / 'samklima.sqlite3'}"
        ),
        # Set on PostgreSQL when the app connects as a separate, non-owning role
        # (row-level security); migrations then use DATABASE_URL, the owner.
        "APP_DATABASE_URL": os.environ.get("APP_DATABASE_URL"),
        "PRODUCTION": production,
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_ABSOLUTE_HOURS": int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12")),
        "SESSION_IDLE_MINUTES": int(os.environ.get("SESSION_IDLE_MINUTES", "60")),
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", str(8 * 1024 * 1024))),
        "WTF_CSRF_TIME_LIMIT": None,  # the session's own lifetime bounds the token
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_SLOWDOWN_SECONDS": float(os.environ.get("LOGIN_SLOWDOWN_SECONDS", "2")),
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "Samklima <no-reply@samklima.example>"),
        "SMTP_HOST": os.environ.get("SMTP_HOST", ""),
        "SMTP_PORT": int(os.environ.get("SMTP_PORT", "25")),
        "SMTP_USERNAME": os.environ.get("SMTP_USERNAME", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": _bool("SMTP_STARTTLS", False),
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000"),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        # ASVS 2.4.1 parameters (argon2id, 19 MiB, t=2); tests override with cheap ones.
        "ARGON2_TIME_COST": 2,
        "ARGON2_MEMORY_COST": 19 * 1024,
        "ARGON2_PARALLELISM": 1,
    }
