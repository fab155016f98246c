"""The outbox: mail is written with the change that causes it and delivered at least once."""
import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
import time_machine
from sqlalchemy import select

from samklima.extensions import db
from samklima.platform.clock import utcnow
from samklima.platform.outbox.models import OutboxMessage
from samklima.platform.outbox.operations import queue_mail, send_batch
from samklima.platform.tenancy import tenant_scope
from samklima.platform.workspaces.models import Tenant, TenantMembership
from samklima.platform.workspaces.operations import invite
from samklima.platform.workspaces.queries import membership_in_tenant_of
from tests import factories
from tests.smtp import SMTPServer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def smtp():
    with SMTPServer() as server:
        yield server


@pytest.fixture
def midtjylland(app):
    with app.app_context():
        lene = factories.make_user("lene@dk2020.example", "Lene Bach Kristensen", "da")
        tenant = factories.make_workspace("dk2020-midtjylland", "DK2020 Midtjylland", "DK", lene)
        return tenant.id, membership_in_tenant_of(tenant, lene).id


def queue_invitations(app, count, locale="da", emails=None):
    """Invite people to the workspace: each invitation queues one mail."""
    with app.app_context():
        tenant = db.session.scalars(select(Tenant)).one()
        owner = db.session.scalars(select(TenantMembership).where(TenantMembership.tenant_id == tenant.id)).first()
        with tenant_scope(tenant):
            for email in emails or [f"koordinator{n}@kommune{n}.example" for n in range(count)]:
                invite(tenant, email, "member", locale, by=owner)
            db.session.commit()
        return db.session.scalars(select(OutboxMessage.message_id).order_by(OutboxMessage.id)).all()


def test_mail_queued_in_a_transaction_that_rolls_back_is_never_sent(app):
    with app.test_request_context():
        queue_mail("klima@skive.example", "accounts/email/reset", "da", "Nulstil", user=type("U", (), {"name": "Ida"})(),
                   link="http://localhost/x")
        db.session.rollback()
        assert db.session.scalar(select(sa.func.count(OutboxMessage.id))) == 0


def test_invitation_and_its_mail_are_committed_together(app, midtjylland):
    queue_invitations(app, 1)
    with app.app_context():
        mail = db.session.scalars(select(OutboxMessage)).one()
        assert mail.recipient == "koordinator0@kommune0.example"
        assert mail.sent_at is None


def test_worker_delivers_each_mail_in_its_recipients_language_as_text_and_html(app, midtjylland, smtp):
    queue_invitations(app, 1, locale="fi")
    queue_invitations(app, 1, locale="da", emails=["sekretariat@viborg.example"])
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port)
    try:
        with app.app_context():
            assert send_batch() == 2
    finally:
        app.config["SMTP_HOST"] = ""
    received = {m["To"]: m for m in smtp.inbox.messages}
    finnish, danish = received["koordinator0@kommune0.example"], received["sekretariat@viborg.example"]
    assert finnish["Content-Language"] == "fi" and danish["Content-Language"] == "da"
    assert "Samklima" in finnish["Subject"] and finnish["Subject"] != danish["Subject"]
    for mail in (finnish, danish):
        assert mail.get_body(("plain",)) is not None and mail.get_body(("html",)) is not None
        assert "/invitations/" in mail.get_body(("plain",)).get_content()
    assert "har inviteret dig til arbejdsrummet DK2020 Midtjylland" in danish.get_body(("plain",)).get_content()
    with app.app_context():
        assert all(m.sent_at for m in db.session.scalars(select(OutboxMessage)))


def test_a_refused_recipient_is_retried_later_and_not_marked_sent(app, midtjylland, smtp):
    queue_invitations(app, 1)
    smtp.inbox.refuse.add("koordinator0@kommune0.example")
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port)
    try:
        with app.app_context():
            assert send_batch() == 0
            assert send_batch() == 0  # waiting: not claimed again at once
            mail = db.session.scalars(select(OutboxMessage)).one()
            assert mail.sent_at is None and "mailbox unavailable" in mail.last_error
        smtp.inbox.refuse.clear()
        with time_machine.travel(utcnow() + timedelta(minutes=5), tick=False):
            with app.app_context():
                assert send_batch() == 1
    finally:
        app.config["SMTP_HOST"] = ""
    assert len(smtp.inbox.messages) == 1


def worker(database, smtp, batch=5):
    owner_url, app_url = database
    env = {
        **os.environ,
        "FLASK_APP": "wsgi.py",
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": owner_url,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp.port),
    }
    if app_url != owner_url:
        env["APP_DATABASE_URL"] = app_url
    flask = str(Path(sys.executable).parent / "flask")
    return subprocess.Popen(
        [flask, "outbox", "send", "--batch", str(batch)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def test_two_workers_at_once_send_every_mail_exactly_once(app, database, midtjylland, smtp):
    message_ids = queue_invitations(app, 30)
    workers = [worker(database, smtp), worker(database, smtp)]
    for process in workers:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    received = smtp.inbox.message_ids()
    assert sorted(received) == sorted(message_ids)
    with app.app_context():
        assert db.session.scalar(select(sa.func.count()).where(OutboxMessage.sent_at.is_(None))) == 0


def test_worker_killed_mid_batch_loses_no_mail_and_repeats_only_the_one_in_flight(app, database, midtjylland, smtp):
    message_ids = queue_invitations(app, 12)
    victim = worker(database, smtp, batch=10)

    def kill_on_fifth(count, message):
        if count == 5:
            os.kill(victim.pid, signal.SIGKILL)

    smtp.inbox.on_message = kill_on_fifth
    victim.communicate(timeout=120)
    assert victim.returncode == -signal.SIGKILL
    smtp.inbox.on_message = None
    in_flight = smtp.inbox.message_ids()[4]

    with app.app_context():
        assert db.session.scalar(select(sa.func.count()).where(OutboxMessage.sent_at.is_not(None))) == 4
    # The killed worker's claim lease runs out.
    with database_engine(database).begin() as connection:
        connection.execute(sa.text("UPDATE outbox_messages SET claimed_until = :past WHERE sent_at IS NULL"),
                           {"past": utcnow() - timedelta(seconds=1)})

    survivor = worker(database, smtp, batch=10)
    out, err = survivor.communicate(timeout=120)
    assert survivor.returncode == 0, err

    received = smtp.inbox.message_ids()
    assert set(received) == set(message_ids)
    repeated = {mid for mid in received if received.count(mid) > 1}
    assert repeated <= {in_flight}
    assert len(received) <= len(message_ids) + 1
    with app.app_context():
        assert db.session.scalar(select(sa.func.count()).where(OutboxMessage.sent_at.is_(None))) == 0


def database_engine(database):
    return sa.create_engine(database[0])
