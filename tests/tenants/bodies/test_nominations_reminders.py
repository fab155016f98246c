"""The reminder: one e-mail a few days before the due date, sent by the worker's scheduled job."""
from datetime import timedelta

import time_machine
from babel.dates import format_date
from sqlalchemy import select

from samklima.extensions import db
from samklima.platform.clock import utcnow
from samklima.platform.scheduler import jobs, run_jobs
from samklima.platform.tenancy import tenant_scope
from samklima.tenants.bodies.nominations import operations as nominations
from samklima.tenants.bodies.models import NominationRequest
from tests.tenants.bodies import structures
from tests.tenants.bodies.nomination_helpers import (
    answer_form,
    ask,
    link_in,
    list_url,
    mails_to,
    noon,
    today,
    trollhattan_open,  # noqa: F401 (a fixture)
)

HEAD = "mikael.strand@trollhattan.example"
HELENA = "helena.bostrom@trollhattan.example"


def reminders(app):
    with app.app_context():
        return run_jobs("nomination_reminders")["nomination_reminders"]


def send_two(app, world, make_browser, due_in=14):
    karin = make_browser()
    karin.login(world.logins["owner"])
    due = (today() + timedelta(days=due_in)).isoformat()
    ask(karin, world, "group", "Samhällsbyggnadsförvaltningen", due_date=due)
    ask(karin, world, "group", "Utbildningsförvaltningen", recipient_name="Helena Boström", recipient_email=HELENA,
        due_date=due)
    return karin


def test_the_reminder_job_is_registered_with_the_platform(app):
    with app.app_context():
        assert jobs()["nomination_reminders"] is nominations.send_due_reminders


def test_one_reminder_goes_out_three_days_before_the_due_date_with_the_same_link(app, trollhattan_open,
                                                                                 make_browser):
    send_two(app, trollhattan_open, make_browser)
    due = today() + timedelta(days=14)
    with time_machine.travel(noon(due - timedelta(days=4)), tick=False):
        assert reminders(app) == 0  # too early
    with time_machine.travel(noon(due - timedelta(days=3)), tick=False):
        assert reminders(app) == 2
        assert reminders(app) == 0  # once
    with time_machine.travel(noon(due - timedelta(days=1)), tick=False):
        assert reminders(app) == 0
    first, reminder = mails_to(app, HEAD)
    assert reminder.locale == "sv" and '<html lang="sv">' in reminder.body_html
    assert "Ekologiska hållbarhetsgruppen" in reminder.subject and reminder.subject != first.subject
    assert format_date(due, "long", locale="sv") in reminder.body_text
    assert "Utse en representant med tydligt mandat" in reminder.body_html  # the request, repeated
    # The reminder repeats the first mail's link, and it still works.
    assert link_in(reminder) == link_in(first)
    with time_machine.travel(noon(due - timedelta(days=1)), tick=False):
        assert make_browser().get(link_in(reminder)).status_code == 200


def test_no_reminder_for_a_request_that_was_answered_declined_or_withdrawn(app, trollhattan_open, make_browser):
    karin = send_two(app, trollhattan_open, make_browser)
    head = make_browser()
    head.post(link_in(mails_to(app, HEAD)[0]), answer_form(
        "Mikael Strand", ("Elin Sjöberg", "elin.sjoberg@trollhattan.example", "", "", "member")))
    with app.app_context(), tenant_scope(trollhattan_open.tenant_id):
        helena_request = db.session.scalars(select(NominationRequest).where(
            NominationRequest.recipient_email == HELENA)).one().id
    karin.post(f"{list_url(trollhattan_open, 'group')}/{helena_request}/withdraw")
    with time_machine.travel(noon(today() + timedelta(days=12)), tick=False):
        assert reminders(app) == 0
    assert len(mails_to(app, HEAD)) == 1 and len(mails_to(app, HELENA)) == 1


def test_no_reminder_within_a_day_of_the_request_going_out(app, trollhattan_open, make_browser):
    sent = utcnow()
    send_two(app, trollhattan_open, make_browser, due_in=2)
    assert reminders(app) == 0
    with time_machine.travel(sent + timedelta(hours=23), tick=False):
        assert reminders(app) == 0
    with time_machine.travel(sent + nominations.REMINDER_NOT_BEFORE + timedelta(minutes=1), tick=False):
        assert reminders(app) == 2


def test_no_reminder_after_the_due_date(app, trollhattan_open, make_browser):
    send_two(app, trollhattan_open, make_browser, due_in=5)
    with time_machine.travel(noon(today() + timedelta(days=6)), tick=False):
        assert reminders(app) == 0


def test_flask_jobs_run_sends_the_reminders_once(app, trollhattan_open, make_browser):
    send_two(app, trollhattan_open, make_browser)
    with time_machine.travel(noon(today() + timedelta(days=12)), tick=False):
        first = app.test_cli_runner().invoke(args=["jobs", "run"])
        again = app.test_cli_runner().invoke(args=["jobs", "run", "--job", "nomination_reminders"])
    assert first.exit_code == 0, first.output
    assert "jobs: nomination_reminders: 2" in first.output
    assert "jobs: nomination_reminders: 0" in again.output
    unknown = app.test_cli_runner().invoke(args=["jobs", "run", "--job", "publish_everything"])
    assert unknown.exit_code != 0


def test_each_workspace_reminds_only_its_own_heads(app, trollhattan_open, make_browser):
    with app.app_context():
        midtjylland = structures.build_midtjylland()
    sender = make_browser()
    sender.login(midtjylland.logins["secretariat_role"])
    ask(sender, midtjylland, "working", "Horsens Kommune", locale="da", recipient_email="direktion@horsens.example",
        due_date=(today() + timedelta(days=20)).isoformat())
    send_two(app, trollhattan_open, make_browser)
    with time_machine.travel(noon(today() + timedelta(days=12)), tick=False):
        assert reminders(app) == 2  # Trollhättan's two; Horsens is not due yet
    with time_machine.travel(noon(today() + timedelta(days=18)), tick=False):
        assert reminders(app) == 1
    [_, reminder] = mails_to(app, "direktion@horsens.example")
    assert reminder.tenant_id == midtjylland.tenant_id and reminder.locale == "da"
