"""E-mails waiting to be sent, written in the transaction that caused them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from samklima.extensions import db
from samklima.platform.clock import utcnow


class OutboxMessage(db.Model):
    """Platform-level: the worker sends for every workspace.

    tenant_id records which workspace caused the mail (None for account mail);
    a row only ever goes to its own recipient. On PostgreSQL a workspace's rows
    are under row-level security like every tenant-owned table (account mail,
    with no workspace, is visible to the platform), so the worker sends each
    workspace's mail inside that workspace's scope.

    A mail that carries a one-time link (reset, verification, invitation,
    nomination) loses its bodies once it is delivered or has failed for good:
    the envelope, Message-ID and status stay, the link does not.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_pending", "sent_at", "claimed_until"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    locale: Mapped[str] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    carries_secret: Mapped[bool] = mapped_column(default=False)
    # Set when the mail cannot be sent (it cannot be built, or every attempt failed):
    # shown to the workspace's administrators with last_error, never dropped silently.
    failed_at: Mapped[datetime | None]
    # Turns in a row that the mail server could not be reached: the back-off grows with them.
    unreachable_rounds: Mapped[int] = mapped_column(default=0)
    # The workspace's name as the sender's, and its secretariat's address for replies.
    sender_name: Mapped[str] = mapped_column(String(200), default="")
    reply_to: Mapped[str] = mapped_column(String(254), default="")
    # One text attachment, e.g. an invitation's .ics (text/calendar; method=REQUEST).
    attachment_name: Mapped[str] = mapped_column(String(100), default="")
    attachment_type: Mapped[str] = mapped_column(String(100), default="")
    attachment_body: Mapped[str] = mapped_column(Text, default="")
