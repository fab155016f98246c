"""The large benchmark data set, written with COPY as the owner.

One function per table, run in the order of `GENERATORS`. Each takes the
shared `Plan` (sizes, the random source, ids of rows already written) and a
psycopg cursor, writes its rows with `copy_rows`, and leaves on the plan what
later tables need. A later issue adds a table with one function, e.g.

    def meetings(plan, cur):
        rows = ((i, tenant_id, ...) for i, tenant_id in ...)
        copy_rows(cur, "meetings", ("id", "tenant_id", ...), rows)
        plan.meetings_by_tenant = ...
        plan.targets["meeting_id"] = ...   # a page the benchmark loads

and appends it to GENERATORS (sizes for it are already in SIZES). Ids are
chosen here, not by the sequences: `generate` moves every sequence past them
at the end.

The connection must bypass row-level security (the server's superuser, as
for CREATE DATABASE and CREATE ROLE): tenant tables FORCE it.

Standalone: `python -m bench.generate postgresql://postgres@127.0.0.1/DB`
(a migrated, empty database).
"""
from __future__ import annotations

import hashlib
import json
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import psycopg

from samklima.platform.workspaces.operations import COUNTRY_DEFAULTS

# About the sizes issue 7 names; the last three wait for their tables.
SIZES = {
    "tenants": 1_000,
    "users": 20_000,
    "audit_events": 200_000,
    "invitations": 20_000,
    "meetings": 50_000,
    "agenda_items": 500_000,
    "measures": 50_000,
}

BIG_SLUG = "bench-big"
BIG_MEMBERS = 1_000          # the big workspace whose admin the benchmark signs in as
BIG_AUDIT_EVENTS = 20_000
BIG_INVITATIONS = 500
MEDIUM_WORKSPACES = 9        # workspaces 2..10
MEDIUM_MEMBERS = 200
SMALL_MEMBERS = (5, 35)      # the rest: a region's network or one municipality's group
# A few consultants and regional advisers sit in many workspaces.
MULTI_WORKSPACE_USERS = (300, 250, 200, 150, 100)

ADMIN_EMAIL = "admin@bench.example"
MULTI_EMAIL = "consultant@bench.example"
PASSWORD = "bench-password-2024"

PLACES = {
    "DK": ["Aarhus", "Horsens", "Silkeborg", "Herning", "Randers", "Viborg", "Skive", "Holstebro"],
    "SE": ["Trollhättan", "Göteborg", "Uddevalla", "Borås", "Vänersborg", "Lidköping", "Skövde"],
    "NO": ["Bærum", "Asker", "Drammen", "Lillestrøm", "Tønsberg", "Bodø", "Tromsø"],
    "FI": ["Tampere", "Turku", "Espoo", "Lahti", "Jyväskylä", "Oulu", "Vaasa"],
    "IS": ["Reykjavík", "Akureyri", "Kópavogur", "Hafnarfjörður", "Árborg"],
}
NETWORK = {
    "DK": "klimanetværk", "SE": "klimatnätverk", "NO": "klimanettverk", "FI": "ilmastoverkosto", "IS": "loftslagsnet",
}
FIRST = ["Anne", "Mette", "Lars", "Jens", "Karin", "Erik", "Ingrid", "Ole", "Sigrid", "Mikko", "Aino", "Jón",
         "Guðrún", "Sofie", "Mads", "Eva", "Nils", "Liisa", "Pekka", "Kristín", "Åsa", "Øystein", "Ægir"]
LAST = ["Nielsen", "Jensen", "Andersson", "Lindqvist", "Hansen", "Solberg", "Virtanen", "Korhonen",
        "Jónsdóttir", "Sigurðsson", "Berg", "Holm", "Dahl", "Lund", "Nyström", "Haugen", "Østergaard", "Åberg"]
AUDIT_ACTIONS = ["login", "login", "login", "login_failed", "logout", "password_changed", "role_changed",
                 "member_joined", "invitation_sent", "invitation_revoked", "settings_changed", "member_removed"]
ROLES = ("admin", "secretariat", "member", "member", "member", "member", "observer")


@dataclass
class Plan:
    password_hash: str
    scale: float = 1.0
    sizes: dict = field(default_factory=lambda: dict(SIZES))
    rng: random.Random = field(default_factory=lambda: random.Random(2024))
    now: datetime = field(default_factory=lambda: datetime.now(UTC).replace(tzinfo=None, microsecond=0))
    tenants: list = field(default_factory=list)             # (id, slug, country, locale)
    user_ids: list = field(default_factory=list)
    user_email: dict = field(default_factory=dict)
    members_by_tenant: dict = field(default_factory=dict)   # tenant id -> [(user id, role)]
    orgs_by_tenant: dict = field(default_factory=dict)      # tenant id -> region, municipalities, departments
    people_by_tenant: dict = field(default_factory=dict)    # tenant id -> region / municipal [(id, org id)]
    bodies_by_tenant: dict = field(default_factory=dict)    # tenant id -> {layout key: body id}
    seats_by_tenant: dict = field(default_factory=dict)     # tenant id -> [(seat id, org id or None)]
    targets: dict = field(default_factory=dict)             # what the benchmark loads
    written: dict = field(default_factory=dict)             # table -> rows
    timings: dict = field(default_factory=dict)             # table -> seconds

    def scaled(self, count: int) -> int:
        return max(2, int(count * self.scale))

    def ago(self, max_days: float) -> datetime:
        return self.now - timedelta(seconds=self.rng.uniform(0, max_days * 86400))


def copy_rows(cur, table: str, columns, rows) -> int:
    count = 0
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def tenants(plan: Plan, cur) -> None:
    countries = list(COUNTRY_DEFAULTS)
    rows = []
    for i in range(1, plan.sizes["tenants"] + 1):
        if i == 1:
            country, slug, name = "DK", BIG_SLUG, "Region Midtjylland – DK2020 klimanetværk (benchmark)"
        else:
            country = countries[i % len(countries)]
            place = plan.rng.choice(PLACES[country])
            slug = f"bench-{i:04d}"
            name = f"{place} – {NETWORK[country]} {i:04d}"
        locale, time_zone, currency = COUNTRY_DEFAULTS[country]
        plan.tenants.append((i, slug, country, locale))
        rows.append((i, slug, name, country, locale, time_zone, currency, "trial", "trialing", False, plan.ago(900)))
    plan.written["tenants"] = copy_rows(
        cur, "tenants",
        ("id", "slug", "name", "country", "default_locale", "time_zone", "currency", "plan",
         "subscription_status", "requires_admin_two_factor", "created_at"),
        rows,
    )
    plan.targets["slug"] = BIG_SLUG


def users(plan: Plan, cur) -> None:
    locales = [locale for locale, _tz, _cur in COUNTRY_DEFAULTS.values()] + ["en", "nn"]
    rng = plan.rng

    def rows():
        for i in range(1, plan.sizes["users"] + 1):
            email = {1: ADMIN_EMAIL, 2: MULTI_EMAIL}.get(i, f"user{i:05d}@bench.example")
            plan.user_ids.append(i)
            plan.user_email[i] = email
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            created = plan.ago(900)
            yield (i, email, name, plan.password_hash, rng.choice(locales), created, False, created)

    plan.written["users"] = copy_rows(
        cur, "users",
        ("id", "email", "name", "password_hash", "locale", "email_verified_at", "is_operator", "created_at"),
        rows(),
    )
    plan.targets["personas"] = {"admin": (ADMIN_EMAIL, PASSWORD), "multi": (MULTI_EMAIL, PASSWORD)}


def tenant_memberships(plan: Plan, cur) -> None:
    """Every user in at least one workspace; sizes from 1,000 down to a handful."""
    rng = plan.rng
    multi = list(range(2, 2 + len(MULTI_WORKSPACE_USERS)))
    pool = [u for u in plan.user_ids if u != 1 and u not in multi]
    rng.shuffle(pool)
    cursor = 0

    def take(k):
        nonlocal cursor
        picked = []
        for _ in range(k):
            picked.append(pool[cursor % len(pool)])
            cursor += 1
        return picked

    for tenant_id, _slug, _c, _l in plan.tenants:
        if tenant_id == 1:
            size = plan.scaled(BIG_MEMBERS)
        elif tenant_id <= 1 + MEDIUM_WORKSPACES:
            size = plan.scaled(MEDIUM_MEMBERS)
        else:
            size = rng.randint(*SMALL_MEMBERS)
        people = take(min(size, len(pool)))
        members = [(people[0], "owner")] + [(u, rng.choice(ROLES)) for u in people[1:]]
        plan.members_by_tenant[tenant_id] = members
    # The benchmark's admin: the big workspace and two small ones.
    plan.members_by_tenant[1].append((1, "admin"))
    plan.members_by_tenant[11].append((1, "member"))
    plan.members_by_tenant[12].append((1, "observer"))
    # The consultants: the big workspace and many others.
    others = [t[0] for t in plan.tenants if t[0] not in (1,)]
    for user_id, count in zip(multi, MULTI_WORKSPACE_USERS):
        plan.members_by_tenant[1].append((user_id, "member"))
        for tenant_id in rng.sample(others, min(count - 1, len(others))):
            plan.members_by_tenant[tenant_id].append((user_id, "member"))

    def rows():
        i = 0
        for tenant_id, members in plan.members_by_tenant.items():
            for user_id, role in members:
                i += 1
                yield (i, tenant_id, user_id, role, plan.ago(600))

    plan.written["tenant_memberships"] = copy_rows(
        cur, "tenant_memberships", ("id", "tenant_id", "user_id", "role", "created_at"), rows()
    )


def audit_events(plan: Plan, cur) -> None:
    rng = plan.rng
    total = plan.sizes["audit_events"]
    tenant_ids = [t[0] for t in plan.tenants if t[0] != 1]
    weights = [len(plan.members_by_tenant[t]) for t in tenant_ids]
    big = min(plan.scaled(BIG_AUDIT_EVENTS), total)
    chosen = [1] * big + rng.choices(tenant_ids, weights, k=total - big)
    role_change = json.dumps({"old": "member", "new": "admin"})

    def rows():
        for i, tenant_id in enumerate(chosen, start=1):
            actor, _role = rng.choice(plan.members_by_tenant[tenant_id])
            action = rng.choice(AUDIT_ACTIONS)
            details = role_change if action == "role_changed" else "{}"
            ip = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            yield (i, plan.ago(730), action, actor, plan.user_email[actor], ip, details, tenant_id)

    plan.written["audit_events"] = copy_rows(
        cur, "audit_events",
        ("id", "created_at", "action", "actor_id", "subject", "ip_address", "details", "tenant_id"),
        rows(),
    )


def invitations(plan: Plan, cur) -> None:
    """Open, accepted, withdrawn and lapsed invitations (14 days to answer)."""
    rng = plan.rng
    total = plan.sizes["invitations"]
    tenant_ids = [t[0] for t in plan.tenants if t[0] != 1]
    big = min(plan.scaled(BIG_INVITATIONS), total)
    chosen = [1] * big + rng.choices(tenant_ids, k=total - big)
    locale_of = {t[0]: t[3] for t in plan.tenants}

    def rows():
        for i, tenant_id in enumerate(chosen, start=1):
            inviter = plan.members_by_tenant[tenant_id][0][0]
            created = plan.ago(30)
            state = rng.random()
            accepted = created + timedelta(days=1) if state < 0.3 else None
            revoked = created + timedelta(hours=2) if 0.3 <= state < 0.4 else None
            token_hash = hashlib.sha256(f"bench-invitation-{i}".encode()).hexdigest()
            yield (i, f"invitee{i:05d}@bench.example", rng.choice(("member", "member", "observer", "secretariat")),
                   locale_of[tenant_id], token_hash, inviter, created, created + timedelta(days=14),
                   accepted, revoked, tenant_id)

    plan.written["invitations"] = copy_rows(
        cur, "invitations",
        ("id", "email", "role", "locale", "token_hash", "invited_by_id", "created_at", "expires_at",
         "accepted_at", "revoked_at", "tenant_id"),
        rows(),
    )


# --- organisations, people and bodies (issue 3) ------------------------------

MUNICIPALITIES_PER_WORKSPACE = 20
DEPARTMENTS = {
    "DK": ["Teknik og Miljø", "Børn og Unge", "Social og Sundhed"],
    "SE": ["Samhällsbyggnadsförvaltningen", "Utbildningsförvaltningen", "Socialförvaltningen"],
    "NO": ["Teknisk sektor", "Oppvekst", "Helse og omsorg"],
    "FI": ["Kaupunkiympäristö", "Kasvatus ja koulutus", "Sosiaali- ja terveyspalvelut"],
    "IS": ["Umhverfis- og skipulagssvið", "Skóla- og frístundasvið", "Velferðarsvið"],
}
REGION = {"DK": "Region", "SE": "Region", "NO": "Fylkeskommune", "FI": "Maakunta", "IS": "Landshluti"}
PEOPLE_PER_MUNICIPALITY = 2
BIG_PEOPLE_PER_MUNICIPALITY = 18    # the big workspace: enough people for its 300-member network
BIG_GROUP_MEMBERS = 300             # in the big workspace's network, about a fifth of them past members
NOMINATION_WORKSPACES = 200         # the first workspaces each send two nomination requests
TITLES = ["Klimakoordinator", "Miljøchef", "Borgmester", "Kommunaldirektør", "Hållbarhetsstrateg",
          "Rådgiver", "Enhetsleder", "Projektleder"]


def _day(plan: Plan, max_days: float):
    return plan.ago(max_days).date()


def organisations(plan: Plan, cur) -> None:
    """Per workspace a region, 20 municipalities and three departments under each."""
    rng = plan.rng

    def rows():
        i = 0
        for tenant_id, _slug, country, _locale in plan.tenants:
            i += 1
            region = i
            place = rng.choice(PLACES[country])
            yield (i, f"{REGION[country]} {place} {tenant_id:04d}", "region", None, country, f"R{tenant_id:04d}",
                   f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"direktion@region{tenant_id}.bench.example",
                   plan.ago(900), tenant_id)
            municipalities, departments = [], {}
            for m in range(1, MUNICIPALITIES_PER_WORKSPACE + 1):
                i += 1
                muni = i
                municipalities.append(muni)
                name = f"{PLACES[country][m % len(PLACES[country])]} {m:02d}"
                yield (muni, f"{name} Kommune", "municipality", None, country, f"{100 + m}",
                       f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"post@k{m}.t{tenant_id}.bench.example",
                       plan.ago(900), tenant_id)
                departments[muni] = []
                for dept in DEPARTMENTS[country]:
                    i += 1
                    departments[muni].append(i)
                    yield (i, f"{dept} ({name})", "department", muni, country, "",
                           f"{rng.choice(FIRST)} {rng.choice(LAST)}", "", plan.ago(900), tenant_id)
            plan.orgs_by_tenant[tenant_id] = {"region": region, "municipalities": municipalities,
                                              "departments": departments}

    plan.written["organisations"] = copy_rows(
        cur, "organisations",
        ("id", "name", "kind", "parent_id", "country", "official_code", "head_name", "head_email",
         "created_at", "tenant_id"),
        rows(),
    )


def people(plan: Plan, cur) -> None:
    """Two per municipality (18 in the big workspace), two at the region; some are signed-in members."""
    rng = plan.rng

    def rows():
        i = 0
        for tenant_id, _slug, _country, locale in plan.tenants:
            orgs = plan.orgs_by_tenant[tenant_id]
            members = plan.members_by_tenant[tenant_id]
            per = BIG_PEOPLE_PER_MUNICIPALITY if tenant_id == 1 else PEOPLE_PER_MUNICIPALITY
            region_people, municipal = [], []
            slots = [(orgs["region"], region_people)] * 2
            for muni in orgs["municipalities"]:
                for k in range(per):
                    org = muni if k % 2 == 0 else rng.choice(orgs["departments"][muni])
                    slots.append((org, municipal))
            for n, (org, bucket) in enumerate(slots):
                i += 1
                user_id = members[n][0] if n < min(10, len(members)) else None
                bucket.append((i, org))
                yield (i, f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"person{i:06d}@bench.example",
                       f"+45 {rng.randrange(10_000_000, 99_999_999)}", rng.choice(TITLES), org, user_id,
                       locale, plan.ago(600), tenant_id)
            plan.people_by_tenant[tenant_id] = {"region": region_people, "municipal": municipal}

    plan.written["people"] = copy_rows(
        cur, "people",
        ("id", "name", "email", "phone", "title", "organisation_id", "user_id", "locale", "created_at",
         "tenant_id"),
        rows(),
    )


BODY_LAYOUT = (
    # key, kind, name, coverage rule, parent key (sub-group)
    ("political", "political_steering_group", "Politisk styregruppe", "member_organisations", None),
    ("administrative", "administrative_steering_group", "Administrativ styregruppe", "member_organisations", None),
    ("secretariat", "secretariat", "Fælles klimasekretariat", "none", None),
    ("adaptation", "working_group", "Arbejdsgruppe for klimatilpasning", "none", "administrative"),
    ("energy", "working_group", "Arbejdsgruppe for energi og transport", "seats", "administrative"),
    ("network", "network", "Klimanetværk", "none", None),
)


def bodies(plan: Plan, cur) -> None:
    """Six per workspace: two steering groups, a secretariat serving both, two sub-groups, a network."""
    services = []

    def rows():
        i = 0
        for tenant_id, _slug, _country, _locale in plan.tenants:
            ids = {}
            for key, kind, name, coverage, parent in BODY_LAYOUT:
                i += 1
                ids[key] = i
                parent_id = ids[parent] if parent else None
                start = _day(plan, 900)
                yield (i, f"{name} {tenant_id:04d}", kind, "active", parent_id, parent_id,
                       f"Formål for {name.lower()}.", "Opgaver: koordinere, følge op, rapportere.",
                       "Mandat fra byrådene.", start, None, "Hver anden måned", f"{tenant_id:04d}-{i}",
                       coverage, plan.ago(900), tenant_id)
            plan.bodies_by_tenant[tenant_id] = ids
            services.append((tenant_id, ids["secretariat"], ids["political"]))
            services.append((tenant_id, ids["secretariat"], ids["administrative"]))

    plan.written["bodies"] = copy_rows(
        cur, "bodies",
        ("id", "name", "kind", "status", "parent_id", "reports_to_id", "purpose", "tasks", "mandate",
         "start_date", "end_date", "meeting_cadence", "case_number", "coverage_rule", "created_at", "tenant_id"),
        rows(),
    )
    plan.written["secretariat_services"] = copy_rows(
        cur, "secretariat_services", ("id", "tenant_id", "secretariat_id", "body_id"),
        ((n, *service) for n, service in enumerate(services, start=1)),
    )
    plan.targets["body_id"] = plan.bodies_by_tenant[1]["network"]


def body_member_organisations(plan: Plan, cur) -> None:
    """Both steering groups must cover the region and every municipality."""
    def rows():
        i = 0
        for tenant_id, ids in plan.bodies_by_tenant.items():
            orgs = plan.orgs_by_tenant[tenant_id]
            for key in ("political", "administrative"):
                for org in [orgs["region"], *orgs["municipalities"]]:
                    i += 1
                    yield (i, tenant_id, ids[key], org)

    plan.written["body_member_organisations"] = copy_rows(
        cur, "body_member_organisations", ("id", "tenant_id", "body_id", "organisation_id"), rows()
    )


def body_seats(plan: Plan, cur) -> None:
    """The energy group: a region seat and four municipalities the network chooses."""

    def rows():
        i = 0
        for tenant_id, ids in plan.bodies_by_tenant.items():
            seats = []
            i += 1
            seats.append((i, plan.orgs_by_tenant[tenant_id]["region"]))
            yield (i, tenant_id, ids["energy"], "Regionen", "Regionsrådet", plan.orgs_by_tenant[tenant_id]["region"], 0)
            for position in range(1, 5):
                i += 1
                seats.append((i, None))
                yield (i, tenant_id, ids["energy"], f"Kommune valgt af netværket ({position})", "Klimanetværket",
                       None, position)
            plan.seats_by_tenant[tenant_id] = seats

    plan.written["body_seats"] = copy_rows(
        cur, "body_seats", ("id", "tenant_id", "body_id", "label", "chosen_by", "organisation_id", "position"),
        rows(),
    )


def body_memberships(plan: Plan, cur) -> None:
    """Current and past members; the big workspace's network has about 300."""
    rng = plan.rng
    chair_terms = []
    today = plan.now.date()

    def member(i, tenant_id, body, person, role, org, seat=None, past=False):
        start = _day(plan, 1200)
        end = None
        if past:
            end = start + timedelta(days=rng.randint(30, 300))
            if end >= today:
                end = today - timedelta(days=1)
                start = min(start, end)
        return (i, tenant_id, body, person, role, org, seat, "", start, end, "", plan.ago(600))

    def rows():
        i = 0
        for tenant_id, ids in plan.bodies_by_tenant.items():
            people_ = plan.people_by_tenant[tenant_id]
            municipal, region = people_["municipal"], people_["region"]
            per_muni = len(municipal) // MUNICIPALITIES_PER_WORKSPACE
            firsts = municipal[::per_muni]               # one per municipality
            seconds = municipal[1::per_muni]
            # Political steering group: one per municipality, a chair (rotating: two chair terms).
            for n, (person, org) in enumerate(firsts):
                i += 1
                yield member(i, tenant_id, ids["political"], person, "chair" if n < 2 else "member", org)
                if n < 2:
                    chair_terms.append((tenant_id, ids["political"], i, today - timedelta(days=365 * (1 - n))))
            # Administrative steering group: the second person of each municipality, the region as coordinator.
            for person, org in seconds:
                i += 1
                yield member(i, tenant_id, ids["administrative"], person, "member", org)
            i += 1
            yield member(i, tenant_id, ids["administrative"], region[0][0], "coordinator", region[0][1])
            # The secretariat: the region's two.
            for n, (person, org) in enumerate(region):
                i += 1
                yield member(i, tenant_id, ids["secretariat"], person, "secretary" if n == 0 else "member", org)
            # Sub-groups: six each, the energy group on its seats.
            for person, org in rng.sample(seconds, 6):
                i += 1
                yield member(i, tenant_id, ids["adaptation"], person, "member", org)
            for (person, org), (seat, _seat_org) in zip(rng.sample(firsts, 5), plan.seats_by_tenant[tenant_id]):
                i += 1
                yield member(i, tenant_id, ids["energy"], person, "member", org, seat=seat)
            # The network: ten, past ones included; in the big workspace about 300.
            size = min(plan.scaled(BIG_GROUP_MEMBERS), len(municipal)) if tenant_id == 1 else 10
            for n, (person, org) in enumerate(rng.sample(municipal, size)):
                i += 1
                role = "coordinator" if n == 0 else ("substitute" if n % 7 == 0 else "member")
                yield member(i, tenant_id, ids["network"], person, role, org, past=n % 5 == 4)

    plan.written["body_memberships"] = copy_rows(
        cur, "body_memberships",
        ("id", "tenant_id", "body_id", "person_id", "role", "organisation_id", "seat_id", "mandate",
         "start_date", "end_date", "nominated_by", "created_at"),
        rows(),
    )
    plan.written["chair_terms"] = copy_rows(
        cur, "chair_terms", ("id", "tenant_id", "body_id", "membership_id", "starts_on"),
        ((n, *term) for n, term in enumerate(chair_terms, start=1)),
    )


def nomination_requests(plan: Plan, cur) -> None:
    """Two per workspace in the first 200: one open (some overdue), one answered or declined."""
    rng = plan.rng

    def rows():
        i = 0
        for tenant_id, _slug, _country, locale in plan.tenants[:NOMINATION_WORKSPACES]:
            ids = plan.bodies_by_tenant[tenant_id]
            creator = plan.members_by_tenant[tenant_id][0][0]
            for org in rng.sample(plan.orgs_by_tenant[tenant_id]["municipalities"], 2):
                i += 1
                sent = plan.ago(60)
                status = "sent" if i % 2 else rng.choice(("answered", "declined"))
                answered = sent + timedelta(days=3) if status != "sent" else None
                token_hash = hashlib.sha256(f"bench-nomination-{i}".encode()).hexdigest()
                yield (i, tenant_id, ids["political"], org, "Kommunaldirektøren", f"direktor{i}@bench.example",
                       locale, rng.randint(1, 2), "Vi beder jer udpege en repræsentant til styregruppen.",
                       sent.date() + timedelta(days=21), token_hash, status, creator, sent, None, answered,
                       "Kommunaldirektøren" if answered else "",
                       "Ingen kapacitet" if status == "declined" else "")

    plan.written["nomination_requests"] = copy_rows(
        cur, "nomination_requests",
        ("id", "tenant_id", "body_id", "organisation_id", "recipient_name", "recipient_email", "locale", "seats",
         "message", "due_date", "token_hash", "status", "created_by_id", "sent_at", "reminded_at", "answered_at",
         "answered_by", "decline_reason"),
        rows(),
    )


# The big workspace's administrative steering group has one meeting with this many items:
# the meeting page the benchmark loads.
BIG_AGENDA = 250
ITEM_KINDS = ("information", "discussion", "decision")


def meetings(plan: Plan, cur) -> None:
    """The meetings of every workspace's groups, half past (published) and half coming, with their
    agenda items; the sizes of SIZES spread evenly over the workspaces."""
    rng = plan.rng
    per_tenant = max(1, plan.sizes["meetings"] // len(plan.tenants))
    items_per_meeting = max(1, plan.sizes["agenda_items"] // plan.sizes["meetings"])
    items = []

    def rows():
        i = 0
        for tenant_id, _slug, _country, _locale in plan.tenants:
            bodies = list(plan.bodies_by_tenant[tenant_id].values())
            people = [person for group in plan.people_by_tenant[tenant_id].values() for person, _org in group]
            for n in range(per_tenant):
                i += 1
                body = bodies[n % len(bodies)]
                starts = (plan.now + timedelta(days=(n - per_tenant // 2) * 14)).replace(hour=8, minute=0, second=0)
                past = starts < plan.now
                if n == per_tenant // 2 and tenant_id == plan.tenants[0][0]:
                    plan.targets["meeting_id"] = i
                    count = BIG_AGENDA
                else:
                    count = items_per_meeting
                for position in range(count):
                    kind = ITEM_KINDS[position % 3]
                    items.append((tenant_id, i, position, f"Punkt {position + 1}: status på klimaplanen", "Oplæg.",
                                  kind, rng.choice((5, 10, 15, 20)),
                                  "At styregruppen godkender." if kind == "decision" else "", "accepted", "",
                                  position % 17 == 0, rng.choice(people) if people else None, "",
                                  starts - timedelta(days=20), starts - timedelta(days=20)))
                yield (i, tenant_id, body, "Møde i styregruppen", starts, starts + timedelta(hours=2),
                       "Rådhuset, mødelokale 1", "", "Tema: klimatilpasning.", f"{tenant_id:04d}-{i}",
                       (starts - timedelta(days=10)).date(), (starts - timedelta(days=5)).date(),
                       "published" if past else "planned", starts - timedelta(days=5) if past else None,
                       None, None, "", 0, starts - timedelta(days=60))

    plan.written["meetings"] = copy_rows(
        cur, "meetings",
        ("id", "tenant_id", "body_id", "title", "starts_at", "ends_at", "place", "video_url", "themes",
         "case_number", "proposal_deadline", "publish_on", "status", "published_at", "announced_at",
         "cancelled_at", "cancel_reason", "sequence", "created_at"),
        rows(),
    )
    plan.written["agenda_items"] = copy_rows(
        cur, "agenda_items",
        ("id", "tenant_id", "meeting_id", "position", "title", "description", "kind", "duration_minutes",
         "proposed_decision", "status", "standing", "closed", "proposer_id", "reject_reason", "created_at",
         "updated_at"),
        ((n, *item) for n, item in enumerate(items, start=1)),
    )


# In dependency order. Later issues: measures.
GENERATORS = [tenants, users, tenant_memberships, audit_events, invitations,
              organisations, people, bodies, body_member_organisations, body_seats, body_memberships,
              nomination_requests, meetings]


def generate(conninfo: str, password_hash: str, scale: float = 1.0, log=print) -> Plan:
    """Fill a migrated, empty database; returns the plan (targets, counts, timings)."""
    plan = Plan(password_hash=password_hash, scale=scale)
    if scale != 1.0:
        plan.sizes = {name: max(20, int(size * scale)) for name, size in SIZES.items()}
    with psycopg.connect(conninfo) as connection:
        with connection.cursor() as cur:
            for generator in GENERATORS:
                started = time.perf_counter()
                generator(plan, cur)
                table = generator.__name__
                plan.timings[table] = time.perf_counter() - started
                log(f"  {table:<26} {plan.written.get(table, 0):>9,} rows  {plan.timings[table]:5.1f} s")
            for table in plan.written:
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
        connection.commit()
        started = time.perf_counter()
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE")
        plan.timings["vacuum analyze"] = time.perf_counter() - started
    return plan


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: python -m bench.generate postgresql://postgres@127.0.0.1:5432/DATABASE")
    from samklima import create_app
    from samklima.platform.accounts.passwords import hash_password

    with create_app({"SECRET_KEY": "bench"}).app_context():
        password_hash = hash_password(PASSWORD)  # the app's own (production) parameters
    started = time.perf_counter()
    generate(sys.argv[1], password_hash)
    print(f"generated in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
