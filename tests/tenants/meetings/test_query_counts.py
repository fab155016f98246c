"""The meeting page, the attendance sheet and the personal invitation page take the same number of queries
at 5 and at 250 agenda items, with proposals, decisions, invitees, answers and substitutes."""
import re

import sqlalchemy as sa

from samklima.extensions import db
from samklima.platform.clock import utcnow
from samklima.platform.tenancy import tenant_scope
from samklima.tenants.meetings.models import AgendaItem, MeetingInvitee
from tests import factories, mailbox
from tests.tenants.meetings.conftest import in_weeks
from tests.test_query_counts import counting_queries

SMALL, LARGE = 5, 250


def fill(group, meeting_id: int, later_id: int, rows: int) -> None:
    """`rows` agenda items of every status, and as many invitees, some answered, some substitutes."""
    with tenant_scope(group.tenant_id):
        now = utcnow()
        statuses = ("accepted", "proposed", "deferred", "rejected")
        db.session.execute(sa.insert(AgendaItem), [{
            "tenant_id": group.tenant_id, "meeting_id": meeting_id, "position": 10 + n, "title": f"Punkt {n}",
            "description": "Oplæg.", "kind": ("information", "decision")[n % 2], "duration_minutes": 5,
            "proposed_decision": "At godkende." if n % 2 else "", "status": statuses[n % 4], "standing": "",
            "closed": n % 7 == 0, "proposer_id": group.people["member"], "proposed_by_id": None,
            "reject_reason": "Ikke nu." if n % 4 == 3 else "", "deferred_to_id": later_id if n % 4 == 2 else None,
            "deferred_from_id": None, "created_at": now, "updated_at": now,
        } for n in range(rows)])
        db.session.execute(sa.insert(MeetingInvitee), [{
            "tenant_id": group.tenant_id, "meeting_id": meeting_id, "kind": "guest", "person_id": None,
            "name": f"Gæst {n}", "email": f"gaest{n}@kl.example", "locale": "da", "substitute_for_id": None,
            "rsvp": ("no_answer", "attending", "not_attending")[n % 3], "answered_at": None, "attendance": None,
            "token_hash": f"{meeting_id}-{rows}-{n}", "invited_sequence": 0, "created_at": now,
        } for n in range(rows)])
        db.session.commit()


def queries_of(app, browser, url) -> int:
    with counting_queries(app) as statements:
        assert browser.get(url).status_code == 200
    return len(statements)


def test_the_meeting_page_and_the_invitation_page_do_not_grow_with_the_agenda(group, signed_in, app):
    counts = {}
    owner = signed_in(group.logins["owner"])
    for rows in (SMALL, LARGE):
        meeting_id = factories.make_meeting(group.tenant_id, group.body_id, day=in_weeks(3 + rows // 50)).id
        later_id = factories.make_meeting(group.tenant_id, group.body_id, day=in_weeks(10 + rows // 50)).id
        fill(group, meeting_id, later_id, rows)
        owner.post(f"/{group.slug}/meetings/{meeting_id}/publish")
        link = re.search(r"http://localhost(/meetings/answer/\S+)",
                         mailbox.mails_to(app, "karen.dahl@rm.example")[-1].body_text).group(1)
        counts[rows] = (queries_of(app, owner, f"/{group.slug}/meetings/{meeting_id}"),
                        queries_of(app, signed_in(group.logins["member"]), f"/{group.slug}/meetings/{meeting_id}"),
                        queries_of(app, signed_in(group.logins["outsider"]), link),
                        queries_of(app, owner, f"/{group.slug}/meetings/{meeting_id}/attendance"))
    assert counts[SMALL] == counts[LARGE]
