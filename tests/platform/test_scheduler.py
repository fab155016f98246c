"""Scheduled jobs: each runs once per workspace, inside that workspace, in a transaction of its own."""
import pytest
from flask import g
from sqlalchemy import func, select

from samklima.extensions import db
from samklima.platform import scheduler, signals
from samklima.platform.audit.operations import record
from samklima.platform.tenancy import current_tenant_id
from samklima.platform.workspaces.models import Invitation
from samklima.platform.workspaces.queries import membership_in_tenant_of
from tests import factories


@pytest.fixture
def two_workspaces(app_context):
    lene = factories.make_user("lene@dk2020.example", "Lene Bach Kristensen", "da")
    karin = factories.make_user("karin@trollhattan.example", "Karin Lindqvist", "sv")
    a = factories.make_workspace("dk2020-midtjylland", "DK2020 Midtjylland", "DK", lene)
    b = factories.make_workspace("trollhattan-hallbarhet", "Trollhättans stad", "SE", karin)
    factories.make_invitation(a, membership_in_tenant_of(a, lene), "ny@horsens.example")
    factories.make_invitation(b, membership_in_tenant_of(b, karin), "ny@vanersborg.example")
    factories.make_invitation(b, membership_in_tenant_of(b, karin), "ny@uddevalla.example")
    return a.id, b.id


@pytest.fixture
def job(app):
    """A job of this app for one test only, named as a domain names its jobs (signals.scheduled_jobs)."""
    receivers = []

    def register(name, function):
        receivers.append(lambda _app, **_kwargs: [(name, function)])
        signals.scheduled_jobs.connect(receivers[-1], sender=app, weak=False)

    yield register
    for receiver in receivers:
        signals.scheduled_jobs.disconnect(receiver, sender=app)


def test_a_job_runs_once_in_each_workspace_and_sees_only_its_rows(two_workspaces, job):
    seen = {}

    def count_invitations(tenant):
        seen[tenant.slug] = (current_tenant_id(), tenant.id, db.session.scalar(select(func.count(Invitation.id))))
        return 1

    job("count_invitations", count_invitations)
    totals = scheduler.run_jobs("count_invitations")
    a, b = two_workspaces
    assert totals == {"count_invitations": 2}
    assert seen == {"dk2020-midtjylland": (a, a, 1), "trollhattan-hallbarhet": (b, b, 2)}
    assert current_tenant_id() is None and "tenant" not in g


def test_a_failing_job_in_one_workspace_keeps_nothing_there_and_stops_nothing_elsewhere(two_workspaces, job,
                                                                                       owner_engine):
    def note_and_maybe_fail(tenant):
        record("settings_changed", subject=f"job in {tenant.slug}")
        if tenant.slug == "dk2020-midtjylland":
            raise RuntimeError("the mail server is down")
        return 1

    job("note", note_and_maybe_fail)
    assert scheduler.run_jobs("note") == {"note": 1}
    with owner_engine.connect() as connection:
        from sqlalchemy import text

        subjects = connection.scalars(text("SELECT subject FROM audit_events WHERE subject LIKE 'job in %'")).all()
    assert subjects == ["job in trollhattan-hallbarhet"]
