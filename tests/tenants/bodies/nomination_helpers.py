"""What the nomination tests share: asking through the form, and the link from the e-mail."""
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from samklima.extensions import db
from samklima.platform.clock import local_today
from tests import mailbox

LINK = re.compile(r"http://localhost(/nominations/[^\s\"<]+)")
MESSAGE = (
    "Vi bjuder in förvaltningarna till Ekologiska hållbarhetsgruppen.\n\n"
    "Utse en representant med tydligt mandat att företräda förvaltningen."
)


@pytest.fixture
def trollhattan_open(app_context):
    """Seed 003 before the förvaltningar have named anyone: only the strategists sit in the group."""
    from tests.tenants.bodies import structures

    return structures.build_trollhattan(with_participants=False)


def today(zone="Europe/Stockholm"):
    return local_today(zone)


def noon(day):
    """Midday of a day, for moving the clock to it with time-machine."""
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def new_url(world, body_key):
    return f"/{world.slug}/bodies/{world.bodies[body_key]}/nominations/new"


def list_url(world, body_key):
    return f"/{world.slug}/bodies/{world.bodies[body_key]}/nominations"


def request_form(world, organisation, **overrides):
    form = {
        "organisation_id": str(world.orgs[organisation]),
        "locale": "sv",
        "recipient_name": "Mikael Strand",
        "recipient_email": "mikael.strand@trollhattan.example",
        "seats": "1",
        "due_date": (today() + timedelta(days=14)).isoformat(),
        "message": MESSAGE,
    }
    form.update(overrides)
    return form


def ask(browser, world, body_key, organisation, **overrides):
    """Send a request through the form; returns the response."""
    return browser.post(new_url(world, body_key), request_form(world, organisation, **overrides))


def mails_to(app, recipient):
    return mailbox.mails_to(app, recipient)


def link_in(message) -> str:
    """The path of the link in a mail, as the head opens it."""
    text_link = LINK.search(message.body_text).group(1)
    assert f'href="http://localhost{text_link}"' in message.body_html
    return text_link


def link_to(app, recipient) -> str:
    return link_in(mails_to(app, recipient)[-1])


def everything(owner_engine):
    """Every row of every table, past row-level security: "nothing written" means this is equal."""
    with owner_engine.connect() as connection:
        return {
            table.name: sorted(map(repr, connection.execute(sa.select(table)).all()))
            for table in db.metadata.sorted_tables
        }


def answer_form(answered_by, *representatives):
    """The head's answer: representatives as (name, e-mail, title, mandate, role)."""
    form = {"action": "answer", "answered_by": answered_by}
    for n, (name, email, title, mandate, role) in enumerate(representatives):
        form |= {f"representatives-{n}-name": name, f"representatives-{n}-email": email,
                 f"representatives-{n}-title": title, f"representatives-{n}-mandate": mandate,
                 f"representatives-{n}-role": role}
    return form
