"""Queueing mail in the outbox and delivering it over SMTP, at least once.

SMTP cannot be exactly-once: a worker killed between the server's reply and
its own commit sends that one message again. Each row therefore carries a
stable Message-ID, so the repeat is recognisable, and a claim lease means a
killed worker's rows are picked up again once the lease runs out.
"""
from __future__ import annotations

import secrets
import smtplib
import sys
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import or_, select, update

from samklima.extensions import db
from samklima.platform.clock import utcnow
from samklima.platform.outbox.models import OutboxMessage

MAX_ATTEMPTS = 8


def queue_mail(recipient: str, template: str, locale: str, subject, tenant_id: int | None = None, **context) -> OutboxMessage:
    """Render `template`.txt and .html in the recipient's language and queue them.

    `subject` is a lazy string, so it too is translated into `locale`.
    """
    with force_locale(locale):
        context.setdefault("base_url", current_app.config["BASE_URL"])
        message = OutboxMessage(
            tenant_id=tenant_id,
            message_id=make_msgid(domain="samklima.example"),
            recipient=recipient,
            subject=str(subject),
            body_text=render_template(f"{template}.txt", **context),
            body_html=render_template(f"{template}.html", **context),
            locale=locale,
        )
    db.session.add(message)
    return message


def _pending(now):
    return (
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.attempts < MAX_ATTEMPTS,
        or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
    )


def claim_batch(limit: int, lease_seconds: int) -> str:
    """Claim up to `limit` unsent rows for this worker and commit the claim.

    The pending conditions stand in the outer WHERE too: PostgreSQL re-checks
    them on a row another worker has just claimed, so no row is claimed twice.
    """
    token = secrets.token_hex(16)
    now = utcnow()
    candidates = select(OutboxMessage.id).where(*_pending(now)).order_by(OutboxMessage.id).limit(limit)
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(candidates.scalar_subquery()), *_pending(now))
        .values(
            claim_token=token,
            claimed_until=now + timedelta(seconds=lease_seconds),
            attempts=OutboxMessage.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return token


def build_email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = message.message_id
    email.set_content(message.body_text)
    email.add_alternative(message.body_html, subtype="html")
    # After the content: set_content drops every Content-* header set before it.
    email["Content-Language"] = message.locale
    return email


def _open_smtp():
    config = current_app.config
    connection = smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=30)
    if config["SMTP_STARTTLS"]:
        connection.starttls()
    if config["SMTP_USERNAME"]:
        connection.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
    return connection


def send_batch(limit: int = 50, lease_seconds: int = 300, out=sys.stdout) -> int:
    """Deliver one batch; returns how many messages were sent.

    Without SMTP_HOST (development) mail is printed instead of sent.
    """
    token = claim_batch(limit, lease_seconds)
    messages = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.claim_token == token).order_by(OutboxMessage.id)
    ).all()
    if not messages:
        return 0
    console = not current_app.config["SMTP_HOST"]
    connection = None if console else _open_smtp()
    sent = 0
    try:
        for message in messages:
            try:
                if console:
                    print(build_email(message).as_string(), file=out, flush=True)
                else:
                    connection.send_message(build_email(message))
            except smtplib.SMTPException as error:
                message.last_error = str(error)[:2000]
                message.claimed_until = utcnow() + timedelta(seconds=60 * message.attempts)
                db.session.commit()
                continue
            db.session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message.id, OutboxMessage.claim_token == token)
                .values(sent_at=utcnow(), claim_token=None, claimed_until=None)
                .execution_options(synchronize_session=False)
            )
            db.session.commit()
            sent += 1
    finally:
        if connection is not None:
            connection.quit()
    return sent
