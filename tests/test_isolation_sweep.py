"""The isolation sweep: every tenant-scoped URL rule, tried from the wrong side.

The sweep reads the app's URL map, so a new route is swept from its first
day. It fills each rule with workspace A's object ids and requests it:
- as a user who is only in workspace B, with A's slug, then with B's slug;
- as a user who is in both A and B, with B's slug and A's ids;
- every POST as an observer of A.
It expects 403 or 404 where A's objects are named, none of A's marker strings
in any page, and not one of A's rows changed.
"""
import io
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from samklima.extensions import db
from samklima.platform.tenancy import tenant_scope
from samklima.platform.workspaces.queries import membership_in_tenant_of
from samklima.tenants.bodies import nominations
from samklima.tenants.bodies import operations as body_operations
from samklima.tenants.organisations import operations as organisation_operations
from tests import factories

# How the sweep fills each URL argument with one of workspace A's objects.
# A rule with an argument missing here fails the sweep: put such an object
# into `world` below and name its id here.
ARGUMENTS = {
    "membership_id": lambda world: world.a_owner_membership_id,
    "invitation_id": lambda world: world.a_invitation_id,
    "body_id": lambda world: world.a_body_id,
    "nomination_id": lambda world: world.a_nomination_id,
    "member_id": lambda world: world.a_member_id,
    "seat_id": lambda world: world.a_seat_id,
    "secretariat_id": lambda world: world.a_secretariat_id,
    "organisation_id": lambda world: world.a_organisation_id,
    "person_id": lambda world: world.a_person_id,
}

# The form each POST endpoint is sent: valid data, so that a broken scope
# would really write. Every tenant-scoped POST endpoint needs an entry; a
# function of `world` where the data names one of A's objects.
POST_FORMS = {
    "workspace.change_role": {"role": "observer"},
    "workspace.remove_member": {},
    "workspace.invitations": {"email": "sweep@aarhus.example", "role": "owner", "locale": "da"},
    "workspace.revoke_invitation": {},
    "workspace.settings": {
        "name": "Overtaget arbejdsrum",
        "default_locale": "en",
        "time_zone": "UTC",
        "requires_admin_two_factor": "y",
    },
    "nominations.new": lambda world: {
        "organisation_id": str(world.a_organisation_id), "locale": "da",
        "recipient_name": "Dorte Falk", "recipient_email": "sweep.direktion@aarhus.example",
        "seats": "2", "due_date": (date.today() + timedelta(days=20)).isoformat(),
        "message": "Udpeg venligst to repræsentanter med et klart mandat.",
    },
    "nominations.withdraw": {},
    "organisations.create": {
        "name": "Horsens Kommune", "kind": "municipality", "parent_id": "", "country": "DK", "official_code": "615",
        "head_name": "Sweep Direktør", "head_email": "sweep.direktor@horsens.example",
    },
    "organisations.edit": {
        "name": "Overtaget kommune", "kind": "municipality", "parent_id": "", "country": "DK", "official_code": "",
        "head_name": "", "head_email": "",
    },
    # A fresh file per request: a stream is read only once.
    "organisations.import_file": lambda world: {
        "file": (io.BytesIO("name;kind;country\r\nOdder Kommune;kommune;DK\r\n".encode("cp1252")), "sweep.csv"),
    },
    "organisations.confirm_import": lambda world: {"token": world.a_import_token},
    "people.create": lambda world: {
        "name": "Overtaget Person", "organisation_id": str(world.a_organisation_id), "title": "Direktør",
        "email": "sweep.person@horsens.example", "phone": "", "locale": "da", "user_id": "",
    },
    "people.edit": {
        "name": "Overtaget Person", "organisation_id": "", "title": "", "email": "sweep.person@horsens.example",
        "phone": "", "locale": "", "user_id": "",
    },
    "people.invite": {},
    "bodies.create": lambda world: {
        "name": "Arbejdsgruppe for klimatilpasning", "kind": "working_group", "parent_id": str(world.a_body_id),
    },
    "bodies.edit": {"name": "Overtaget gruppe", "kind": "network", "parent_id": "", "reports_to_id": ""},
    "bodies.set_status": {"status": "closed"},
    "bodies.add_member": lambda world: {
        "person_id": str(world.a_person_id), "role": "chair", "organisation_id": str(world.a_organisation_id),
        "start_date": "2021-01-01", "mandate": "Overtaget",
    },
    "bodies.edit_member": lambda world: {
        "person_id": str(world.a_person_id), "role": "chair", "organisation_id": str(world.a_organisation_id),
        "start_date": "2021-01-01", "mandate": "Overtaget",
    },
    "bodies.end_member": {"end_date": "2021-06-30"},
    "bodies.coverage": lambda world: {
        "action": "add_municipalities", "coverage_rule": "member_organisations",
        "organisation_ids": [str(world.a_organisation_id)],
    },
    "bodies.add_seat": {"label": "Kommune udpeget af KD-Net", "chosen_by": "KD-Net"},
    "bodies.remove_seat": {},
    "bodies.served_bodies": lambda world: {"body_ids": [str(world.a_body_id)]},
    "bodies.chair_rotation": lambda world: {
        "action": "save", "membership_ids": [str(world.a_member_id)], "first_start": "2021-01-01", "months": "6",
        "until": "2022-12-31",
    },
}


def post_form(endpoint, world):
    form = POST_FORMS[endpoint]
    return form(world) if callable(form) else form


def tenant_rules(app):
    return sorted(
        (rule for rule in app.url_map.iter_rules() if "slug" in rule.arguments),
        key=lambda rule: rule.rule,
    )


@pytest.fixture
def world(app, app_context):
    lene = factories.make_user("lene@dk2020.example", "Lene Bach Kristensen", "da")
    observer = factories.make_user("observator@skive.example", "Jonas Skov Observatør", "da")
    karin = factories.make_user("karin@trollhattan.example", "Karin Lindqvist", "sv")
    both = factories.make_user("radgiver@nordisk.example", "Sofie Lund Berg", "en")
    a = factories.make_workspace("dk2020-midtjylland", "DK2020 Midtjylland", "DK", lene)
    b = factories.make_workspace("trollhattan-hallbarhet", "Trollhättans stad", "SE", karin)
    factories.add_member(a, observer, "observer")
    factories.add_member(a, both, "admin")
    factories.add_member(b, both, "owner")
    a_owner = membership_in_tenant_of(a, lene)
    invitation = factories.make_invitation(a, a_owner, "ny.koordinator@horsens.example")
    aarhus = factories.make_organisation(a, "Aarhus Kommune", official_code="751",
                                         head_email="kommunaldirektor@aarhus.example")
    person_id = factories.make_person(a, "Henrik Aagaard Sørensen", "henrik.sorensen@aarhus.example", aarhus).id
    with tenant_scope(a):
        body = body_operations.create_body(body_operations.BodyFields(
            name="Administrativ styregruppe for DK2020 Midtjylland", kind="administrative_steering_group"),
            by=a_owner)
        secretariat = body_operations.create_body(body_operations.BodyFields(
            name="Fælleskommunalt Klimasekretariat", kind="secretariat"), by=a_owner)
        seat = body_operations.add_seat(body, "Region Midtjylland", chosen_by="Region Midtjylland", by=a_owner)
        member = body_operations.add_membership(body, body_operations.MembershipFields(
            person_id=person_id, role="member", organisation_id=aarhus.id, seat_id=seat.id,
            start_date=date(2020, 9, 16)), by=a_owner)
        secretariat_id, seat_id, member_id = secretariat.id, seat.id, member.id
        nomination = nominations.create_nomination(body, nominations.NominationFields(
            organisation_id=aarhus.id, recipient_name="Dorte Falk", recipient_email="dorte.falk@aarhus.example",
            due_date=date.today() + timedelta(days=14), locale="da", message="Udpeg en repræsentant."), by=a_owner)
        db.session.commit()
        # Read inside A's scope: after the commit, reading them outside would (rightly) raise.
        body_id, nomination_id, aarhus_id, invitation_id = body.id, nomination.id, aarhus.id, invitation.id
    with app.test_request_context(), tenant_scope(a):
        # A's previewed import: a valid token, so a broken scope would really import.
        import_token = organisation_operations.import_token("name;kind;country\r\nSamsø Kommune;kommune;DK\r\n")
    return SimpleNamespace(
        a_id=a.id,
        a_slug=a.slug,
        b_slug=b.slug,
        a_owner_membership_id=a_owner.id,
        a_invitation_id=invitation_id,
        a_organisation_id=aarhus_id,
        a_body_id=body_id,
        a_nomination_id=nomination_id,
        a_person_id=person_id,
        a_member_id=member_id,
        a_seat_id=seat_id,
        a_secretariat_id=secretariat_id,
        a_import_token=import_token,
        markers=["Aarhus Kommune", "kommunaldirektor@aarhus.example", "lene@dk2020.example", "Lene Bach Kristensen", "Jonas Skov Observatør", "ny.koordinator@horsens.example",
                 "Administrativ styregruppe for DK2020 Midtjylland", "dorte.falk@aarhus.example",
                 "Henrik Aagaard Sørensen", "Fælleskommunalt Klimasekretariat"],
        a_name_marker="DK2020 Midtjylland",
    )


def snapshot(owner_engine, tenant_id):
    """Every row that workspace A owns, read as the database owner."""
    rows = {}
    with owner_engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            if "tenant_id" in table.c:
                query = sa.select(table).where(table.c.tenant_id == tenant_id).order_by(*table.primary_key.columns)
                rows[table.name] = connection.execute(query).all()
        rows["tenants"] = connection.execute(sa.text("SELECT * FROM tenants WHERE id = :t"), {"t": tenant_id}).all()
    return rows


def build_url(app, rule, slug, world):
    values = {"slug": slug}
    for name in rule.arguments - {"slug"}:
        values[name] = ARGUMENTS[name](world)
    return app.url_map.bind("localhost").build(rule.endpoint, values)


def sweep(app, browser, owner_engine, world, slug, markers, must_deny):
    """Request every tenant-scoped rule; returns the list of failures."""
    failures = []
    for rule in tenant_rules(app):
        url = build_url(app, rule, slug, world)
        names_an_object = bool(rule.arguments - {"slug"})
        for method in sorted({"GET", "POST"} & rule.methods):
            before = snapshot(owner_engine, world.a_id)
            if method == "GET":
                response = browser.get(url)
            else:
                response = browser.post(url, post_form(rule.endpoint, world))
            # Downloads (a .docx, a .csv in another encoding) are bytes: read what text they hold.
            body = response.get_data().decode("utf-8", "replace")
            where = f"{method} {url} ({response.status_code})"
            if response.status_code >= 500:
                failures.append(f"{where}: server error")
            if (must_deny or names_an_object) and response.status_code not in (403, 404):
                failures.append(f"{where}: expected 403 or 404")
            failures += [f"{where}: shows {marker!r}" for marker in markers if marker in body]
            if snapshot(owner_engine, world.a_id) != before:
                failures.append(f"{where}: changed workspace A's rows")
    return failures


def test_sweep_can_fill_every_tenant_scoped_rule(app):
    rules = tenant_rules(app)
    assert rules, "no tenant-scoped rules found"
    for rule in rules:
        missing = rule.arguments - {"slug"} - set(ARGUMENTS)
        assert not missing, f"the sweep cannot fill {sorted(missing)} of {rule.rule}: add them to ARGUMENTS"
        if "POST" in rule.methods:
            assert rule.endpoint in POST_FORMS, f"{rule.endpoint} accepts POST: add its form to POST_FORMS"


def test_member_of_b_only_gets_404_for_every_url_of_a(app, make_browser, owner_engine, world):
    browser = make_browser()
    browser.login("karin@trollhattan.example")
    markers = [*world.markers, world.a_name_marker]
    failures = sweep(app, browser, owner_engine, world, world.a_slug, markers, must_deny=True)
    assert not failures, "\n".join(failures)


def test_member_of_b_only_with_b_slug_and_a_ids_sees_nothing_of_a(app, make_browser, owner_engine, world):
    browser = make_browser()
    browser.login("karin@trollhattan.example")
    markers = [*world.markers, world.a_name_marker]
    failures = sweep(app, browser, owner_engine, world, world.b_slug, markers, must_deny=False)
    assert not failures, "\n".join(failures)


def test_member_of_both_with_b_slug_and_a_ids_sees_nothing_of_a(app, make_browser, owner_engine, world):
    browser = make_browser()
    browser.login("radgiver@nordisk.example")
    failures = sweep(app, browser, owner_engine, world, world.b_slug, world.markers, must_deny=False)
    assert not failures, "\n".join(failures)


def test_observer_of_a_changes_nothing_with_any_post(app, make_browser, owner_engine, world):
    browser = make_browser()
    browser.login("observator@skive.example")
    failures = []
    for rule in tenant_rules(app):
        if "POST" not in rule.methods:
            continue
        url = build_url(app, rule, world.a_slug, world)
        before = snapshot(owner_engine, world.a_id)
        response = browser.post(url, post_form(rule.endpoint, world))
        if response.status_code >= 500:
            failures.append(f"POST {url}: server error")
        if snapshot(owner_engine, world.a_id) != before:
            failures.append(f"POST {url} ({response.status_code}): an observer changed workspace A")
    assert not failures, "\n".join(failures)


def test_the_sweep_notices_a_leak(app, make_browser, owner_engine, world):
    """The sweep itself can fail: A's own owner on A's pages trips every check."""
    browser = make_browser()
    browser.login("lene@dk2020.example")
    failures = sweep(app, browser, owner_engine, world, world.a_slug, world.markers, must_deny=True)
    assert any("shows 'Lene Bach Kristensen'" in f for f in failures)
    assert any("changed workspace A's rows" in f for f in failures)
