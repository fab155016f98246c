"""Queueing mail in the outbox and delivering it over SMTP, at least once.

SMTP cannot be exactly-once: a worker killed between the server's reply and
its own commit sends that one message again. Each row therefore carries a
stable Message-ID, so the repeat is recognisable, and a claim lease means a
killed worker's rows are picked up again once the lease runs out.

One bad row never holds up another (RULINGS): a row that cannot be built is
marked failed at once with its reason; a row the server refuses is tried
again later and marked failed after MAX_ATTEMPTS; a server that cannot be
reached is nobody's fault, so the whole batch waits and no attempt is counted.
"""
from __future__ import annotations

import secrets
import smtplib
import sys
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid, parseaddr

from flask import current_app, render_template
from sqlalchemy import or_, select, update

from samklima.extensions import db
from samklima.platform.clock import utcnow
from samklima.platform.i18n import speaking
from samklima.platform.outbox.models import OutboxMessage
from samklima.platform.tenancy import tenant_scope

MAX_ATTEMPTS = 8
# While the mail server cannot be reached, the batch waits this long, doubling up to the cap.
UNREACHABLE_BACKOFF = timedelta(seconds=30)
UNREACHABLE_BACKOFF_CAP = timedelta(minutes=15)


class MailServerUnreachable(Exception):
    """The SMTP server refused or dropped the connection: a retry of the batch, not a fault of its rows."""


def one_line(text: str) -> str:
    """A header value on one line: a line break in a subject would end the header (or the send)."""
    return " ".join(str(text).split())


@dataclass(frozen=True)
class Attachment:
    """A text attachment: an invitation's .ics, whose content type carries its iTIP method."""

    filename: str
    content_type: str
    text: str


def queue_mail(recipient: str, template: str, locale: str, subject, tenant_id: int | None = None,
               carries_secret: bool = False, sender_name: str = "", reply_to: str = "",
               attachment: Attachment | None = None, **context) -> OutboxMessage:
    """Render `template`.txt and .html in the recipient's language and queue them.

    `subject` is a lazy string, so it too is translated into `locale`.
    `carries_secret`: the mail holds a one-time link, so its bodies are cleared after delivery.
    `sender_name` (the workspace's) and `reply_to` (its secretariat's address): so that a
    reply reaches the people who sent it, not the platform.
    """
    with speaking(locale):
        message = OutboxMessage(
            tenant_id=tenant_id,
            message_id=make_msgid(domain="samklima.example"),
            recipient=recipient,
            subject=one_line(subject)[:300],
            body_text=render_template(f"{template}.txt", **context),
            body_html=render_template(f"{template}.html", **context),
            locale=locale,
            carries_secret=carries_secret,
            sender_name=one_line(sender_name)[:200],
            reply_to=reply_to,
            attachment_name=attachment.filename if attachment else "",
            attachment_type=attachment.content_type if attachment else "",
            attachment_body=attachment.text if attachment else "",
        )
    db.session.add(message)
    return message


def _pending(now, tenant_id):
    return (
        OutboxMessage.tenant_id.is_(None) if tenant_id is None else OutboxMessage.tenant_id == tenant_id,
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.failed_at.is_(None),
        or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
    )


def claim_batch(limit: int, lease_seconds: int, tenant_id: int | None = None) -> str:
    """Claim up to `limit` unsent rows of one scope (a workspace, or account mail) and commit the claim.

    The pending conditions stand in the outer WHERE too: PostgreSQL re-checks
    them on a row another worker has just claimed, so no row is claimed twice.
    """
    token = secrets.token_hex(16)
    now = utcnow()
    candidates = select(OutboxMessage.id).where(*_pending(now, tenant_id)).order_by(OutboxMessage.id).limit(limit)
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(candidates.scalar_subquery()), *_pending(now, tenant_id))
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
    sender = current_app.config["MAIL_SENDER"]
    email["From"] = formataddr((message.sender_name, parseaddr(sender)[1])) if message.sender_name else sender
    email["To"] = message.recipient
    if message.reply_to:
        email["Reply-To"] = message.reply_to
    email["Subject"] = message.subject
    email["Message-ID"] = message.message_id
    email.set_content(message.body_text)
    email.add_alternative(message.body_html, subtype="html")
    if message.attachment_name:
        # A text part (utf-8) whose extra parameters stay: "method=REQUEST" tells Outlook it is an invitation.
        kind, *parameters = (part.strip() for part in message.attachment_type.split(";"))
        params = dict(part.split("=", 1) for part in parameters if "=" in part and not part.startswith("charset"))
        email.add_attachment(message.attachment_body, subtype=kind.partition("/")[2], filename=message.attachment_name,
                             params=params)
    # After the content: set_content drops every Content-* header set before it.
    email["Content-Language"] = message.locale
    return email


def _open_smtp():
    config = current_app.config
    try:
        connection = smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=30)
        if config["SMTP_STARTTLS"]:
            connection.starttls()
        if config["SMTP_USERNAME"]:
            connection.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
    except OSError as error:  # smtplib.SMTPException included
        raise MailServerUnreachable(str(error) or type(error).__name__) from error
    return connection


def _finish(message: OutboxMessage, token: str, **values) -> None:
    """Write a row's outcome, if this worker still holds its claim; clear a secret link once it is done with."""
    if message.carries_secret and ("sent_at" in values or "failed_at" in values):
        values |= {"body_text": "", "body_html": ""}
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.claim_token == token)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _failed_attempt(message: OutboxMessage, token: str, reason: str) -> None:
    now = utcnow()
    if message.attempts >= MAX_ATTEMPTS:
        _finish(message, token, failed_at=now, claim_token=None, claimed_until=None, last_error=reason[:2000])
    else:
        _finish(message, token, claimed_until=now + timedelta(seconds=60 * message.attempts), last_error=reason[:2000])


def _wait_for_the_server(token: str, reason: str) -> None:
    """Give the batch's remaining rows back, uncounted, to be tried after a back-off."""
    waiting = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.claim_token == token, OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None)))
    for message in waiting:
        # The more often the server was unreachable for this row, the longer it waits.
        rounds = message.unreachable_rounds + 1
        backoff = min(UNREACHABLE_BACKOFF * 2 ** (rounds - 1), UNREACHABLE_BACKOFF_CAP)
        message.claim_token = None
        message.claimed_until = utcnow() + backoff
        message.attempts = message.attempts - 1
        message.unreachable_rounds = rounds
        message.last_error = f"mail server unreachable: {reason}"[:2000]
    db.session.commit()


def _deliver(messages: list[OutboxMessage], token: str, out) -> int:
    console = not current_app.config["SMTP_HOST"]
    connection = None if console else _open_smtp()
    sent = 0
    try:
        for message in messages:
            try:
                email = build_email(message)
            except Exception as error:  # whatever a row holds, it must not stop the others
                _finish(message, token, failed_at=utcnow(), claim_token=None, claimed_until=None,
                        last_error=f"cannot be built: {error}"[:2000])
                continue
            try:
                if console:
                    print(email.as_string(), file=out, flush=True)
                else:
                    connection.send_message(email)
            except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError) as error:
                connection = None
                raise MailServerUnreachable(str(error) or type(error).__name__) from error
            except smtplib.SMTPException as error:  # the server answered, and refused this one
                _failed_attempt(message, token, str(error))
                continue
            except OSError as error:  # SMTPException is an OSError too: this order matters
                connection = None
                raise MailServerUnreachable(str(error) or type(error).__name__) from error
            except Exception as error:  # e.g. an address the library cannot encode
                _finish(message, token, failed_at=utcnow(), claim_token=None, claimed_until=None,
                        last_error=f"cannot be sent: {error}"[:2000])
                continue
            _finish(message, token, sent_at=utcnow(), claim_token=None, claimed_until=None, unreachable_rounds=0)
            sent += 1
    finally:
        if connection is not None:
            try:
                connection.quit()
            except OSError:
                pass
    return sent


def send_batch(limit: int = 50, lease_seconds: int = 300, out=sys.stdout) -> int:
    """Deliver one batch of account mail and one of each workspace's mail; returns how many were sent.

    Each workspace's batch is claimed and sent inside that workspace's scope, so
    on PostgreSQL row-level security lets the worker see only the rows it sends.
    Without SMTP_HOST (development) mail is printed instead of sent. Raises
    MailServerUnreachable, after giving the batch back, when the server cannot be reached.
    """
    from samklima.platform.workspaces.models import Tenant

    sent = _send_scope(None, limit, lease_seconds, out)
    tenant_ids = db.session.scalars(select(Tenant.id).order_by(Tenant.id)).all()
    db.session.commit()
    for tenant_id in tenant_ids:
        with tenant_scope(tenant_id):
            sent += _send_scope(tenant_id, limit, lease_seconds, out)
    return sent


def _send_scope(tenant_id: int | None, limit: int, lease_seconds: int, out) -> int:
    token = claim_batch(limit, lease_seconds, tenant_id)
    messages = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.claim_token == token).order_by(OutboxMessage.id)
    ).all()
    if not messages:
        return 0
    try:
        return _deliver(messages, token, out)
    except MailServerUnreachable as error:
        db.session.rollback()
        _wait_for_the_server(token, str(error))
        raise


def failed_mail(tenant_id: int, limit: int = 100) -> list[OutboxMessage]:
    """A workspace's mail that could not be sent, newest first, for its administrators."""
    return db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.tenant_id == tenant_id, OutboxMessage.failed_at.is_not(None))
        .order_by(OutboxMessage.failed_at.desc(), OutboxMessage.id.desc())
        .limit(limit)
    ).all()
