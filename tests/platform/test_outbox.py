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
from samklima.platform.outbox.operations import (
    MAX_ATTEMPTS,
    Attachment,
    MailServerUnreachable,
    queue_mail,
    send_batch,
)
from samklima.platform.tenancy import tenant_scope
from samklima.platform.workspaces.models import Tenant, TenantMembership
from samklima.platform.workspaces.operations import invite
from samklima.platform.workspaces.queries import membership_in_tenant_of
from tests import factories
from tests.mailbox import outbox_messages
from tests.smtp import SMTPServer, free_port

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
    return [message.message_id for message in outbox_messages(app)]


def test_mail_queued_in_a_transaction_that_rolls_back_is_never_sent(app):
    with app.test_request_context():
        queue_mail("klima@skive.example", "accounts/email/reset", "da", "Nulstil", user=type("U", (), {"name": "Ida"})(),
                   link="http://localhost/x")
        db.session.rollback()
        assert db.session.scalar(select(sa.func.count(OutboxMessage.id))) == 0


def test_invitation_and_its_mail_are_committed_together(app, midtjylland):
    queue_invitations(app, 1)
    [mail] = outbox_messages(app)
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
        assert all(m.sent_at for m in outbox_messages(app))


def test_a_refused_recipient_is_retried_later_and_not_marked_sent(app, midtjylland, smtp):
    queue_invitations(app, 1)
    smtp.inbox.refuse.add("koordinator0@kommune0.example")
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port)
    try:
        with app.app_context():
            assert send_batch() == 0
            assert send_batch() == 0  # waiting: not claimed again at once
            [mail] = outbox_messages(app)
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
        assert outbox_messages(app, OutboxMessage.sent_at.is_(None)) == []


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
        assert len(outbox_messages(app, OutboxMessage.sent_at.is_not(None))) == 4
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
        assert outbox_messages(app, OutboxMessage.sent_at.is_(None)) == []


def database_engine(database):
    return sa.create_engine(database[0])


# One bad row never holds up another (RULINGS) ----------------------------------------------


@pytest.fixture
def smtp_on(app, smtp):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port)
    yield smtp
    app.config.update(SMTP_HOST="", SMTP_PORT=25)


def rows(owner_engine):
    with owner_engine.connect() as connection:
        return connection.execute(sa.text("SELECT * FROM outbox_messages ORDER BY id")).mappings().all()


def test_a_row_that_cannot_be_built_is_marked_failed_and_the_rest_go_out(app, midtjylland, smtp_on, owner_engine):
    queue_invitations(app, 5)
    # Written past the form, as an older version or another tool might have: a header with a line break.
    with owner_engine.begin() as connection:
        connection.execute(sa.text("UPDATE outbox_messages SET subject = 'Ny gruppe\nBcc: alle@example.com' "
                                   "WHERE id = (SELECT min(id) FROM outbox_messages)"))
    with app.app_context():
        assert send_batch() == 4
    broken, *good = rows(owner_engine)
    assert broken["sent_at"] is None and broken["failed_at"] is not None
    assert broken["last_error"].startswith("cannot be built:")
    assert all(row["sent_at"] is not None for row in good)
    assert len(smtp_on.inbox.messages) == 4


def test_a_subject_typed_with_a_line_break_is_folded_into_one_line(app, midtjylland, smtp_on, owner_engine):
    with app.test_request_context():
        queue_mail("klima@skive.example", "accounts/email/reset", "da", "Nulstil\r\nBcc: alle@example.com",
                   user=type("U", (), {"name": "Ida"})(), link="http://localhost/x")
        db.session.commit()
        assert send_batch() == 1
    assert smtp_on.inbox.messages[0]["Subject"] == "Nulstil Bcc: alle@example.com"
    assert smtp_on.inbox.messages[0]["Bcc"] is None


def test_an_unreachable_server_is_a_wait_for_the_batch_not_a_failure_of_its_rows(app, midtjylland, owner_engine):
    queue_invitations(app, 3)
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port())  # nothing listens there
    try:
        with app.app_context():
            # Far more turns than MAX_ATTEMPTS, each after the back-off has run out.
            for turn in range(12):
                with time_machine.travel(utcnow() + timedelta(hours=turn), tick=False):
                    with pytest.raises(MailServerUnreachable):
                        send_batch()
                    assert send_batch() == 0  # backing off: not tried again at once
        waiting = rows(owner_engine)
        assert [(row["attempts"], row["failed_at"], row["sent_at"]) for row in waiting] == [(0, None, None)] * 3
        assert all(row["last_error"].startswith("mail server unreachable") for row in waiting)
        with SMTPServer() as server:
            app.config["SMTP_PORT"] = server.port
            with time_machine.travel(utcnow() + timedelta(hours=13), tick=False):
                with app.app_context():
                    assert send_batch() == 3
            assert len(server.inbox.messages) == 3
    finally:
        app.config.update(SMTP_HOST="", SMTP_PORT=25)


def test_a_mail_refused_every_time_is_kept_as_failed_and_shown_to_the_workspaces_admins(
        app, midtjylland, smtp_on, owner_engine, make_browser):
    queue_invitations(app, 1, emails=["forkert@skive.example"])
    smtp_on.inbox.refuse.add("forkert@skive.example")
    with app.app_context():
        for turn in range(MAX_ATTEMPTS + 2):
            with time_machine.travel(utcnow() + timedelta(days=turn), tick=False):
                send_batch()
    [row] = rows(owner_engine)
    assert row["attempts"] == MAX_ATTEMPTS and row["failed_at"] is not None and row["sent_at"] is None
    assert "mailbox unavailable" in row["last_error"]
    assert row["body_text"] == "" and row["body_html"] == ""  # its invitation link is gone with it

    owner = make_browser()
    owner.login("lene@dk2020.example")
    owner.post("/language", {"locale": "en", "next": "/"})  # she reads Danish; the test reads English
    page = owner.get("/dk2020-midtjylland/settings").get_data(as_text=True)
    assert "Mail that could not be delivered" in page
    assert "forkert@skive.example" in page and "mailbox unavailable" in page


def test_a_delivered_mail_with_a_secret_link_keeps_its_envelope_but_not_its_link(app, midtjylland, smtp_on,
                                                                                owner_engine):
    queue_invitations(app, 1)
    with app.app_context():
        assert send_batch() == 1
    [row] = rows(owner_engine)
    assert row["sent_at"] is not None and row["carries_secret"]
    assert (row["body_text"], row["body_html"]) == ("", "")
    assert row["recipient"] == "koordinator0@kommune0.example" and row["message_id"].startswith("<")
    assert "/invitations/" in smtp_on.inbox.messages[0].get_body(("plain",)).get_content()


def test_a_delivered_mail_without_a_secret_keeps_its_text(app, smtp_on, owner_engine):
    with app.test_request_context():
        factories.make_user("lene@dk2020.example", "Lene Bach Kristensen", "da")
        from samklima.platform.accounts.operations import sign_up

        sign_up("lene@dk2020.example", "Lene", factories.PASSWORD, "da")
        db.session.commit()
        assert send_batch() == 1
    [row] = rows(owner_engine)
    assert not row["carries_secret"] and "http://localhost/login" in row["body_text"]


def test_a_workspace_mail_carries_its_sender_name_reply_to_and_calendar_part(app, midtjylland, smtp):
    with app.test_request_context():
        queue_mail("klima@skive.example", "accounts/email/reset", "da", "Dagsorden", sender_name="DK2020 Midtjylland",
                   reply_to="lene@dk2020.example", attachment=Attachment(
                       "invite.ics", "text/calendar; charset=utf-8; method=REQUEST", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"),
                   user=type("U", (), {"name": "Ida"})(), link="http://localhost/x")
        db.session.commit()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port)
    try:
        with app.app_context():
            assert send_batch() == 1
    finally:
        app.config["SMTP_HOST"] = ""
    [message] = smtp.inbox.messages
    assert message["From"].startswith("DK2020 Midtjylland <") and message["Reply-To"] == "lene@dk2020.example"
    [part] = list(message.iter_attachments())
    assert (part.get_content_type(), part.get_param("method"), part.get_filename()) == (
        "text/calendar", "REQUEST", "invite.ics")
    assert part.get_content().startswith("BEGIN:VCALENDAR")
