"""The organisation pages' query count does not grow with their rows.

Rendered with a few rows of every kind, then with fifty times as many:
organisations nested three deep, people (linked to members), groups in
which the organisation is represented, and ended memberships.
"""
from datetime import date

import pytest
import sqlalchemy as sa

from samklima.extensions import db
from samklima.platform.accounts.models import User
from samklima.platform.clock import utcnow
from samklima.platform.tenancy import tenant_scope
from samklima.platform.workspaces.models import TenantMembership
from samklima.tenants.bodies.models import Body, BodyMembership
from samklima.tenants.organisations.models import Organisation
from samklima.tenants.people.models import Person
from tests.test_query_counts import counting_queries

SMALL, LARGE = 2, 100


def _ids_named(model, names):
    return db.session.scalars(sa.select(model.id).where(model.name.in_(names)).order_by(model.id)).all()


def grow(app, workspace, rows):
    """Add `rows` of every kind of row the organisation and people pages list, in bulk."""
    with app.app_context(), tenant_scope(workspace.id):
        start = db.session.scalar(sa.select(sa.func.count(Organisation.id)))
        now = utcnow()
        lene = db.session.scalar(sa.select(User).where(User.email == workspace.owner.email))

        def organisations(names, kind, parents):
            db.session.execute(sa.insert(Organisation), [
                {"tenant_id": workspace.id, "name": name, "kind": kind, "parent_id": parent, "country": "DK",
                 "official_code": "", "head_name": "Direktør", "head_email": "direktor@kommune.example",
                 "created_at": now}
                for name, parent in zip(names, parents)
            ])
            return _ids_named(Organisation, names)

        municipalities = organisations([f"Kommune {start + n}" for n in range(rows)], "municipality", [None] * rows)
        departments = organisations([f"Forvaltning {start + n}" for n in range(rows)], "department", municipalities)
        organisations([f"Afdeling {start + n}" for n in range(rows)], "department", departments)
        # Under Aarhus, the organisation page's own children and grandchildren.
        aarhus_departments = organisations([f"Aarhus afdeling {start + n}" for n in range(rows)], "department",
                                           [workspace.aarhus_id] * rows)
        organisations([f"Aarhus enhed {start + n}" for n in range(rows)], "department", aarhus_departments)

        db.session.execute(sa.insert(User), [
            {"email": f"medarbejder{start + n}@aarhus.example", "name": f"Medarbejder {start + n}",
             "password_hash": lene.password_hash, "is_operator": False, "created_at": now}
            for n in range(rows)
        ])
        user_ids = db.session.scalars(sa.select(User.id).where(User.email.like("medarbejder%@aarhus.example"))
                                      .order_by(User.id.desc()).limit(rows)).all()
        db.session.execute(sa.insert(TenantMembership), [
            {"tenant_id": workspace.id, "user_id": uid, "role": "member", "created_at": now} for uid in user_ids
        ])
        names = [f"Fiktiv Person {start + n}" for n in range(rows)]
        db.session.execute(sa.insert(Person), [
            {"tenant_id": workspace.id, "name": name, "email": f"person{start + n}@aarhus.example", "phone": "",
             "title": "Klimarådgiver", "organisation_id": workspace.aarhus_id, "user_id": uid, "locale": "",
             "created_at": now}
            for n, (name, uid) in enumerate(zip(names, user_ids))
        ])
        person_ids = _ids_named(Person, names)
        body_names = [f"Arbejdsgruppe {start + n}" for n in range(rows)]
        db.session.execute(sa.insert(Body), [
            {"tenant_id": workspace.id, "name": name, "kind": "working_group", "status": "active", "purpose": "",
             "tasks": "", "mandate": "", "meeting_cadence": "", "case_number": "", "coverage_rule": "none",
             "created_at": now}
            for name in body_names
        ])
        body_ids = _ids_named(Body, body_names)
        # Every body: an active representative of Aarhus and an ended one; the person
        # on the person page sits in all of them, now and earlier.
        db.session.execute(sa.insert(BodyMembership), [
            {"tenant_id": workspace.id, "body_id": body_id, "person_id": person, "role": role,
             "organisation_id": workspace.aarhus_id, "mandate": "", "start_date": date(2020, 1, 1),
             "end_date": end, "nominated_by": "", "created_at": now}
            for body_id, person_id in zip(body_ids, person_ids)
            for person, role, end in ((person_id, "member", None), (person_id, "substitute", date(2021, 6, 30)),
                                      (workspace.person_id, "member", None),
                                      (workspace.person_id, "observer", date(2021, 6, 30)))
        ])
        db.session.commit()


@pytest.fixture
def counted(dk, app, make_browser):
    from tests import factories

    dk.person_id = factories.make_person(dk.tenant, "Anne Fiktiv Juhl", "anne@aarhus.example",
                                         organisation=dk.aarhus_id).id
    browser = make_browser()
    browser.login(dk.owner.email)
    return dk, browser


def pages(workspace):
    return [
        f"/{workspace.slug}/organisations",
        f"/{workspace.slug}/organisations/{workspace.aarhus_id}",
        f"/{workspace.slug}/organisations/export.csv",
        f"/{workspace.slug}/people",
        f"/{workspace.slug}/people/{workspace.person_id}",
        f"/{workspace.slug}/people/{workspace.person_id}/edit",
        f"/{workspace.slug}/organisations/new",
    ]


def queries_per_page(app, browser, workspace):
    counts = {}
    for url in pages(workspace):
        browser.get(url)  # warm: the session's last_seen write is not the page's
        with counting_queries(app) as statements:
            response = browser.get(url)
        assert response.status_code == 200, url
        counts[url] = len(statements)
    return counts


def test_organisation_and_people_pages_take_the_same_queries_with_fifty_times_the_rows(app, counted):
    workspace, browser = counted
    grow(app, workspace, SMALL)
    small = queries_per_page(app, browser, workspace)
    grow(app, workspace, LARGE - SMALL)
    large = queries_per_page(app, browser, workspace)
    assert large == small
    # The rows really are there: the pages list them.
    page = browser.get(f"/{workspace.slug}/organisations/{workspace.aarhus_id}").get_data(as_text=True)
    assert page.count("Arbejdsgruppe ") == LARGE and f"Aarhus enhed {LARGE - 1}" in page
