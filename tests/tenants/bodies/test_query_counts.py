"""The group pages take the same number of queries with fifty times the rows.

Every kind of child row grows: organisations and departments, people, current
and past members in every role, seats, member organisations, sub-groups,
secretariats serving the group (with members in several offices), groups a
secretariat serves, and turns of a rotating chair.
"""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from samklima.extensions import db
from samklima.platform.clock import utcnow
from samklima.platform.tenancy import tenant_scope
from samklima.tenants.bodies.models import (
    BODY_ROLES,
    Body,
    BodyMemberOrganisation,
    BodyMembership,
    BodySeat,
    ChairTerm,
    SecretariatService,
)
from samklima.tenants.organisations.models import Organisation
from samklima.tenants.people.models import Person
from tests.test_query_counts import counting_queries
from tests.tenants.bodies import structures

SMALL, LARGE = 2, 100


def grow(app, world, rows, start):
    """Add `rows` of every kind, numbered from `start`, in bulk."""
    t, now = world.tenant_id, utcnow()
    steering, working, secretariat = (world.bodies[k] for k in ("steering", "working", "secretariat"))
    aarhus = world.orgs["Aarhus Kommune"]
    numbers = range(start, start + rows)

    def new_ids(model, count):
        return db.session.scalars(sa.select(model.id).order_by(model.id.desc()).limit(count)).all()[::-1]

    with app.app_context(), tenant_scope(t):
        db.session.execute(sa.insert(Organisation), [
            {"tenant_id": t, "name": f"Kommune {n}", "kind": "municipality", "country": "DK", "created_at": now,
             "official_code": "", "head_name": "", "head_email": ""} for n in numbers])
        municipalities = new_ids(Organisation, rows)
        db.session.execute(sa.insert(Organisation), [
            {"tenant_id": t, "name": f"Forvaltning {n}", "kind": "department", "country": "DK", "parent_id": aarhus,
             "created_at": now, "official_code": "", "head_name": "", "head_email": ""} for n in numbers])
        departments = new_ids(Organisation, rows)
        db.session.execute(sa.insert(Person), [
            {"tenant_id": t, "name": f"Medarbejder {n}", "email": f"medarbejder{n}@kommune.example",
             "phone": "", "title": "", "locale": "", "created_at": now} for n in numbers for _copy in range(3)])
        people = new_ids(Person, 3 * rows)
        db.session.execute(sa.insert(BodySeat), [
            {"tenant_id": t, "body_id": steering, "label": f"Plads {n}", "chosen_by": "KD-Net", "position": n}
            for n in numbers])
        seats = new_ids(BodySeat, rows)
        db.session.execute(sa.insert(Body), [
            {"tenant_id": t, "name": f"{kind} {n}", "kind": kind, "status": "active" if n % 2 else "closed",
             "parent_id": steering if kind == "working_group" else None, "purpose": "", "tasks": "", "mandate": "",
             "meeting_cadence": "", "case_number": "", "coverage_rule": "none", "created_at": now}
            for n in numbers for kind in ("working_group", "secretariat")])
        new_bodies = db.session.execute(
            sa.select(Body.id, Body.kind).order_by(Body.id.desc()).limit(2 * rows)).all()
        sub_groups = [b for b, kind in new_bodies if kind == "working_group"]
        secretariats = [b for b, kind in new_bodies if kind == "secretariat"]
        db.session.execute(sa.insert(BodyMemberOrganisation), [
            {"tenant_id": t, "body_id": steering, "organisation_id": org} for org in municipalities])
        db.session.execute(sa.insert(SecretariatService), [
            {"tenant_id": t, "secretariat_id": s, "body_id": steering} for s in secretariats]
            + [{"tenant_id": t, "secretariat_id": secretariat, "body_id": b} for b in sub_groups])
        memberships = []
        for i, (person, seat, municipality, department) in enumerate(zip(people[::3], seats, municipalities, departments)):
            memberships += [
                {"body_id": steering, "person_id": person, "role": BODY_ROLES[i % len(BODY_ROLES)],
                 "organisation_id": municipality, "seat_id": seat, "start_date": date(2020, 9, 16), "end_date": None},
                {"body_id": steering, "person_id": people[3 * i + 1], "role": "member", "organisation_id": municipality,
                 "seat_id": None, "start_date": date(2019, 1, 1), "end_date": date(2020, 1, 1)},
                {"body_id": working, "person_id": people[3 * i + 2], "role": "member", "organisation_id": department,
                 "seat_id": None, "start_date": date(2021, 1, 1), "end_date": None},
                {"body_id": secretariats[i], "person_id": person, "role": "coordinator",
                 "organisation_id": municipality, "seat_id": None, "start_date": date(2021, 1, 1), "end_date": None},
                {"body_id": sub_groups[i], "person_id": person, "role": "member",
                 "organisation_id": municipality, "seat_id": None, "start_date": date(2021, 1, 1), "end_date": None},
            ]
        db.session.execute(sa.insert(BodyMembership), [
            {"tenant_id": t, "mandate": "", "nominated_by": "", "created_at": now, **row} for row in memberships])
        member_ids = new_ids(BodyMembership, len(memberships))
        db.session.execute(sa.insert(ChairTerm), [
            {"tenant_id": t, "body_id": steering, "membership_id": member_ids[5 * i],
             "starts_on": date(2020, 9, 16) + timedelta(days=30 * (n - 1))} for i, n in enumerate(numbers)])
        db.session.commit()


@pytest.fixture
def world(app, app_context):
    world = structures.build_midtjylland()
    with tenant_scope(world.tenant_id):
        db.session.execute(sa.update(Body).where(Body.id == world.bodies["working"]).values(coverage_rule="departments"))
        db.session.add(BodyMemberOrganisation(body_id=world.bodies["working"], organisation_id=world.orgs["Aarhus Kommune"]))
        db.session.commit()
    return world


def pages(world):
    base = f"/{world.slug}/bodies"
    steering, working = world.bodies["steering"], world.bodies["working"]
    peter = world.members["Peter Kjeldsen"]
    return {
        "owner": [base, f"{base}?status=all", f"{base}?status=closed", f"{base}/{steering}", f"{base}/{working}",
                  f"{base}/{world.bodies['secretariat']}", f"{base}/{steering}/terms", f"{base}/{steering}/terms.docx",
                  f"{base}/new", f"{base}/{steering}/edit", f"{base}/{steering}/members/new",
                  f"{base}/{steering}/members/{peter}/edit", f"{base}/{steering}/members/{peter}/end",
                  f"{base}/{steering}/coverage", f"{base}/{steering}/chair-rotation",
                  f"{base}/{world.bodies['secretariat']}/serves"],
        "co_chair": [f"{base}/{steering}", f"{base}/{working}", f"{base}/{steering}/coverage"],
        "secretariat_member": [f"{base}/{steering}", f"{base}/{steering}/members/new"],
        "member": [base, f"{base}/{steering}"],
    }


def queries_per_page(app, make_browser, world):
    counts = {}
    for role, urls in pages(world).items():
        browser = make_browser()
        browser.login(world.logins[role])
        for url in urls:
            browser.get(url)  # warm: the session's last_seen write is not the page's
            with counting_queries(app) as statements:
                response = browser.get(url)
            assert response.status_code == 200, (role, url)
            counts[(role, url)] = len(statements)
    return counts


def test_group_pages_take_the_same_number_of_queries_with_fifty_times_the_rows(app, make_browser, world):
    grow(app, world, SMALL, 1)
    small = queries_per_page(app, make_browser, world)
    grow(app, world, LARGE - SMALL, SMALL + 1)
    large = queries_per_page(app, make_browser, world)
    assert large == small


def test_the_grown_pages_show_the_grown_rows(app, make_browser, world):
    grow(app, world, SMALL, 1)
    browser = make_browser()
    browser.login(world.logins["owner"])
    page = browser.get(f"/{world.slug}/bodies/{world.bodies['steering']}").get_data(as_text=True)
    assert "Medarbejder 1" in page and "working_group 1" in page and "secretariat 2" in page
