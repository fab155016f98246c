"""`flask demo load`: the demo that `make run` serves, with its five logins."""
import pytest
from sqlalchemy import select

from samklima.extensions import db
from samklima.platform.demo import DEMO_PASSWORD, PRINTED_LOGINS
from samklima.platform.workspaces.models import Tenant


@pytest.fixture
def demo(app):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_prints_the_five_logins(demo):
    for email in PRINTED_LOGINS:
        assert email in demo
    assert DEMO_PASSWORD in demo


@pytest.mark.parametrize("email", PRINTED_LOGINS)
def test_each_demo_login_signs_in(browser, demo, email):
    browser.login(email, DEMO_PASSWORD)
    assert browser.get("/").status_code == 200


def test_demo_workspaces_speak_their_countrys_language_and_currency(app, demo):
    with app.app_context():
        workspaces = {t.slug: (t.default_locale, t.time_zone, t.currency) for t in db.session.scalars(select(Tenant))}
    assert workspaces == {
        "dk2020-midtjylland": ("da", "Europe/Copenhagen", "DKK"),
        "trollhattan-hallbarhet": ("sv", "Europe/Stockholm", "SEK"),
        "baerum-klima": ("nb", "Europe/Oslo", "NOK"),
    }


def test_demo_roles_are_as_promised(browser, demo):
    browser.login("radgiver@nordisk.example", DEMO_PASSWORD)
    assert browser.get("/dk2020-midtjylland/").status_code == 200
    assert browser.get("/trollhattan-hallbarhet/").status_code == 200
    assert browser.get("/baerum-klima/").status_code == 404
    browser.logout()
    browser.login("strateg@trollhattan.example", DEMO_PASSWORD)
    assert browser.get("/trollhattan-hallbarhet/audit").status_code == 200
    browser.logout()
    browser.login("sekretariat@dk2020.example", DEMO_PASSWORD)
    assert browser.get("/dk2020-midtjylland/audit").status_code == 403


def test_loading_the_demo_twice_changes_nothing(app, demo):
    again = app.test_cli_runner().invoke(args=["demo", "load"])
    assert again.exit_code == 0
    assert "already loaded" in again.output
    with app.app_context():
        assert len(db.session.scalars(select(Tenant)).all()) == 3


# --- issue 3: how the seeds' collaborations are organised --------------------------------------

def _in(app, slug, function):
    """Run `function()` inside a demo workspace's scope."""
    from samklima.platform.tenancy import tenant_scope

    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        with tenant_scope(tenant):
            return function()


def _members(body_name):
    from samklima.tenants.bodies.models import Body, BodyMembership

    body = db.session.scalar(select(Body).where(Body.name == body_name))
    return body, db.session.scalars(select(BodyMembership).where(BodyMembership.body_id == body.id)).all()


def test_demo_loads_fast(app):
    import time

    started = time.perf_counter()
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert time.perf_counter() - started < 5


def test_demo_midtjylland_has_the_region_and_its_19_municipalities_with_their_codes(app, demo):
    from samklima.tenants.organisations.models import Organisation

    codes = _in(app, "dk2020-midtjylland", lambda: {
        o.name: o.official_code for o in db.session.scalars(select(Organisation))})
    assert len(codes) == 20
    assert codes["Region Midtjylland"] == "1082"
    assert codes["Skive Kommune"] == "779" and codes["Aarhus Kommune"] == "751" and codes["Samsø Kommune"] == "741"
    assert sorted(name.removesuffix(" Kommune") for name in codes if name != "Region Midtjylland") == [
        "Aarhus", "Favrskov", "Hedensted", "Herning", "Holstebro", "Horsens", "Ikast-Brande", "Lemvig", "Norddjurs",
        "Odder", "Randers", "Ringkøbing-Skjern", "Samsø", "Silkeborg", "Skanderborg", "Skive", "Struer", "Syddjurs",
        "Viborg"]


def test_demo_midtjylland_steering_groups_secretariat_and_working_group_follow_seed_004(app, demo):
    from samklima.tenants.bodies.models import BodySeat, SecretariatService
    from samklima.tenants.bodies.queries import coverage_gaps
    from samklima.platform.clock import local_today

    def read():
        result = {}
        for key, name in (("political", "Politisk styregruppe for DK2020 Midtjylland"),
                          ("administrative", "Administrativ styregruppe for DK2020 Midtjylland"),
                          ("secretariat", "Fælleskommunalt Klimasekretariat i Midtjylland"),
                          ("working", "Arbejdsgruppe for klimatilpasning")):
            body, members = _members(name)
            result[key] = (body, sorted((m.role, m.organisation.name) for m in members))
        administrative = result["administrative"][0]
        seats = db.session.scalars(select(BodySeat).where(BodySeat.body_id == administrative.id)).all()
        served = set(db.session.scalars(select(SecretariatService.body_id).where(
            SecretariatService.secretariat_id == result["secretariat"][0].id)))
        gaps = coverage_gaps(local_today("Europe/Copenhagen"))
        return result, sorted(s.chosen_by for s in seats), served, {
            result_key: sorted(g.organisation.name if g.organisation else g.seat.label
                               for g in gaps.get(result[result_key][0].id, []))
            for result_key in result}

    bodies, seats, served, gaps = _in(app, "dk2020-midtjylland", read)
    for key in ("political", "administrative"):
        co_chairs = sorted(org for role, org in bodies[key][1] if role == "co_chair")
        assert co_chairs == ["Region Midtjylland", "Skive Kommune"], key
    assert seats == ["KD-Net"] * 5 + ["Region Midtjylland"] * 2
    assert len(bodies["administrative"][1]) == 7 and gaps["administrative"] == []
    assert bodies["administrative"][0].reports_to_id == bodies["political"][0].id
    assert bodies["secretariat"][1] == [("coordinator", "Aarhus Kommune"), ("coordinator", "Region Midtjylland")]
    assert served == {bodies["political"][0].id, bodies["administrative"][0].id}
    assert bodies["working"][0].parent_id == bodies["administrative"][0].id
    # Three municipalities take part; Odder has not named anyone yet and has been asked.
    assert gaps["working"] == ["Odder Kommune"]


def test_demo_trollhattan_group_networks_and_the_open_gap_follow_seeds_002_and_003(app, demo):
    from samklima.platform.clock import local_today
    from samklima.tenants.bodies.models import ChairTerm
    from samklima.tenants.bodies.queries import coverage_gaps

    def read():
        group, members = _members("Ekologiska hållbarhetsgruppen")
        social, _ = _members("Nätverk för social hållbarhet (NSH)")
        ecological, _ = _members("Nätverk för ekologisk hållbarhet (NEH)")
        strategists = sorted(m.person.name for m in members if m.role == "co_chair")
        chairs = {t.membership.person.name for t in db.session.scalars(
            select(ChairTerm).where(ChairTerm.body_id == group.id))}
        gaps = coverage_gaps(local_today("Europe/Stockholm"))
        return (group, strategists, chairs, social, ecological,
                {body_id: [g.organisation.name for g in found] for body_id, found in gaps.items()})

    group, strategists, chairs, social, ecological, gaps = _in(app, "trollhattan-hallbarhet", read)
    assert strategists == ["Johan Ekström", "Karin Lindqvist"] and chairs == set(strategists)
    assert group.coverage_rule == "departments" and "minst en från varje förvaltning" in group.mandate
    assert gaps == {group.id: ["Vård- och omsorgsförvaltningen"]}
    assert "Landsbygdsfrågor" in social.tasks and "Barnkonventionen" in social.tasks
    assert "Giftfri miljö" in ecological.tasks and "Klimatanpassning" in ecological.tasks
    assert social.kind == ecological.kind == "network"


def test_demo_has_an_open_and_an_overdue_nomination_whose_links_work(app, demo, browser):
    import re

    from samklima.platform.clock import local_today
    from samklima.platform.outbox.models import OutboxMessage
    from samklima.tenants.bodies.models import NominationRequest
    from tests.mailbox import outbox_messages

    today = local_today("Europe/Copenhagen")
    requests = {}
    for slug in ("dk2020-midtjylland", "trollhattan-hallbarhet"):
        requests[slug] = _in(app, slug, lambda: [(r.organisation.name, r.status, r.is_overdue_on(today), r.locale)
                                                  for r in db.session.scalars(select(NominationRequest))])
    assert requests == {
        "dk2020-midtjylland": [("Odder Kommune", "sent", False, "da")],
        "trollhattan-hallbarhet": [("Vård- och omsorgsförvaltningen", "sent", True, "sv")],
    }
    mails = outbox_messages(app, OutboxMessage.body_text.like("%/nominations/%"))
    links = [re.search(r"http://localhost(/nominations/\S+)", m.body_text).group(1) for m in mails]
    assert len(links) == 2
    for link in links:
        assert browser.get(link).status_code == 200


def test_demo_logins_sit_in_their_groups(browser, demo):
    browser.login("sekretariat@dk2020.example", DEMO_PASSWORD)
    overview = browser.get("/dk2020-midtjylland/").get_data(as_text=True)
    mine = overview[overview.index('id="my-groups"'):overview.index('id="coverage-gaps"')]
    assert "Fælleskommunalt Klimasekretariat i Midtjylland" in mine
    browser.logout()
    browser.login("strateg@trollhattan.example", DEMO_PASSWORD)
    overview = browser.get("/trollhattan-hallbarhet/").get_data(as_text=True)
    mine = overview[overview.index('id="my-groups"'):overview.index('id="coverage-gaps"')]
    assert "Ekologiska hållbarhetsgruppen" in mine and "Nätverk för ekologisk hållbarhet (NEH)" in mine
    gaps = overview[overview.index('id="coverage-gaps"'):overview.index('id="open-nominations"')]
    assert "Vård- och omsorgsförvaltningen" in gaps


def test_loading_the_demo_twice_adds_no_groups(app, demo):
    from samklima.tenants.bodies.models import Body

    count = lambda: len(db.session.scalars(select(Body)).all())  # noqa: E731
    before = _in(app, "dk2020-midtjylland", count)
    app.test_cli_runner().invoke(args=["demo", "load"])
    assert _in(app, "dk2020-midtjylland", count) == before == 4
