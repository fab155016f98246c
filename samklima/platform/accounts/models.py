"""Users (global, one login for every workspace), their sessions and e-mailed tokens."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samklima.extensions import db
from samklima.platform.clock import utcnow


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str | None] = mapped_column(String(5))
    # Times outside a workspace are shown in this zone; None: the usual one of the language.
    time_zone: Mapped[str | None] = mapped_column(String(64))
    email_verified_at: Mapped[datetime | None]
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # The last accepted TOTP time step: a code is never accepted twice.
    totp_last_counter: Mapped[int | None]
    # Wrong codes at the second step of sign-in since the last right one; at
    # TWO_FACTOR_LOCK_AFTER the step locks until the password is reset by e-mail.
    two_factor_failures: Mapped[int] = mapped_column(default=0)
    two_factor_locked_at: Mapped[datetime | None]
    is_operator: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    sessions: Mapped[list[UserSession]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="raise_on_sql"
    )

    @property
    def has_two_factor(self) -> bool:
        return self.totp_secret is not None

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None


class UserSession(db.Model):
    """A server-side session: a signed cookie alone stays valid after log-out."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship(back_populates="sessions")


class UserToken(db.Model):
    """A one-time, expiring token: e-mail verification or password reset."""

    __tablename__ = "user_tokens"

    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
