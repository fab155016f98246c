"""The collaborations of seeds 003 and 004, built through the operations: real
places, fictional people.

Seed 004: DK2020 Midtjylland's administrative steering group (co-chairs from
Skive Kommune and Region Midtjylland, seats chosen by KD-Net and by the
region), the political steering group it reports to, the shared climate
secretariat in Aarhus and Viborg, and a working group across three
municipalities. Seed 003: Trollhättan's ecological sustainability group, two
strategists sharing the chair and one participant from each förvaltning.
"""
from dataclasses import dataclass, field
from datetime import date

from samklima.extensions import db
from samklima.platform.tenancy import tenant_scope
from samklima.platform.workspaces.queries import membership_in_tenant_of
from samklima.tenants.bodies import operations
from samklima.tenants.bodies.models import Body
from tests import factories

START = date(2020, 9, 16)
END = date(2023, 6, 30)
# A day inside the steering group's term, for tests that move the clock.
DURING = date(2021, 3, 1)


@dataclass
class World:
    """Ids (never ORM objects: they are read in other sessions) and logins by role."""

    tenant_id: int
    slug: str
    orgs: dict[str, int] = field(default_factory=dict)
    people: dict[str, int] = field(default_factory=dict)
    bodies: dict[str, int] = field(default_factory=dict)
    members: dict[str, int] = field(default_factory=dict)  # person name → body membership id
    seats: dict[str, int] = field(default_factory=dict)
    logins: dict[str, str] = field(default_factory=dict)


LOGINS_004 = {
    # role in the story: (e-mail, name, workspace role)
    "owner": ("mette.kjaergaard@dk2020.example", "Mette Kjærgaard", "owner"),
    "secretariat_role": ("birgitte.ravn@dk2020.example", "Birgitte Ravn", "secretariat"),
    "co_chair": ("anders.moller@skive.example", "Anders Møller Nielsen", "member"),
    "secretariat_member": ("rasmus.vinther@rm.example", "Rasmus Vinther", "member"),
    "member": ("peter.kjeldsen@aarhus.example", "Peter Kjeldsen", "member"),
    "body_observer": ("ida.holt@kl.example", "Ida Holt", "member"),
    "workspace_observer": ("jens.bak@randers.example", "Jens Bak", "observer"),
}


@factories.one_commit()
def build_midtjylland(slug="dk2020-midtjylland") -> World:
    """Seed 004 in one workspace; call inside an app context. Commits."""
    # English logins: the tests read the English source strings (the workspace itself speaks Danish).
    users = {key: factories.make_user(email, name) for key, (email, name, _r) in LOGINS_004.items()}
    tenant = factories.make_workspace(slug, "DK2020 Midtjylland", "DK", users["owner"])
    for key, (_e, _n, role) in LOGINS_004.items():
        if role != "owner":
            factories.add_member(tenant, users[key], role)
    world = World(tenant_id=tenant.id, slug=slug, logins={k: v[0] for k, v in LOGINS_004.items()})
    t = tenant.id

    def organisation(name, kind, code="", parent=None):
        world.orgs[name] = factories.make_organisation(t, name, kind, parent=parent, official_code=code).id

    for name, code in (("Skive Kommune", "779"), ("Aarhus Kommune", "751"), ("Lemvig Kommune", "665"),
                       ("Samsø Kommune", "741"), ("Horsens Kommune", "615"), ("Viborg Kommune", "791")):
        organisation(name, "municipality", code)
    organisation("Region Midtjylland", "region", "1082")
    organisation("KL", "national_body")
    organisation("Teknik og Miljø", "department", parent=world.orgs["Aarhus Kommune"])
    orgs = world.orgs

    political = factories.make_body(
        t, "Politisk styregruppe for DK2020 Midtjylland", "political_steering_group", start_date=START, end_date=END).id
    steering = factories.make_body(
        t, "Administrativ styregruppe på klimaområdet (DK2020) i Midtjylland", "administrative_steering_group",
        reports_to=political,
        purpose="Den administrative styregruppe har det overordnede ansvar for DK2020 projektets gennemførelse.",
        tasks="At understøtte kommunernes arbejde med udarbejdelse af klimahandlingsplaner.\n\n"
              "At koordinere samarbejdet mellem kommunernes klimakoordinatorer.",
        mandate="Medlemmer på direktør/fagchef niveau.",
        start_date=START, end_date=END, meeting_cadence="4 om året", case_number="SAG-2019-04892",
        coverage_rule="seats").id
    secretariat = factories.make_body(t, "Fælleskommunalt Klimasekretariat i Midtjylland", "secretariat",
                                      start_date=START).id
    working = factories.make_body(t, "Arbejdsgruppe for klimatilpasning", "working_group", parent=steering,
                                  reports_to=steering, start_date=date(2021, 1, 1),
                                  meeting_cadence="3-4 pr. semester").id
    world.bodies = {"political": political, "steering": steering, "secretariat": secretariat, "working": working}
    with tenant_scope(tenant):
        owner = membership_in_tenant_of(tenant, users["owner"])
        for served in (political, steering):
            operations.serve_body(db.session.get(Body, secretariat), db.session.get(Body, served), by=owner)

    for n in range(1, 6):
        label = f"Kommune udpeget af KD-Net ({n})"
        world.seats[label] = factories.make_seat(t, steering, label, chosen_by="KD-Net").id
    for n in (1, 2):
        label = f"Region Midtjylland ({n})"
        world.seats[label] = factories.make_seat(t, steering, label, chosen_by="Region Midtjylland",
                                                 organisation=orgs["Region Midtjylland"]).id
    kd, region = list(world.seats.values())[:5], list(world.seats.values())[5:]

    people = [
        # name, e-mail, organisation, the login they sign in with
        ("Anders Møller Nielsen", "anders.moller@skive.example", "Skive Kommune", "co_chair"),
        ("Hanne Vestergaard", "hanne.vestergaard@rm.example", "Region Midtjylland", None),
        ("Peter Kjeldsen", "peter.kjeldsen@aarhus.example", "Aarhus Kommune", "member"),
        ("Jette Bruun", "jette.bruun@lemvig.example", "Lemvig Kommune", None),
        ("Ole Friis", "ole.friis@samso.example", "Samsø Kommune", None),
        ("Karen Dahl", "karen.dahl@horsens.example", "Horsens Kommune", None),
        ("Mikkel Sand", "mikkel.sand@rm.example", "Region Midtjylland", None),
        ("Lene Bach Kristensen", "lene.kristensen@aarhus.example", "Aarhus Kommune", None),
        ("Rasmus Vinther", "rasmus.vinther@rm.example", "Region Midtjylland", "secretariat_member"),
        ("Ida Holt", "ida.holt@kl.example", "KL", "body_observer"),
        ("Jens Bak", "jens.bak@randers.example", None, "workspace_observer"),
        ("Sofie Kragh", "sofie.kragh@horsens.example", "Horsens Kommune", None),
        ("Thomas Lund", "thomas.lund@lemvig.example", "Lemvig Kommune", None),
        ("Maja Høj", "maja.hoj@aarhus.example", "Teknik og Miljø", None),
    ]
    for name, email, org_name, login in people:
        world.people[name] = factories.make_person(t, name, email, orgs.get(org_name),
                                                   user=users[login] if login else None).id

    def member(key, body, name, role, org_name, seat=None, start=START, nominated_by=""):
        world.members[key] = factories.make_membership(
            t, body, world.people[name], role, orgs.get(org_name), seat, start_date=start,
            nominated_by=nominated_by).id

    in_steering = [
        ("Anders Møller Nielsen", "co_chair", "Skive Kommune", kd[0]),
        ("Hanne Vestergaard", "co_chair", "Region Midtjylland", region[0]),
        ("Peter Kjeldsen", "member", "Aarhus Kommune", kd[1]),
        ("Jette Bruun", "member", "Lemvig Kommune", kd[2]),
        ("Ole Friis", "member", "Samsø Kommune", kd[3]),
        ("Karen Dahl", "member", "Horsens Kommune", kd[4]),
        ("Mikkel Sand", "member", "Region Midtjylland", region[1]),
        ("Ida Holt", "observer", "KL", None),
    ]
    for name, role, org_name, seat_id in in_steering:
        member(name, steering, name, role, org_name, seat_id, nominated_by="KD-Net" if seat_id in kd else "")
    for name, org_name in (("Lene Bach Kristensen", "Aarhus Kommune"), ("Rasmus Vinther", "Region Midtjylland")):
        member(f"{name} (sekretariat)", secretariat, name, "coordinator", org_name)
    for name, org_name in (("Maja Høj", "Aarhus Kommune"), ("Sofie Kragh", "Horsens Kommune"),
                           ("Thomas Lund", "Lemvig Kommune")):
        member(f"{name} (arbejdsgruppe)", working, name, "member", org_name, start=date(2021, 1, 1))
    # A workspace observer runs the working group on paper: observers still never write.
    member("Jens Bak", working, "Jens Bak", "coordinator", None, start=date(2021, 1, 1))
    return world


DEPARTMENTS_003 = [
    "Kommunstyrelseförvaltningen",
    "Samhällsbyggnadsförvaltningen",
    "Utbildningsförvaltningen",
    "Socialförvaltningen",
    "Kultur- och fritidsförvaltningen",
]


@factories.one_commit()
def build_trollhattan(slug="trollhattan-hallbarhet", with_participants=True) -> World:
    """Seed 003: the group, its two strategists, and (optionally) one participant per förvaltning."""
    strategist = factories.make_user("karin.lindqvist@trollhattan.example", "Karin Lindqvist")
    tenant = factories.make_workspace(slug, "Trollhättans stad", "SE", strategist)
    world = World(tenant_id=tenant.id, slug=slug, logins={"owner": strategist.email})
    t = tenant.id
    city = world.orgs["Trollhättans stad"] = factories.make_organisation(t, "Trollhättans stad",
                                                                         official_code="1488").id
    for name in DEPARTMENTS_003:
        world.orgs[name] = factories.make_organisation(t, name, "department", parent=city).id
    group = world.bodies["group"] = factories.make_body(
        t, "Ekologiska hållbarhetsgruppen", "network",
        purpose="Bidra till gott samarbete i organisationen för att uppnå gemensamma mål.",
        meeting_cadence="ca 8 gånger per år", coverage_rule="departments", start_date=date(2021, 1, 1)).id
    with tenant_scope(tenant):
        operations.set_member_organisations(db.session.get(Body, group), [city],
                                            by=membership_in_tenant_of(tenant, strategist))
    strategists_office = world.orgs["Kommunstyrelseförvaltningen"]
    for name in ("Karin Lindqvist", "Johan Ek"):
        world.people[name] = factories.make_person(
            t, name, f"{name.split()[0].lower()}@trollhattan.example", strategists_office,
            user=strategist if name == "Karin Lindqvist" else None, title="Hållbarhetsstrateg").id
        world.members[name] = factories.make_membership(t, group, world.people[name], "member", strategists_office,
                                                        start_date=date(2021, 1, 1)).id
    participants = ["Amir Haddad", "Elin Berg", "Sara Nyström", "Lars Holm"]
    for name, department in zip(participants, DEPARTMENTS_003[1:]):
        world.people[name] = factories.make_person(t, name, f"{name.split()[0].lower()}@trollhattan.example",
                                                   world.orgs[department]).id
        if with_participants:
            world.members[name] = factories.make_membership(t, group, world.people[name], "member",
                                                            world.orgs[department], start_date=date(2021, 1, 1)).id
    return world


@factories.one_commit()
def fill_body_tables(tenant, owner) -> None:
    """One row in every table of organisations, people and groups, for the RLS tests."""
    city = factories.make_organisation(tenant, f"Kommune i {tenant.name}").id
    contact = factories.make_person(tenant, f"Kontakt i {tenant.name}", f"kontakt@{tenant.slug}.example", city).id
    group = factories.make_body(tenant, "Styregruppe", "administrative_steering_group",
                                coverage_rule="member_organisations", by=owner).id
    secretariat = factories.make_body(tenant, "Sekretariat", "secretariat", by=owner).id
    seat = factories.make_seat(tenant, group, "Kommunens plads", by=owner).id
    membership = factories.make_membership(tenant, group, contact, "chair", city, seat, start_date=START).id
    with tenant_scope(tenant):
        body = db.session.get(Body, group)
        operations.serve_body(db.session.get(Body, secretariat), body, by=owner)
        operations.set_member_organisations(body, [city], by=owner)
        operations.set_chair_rotation(body, [membership], START, 6, date(2021, 6, 30), by=owner)
    factories.make_nomination(tenant, group, city, f"direktion@{tenant.slug}.example", by=owner)
