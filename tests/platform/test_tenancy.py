"""The tenancy core: scoping, the flush check, unscoped() and the 404 helper."""
import logging

import pytest
from sqlalchemy import func, insert, select, update
from werkzeug.exceptions import NotFound

from samklima.extensions import db
from samklima.platform.audit.models import AuditEvent
from samklima.platform.tenancy import TenantScopeError, get_or_404, tenant_owned_tables, tenant_scope, unscoped
from samklima.platform.workspaces.models import Invitation
from tests import factories


@pytest.fixture
def two_workspaces(app_context):
    lene = factories.make_user("lene@dk2020.example", "Lene Bach Kristensen", "da")
    karin = factories.make_user("karin@trollhattan.example", "Karin Lindqvist", "sv")
    midtjylland = factories.make_workspace("dk2020-midtjylland", "DK2020 Midtjylland", "DK", lene)
    trollhattan = factories.make_workspace("trollhattan-hallbarhet", "Trollhättans stad", "SE", karin)
    return midtjylland, trollhattan


def test_every_tenant_owned_table_is_listed_from_the_models():
    assert {"audit_events", "invitations"} <= set(tenant_owned_tables())


def test_query_of_tenant_owned_model_without_workspace_raises(two_workspaces):
    with pytest.raises(TenantScopeError):
        db.session.scalars(select(AuditEvent)).all()


def test_count_query_without_workspace_raises(two_workspaces):
    with pytest.raises(TenantScopeError):
        db.session.scalar(select(func.count(AuditEvent.id)))


def test_bulk_update_without_workspace_raises(two_workspaces):
    with pytest.raises(TenantScopeError):
        db.session.execute(update(AuditEvent).values(subject="x"))


def test_scoped_query_returns_only_the_workspaces_rows(two_workspaces):
    midtjylland, trollhattan = two_workspaces
    with tenant_scope(midtjylland):
        events = db.session.scalars(select(AuditEvent)).all()
    assert events and {e.tenant_id for e in events} == {midtjylland.id}


def test_bulk_update_changes_only_the_current_workspace(two_workspaces):
    midtjylland, trollhattan = two_workspaces
    with tenant_scope(midtjylland):
        db.session.execute(update(AuditEvent).values(subject="opdateret"))
        db.session.commit()
    with tenant_scope(trollhattan):
        subjects = db.session.scalars(select(AuditEvent.subject)).all()
    assert "opdateret" not in subjects


def test_new_row_takes_the_current_workspace(two_workspaces):
    midtjylland, _ = two_workspaces
    with tenant_scope(midtjylland):
        event = AuditEvent(action="settings_changed")
        db.session.add(event)
        db.session.flush()
        assert event.tenant_id == midtjylland.id
        db.session.rollback()


def test_new_row_without_workspace_is_refused(two_workspaces):
    db.session.add(AuditEvent(action="settings_changed"))
    with pytest.raises(TenantScopeError):
        db.session.flush()
    db.session.rollback()


def test_new_row_for_another_workspace_is_refused(two_workspaces):
    midtjylland, trollhattan = two_workspaces
    with tenant_scope(midtjylland):
        db.session.add(AuditEvent(action="settings_changed", tenant_id=trollhattan.id))
        with pytest.raises(TenantScopeError):
            db.session.flush()
        db.session.rollback()


def test_a_row_cannot_move_to_another_workspace(two_workspaces):
    midtjylland, trollhattan = two_workspaces
    with tenant_scope(midtjylland):
        event = db.session.scalars(select(AuditEvent)).first()
        event.tenant_id = trollhattan.id
        with pytest.raises(TenantScopeError):
            db.session.flush()
        db.session.rollback()


def test_get_or_404_answers_404_for_another_workspaces_id(two_workspaces):
    midtjylland, trollhattan = two_workspaces
    with tenant_scope(trollhattan):
        foreign_id = db.session.scalars(select(AuditEvent.id)).first()
    with tenant_scope(midtjylland):
        own_id = db.session.scalars(select(AuditEvent.id)).first()
        assert get_or_404(AuditEvent, own_id).tenant_id == midtjylland.id
        with pytest.raises(NotFound):
            get_or_404(AuditEvent, foreign_id)
        with pytest.raises(NotFound):
            get_or_404(AuditEvent, 987654321)


def test_get_or_404_refuses_models_that_are_not_tenant_owned(two_workspaces):
    from samklima.platform.accounts.models import User

    with pytest.raises(TypeError):
        get_or_404(User, 1)


@pytest.mark.skipif(bool(__import__("os").environ.get("TEST_DATABASE_URL")),
                    reason="under row-level security the app role sees no rows unscoped; see test_rls")
def test_unscoped_reads_every_workspace_and_is_audited_in_each(two_workspaces, caplog):
    midtjylland, trollhattan = two_workspaces
    with caplog.at_level(logging.WARNING, logger="samklima.audit"):
        with unscoped("nightly retention check"):
            tenants = {e.tenant_id for e in db.session.scalars(select(AuditEvent)).all()}
    db.session.commit()
    assert tenants == {midtjylland.id, trollhattan.id}
    assert "nightly retention check" in caplog.text
    for tenant in (midtjylland, trollhattan):
        with tenant_scope(tenant):
            logged = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "unscoped_access")).all()
        assert [e.subject for e in logged] == ["nightly retention check"]


def test_unscoped_that_reads_nothing_writes_no_audit_events(two_workspaces):
    with unscoped("looking for a missing invitation"):
        assert db.session.scalars(select(Invitation).where(Invitation.email == "nobody@x.example")).all() == []
    db.session.commit()
    for tenant in two_workspaces:
        with tenant_scope(tenant):
            assert not db.session.scalars(select(AuditEvent).where(AuditEvent.action == "unscoped_access")).all()


def test_scope_ends_with_its_block(two_workspaces):
    midtjylland, _ = two_workspaces
    with tenant_scope(midtjylland):
        db.session.scalars(select(AuditEvent)).all()
    with pytest.raises(TenantScopeError):
        db.session.scalars(select(AuditEvent)).all()


def test_count_over_a_subquery_without_workspace_raises(two_workspaces):
    with pytest.raises(TenantScopeError):
        db.session.scalar(select(func.count()).select_from(select(AuditEvent).subquery()))


def test_count_over_a_subquery_counts_only_the_current_workspace(two_workspaces):
    midtjylland, trollhattan = two_workspaces
    with tenant_scope(midtjylland):
        counted = db.session.scalar(select(func.count()).select_from(select(AuditEvent).subquery()))
        listed = db.session.scalars(select(AuditEvent)).all()
    assert counted == len(listed)


def test_pagination_counts_only_the_current_workspace(two_workspaces):
    midtjylland, _ = two_workspaces
    with tenant_scope(midtjylland):
        page = db.paginate(select(AuditEvent), page=1, per_page=1, error_out=False)
        assert page.total == len(db.session.scalars(select(AuditEvent)).all())


def test_bulk_insert_for_another_workspace_is_refused(two_workspaces):
    midtjylland, trollhattan = two_workspaces
    with tenant_scope(midtjylland):
        with pytest.raises(TenantScopeError):
            db.session.execute(insert(AuditEvent), [{"tenant_id": trollhattan.id, "action": "login", "subject": "",
                                                      "ip_address": "", "details": {}}])
        db.session.rollback()


def test_bulk_insert_without_workspace_is_refused(two_workspaces):
    midtjylland, _ = two_workspaces
    with pytest.raises(TenantScopeError):
        db.session.execute(insert(AuditEvent), [{"tenant_id": midtjylland.id, "action": "login", "subject": "",
                                                  "ip_address": "", "details": {}}])
    db.session.rollback()
