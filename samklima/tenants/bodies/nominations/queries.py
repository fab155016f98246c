"""Reads of nomination requests that several pages share."""
from sqlalchemy import select

from samklima.extensions import db
from samklima.platform.sorting import name_key
from samklima.tenants.bodies.models import Body, NominationRequest


def nominations_of(body: Body) -> list[NominationRequest]:
    return db.session.scalars(
        select(NominationRequest).where(NominationRequest.body_id == body.id)
        .order_by(NominationRequest.sent_at.desc(), NominationRequest.id.desc())
    ).all()


def open_nominations() -> list[NominationRequest]:
    """Every request still waiting for an answer, the most urgent first (one query)."""
    requests = db.session.scalars(
        select(NominationRequest).where(NominationRequest.status == "sent").order_by(NominationRequest.id)
    ).all()
    return sorted(requests, key=lambda request: (request.due_date, name_key(request.organisation.name)))

