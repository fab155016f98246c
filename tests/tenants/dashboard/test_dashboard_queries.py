"""The overview and the nomination pages take the same number of queries with 50 times the rows."""
from datetime import timedelta

import sqlalchemy as sa

from samklima.extensions import db
from samklima.platform.clock import local_today, utcnow
from samklima.platform.tenancy import tenant_scope
from samklima.tenants.bodies.models import (
    Body,
    BodyMemberOrganisation,
    BodyMembership,
    BodySeat,
    NominationRequest,
)
from samklima.tenants.organisations.models import Organisation
from tests.tenants.bodies import structures
from tests.tenants.bodies.nomination_helpers import ask, link_to
from tests.test_query_counts import counting_queries

# Three: one group under each coverage rule even at the small size.
SMALL, LARGE = 3, 150
RULES = ("member_organisations", "departments", "seats")


def grow(app, world, rows, offset):
    """Add `rows` of every kind the pages list: organisations and their departments, groups under each
    coverage rule, member organisations, empty seats, memberships (mine and ending soon), requests."""
    today = local_today("Europe/Copenhagen")
    now = utcnow()
    with app.app_context(), tenant_scope(world.tenant_id):
        tid = world.tenant_id
        numbers = range(offset, offset + rows)
        db.session.execute(sa.insert(Organisation), [
            {"tenant_id": tid, "name": f"Testkommune {k}", "kind": "municipality", "country": "DK", "parent_id": None}
            for k in numbers])
        municipalities = db.session.scalars(
            sa.select(Organisation.id).where(Organisation.name.like("Testkommune %")).order_by(Organisation.id.desc())
            .limit(rows)).all()
        db.session.execute(sa.insert(Organisation), [
            {"tenant_id": tid, "name": f"Teknik og Miljø {k}", "kind": "department", "country": "DK", "parent_id": m}
            for k, m in zip(numbers, municipalities)])
        db.session.execute(sa.insert(Body), [
            {"tenant_id": tid, "name": f"Arbejdsgruppe {k}", "kind": "working_group", "status": "active",
             "parent_id": world.bodies["steering"], "reports_to_id": None, "start_date": None, "end_date": None,
             "coverage_rule": RULES[k % 3]}
            for k in numbers])
        bodies = db.session.execute(
            sa.select(Body.id, Body.coverage_rule).where(Body.name.like("Arbejdsgruppe %")).order_by(Body.id.desc())
            .limit(rows)).all()
        db.session.execute(sa.insert(BodyMemberOrganisation), [
            {"tenant_id": tid, "body_id": body_id, "organisation_id": m}
            for (body_id, _rule), m in zip(bodies, municipalities)])
        db.session.execute(sa.insert(BodySeat), [
            {"tenant_id": tid, "body_id": body_id, "label": "Kommune udpeget af KD-Net", "organisation_id": m,
             "position": 0}
            for (body_id, rule), m in zip(bodies, municipalities) if rule == "seats"])
        memberships = []
        for body_id, _rule in bodies:
            memberships.append({"tenant_id": tid, "body_id": body_id, "person_id": world.people["Anders Møller Nielsen"],
                                "role": "member", "organisation_id": world.orgs["Skive Kommune"],
                                "start_date": today - timedelta(days=30), "end_date": None})
            memberships.append({"tenant_id": tid, "body_id": body_id, "person_id": world.people["Peter Kjeldsen"],
                                "role": "substitute", "organisation_id": world.orgs["Aarhus Kommune"],
                                "start_date": today - timedelta(days=30), "end_date": today + timedelta(days=20)})
        db.session.execute(sa.insert(BodyMembership), memberships)
        requests = []
        for k, (body_id, _rule), m in zip(numbers, bodies, municipalities):
            requests.append({"tenant_id": tid, "body_id": body_id, "organisation_id": m, "recipient_name": "Direktør",
                             "recipient_email": f"direktion{k}@kommune.example", "locale": "da", "seats": 1,
                             "message": "Udpeg en repræsentant.", "due_date": today + timedelta(days=k % 7 - 3),
                             "token_hash": f"a{k:063d}", "status": "sent", "sent_at": now})
            # The steering group's own list grows too, in every status.
            requests.append({"tenant_id": tid, "body_id": world.bodies["steering"], "organisation_id": m,
                             "recipient_name": "", "recipient_email": f"borgmester{k}@kommune.example",
                             "locale": "da", "seats": 2, "message": "Udpeg to repræsentanter.",
                             "due_date": today + timedelta(days=k % 5 - 2), "token_hash": f"b{k:063d}",
                             "status": ("sent", "answered", "declined", "withdrawn")[k % 4], "sent_at": now,
                             "answered_by": "Direktør" if k % 4 in (1, 2) else "",
                             "answered_at": now if k % 4 in (1, 2) else None,
                             "decline_reason": "Ingen kapacitet." if k % 4 == 2 else ""})
        db.session.execute(sa.insert(NominationRequest), requests)
        db.session.commit()


def pages(world, link):
    steering = world.bodies["steering"]
    return [
        ("co_chair", f"/{world.slug}/"),
        ("owner", f"/{world.slug}/"),
        ("member", f"/{world.slug}/"),
        ("co_chair", f"/{world.slug}/bodies/{steering}/nominations"),
        ("co_chair", f"/{world.slug}/bodies/{steering}/nominations/new"),
        ("co_chair", f"/{world.slug}/bodies/{steering}/nominations/new?organisation_id={world.orgs['Viborg Kommune']}"),
        (None, link),
    ]


def count(app, browsers, world, link):
    counts = {}
    for login, url in pages(world, link):
        browser = browsers[login]
        browser.get(url)  # warm: the session's last_seen write is not the page's
        with counting_queries(app) as statements:
            response = browser.get(url)
        assert response.status_code == 200, url
        counts[(login, url)] = len(statements)
    return counts


def test_overview_and_nomination_pages_take_the_same_queries_with_fifty_times_the_rows(app, make_browser):
    with app.app_context():
        world = structures.build_midtjylland()
    browsers = {None: make_browser()}
    for login in ("co_chair", "owner", "member"):
        browsers[login] = make_browser()
        browsers[login].login(world.logins[login])
    ask(browsers["co_chair"], world, "steering", "Viborg Kommune", locale="da", recipient_email="direktion@viborg.example")
    link = link_to(app, "direktion@viborg.example")
    grow(app, world, SMALL, 0)
    small = count(app, browsers, world, link)
    grow(app, world, LARGE - SMALL, SMALL)
    large = count(app, browsers, world, link)
    assert large == small
    # The rows are really there: the overview lists fifty times as many.
    overview = browsers["owner"].get(f"/{world.slug}/").get_data(as_text=True)
    assert overview.count("Arbejdsgruppe ") >= LARGE
