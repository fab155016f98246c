"""PostgreSQL row-level security: the database itself keeps workspaces apart.

These run as the application role the app uses (not superuser, owns nothing),
against tables migrated by the owner.
"""
import pytest
import sqlalchemy as sa

from samklima.extensions import db
from samklima.platform.tenancy import tenant_owned_tables, tenant_scope
from samklima.platform.workspaces.queries import membership_in_tenant_of
from samklima.tenants.bodies.models import Body
from samklima.tenants.meetings import operations as meetings
from samklima.tenants.meetings.models import Meeting
from samklima.tenants.meetings.plan import Cadence
from tests import factories
from tests.tenants.bodies.structures import fill_body_tables

pytestmark = pytest.mark.postgres


def fill_meeting_tables(tenant, owner) -> None:
    """A group's meeting plan, a meeting with its standing items, and a guest."""
    group = factories.make_body(tenant, "Arbejdsgruppe", by=owner).id
    meeting = factories.make_meeting(tenant, group, by=owner).id
    with tenant_scope(tenant):
        meetings.save_settings(db.session.get(Body, group), meetings.SettingsFields(
            cadence=Cadence(frequency="monthly"), publish_days_before=5, proposal_days_before=10,
            absence_threshold=3), by=owner)
        meetings.add_guest(db.session.get(Meeting, meeting), meetings.GuestFields(
            "Gæst Fiktiv", f"gaest@{tenant.slug}.example", "da"), by=owner)
        db.session.commit()


@pytest.fixture
def filled(app_context, owner_engine):
    """Two workspaces with rows in every tenant-owned table."""
    lene = factories.make_user("lene@dk2020.example", "Lene Bach Kristensen", "da")
    karin = factories.make_user("karin@trollhattan.example", "Karin Lindqvist", "sv")
    midtjylland = factories.make_workspace("dk2020-midtjylland", "DK2020 Midtjylland", "DK", lene)
    trollhattan = factories.make_workspace("trollhattan-hallbarhet", "Trollhättans stad", "SE", karin)
    for tenant, owner in ((midtjylland, lene), (trollhattan, karin)):
        factories.make_invitation(tenant, membership_in_tenant_of(tenant, owner), f"ny@{tenant.slug}.example")
    for tenant, municipality, department in ((midtjylland, "Skive Kommune", "Teknik og Miljø"),
                                             (trollhattan, "Trollhättans stad", "Miljöförvaltningen")):
        parent = factories.make_organisation(tenant, municipality).id
        department_id = factories.make_organisation(tenant, department, kind="department", parent=parent).id
        factories.make_person(tenant, "Kim Fiktiv Holm", f"kim@{tenant.slug}.example", organisation=department_id)
    for tenant, owner in ((midtjylland, lene), (trollhattan, karin)):
        fill_body_tables(tenant, membership_in_tenant_of(tenant, owner))
        fill_meeting_tables(tenant, membership_in_tenant_of(tenant, owner))
    with owner_engine.connect() as connection:
        for table in tenant_owned_tables():
            for tenant in (midtjylland, trollhattan):
                count = connection.scalar(sa.text(f"SELECT count(*) FROM {table} WHERE tenant_id = :t"), {"t": tenant.id})
                assert count > 0, f"the fixture must put rows in {table} for {tenant.slug}"
    return midtjylland, trollhattan


def test_app_role_is_not_superuser_and_cannot_bypass_rls(filled):
    with db.engine.connect() as connection:
        role = connection.execute(
            sa.text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        ).one()
    assert role == (False, False)


def test_app_role_owns_no_table(filled):
    with db.engine.connect() as connection:
        owned = connection.scalars(
            sa.text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user")
        ).all()
    assert owned == []


def test_rls_is_enabled_and_forced_on_every_tenant_owned_table(filled, owner_engine):
    with owner_engine.connect() as connection:
        for table in tenant_owned_tables():
            enabled, forced = connection.execute(
                sa.text("SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = :t"), {"t": table}
            ).one()
            policies = connection.scalar(sa.text("SELECT count(*) FROM pg_policies WHERE tablename = :t"), {"t": table})
            assert (enabled, forced, policies) == (True, True, 1), table


def test_raw_select_without_workspace_setting_returns_no_rows(filled):
    with db.engine.connect() as connection:
        for table in tenant_owned_tables():
            assert connection.scalar(sa.text(f"SELECT count(*) FROM {table}")) == 0, table


def test_raw_select_with_workspace_a_returns_exactly_a_rows(filled, owner_engine):
    midtjylland, _ = filled
    for table in tenant_owned_tables():
        with owner_engine.connect() as connection:
            expected = connection.scalar(
                sa.text(f"SELECT count(*) FROM {table} WHERE tenant_id = :t"), {"t": midtjylland.id}
            )
        with db.engine.begin() as connection:
            connection.execute(sa.text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(midtjylland.id)})
            tenants = connection.scalars(sa.text(f"SELECT tenant_id FROM {table}")).all()
        assert len(tenants) == expected and set(tenants) == {midtjylland.id}, table


def test_workspace_setting_ends_with_its_transaction(filled):
    midtjylland, _ = filled
    with db.engine.connect() as connection:
        with connection.begin():
            connection.execute(sa.text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(midtjylland.id)})
            assert connection.scalar(sa.text("SELECT count(*) FROM audit_events")) > 0
        with connection.begin():
            assert connection.scalar(sa.text("SELECT count(*) FROM audit_events")) == 0


def test_database_refuses_a_row_written_into_another_workspace(filled):
    midtjylland, trollhattan = filled
    with db.engine.connect() as connection:
        connection.execute(sa.text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(midtjylland.id)})
        with pytest.raises(sa.exc.ProgrammingError, match="row-level security"):
            connection.execute(
                sa.text(
                    "INSERT INTO audit_events (tenant_id, created_at, action, subject, ip_address, details) "
                    "VALUES (:t, now(), 'login', '', '', '{}')"
                ),
                {"t": trollhattan.id},
            )


def test_database_cannot_update_another_workspaces_rows(filled, owner_engine):
    midtjylland, trollhattan = filled
    with db.engine.begin() as connection:
        connection.execute(sa.text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(midtjylland.id)})
        changed = connection.execute(
            sa.text("UPDATE invitations SET email = 'kapret@example.com' WHERE tenant_id = :t"), {"t": trollhattan.id}
        ).rowcount
    assert changed == 0
    with owner_engine.connect() as connection:
        assert connection.scalar(sa.text("SELECT count(*) FROM invitations WHERE email = 'kapret@example.com'")) == 0


def test_a_workspaces_mail_is_under_the_workspace_policy_and_account_mail_is_the_platforms(filled, owner_engine):
    midtjylland, trollhattan = filled
    with owner_engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO outbox_messages (tenant_id, message_id, recipient, subject, body_text, body_html, locale, "
            "created_at, attempts, last_error, carries_secret, unreachable_rounds) "
            "VALUES (NULL, '<account@samklima.example>', 'lene@dk2020.example', 'Nulstil', 'x', 'x', 'da', now(), "
            "0, '', true, 0)"))
    with owner_engine.connect() as connection:
        invitation_mail = dict(connection.execute(sa.text(
            "SELECT tenant_id, count(*) FROM outbox_messages WHERE tenant_id IS NOT NULL GROUP BY tenant_id")).all())
    assert set(invitation_mail) == {midtjylland.id, trollhattan.id}

    with db.engine.begin() as connection:
        assert connection.scalars(sa.text("SELECT tenant_id FROM outbox_messages")).all() == [None]
    with db.engine.begin() as connection:
        connection.execute(sa.text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(midtjylland.id)})
        seen = connection.scalars(sa.text("SELECT tenant_id FROM outbox_messages")).all()
        assert sorted(seen, key=str) == sorted([None] + [midtjylland.id] * invitation_mail[midtjylland.id], key=str)
        with pytest.raises(sa.exc.ProgrammingError, match="row-level security"):
            connection.execute(sa.text(
                "INSERT INTO outbox_messages (tenant_id, message_id, recipient, subject, body_text, body_html, "
                "locale, created_at, attempts, last_error, carries_secret, unreachable_rounds) "
                "VALUES (:t, '<forged@samklima.example>', 'x@example.com', 'x', 'x', 'x', 'sv', now(), 0, '', "
                "false, 0)"), {"t": trollhattan.id})
