"""Demo data of issue 3: how the seeds' collaborations are organised.

DK2020 Midtjylland (seed 004): Region Midtjylland and its 19 municipalities
with their kommunekoder, a political and an administrative steering group
(co-chairs from Skive Kommune and Region Midtjylland; five seats that KD-Net
fills and two for the region), the shared climate secretariat in Aarhus and
Viborg serving both, and a working group across three municipalities.
Trollhättan (seeds 003 and 002): the ecological sustainability group with its
förvaltningar and two strategists sharing the chair, and the two networks for
social and ecological sustainability with their work areas.

Real places, fictional people (RULINGS). Everything goes through the
operations, as the app does. Dates are relative to the day of loading, so
there is always a term ending soon and an open and an overdue request.
"""
from __future__ import annotations

from datetime import date, timedelta

from samklima.platform.clock import local_today, utcnow
from samklima.platform.tenancy import tenant_scope
from samklima.platform.workspaces.queries import membership_in_tenant_of
from samklima.tenants.bodies.nominations import operations as nominations
from samklima.tenants.bodies.models import NominationRequest
from samklima.tenants.bodies.operations import (
    BodyFields,
    MembershipFields,
    add_membership,
    add_seat,
    create_body,
    serve_body,
    set_chair_rotation,
    set_member_organisations,
)
from samklima.tenants.organisations.operations import create_organisation
from samklima.tenants.people.operations import add_person

# Region Midtjylland's 19 municipalities, all in DK2020: name, kommunekode, head (fictional), mail domain.
MIDTJYLLAND = [
    ("Favrskov Kommune", "710", "Jette Bundgaard", "favrskov"),
    ("Hedensted Kommune", "766", "Palle Kjeldsen", "hedensted"),
    ("Herning Kommune", "657", "Marianne Dahl", "herning"),
    ("Holstebro Kommune", "661", "Torben Iversen", "holstebro"),
    ("Horsens Kommune", "615", "Helle Mikkelsen", "horsens"),
    ("Ikast-Brande Kommune", "756", "Niels Overgaard", "ikast-brande"),
    ("Lemvig Kommune", "665", "Birthe Kragh", "lemvig"),
    ("Norddjurs Kommune", "707", "Steen Holmgaard", "norddjurs"),
    ("Odder Kommune", "727", "Lone Frandsen", "odder"),
    ("Randers Kommune", "730", "Ulrik Brask", "randers"),
    ("Ringkøbing-Skjern Kommune", "760", "Karen Thygesen", "rksk"),
    ("Samsø Kommune", "741", "Erik Bøgh", "samsoe"),
    ("Silkeborg Kommune", "740", "Susanne Lykke", "silkeborg"),
    ("Skanderborg Kommune", "746", "Jesper Vinther", "skanderborg"),
    ("Skive Kommune", "779", "Anette Juul", "skive"),
    ("Struer Kommune", "671", "Poul Skovbo", "struer"),
    ("Syddjurs Kommune", "706", "Hanne Riis", "syddjurs"),
    ("Viborg Kommune", "791", "Morten Kaae", "viborg"),
    ("Aarhus Kommune", "751", "Dorte Falk", "aarhus"),
]

ADMINISTRATIVE_PURPOSE = (
    "Den administrative styregruppe har det overordnede ansvar for DK2020-projektets gennemførelse. "
    "Herunder hører løbende at definere opgaver, roller, snitflader og praktisk udmøntning af projektet."
)
ADMINISTRATIVE_TASKS = """\
- At bistå den politiske styregruppe og KKR Midtjylland med den videre implementering af DK2020-projektet
- At understøtte kommunernes arbejde med udarbejdelse af klimahandlingsplaner
- At koordinere samarbejdet mellem kommunernes klimakoordinatorer
- At planlægge et større klimatopmøde mellem parterne, med sigte på erfaringsudveksling og konsolidering af projektet
- Efter behov at etablere arbejdsgrupper af kommunale og regionale medarbejdere, der bistår i opgavernes udførelse"""
ADMINISTRATIVE_MANDATE = (
    "Styregruppen består af fem repræsentanter fra fem forskellige kommuner, som KD-Net udpeger, samt to "
    "repræsentanter fra Region Midtjylland, på direktør- eller fagchefniveau. Sekretariatsmedarbejdere og "
    "medarbejdere fra KL, kommunerne og Region Midtjylland kan deltage. Relevante aktører kan inddrages ad hoc."
)
SECRETARIAT_PURPOSE = (
    "KKR Midtjylland har ansat en klimakoordinator, som er tilknyttet Fælleskommunalt Klimasekretariat i "
    "Midtjylland i Aarhus Kommunes klimasekretariat. Region Midtjylland har ansat en DK2020-klimakoordinator i "
    "Regional Udvikling i Regionshuset i Viborg."
)
SECRETARIAT_TASKS = (
    "Sekretariatsbetjener den politiske og den administrative styregruppe i fællesskab og har ansvaret for den "
    "praktiske gennemførelse af DK2020. Sikrer koordinering med den nationale del af projektet og med Concito."
)
SECRETARIAT_MANDATE = (
    "Med projektsekretariat på to lokationer arbejdes der agilt, med opgaver i hele den midtjyske geografi. "
    "Projektledelsen deles mellem de to miljøer."
)

TROLLHATTAN_PURPOSE = """\
Gruppen ska bidra till gott samarbete i organisationen för att uppnå gemensamma mål, ökad miljökompetens samt ökad kännedom om varandras arbete och utmaningar. Ytterst är syftet att öka hastigheten och effektiviteten i Trollhättans arbete i riktning mot ekologisk hållbarhet.

Gruppens arbete ska ske i linje med aktuell MRP-plan, strategin för ekologisk hållbarhet och andra styrdokument med ekologisk inriktning, samt våra nationella miljömål och de globala målen i Agenda 2030."""
TROLLHATTAN_TASKS = """\
- Avstämning av pågående arbete och idéer för att utveckla Trollhättan i ekologisk riktning
- Diskussioner om miljöfrågor som behöver lösas, med extra fokus på förvaltningsövergripande utmaningar
- Gemensam kompetensutveckling, genom föreläsningar, filmer, studiebesök med mera
- Sprida kunskap i organisationen om pågående och kommande miljöarbete i den egna förvaltningen
- Utveckla den externa informationen om miljöarbetet i samarbete med kommunikationsavdelningen"""
TROLLHATTAN_MANDATE = """\
Två hållbarhetsstrateger, som skiftar ordförandeposten, och deltagare från kommunens samtliga förvaltningar, minst en från varje förvaltning. Deltagarna ska ha nära koppling till respektive förvaltnings ledningsgrupp och ha mandat att driva förvaltningens linje.

Hållbarhetsstrategerna ansvarar för rapportering till miljöutskottet och SDL-gruppen. Deltagarna ansvarar för att återrapportera till respektive förvaltning."""

NETWORK_PURPOSE = (
    "Att det ska finnas ett nätverk för kontinuerlig dialog, gemensamt arbete och målstyrning avseende "
    "kommunövergripande frågor inom {area} hållbarhet. Teman kommuniceras i förväg inför varje tillfälle."
)
NETWORK_MANDATE = """\
Förvaltningsdirektören utser en representant med tydligt mandat att representera förvaltningen i hållbarhetsfrågor, och möjliggör för representanten att föra fram frågor till ledningsgruppen.

Representanten har en tydlig koppling till hållbarhetsarbetet i den egna förvaltningen, fungerar som en väg in i förvaltningen för hållbarhetsfrågorna, bjuder vid behov in berörda kollegor och deltar aktivt i mötena."""
SOCIAL_AREAS = """\
- Implementering av CEMR-deklarationen och kommunens jämställdhetsintegrering
- Mänskliga rättigheter och rättighetsfrågor kopplade till diskrimineringsgrunderna
- Landsbygdsfrågor
- Samordning av kommunens samverkan med civilsamhället
- Folkhälsofrågor
- Nationella minoriteter
- Barnkonventionen, barnperspektiv
- Arbetet mot segregation"""
ECOLOGICAL_AREAS = """\
- Koldioxidmålet; klimat- och energifrågor (handlingsplan för koldioxidneutralitet, handlingsplan för solel, energi- och klimatprogram)
- Giftfri miljö
- Ny avfallsplan
- Klimatanpassning
- Miljökommunikation"""

# Trollhättans stad's förvaltningar: name, head (fictional).
FORVALTNINGAR = [
    ("Kommunstyrelsens förvaltning", "Annika Hedlund"),
    ("Samhällsbyggnadsförvaltningen", "Mikael Strand"),
    ("Utbildningsförvaltningen", "Helena Boström"),
    ("Kultur- och fritidsförvaltningen", "Jonas Berglund"),
    ("Vård- och omsorgsförvaltningen", "Maria Lundgren"),
    ("Socialförvaltningen", "Anders Holm"),
]


def _mail(name: str, domain: str) -> str:
    local = name.lower().replace(" ", ".")
    for old, new in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("ä", "a"), ("ö", "o"), ("é", "e")):
        local = local.replace(old, new)
    return f"{local}@{domain}.example"


class _Builder:
    """Small helpers around the operations, acting as the workspace's owner."""

    def __init__(self, by, country: str, locale: str):
        self.by = by
        self.country = country
        self.locale = locale
        self.organisations = {}

    def organisation(self, name, kind, code="", head="", domain="", parent=None):
        org = create_organisation(
            by=self.by, name=name, kind=kind, country=self.country, official_code=code,
            parent_id=parent.id if parent else None, head_name=head,
            head_email=_mail(head, domain) if head else "")
        self.organisations[name] = org
        return org

    def person(self, name, organisation, title, domain, user=None):
        person = add_person(name=name, email=user.email if user else _mail(name, domain),
                            organisation_id=organisation.id, title=title, locale=self.locale)
        if user is not None:
            person.user_id = user.id
        return person

    def body(self, **fields):
        return create_body(BodyFields(**fields), by=self.by)

    def member(self, body, person, role, start, organisation=None, seat=None, end=None, mandate="", nominated_by=""):
        organisation = organisation or person.organisation
        return add_membership(body, MembershipFields(
            person_id=person.id, role=role, organisation_id=organisation.id if organisation else None,
            seat_id=seat.id if seat else None, mandate=mandate, start_date=start, end_date=end,
            nominated_by=nominated_by), by=self.by)


def _midtjylland(tenant, users, today: date) -> None:
    by = membership_in_tenant_of(tenant, users["klimakoordinator@dk2020.example"])
    b = _Builder(by, "DK", "da")
    region = b.organisation("Region Midtjylland", "region", "1082", "Anders Vestergaard", "rm")
    for name, code, head, domain in MIDTJYLLAND:
        b.organisation(name, "municipality", code, head, domain)
    org = b.organisations
    domain = {name: mail_domain for name, _code, _head, mail_domain in MIDTJYLLAND} | {"Region Midtjylland": "rm"}
    start = date(2020, 12, 1)

    political = b.body(
        name="Politisk styregruppe for DK2020 Midtjylland", kind="political_steering_group",
        purpose="Den politiske styregruppe sætter retningen for DK2020 i Midtjylland og følger kommunernes arbejde "
                "med klimahandlingsplaner, i samarbejde med KKR Midtjylland.",
        start_date=date(2020, 9, 16), meeting_cadence="2 møder om året")
    administrative = b.body(
        name="Administrativ styregruppe for DK2020 Midtjylland", kind="administrative_steering_group",
        reports_to_id=political.id, purpose=ADMINISTRATIVE_PURPOSE, tasks=ADMINISTRATIVE_TASKS,
        mandate=ADMINISTRATIVE_MANDATE, start_date=date(2020, 9, 16), meeting_cadence="4 møder om året",
        case_number="SAG-2019-04892", coverage_rule="seats")
    secretariat = b.body(
        name="Fælleskommunalt Klimasekretariat i Midtjylland", kind="secretariat",
        purpose=SECRETARIAT_PURPOSE, tasks=SECRETARIAT_TASKS, mandate=SECRETARIAT_MANDATE,
        start_date=date(2020, 9, 16))
    working = b.body(
        name="Arbejdsgruppe for klimatilpasning", kind="working_group", parent_id=administrative.id,
        reports_to_id=administrative.id, coverage_rule="member_organisations", start_date=date(2024, 3, 1),
        purpose="Arbejdsgruppen udveksler erfaringer med klimatilpasning i kommunernes klimahandlingsplaner "
                "og forbereder fælles indsatser, som den administrative styregruppe beslutter.",
        tasks="- Fælles kortlægning af oversvømmelsesrisiko\n- Erfaringsudveksling om skybrudsprojekter",
        meeting_cadence="6 møder om året")

    # The secretariat: one coordinator in Aarhus, one in the Regionshuset in Viborg.
    mads = b.person("Mads Holm Eriksen", org["Aarhus Kommune"], "Klimakoordinator, KKR Midtjylland", "aarhus",
                    user=users["sekretariat@dk2020.example"])
    lene = b.person("Lene Bach Kristensen", region, "DK2020-klimakoordinator, Regional Udvikling, Viborg", "rm",
                    user=users["klimakoordinator@dk2020.example"])
    b.member(secretariat, mads, "coordinator", start)
    b.member(secretariat, lene, "coordinator", start)
    serve_body(secretariat, political, by=by)
    serve_body(secretariat, administrative, by=by)

    # Political steering group: co-chairs from Skive Kommune and Region Midtjylland.
    for name, organisation, title, role in [
        ("Hans Ejlersen", "Skive Kommune", "Borgmester", "co_chair"),
        ("Mette Bak Nørgaard", "Region Midtjylland", "Regionsrådsmedlem", "co_chair"),
        ("Jonas Vind", "Aarhus Kommune", "Rådmand", "member"),
        ("Kirsten Fogh", "Viborg Kommune", "Borgmester", "member"),
    ]:
        person = b.person(name, org[organisation], title, domain[organisation])
        b.member(political, person, role, start)

    # Administrative steering group: five seats KD-Net fills, two for the region (seed 004).
    kd_seats = [add_seat(administrative, f"Kommune udpeget af KD-Net ({n})", chosen_by="KD-Net", by=by)
                for n in range(1, 6)]
    region_seats = [add_seat(administrative, f"Region Midtjylland ({n})", chosen_by="Region Midtjylland",
                             organisation_id=region.id, by=by) for n in range(1, 3)]
    for (name, organisation, title, role), seat in zip([
        ("Bo Lindholt", "Skive Kommune", "Kommunaldirektør", "co_chair"),
        ("Lise Munk", "Aarhus Kommune", "Direktør, Teknik og Miljø", "member"),
        ("Jakob Ravn", "Lemvig Kommune", "Teknisk direktør", "member"),
        ("Rikke Ploug", "Samsø Kommune", "Fagchef for klima og miljø", "member"),
        ("Ole Damgaard", "Horsens Kommune", "Direktør for teknik og miljø", "member"),
    ], kd_seats):
        person = b.person(name, org[organisation], title, domain[organisation])
        b.member(administrative, person, role, start, seat=seat, nominated_by="KD-Net")
    camilla = b.person("Camilla Hvid", region, "Direktør for Regional Udvikling", "rm")
    frederik = b.person("Frederik Lauridsen", region, "Chef for klima og miljø", "rm")
    b.member(administrative, camilla, "co_chair", start, seat=region_seats[0], nominated_by="Region Midtjylland")
    # A term that ends soon: the overview lists it.
    b.member(administrative, frederik, "member", start, seat=region_seats[1], end=today + timedelta(days=45),
             nominated_by="Region Midtjylland")

    # A working group across three municipalities; Odder has not named anyone yet.
    set_member_organisations(working, [org[n].id for n in ("Horsens Kommune", "Skanderborg Kommune",
                                                            "Odder Kommune")], by=by)
    signe = b.person("Signe Bruun", org["Horsens Kommune"], "Klimatilpasningskoordinator", "horsens")
    thomas = b.person("Thomas Krogh", org["Skanderborg Kommune"], "Vandplanlægger", "skanderborg")
    b.member(working, signe, "chair", date(2024, 3, 1), mandate="Kan forpligte Horsens Kommune på fælles analyser.")
    b.member(working, thomas, "member", date(2024, 3, 1))
    odder = org["Odder Kommune"]
    nominations.create_nomination(working, nominations.NominationFields(
        organisation_id=odder.id, recipient_name=odder.head_name, recipient_email=odder.head_email,
        due_date=today + timedelta(days=10), locale="da", seats=1,
        message=nominations.default_message(working, odder, mads.name, "da"),
    ), by=membership_in_tenant_of(tenant, users["sekretariat@dk2020.example"]))


def _trollhattan(tenant, users, today: date) -> None:
    by = membership_in_tenant_of(tenant, users["hallbarhetschef@trollhattan.example"])
    b = _Builder(by, "SE", "sv")
    stad = b.organisation("Trollhättans stad", "municipality", "1488", "Per-Olof Wikström", "trollhattan")
    departments = {name: b.organisation(name, "department", "", head, "trollhattan", parent=stad)
                   for name, head in FORVALTNINGAR}
    b.organisation("Trollhättan Energi AB", "company", "", "Lars Nyström", "trollhattanenergi", parent=stad)
    ksf = departments["Kommunstyrelsens förvaltning"]

    group = b.body(
        name="Ekologiska hållbarhetsgruppen", kind="working_group", coverage_rule="departments",
        purpose=TROLLHATTAN_PURPOSE, tasks=TROLLHATTAN_TASKS, mandate=TROLLHATTAN_MANDATE,
        start_date=date(2023, 1, 1), meeting_cadence="ca 8 gånger per år")
    set_member_organisations(group, [stad.id], by=by)
    karin = b.person("Karin Lindqvist", ksf, "Hållbarhetsstrateg", "trollhattan",
                     user=users["strateg@trollhattan.example"])
    johan = b.person("Johan Ekström", ksf, "Hållbarhetsstrateg", "trollhattan")
    start = date(2023, 1, 1)
    # Two strategists share the chair, taking turns every six months (seed 003).
    chairs = [b.member(group, karin, "co_chair", start), b.member(group, johan, "co_chair", start)]
    set_chair_rotation(group, [m.id for m in chairs], start, 6, today + timedelta(days=730), by=by)
    participants = {}
    for name, department, title in [
        ("Elin Sjöberg", "Samhällsbyggnadsförvaltningen", "Miljöstrateg"),
        ("Oskar Nilsson", "Utbildningsförvaltningen", "Verksamhetsutvecklare"),
        ("Sara Holmqvist", "Kultur- och fritidsförvaltningen", "Utvecklingsledare"),
        ("Fredrik Ahlström", "Socialförvaltningen", "Kvalitetsutvecklare"),
    ]:
        participants[department] = b.person(name, departments[department], title, "trollhattan")
        b.member(group, participants[department], "member", start,
                 mandate="Driver förvaltningens linje och återrapporterar till ledningsgruppen.",
                 nominated_by=dict(FORVALTNINGAR)[department])
    # Vård- och omsorgsförvaltningen has not named anyone: the gap is open and its request overdue.
    care = departments["Vård- och omsorgsförvaltningen"]
    overdue = NominationRequest(
        body_id=group.id, organisation_id=care.id, recipient_name=care.head_name, recipient_email=care.head_email,
        locale="sv", seats=1, due_date=today - timedelta(days=5), created_by_id=users["strateg@trollhattan.example"].id,
        message=nominations.default_message(group, care, karin.name, "sv"),
        sent_at=(utcnow() - timedelta(days=26)).replace(microsecond=0),
        reminded_at=utcnow() - timedelta(days=8),
    )
    nominations.send_request(overdue, tenant)

    social = b.body(
        name="Nätverk för social hållbarhet (NSH)", kind="network", start_date=date(2024, 8, 15),
        purpose=NETWORK_PURPOSE.format(area="social"), tasks=SOCIAL_AREAS, mandate=NETWORK_MANDATE,
        meeting_cadence="3–4 gånger per termin, ca 2 timmar")
    ecological = b.body(
        name="Nätverk för ekologisk hållbarhet (NEH)", kind="network", start_date=date(2024, 8, 15),
        coverage_rule="departments", purpose=NETWORK_PURPOSE.format(area="ekologisk"), tasks=ECOLOGICAL_AREAS,
        mandate=NETWORK_MANDATE, meeting_cadence="3–4 gånger per termin, ca 2 timmar")
    set_member_organisations(ecological, [stad.id], by=by)
    network_start = date(2024, 8, 15)
    amira = b.person("Amira Haddad", ksf, "Folkhälsostrateg", "trollhattan")
    b.member(social, amira, "coordinator", network_start)
    for name, department, title in [
        ("Emma Lind", "Socialförvaltningen", "Enhetschef"),
        ("Viktor Sandberg", "Utbildningsförvaltningen", "Rektor"),
    ]:
        b.member(social, b.person(name, departments[department], title, "trollhattan"), "member", network_start)
    b.member(ecological, karin, "coordinator", network_start)
    for department, person in participants.items():
        b.member(ecological, person, "member", network_start)
    linnea = b.person("Linnea Berg", care, "Verksamhetsutvecklare", "trollhattan")
    b.member(ecological, linnea, "member", network_start)


def load(app, tenants, users) -> None:
    """The receiver of signals.demo_data: runs once, when `flask demo load` creates the workspaces."""
    for slug, build in (("dk2020-midtjylland", _midtjylland), ("trollhattan-hallbarhet", _trollhattan)):
        tenant = tenants[slug]
        with tenant_scope(tenant):
            build(tenant, users, local_today(tenant.time_zone))

