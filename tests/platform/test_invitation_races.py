"""Accepting an invitation twice at once (a double click, two tabs): one joins, the other sees the used link.

Two browsers send at the same moment: each request waits at a barrier until
the other has opened the invitation too, so both are past the page's own check
before either accepts, as when the requests really overlap.
"""
import re
import threading

import pytest
import sqlalchemy as sa

from samklima.extensions import db
from samklima.platform.workspaces import operations, queries
from samklima.platform.workspaces.models import Tenant, TenantMembership
from tests import factories, mailbox

SLUG = "dk2020-midtjylland"
INVITED = "birgitte.ravn@viborg.example"
JOIN = {"join-name": "Birgitte Ravn", "join-password": "klimaplan for hele midtjylland",
        "join-password_repeat": "klimaplan for hele midtjylland"}
USED = "This invitation has already been used."


@pytest.fixture
def workspace(app, app_context):
    owner = factories.make_user("mette.kjaergaard@dk2020.example", "Mette Kjærgaard")
    return factories.make_workspace(SLUG, "DK2020 Midtjylland", "DK", owner).id


def invite(app, tenant_id, email, role="member"):
    """The path of the link in the invitation mail."""
    with app.app_context():
        tenant = db.session.get(Tenant, tenant_id)
        owner = db.session.scalar(sa.select(TenantMembership).where(TenantMembership.tenant_id == tenant_id))
        factories.make_invitation(tenant, owner, email, role=role)
    body = mailbox.mails_to(app, email)[-1].body_text
    return re.search(r"http://localhost(/invitations/\S+)", body).group(1)


def at_once(monkeypatch, module, name, *requests):
    """Run the requests in threads; each waits in `module.name` (on its first call) until all have got there."""
    barrier = threading.Barrier(len(requests), timeout=20)
    real = getattr(module, name)
    waited = threading.local()

    def waiting(*args, **kwargs):
        result = real(*args, **kwargs)
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait()
        return result

    monkeypatch.setattr(module, name, waiting)
    responses = [None] * len(requests)

    def run(number, request):
        responses[number] = request()

    threads = [threading.Thread(target=run, args=(n, r)) for n, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def memberships_of(app, tenant_id, email):
    with app.app_context():
        return db.session.scalars(sa.select(TenantMembership.role).join(TenantMembership.user).where(
            TenantMembership.tenant_id == tenant_id, sa.text("users.email = :e").bindparams(e=email))).all()


def test_accepting_the_same_invitation_twice_at_once_shows_the_used_link(app, make_browser, monkeypatch,
                                                                         workspace):
    with app.app_context():
        factories.make_user(INVITED, "Birgitte Ravn")
    link = invite(app, workspace, INVITED)
    tabs = [make_browser(), make_browser()]
    for tab in tabs:
        tab.login(INVITED)
    tokens = [tab.csrf_token() for tab in tabs]

    responses = at_once(monkeypatch, operations, "find_invitation",
                        *[lambda tab=tab, token=token: tab.post(link, {"csrf_token": token}, csrf=False)
                          for tab, token in zip(tabs, tokens)])

    assert sorted(r.status_code for r in responses) == [302, 400]
    refused = next(r for r in responses if r.status_code == 400).get_data(as_text=True)
    assert USED in refused
    assert memberships_of(app, workspace, INVITED) == ["member"]


def test_joining_with_the_same_invitation_twice_at_once_makes_one_account(app, make_browser, monkeypatch,
                                                                          owner_engine, workspace):
    link = invite(app, workspace, INVITED)
    tabs = [make_browser(), make_browser()]
    tokens = [tab.csrf_token() for tab in tabs]

    responses = at_once(monkeypatch, operations, "find_invitation",
                        *[lambda tab=tab, token=token: tab.post(link, {**JOIN, "csrf_token": token}, csrf=False)
                          for tab, token in zip(tabs, tokens)])

    assert sorted(r.status_code for r in responses) == [302, 400]
    assert USED in next(r for r in responses if r.status_code == 400).get_data(as_text=True)
    with owner_engine.connect() as connection:
        assert connection.scalar(sa.text("SELECT count(*) FROM users WHERE email = :e"), {"e": INVITED}) == 1
    assert memberships_of(app, workspace, INVITED) == ["member"]


def test_a_refused_password_leaves_the_invitation_open(app, browser, workspace):
    link = invite(app, workspace, INVITED)

    weak = browser.post(link, {**JOIN, "join-password": "kort", "join-password_repeat": "kort"})
    joined = browser.post(link, JOIN)

    assert weak.status_code == 422
    assert joined.status_code == 302
    assert memberships_of(app, workspace, INVITED) == ["member"]


@pytest.mark.postgres
def test_accepting_two_invitations_to_one_workspace_at_once_makes_one_membership(app, make_browser, monkeypatch,
                                                                                 workspace):
    """Invited at work and at home, and both links opened at once while signed in.

    PostgreSQL only: on SQLite the second acceptance waits for the first one's
    write lock, so it always sees the first membership; here both look for a
    membership before either has one.
    """
    with app.app_context():
        factories.make_user(INVITED, "Birgitte Ravn")
    links = [invite(app, workspace, INVITED, role="secretariat"),
             invite(app, workspace, "birgitte.privat@example.org", role="member")]
    tabs = [make_browser(), make_browser()]
    for tab in tabs:
        tab.login(INVITED)
    tokens = [tab.csrf_token() for tab in tabs]

    responses = at_once(monkeypatch, queries, "membership_in_tenant_of",
                        *[lambda tab=tab, token=token, link=link: tab.post(link, {"csrf_token": token}, csrf=False)
                          for tab, token, link in zip(tabs, tokens, links)])

    assert [r.status_code for r in responses] == [302, 302]
    assert len(memberships_of(app, workspace, INVITED)) == 1
