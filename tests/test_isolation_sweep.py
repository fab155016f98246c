"""The isolation sweep: every tenant-scoped URL rule, tried from the wrong side.

The sweep reads the app's URL map, so a new route is swept from its first
day. It fills each rule with workspace A's object ids and requests it:
- as a user who is only in workspace B, with A's slug, then with B's slug;
- as a user who is in both A and B, with B's slug and A's ids;
- every POST as an observer of A.
It expects 403 or 404 where A's objects are named, none of A's marker strings
in any page, and not one of A's rows changed.
"""
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from samklima.extensions import db
from samklima.platform.workspaces.queries import membership_in_tenant_of
from tests import factories

# How the sweep fills each URL argument with one of workspace A's objects.
# A rule with an argument missing here fails the sweep: put such an object
# into `world` below and name its id here.
ARGUMENTS = {
    "membership_id": lambda world: world.a_owner_membership_id,
    "invitation_id": lambda world: world.a_invitation_id,
}

# The form each POST endpoint is sent: valid data, so that a broken scope
# would really write. Every tenant-scoped POST endpoint needs an entry.
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
}


def tenant_rules(app):
    return sorted(
        (rule for rule in app.url_map.iter_rules() if "slug" in rule.arguments),
        key=lambda rule: rule.rule,
    )


@pytest.fixture
def world(app_context):
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
    return SimpleNamespace(
        a_id=a.id,
        a_slug=a.slug,
        b_slug=b.slug,
        a_owner_membership_id=a_owner.id,
        a_invitation_id=invitation.id,
        markers=["lene@dk2020.example", "Lene Bach Kristensen", "Jonas Skov Observatør", "ny.koordinator@horsens.example"],
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
                response = browser.post(url, POST_FORMS[rule.endpoint])
            body = response.get_data(as_text=True)
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
        response = browser.post(url, POST_FORMS[rule.endpoint])
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
