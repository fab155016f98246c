"""Two workspaces with a few organisations each, and a signed-in person per role.

DK2020 Midtjylland (Danish) holds Aarhus Kommune and Skive Kommune with
departments; Trollhättans stad (Swedish) holds its own förvaltningar.
"""
from types import SimpleNamespace

import pytest

from samklima.extensions import db
from samklima.platform.tenancy import tenant_scope
from samklima.platform.workspaces.queries import membership_in_tenant_of
from tests import factories


@pytest.fixture
def dk(app_context):
    lene = factories.make_user("lene@dk2020.example", "Lene Bach Kristensen", "en")
    mads = factories.make_user("mads@dk2020.example", "Mads Holm Eriksen", "en")
    sofie = factories.make_user("sofie@nordisk.example", "Sofie Lund Berg", "en")
    jonas = factories.make_user("jonas@aarhus.example", "Jonas Dahl Mikkelsen", "en")
    tenant = factories.make_workspace("dk2020-midtjylland", "DK2020 Midtjylland", "DK", lene)
    factories.add_member(tenant, mads, "secretariat")
    factories.add_member(tenant, sofie, "member")
    factories.add_member(tenant, jonas, "observer")
    aarhus = factories.make_organisation(tenant, "Aarhus Kommune", official_code="751",
                                         head_name="Bente Fiktiv Nielsen", head_email="direktor@aarhus.example").id
    teknik = factories.make_organisation(tenant, "Teknik og Miljø", kind="department", parent=aarhus).id
    skive = factories.make_organisation(tenant, "Skive Kommune", official_code="779").id
    region = factories.make_organisation(tenant, "Region Midtjylland", kind="region", official_code="1082").id
    return SimpleNamespace(
        tenant=tenant, id=tenant.id, slug=tenant.slug,
        owner=lene, secretariat=mads, member=sofie, observer=jonas,
        aarhus_id=aarhus, teknik_id=teknik, skive_id=skive, region_id=region,
    )


@pytest.fixture
def se(app_context):
    karin = factories.make_user("karin@trollhattan.example", "Karin Lindqvist", "en")
    tenant = factories.make_workspace("trollhattan-hallbarhet", "Trollhättans stad", "SE", karin)
    stad = factories.make_organisation(tenant, "Trollhättans stad", official_code="1488").id
    miljo = factories.make_organisation(tenant, "Miljöförvaltningen", kind="department", parent=stad).id
    return SimpleNamespace(tenant=tenant, id=tenant.id, slug=tenant.slug, owner=karin, stad_id=stad,
                           miljo_id=miljo)


def membership(workspace, user):
    return membership_in_tenant_of(workspace.tenant, user)


def organisation_rows(tenant_id):
    """(name, kind, country, official code, parent name, head, e-mail) of every organisation, by name."""
    from sqlalchemy import select

    from samklima.tenants.organisations.models import Organisation

    with tenant_scope(tenant_id):
        organisations = db.session.scalars(select(Organisation)).unique().all()
        names = {o.id: o.name for o in organisations}
        rows = sorted(
            (o.name, o.kind, o.country, o.official_code, names.get(o.parent_id, ""), o.head_name, o.head_email)
            for o in organisations
        )
    db.session.rollback()
    return rows
