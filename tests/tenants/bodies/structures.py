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
from samklima.tenants.bodies.operations import BodyFields, MembershipFields
from samklima.tenants.organisations.models import Organisation
from samklima.tenants.people.models import Person
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


def organisation(name, kind, country, code="", parent_id=None, head_email=""):
    org = Organisation(name=name, kind=kind, country=country, official_code=code, parent_id=parent_id,
                       head_email=head_email)
    db.session.add(org)
    db.session.flush()
    return org


def person(name, email, organisation_id=None, user=None, title=""):
    row = Person(name=name, email=email, organisation_id=organisation_id, title=title,
                 user_id=user.id if user is not None else None)
    db.session.add(row)
    db.session.flush()
    return row


def member(body_id, person_id, role="member", organisation_id=None, seat_id=None, start=START, end=None,
           mandate="", nominated_by=""):
    from samklima.tenants.bodies.models import Body

    body = db.session.get(Body, body_id)
    return operations.place_member(body, MembershipFields(
        person_id=person_id, role=role, organisation_id=organisation_id, seat_id=seat_id, mandate=mandate,
        start_date=start, end_date=end, nominated_by=nominated_by,
    ))


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


def build_midtjylland(slug="dk2020-midtjylland") -> World:
    """Seed 004 in one workspace; call inside an app context. Commits."""
    # English logins: the tests read the English source strings (the workspace itself speaks Danish).
    users = {key: factories.make_user(email, name) for key, (email, name, _r) in LOGINS_004.items()}
    tenant = factories.make_workspace(slug, "DK2020 Midtjylland", "DK", users["owner"])
    for key, (_e, _n, role) in LOGINS_004.items():
        if role != "owner":
            factories.add_member(tenant, users[key], role)
    world = World(tenant_id=tenant.id, slug=slug, logins={k: v[0] for k, v in LOGINS_004.items()})
    with tenant_scope(tenant):
        owner = membership_in_tenant_of(tenant, users["owner"])
        orgs = {
            "Skive Kommune": organisation("Skive Kommune", "municipality", "DK", "779"),
            "Aarhus Kommune": organisation("Aarhus Kommune", "municipality", "DK", "751"),
            "Lemvig Kommune": organisation("Lemvig Kommune", "municipality", "DK", "665"),
            "Samsø Kommune": organisation("Samsø Kommune", "municipality", "DK", "741"),
            "Horsens Kommune": organisation("Horsens Kommune", "municipality", "DK", "615"),
            "Viborg Kommune": organisation("Viborg Kommune", "municipality", "DK", "791"),
            "Region Midtjylland": organisation("Region Midtjylland", "region", "DK", "1082"),
            "KL": organisation("KL", "national_body", "DK"),
        }
        orgs["Teknik og Miljø"] = organisation("Teknik og Miljø", "department", "DK", parent_id=orgs["Aarhus Kommune"].id)
        world.orgs = {name: org.id for name, org in orgs.items()}

        political = operations.create_body(BodyFields(
            name="Politisk styregruppe for DK2020 Midtjylland", kind="political_steering_group",
            start_date=START, end_date=END), by=owner)
        steering = operations.create_body(BodyFields(
            name="Administrativ styregruppe på klimaområdet (DK2020) i Midtjylland",
            kind="administrative_steering_group", reports_to_id=political.id,
            purpose="Den administrative styregruppe har det overordnede ansvar for DK2020 projektets gennemførelse.",
            tasks="At understøtte kommunernes arbejde med udarbejdelse af klimahandlingsplaner.\n\n"
                  "At koordinere samarbejdet mellem kommunernes klimakoordinatorer.",
            mandate="Medlemmer på direktør/fagchef niveau.",
            start_date=START, end_date=END, meeting_cadence="4 om året", case_number="SAG-2019-04892",
            coverage_rule="seats"), by=owner)
        secretariat = operations.create_body(BodyFields(
            name="Fælleskommunalt Klimasekretariat i Midtjylland", kind="secretariat", start_date=START), by=owner)
        working = operations.create_body(BodyFields(
            name="Arbejdsgruppe for klimatilpasning", kind="working_group", parent_id=steering.id,
            reports_to_id=steering.id, start_date=date(2021, 1, 1), meeting_cadence="3-4 pr. semester"), by=owner)
        world.bodies = {"political": political.id, "steering": steering.id, "secretariat": secretariat.id,
                        "working": working.id}
        operations.serve_body(secretariat, political, by=owner)
        operations.serve_body(secretariat, steering, by=owner)

        seats = [operations.add_seat(steering, f"Kommune udpeget af KD-Net ({n})", chosen_by="KD-Net", by=owner)
                 for n in range(1, 6)]
        seats += [operations.add_seat(steering, f"Region Midtjylland ({n})", chosen_by="Region Midtjylland",
                                      organisation_id=orgs["Region Midtjylland"].id, by=owner) for n in (1, 2)]
        world.seats = {seat.label: seat.id for seat in seats}

        def linked(key):
            return {"user": users[key]}

        people = [
            # name, e-mail, organisation, extra
            ("Anders Møller Nielsen", "anders.moller@skive.example", "Skive Kommune", linked("co_chair")),
            ("Hanne Vestergaard", "hanne.vestergaard@rm.example", "Region Midtjylland", {}),
            ("Peter Kjeldsen", "peter.kjeldsen@aarhus.example", "Aarhus Kommune", linked("member")),
            ("Jette Bruun", "jette.bruun@lemvig.example", "Lemvig Kommune", {}),
            ("Ole Friis", "ole.friis@samso.example", "Samsø Kommune", {}),
            ("Karen Dahl", "karen.dahl@horsens.example", "Horsens Kommune", {}),
            ("Mikkel Sand", "mikkel.sand@rm.example", "Region Midtjylland", {}),
            ("Lene Bach Kristensen", "lene.kristensen@aarhus.example", "Aarhus Kommune", {}),
            ("Rasmus Vinther", "rasmus.vinther@rm.example", "Region Midtjylland", linked("secretariat_member")),
            ("Ida Holt", "ida.holt@kl.example", "KL", linked("body_observer")),
            ("Jens Bak", "jens.bak@randers.example", None, linked("workspace_observer")),
            ("Sofie Kragh", "sofie.kragh@horsens.example", "Horsens Kommune", {}),
            ("Thomas Lund", "thomas.lund@lemvig.example", "Lemvig Kommune", {}),
            ("Maja Høj", "maja.hoj@aarhus.example", "Teknik og Miljø", {}),
        ]
        for name, email, org_name, extra in people:
            row = person(name, email, orgs[org_name].id if org_name else None, **extra)
            world.people[name] = row.id

        kd = [seat.id for seat in seats[:5]]
        region = [seat.id for seat in seats[5:]]
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
            membership = member(steering.id, world.people[name], role,
                                world.orgs[org_name] if org_name else None, seat_id,
                                nominated_by="KD-Net" if seat_id in kd else "")
            world.members[name] = membership.id
        for name, org_name in (("Lene Bach Kristensen", "Aarhus Kommune"), ("Rasmus Vinther", "Region Midtjylland")):
            world.members[f"{name} (sekretariat)"] = member(
                secretariat.id, world.people[name], "coordinator", world.orgs[org_name]).id
        for name, org_name in (("Maja Høj", "Aarhus Kommune"), ("Sofie Kragh", "Horsens Kommune"),
                               ("Thomas Lund", "Lemvig Kommune")):
            world.members[f"{name} (arbejdsgruppe)"] = member(
                working.id, world.people[name], "member", world.orgs[org_name], start=date(2021, 1, 1)).id
        # A workspace observer runs the working group on paper: observers still never write.
        world.members["Jens Bak"] = member(working.id, world.people["Jens Bak"], "coordinator",
                                           start=date(2021, 1, 1)).id
        db.session.commit()
    return world


DEPARTMENTS_003 = [
    "Kommunstyrelseförvaltningen",
    "Samhällsbyggnadsförvaltningen",
    "Utbildningsförvaltningen",
    "Socialförvaltningen",
    "Kultur- och fritidsförvaltningen",
]


def build_trollhattan(slug="trollhattan-hallbarhet", with_participants=True) -> World:
    """Seed 003: the group, its two strategists, and (optionally) one participant per förvaltning."""
    strategist = factories.make_user("karin.lindqvist@trollhattan.example", "Karin Lindqvist")
    tenant = factories.make_workspace(slug, "Trollhättans stad", "SE", strategist)
    world = World(tenant_id=tenant.id, slug=slug, logins={"owner": strategist.email})
    with tenant_scope(tenant):
        owner = membership_in_tenant_of(tenant, strategist)
        city = organisation("Trollhättans stad", "municipality", "SE", "1488")
        world.orgs["Trollhättans stad"] = city.id
        for name in DEPARTMENTS_003:
            world.orgs[name] = organisation(name, "department", "SE", parent_id=city.id).id
        group = operations.create_body(BodyFields(
            name="Ekologiska hållbarhetsgruppen", kind="network",
            purpose="Bidra till gott samarbete i organisationen för att uppnå gemensamma mål.",
            meeting_cadence="ca 8 gånger per år", coverage_rule="departments", start_date=date(2021, 1, 1)),
            by=owner)
        world.bodies["group"] = group.id
        operations.set_member_organisations(group, [city.id], by=owner)
        for name in ("Karin Lindqvist", "Johan Ek"):
            row = person(name, f"{name.split()[0].lower()}@trollhattan.example", world.orgs["Kommunstyrelseförvaltningen"],
                         user=strategist if name == "Karin Lindqvist" else None, title="Hållbarhetsstrateg")
            world.people[name] = row.id
            world.members[name] = member(group.id, row.id, "member", world.orgs["Kommunstyrelseförvaltningen"],
                                         start=date(2021, 1, 1)).id
        participants = ["Amir Haddad", "Elin Berg", "Sara Nyström", "Lars Holm"]
        for name, department in zip(participants, DEPARTMENTS_003[1:]):
            row = person(name, f"{name.split()[0].lower()}@trollhattan.example", world.orgs[department])
            world.people[name] = row.id
            if with_participants:
                world.members[name] = member(group.id, row.id, "member", world.orgs[department],
                                             start=date(2021, 1, 1)).id
        db.session.commit()
    return world


def fill_body_tables(tenant, owner) -> None:
    """One row in every table of organisations, people and groups, for the RLS tests."""
    import hashlib

    from samklima.tenants.bodies.models import NominationRequest

    with tenant_scope(tenant):
        city = organisation(f"Kommune i {tenant.name}", "municipality", tenant.country)
        contact = person(f"Kontakt i {tenant.name}", f"kontakt@{tenant.slug}.example", city.id)
        group = operations.create_body(BodyFields(name="Styregruppe", kind="administrative_steering_group",
                                                  coverage_rule="member_organisations"), by=owner)
        secretariat = operations.create_body(BodyFields(name="Sekretariat", kind="secretariat"), by=owner)
        operations.serve_body(secretariat, group, by=owner)
        operations.set_member_organisations(group, [city.id], by=owner)
        seat = operations.add_seat(group, "Kommunens plads", by=owner)
        membership = member(group.id, contact.id, "chair", city.id, seat.id)
        operations.set_chair_rotation(group, [membership.id], START, 6, date(2021, 6, 30), by=owner)
        db.session.add(NominationRequest(
            body_id=group.id, organisation_id=city.id, recipient_email=f"direktion@{tenant.slug}.example",
            locale=tenant.default_locale, message="Udpeg en repræsentant.", due_date=date(2030, 1, 1),
            token_hash=hashlib.sha256(tenant.slug.encode()).hexdigest()))
        db.session.commit()
