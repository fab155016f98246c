"""A page's SQL query count does not grow with its rows.

Each page is rendered with a few rows, then with fifty times as many of
every kind of child row, and must take the same number of queries.
"""
from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa

from samklima.extensions import db
from samklima.platform.accounts.models import User, UserSession
from samklima.platform.audit.models import AuditEvent
from samklima.platform.clock import utcnow
from samklima.platform.tenancy import tenant_scope
from samklima.platform.workspaces.models import Invitation, Tenant, TenantMembership
from tests import factories

SMALL, LARGE = 2, 100


@contextmanager
def counting_queries(app):
    with app.app_context():
        engine = db.engine
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def grow(app, rows):
    """Add `rows` of every kind of child row the pages list, in bulk."""
    with app.app_context():
        tenant = db.session.scalars(sa.select(Tenant).where(Tenant.slug == "dk2020-midtjylland")).one()
        lene = db.session.scalars(sa.select(User).where(User.email == "lene@dk2020.example")).one()
        start = db.session.scalar(sa.select(sa.func.count(User.id)))
        now = utcnow()
        db.session.execute(sa.insert(User), [
            {"email": f"medarbejder{start + n}@kommune.example", "name": f"Medarbejder {start + n}",
             "password_hash": lene.password_hash, "is_operator": False, "created_at": now}
            for n in range(rows)
        ])
        new_ids = db.session.scalars(sa.select(User.id).order_by(User.id.desc()).limit(rows)).all()
        db.session.execute(sa.insert(TenantMembership), [
            {"tenant_id": tenant.id, "user_id": uid, "role": "member", "created_at": now} for uid in new_ids
        ])
        db.session.execute(sa.insert(Tenant), [
            {"slug": f"arbejdsrum-{start + n}", "name": f"Netværk {start + n}", "country": "DK",
             "default_locale": "da", "time_zone": "Europe/Copenhagen", "currency": "DKK", "plan": "trial",
             "subscription_status": "trialing", "requires_admin_two_factor": False, "created_at": now}
            for n in range(rows)
        ])
        other_ids = db.session.scalars(sa.select(Tenant.id).order_by(Tenant.id.desc()).limit(rows)).all()
        db.session.execute(sa.insert(TenantMembership), [
            {"tenant_id": tid, "user_id": lene.id, "role": "member", "created_at": now} for tid in other_ids
        ])
        db.session.execute(sa.insert(UserSession), [
            {"user_id": lene.id, "token_hash": f"s{start + n:063d}", "created_at": now, "last_seen_at": now,
             "user_agent": "Firefox"}
            for n in range(rows)
        ])
        db.session.execute(sa.update(User).where(User.id == lene.id).values(is_operator=True))
        with tenant_scope(tenant):
            db.session.execute(sa.insert(Invitation), [
                {"tenant_id": tenant.id, "email": f"inviteret{start + n}@kommune.example", "role": "member",
                 "locale": "da", "token_hash": f"{start + n:064d}", "invited_by_id": uid,
                 "created_at": now, "expires_at": now + timedelta(days=7)}
                for n, uid in enumerate(new_ids)
            ])
            db.session.execute(sa.insert(AuditEvent), [
                {"tenant_id": tenant.id, "action": "role_changed", "actor_id": uid, "subject": "x",
                 "ip_address": "", "details": {"old": "member", "new": "admin"}, "created_at": now}
                for uid in new_ids
            ])
            db.session.commit()


PAGES = [
    "/",
    "/account",
    "/operator",
    "/dk2020-midtjylland/",
    "/dk2020-midtjylland/members",
    "/dk2020-midtjylland/invitations",
    "/dk2020-midtjylland/settings",
    "/dk2020-midtjylland/audit",
]


@pytest.fixture
def signed_in(app, browser):
    with app.app_context():
        lene = factories.make_user("lene@dk2020.example", "Lene Bach Kristensen", "da")
        factories.make_workspace("dk2020-midtjylland", "DK2020 Midtjylland", "DK", lene)
    browser.login("lene@dk2020.example")
    return browser


def queries_per_page(app, browser):
    counts = {}
    for url in PAGES:
        browser.get(url)  # warm: the session's last_seen write is not the page's
        with counting_queries(app) as statements:
            response = browser.get(url)
        assert response.status_code == 200, url
        counts[url] = len(statements)
    return counts


def test_query_count_of_every_page_stays_the_same_with_fifty_times_the_rows(app, signed_in):
    grow(app, SMALL)
    small = queries_per_page(app, signed_in)
    grow(app, LARGE - SMALL)
    large = queries_per_page(app, signed_in)
    assert large == small


def test_the_counter_sees_queries(app, signed_in):
    with counting_queries(app) as statements:
        signed_in.get("/dk2020-midtjylland/members")
    assert len(statements) >= 3
