"""Configuration read from the environment, with safe defaults for a laptop."""
import os
import secrets
from pathlib import Path

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
