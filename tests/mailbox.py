"""The outbox as the database's owner reads it.

On PostgreSQL a workspace's mail is under row-level security, so the app's
own role sees it only inside that workspace's scope; tests that look for the
mail a change queued read it past that, as the owner.
"""
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import Session

from samklima.platform.outbox.models import OutboxMessage


@cache
def _owner_engine(url: str) -> sa.Engine:
    return sa.create_engine(url)


def outbox_messages(app, *where) -> list[OutboxMessage]:
    """Every queued or sent mail matching `where`, oldest first, detached from any session."""
    with Session(_owner_engine(app.config["OWNER_DATABASE_URL"]), expire_on_commit=False) as session:
        return session.scalars(select_messages(*where)).all()


def select_messages(*where):
    return sa.select(OutboxMessage).where(*where).order_by(OutboxMessage.id)


def mails_to(app, recipient: str) -> list[OutboxMessage]:
    return outbox_messages(app, OutboxMessage.recipient == recipient)
