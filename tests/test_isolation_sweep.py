"""The isolation sweep: every URL rule that names a workspace or a secret link, tried from the wrong side.

The sweep reads the app's URL map, so a new route is swept from its first
day. It builds two workspaces alike, A (DK2020 Midtjylland) and B
(Trollhättan), each with one object of every kind, and:
- requests every /<slug>/... rule filled with A's ids as a user who is only in
  B, with A's slug and with B's slug; as a user in both A and B, with B's slug;
  and every POST as an observer of A; and every page under no workspace as
  the user of B;
- puts A's ids into the query string of every page of B (every name a view
  reads from the query string, every URL argument's name, every form field
  that names an object), as a user in both A and B;
- posts B's own forms to B's own pages with one field at a time naming A's
  object instead of B's (a list of checkboxes also with A's id added to B's):
  the answer is a form error or 404;
- checks that each form really writes when the workspace's own owner sends it,
  so that "nothing changed" above means something;
- opens and posts every secret link (nomination, invitation, e-mail
  verification, password reset) with one workspace's secret under the other
  workspace's id, under an id no workspace has, without its workspace, and
  with a secret of another kind: each answers exactly as a made-up link does;
  a link that works shows nothing of the other workspace, and an answer to
  B's link that names A's people writes into B only.
It expects 403 or 404 where A's objects are named, none of A's marker strings
in any page of B, and not one of A's rows changed.
"""
import ast
import functools
import io
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

import samklima
from samklima.extensions import db
from samklima.platform.accounts import operations as account_operations
from samklima.platform.tenancy import tenant_scope
from samklima.platform.workspaces.queries import membership_in_tenant_of
from samklima.tenants.bodies.models import Body
from samklima.tenants.bodies.operations import serve_body
from samklima.tenants.organisations import operations as organisation_operations
from tests import factories, mailbox


# --- the two workspaces ------------------------------------------------------------------------

@dataclass(frozen=True)
class Spec:
    """What makes one workspace of the sweep its own: every string here is a marker of it.

    So none may appear on a page for another reason (a hint like "For example
    Region Midtjylland", a demo name, a form the sweep sends).
    """

    slug: str
    name: str
    country: str
    locale: str
    owner: tuple[str, str]  # e-mail, name
    colleague: tuple[str, str]  # a secretariat member whose role can change; gets the reset link
    newcomer: tuple[str, str]  # has an account that is not verified yet
    municipality: tuple[str, str, str]  # name, official code, head's e-mail
    department: str
    region: tuple[str, str]
    person: tuple[str, str]
    body: str
    secretariat: str
    seat: str
    head: tuple[str, str]  # who is asked for a representative
    invitee: str
    meeting: str  # a meeting's title
    item: str  # an agenda item's title
    guest: tuple[str, str]  # a meeting's guest: name, e-mail

    def markers(self) -> list[str]:
        return [self.owner[0], self.owner[1], self.colleague[0], self.colleague[1], self.newcomer[0],
                self.newcomer[1], self.municipality[0], self.municipality[2], self.department, self.region[0],
                *self.person, self.body, self.secretariat, self.seat, *self.head, self.invitee, self.meeting,
                self.item, *self.guest]


A = Spec(
    slug="dk2020-midtjylland", name="DK2020 Midtjylland", country="DK", locale="da",
    owner=("lene@dk2020.example", "Lene Bach Kristensen"),
    colleague=("mads.holm@dk2020.example", "Mads Holm Eriksen"),
    newcomer=("nanna.ny@dk2020.example", "Nanna Fiktiv Nygaard"),
    municipality=("Aarhus Kommune", "751", "kommunaldirektor@aarhus.example"),
    department="Teknik og Miljø",
    region=("Region Nordjylland", "1081"),
    person=("Henrik Aagaard Sørensen", "henrik.sorensen@aarhus.example"),
    body="Administrativ styregruppe for DK2020 Midtjylland",
    secretariat="Fælleskommunalt Klimasekretariat",
    seat="Plads udpeget af KD-Net",
    head=("Dorte Falk", "dorte.falk@aarhus.example"),
    invitee="ny.koordinator@horsens.example",
    meeting="Konstituerende møde i styregruppen",
    item="Fælles udbud af solceller",
    guest=("Gæst Fiktiv Gæstesen", "gaest.fiktiv@kl.example"),
)
B = Spec(
    slug="trollhattan-hallbarhet", name="Hållbara Trollhättan", country="SE", locale="sv",
    owner=("karin@trollhattan.example", "Karin Lindqvist"),
    colleague=("erik.strom@trollhattan.example", "Erik Fiktiv Ström"),
    newcomer=("nils.ny@trollhattan.example", "Nils Fiktiv Nyberg"),
    municipality=("Trollhättan kommun", "1488", "kommundirektor@trollhattan.example"),
    department="Kultur- och fritidsförvaltningen",
    region=("Västra Götalandsregionen", "14"),
    person=("Åsa Fiktiv Öberg", "asa.oberg@trollhattan.example"),
    body="Ekologiska hållbarhetsgruppen",
    secretariat="Hållbarhetssekretariatet i Trollhättan",
    seat="Plats för Samhällsbyggnadsförvaltningen",
    head=("Mikael Strand", "mikael.strand@trollhattan.example"),
    invitee="ny.strateg@vanersborg.example",
    meeting="Uppstartsmöte för hållbarhetsgruppen",
    item="Gemensam upphandling av solceller",
    guest=("Gäst Fiktiv Gästsson", "gast.fiktiv@vgregion.example"),
)
# Only in A, and in both (an admin of A, an owner of B).
OBSERVER = ("observator@skive.example", "Jonas Skov Observatør")
BOTH = ("radgiver@nordisk.example", "Sofie Lund Berg")


@dataclass
class Side:
    """One workspace as the sweep uses it: ids of one object of every kind, and its markers."""

    spec: Spec
    tenant_id: int
    slug: str
    owner_membership_id: int
    membership_id: int  # the colleague's: a role that can change, a member who can be removed
    colleague_user_id: int  # not linked to any contact yet
    organisation_id: int
    department_id: int
    region_id: int
    person_id: int
    body_id: int
    secretariat_id: int
    seat_id: int
    member_id: int
    nomination_id: int
    invitation_id: int
    meeting_id: int = 0  # published, with an item changed since: its update can be announced
    later_meeting_id: int = 0  # not published: it can be, and proposals can be deferred to it
    proposal_id: int = 0  # a proposal waiting for a decision
    item_id: int = 0  # on the agenda, between two standing items: it moves up and down
    guest_id: int = 0
    import_token: str = ""
    tokens: dict[str, str] = field(default_factory=dict)  # endpoint → the secret of its link

    @property
    def markers(self) -> list[str]:
        return self.spec.markers()

    @property
    def all_markers(self) -> list[str]:
        """Also the workspace's name, which a member of both sees in the workspace switcher."""
        return [*self.markers, self.spec.name]


@dataclass
class World:
    a: Side
    b: Side


def build_side(app, spec: Spec, users: dict) -> Side:
    owner_user = factories.make_user(*spec.owner, spec.locale)
    tenant = factories.make_workspace(spec.slug, spec.name, spec.country, owner_user)
    colleague = factories.make_user(*spec.colleague, spec.locale)
    newcomer = factories.make_user(*spec.newcomer, spec.locale, verified=False)
    colleague_membership = factories.add_member(tenant, colleague, "secretariat")
    factories.add_member(tenant, newcomer, "member")
    for user, role in users.items():
        factories.add_member(tenant, user, role)
    t = tenant.id
    owner = membership_in_tenant_of(tenant, owner_user)
    invitation = factories.make_invitation(tenant, owner, spec.invitee).id
    name, code, head_email = spec.municipality
    municipality = factories.make_organisation(t, name, official_code=code, head_email=head_email).id
    department = factories.make_organisation(t, spec.department, "department", parent=municipality).id
    region = factories.make_organisation(t, spec.region[0], "region", official_code=spec.region[1]).id
    person = factories.make_person(t, *spec.person, municipality).id
    body = factories.make_body(t, spec.body, "administrative_steering_group").id
    secretariat = factories.make_body(t, spec.secretariat, "secretariat").id
    with tenant_scope(t):
        serve_body(db.session.get(Body, secretariat), db.session.get(Body, body), by=owner)
    seat = factories.make_seat(t, body, spec.seat, chosen_by="KD-Net").id
    member = factories.make_membership(t, body, person, "member", municipality, seat, start_date=date(2020, 9, 16)).id
    nomination = factories.make_nomination(t, body, municipality, spec.head[1], recipient_name=spec.head[0]).id
    side = Side(spec=spec, tenant_id=t, slug=spec.slug, owner_membership_id=owner.id,
                membership_id=colleague_membership.id, colleague_user_id=colleague.id, organisation_id=municipality,
                department_id=department, region_id=region, person_id=person, body_id=body,
                secretariat_id=secretariat, seat_id=seat, member_id=member, nomination_id=nomination,
                invitation_id=invitation)
    build_meetings(side, spec, owner_user, municipality)
    account_operations.send_verification(newcomer)
    account_operations.request_password_reset(spec.colleague[0])
    with app.test_request_context(), tenant_scope(t):
        # A previewed import: a valid token, so a broken scope would really import.
        side.import_token = organisation_operations.import_token(
            "name;kind;country\r\nSamsø Kommune;kommune;DK\r\n")
    return side


def build_meetings(side: Side, spec: Spec, owner_user, municipality: int) -> None:
    """Two meetings of the side's group: one published (its invitation mail holds the personal link)."""
    from datetime import time

    from samklima.tenants.meetings import operations as meetings
    from samklima.tenants.meetings.models import AgendaItem, Meeting
    from samklima.tenants.meetings.plan import Cadence

    t = side.tenant_id
    # The owner sits in the group too, so that the owner answers an invitation of their own.
    owner_contact = factories.make_person(t, spec.owner[1], spec.owner[0], municipality, user=owner_user).id
    factories.make_membership(t, side.body_id, owner_contact, "member", municipality, start_date=date(2020, 9, 16))
    side.meeting_id = factories.make_meeting(t, side.body_id, date.today() + timedelta(days=21), title=spec.meeting).id
    side.later_meeting_id = factories.make_meeting(t, side.body_id, date.today() + timedelta(days=63)).id
    side.item_id = factories.make_agenda_item(t, side.meeting_id, spec.item).id
    side.proposal_id = factories.make_agenda_item(t, side.meeting_id, "Forslag").id
    with tenant_scope(t):
        owner = factories.owner_of(t)
        db.session.get(AgendaItem, side.proposal_id).status = "proposed"
        meeting = db.session.get(Meeting, side.meeting_id)
        side.guest_id = meetings.add_guest(meeting, meetings.GuestFields(*spec.guest, spec.locale), by=owner).id
        meetings.publish_agenda(meeting, by=owner)
        item = db.session.get(AgendaItem, side.item_id)
        meetings.update_item(item, meeting, meetings.ItemFields(title=spec.item, duration_minutes=25), by=owner)
        meetings.save_settings(db.session.get(Body, side.body_id), meetings.SettingsFields(
            cadence=Cadence(frequency="monthly", weekday=1, ordinal=2, start_time=time(9, 0)),
            publish_days_before=5, proposal_days_before=10, absence_threshold=3), by=owner)
        db.session.flush()


@pytest.fixture
def world(app, app_context, owner_engine):
    with factories.one_commit():
        observer = factories.make_user(*OBSERVER, "da")
        both = factories.make_user(*BOTH, "en")
        a = build_side(app, A, {observer: "observer", both: "admin"})
        b = build_side(app, B, {both: "owner"})
    world = World(a, b)
    for side in (a, b):
        side.tokens = {rule.endpoint: minted_token(app, rule, side) for rule in token_rules(app)}
    db.session.remove()
    return world


def signed_in(make_browser, email):
    browser = make_browser()
    browser.login(email)
    return browser


# --- filling the rules ---------------------------------------------------------------------------

# How the sweep fills each URL argument with one workspace's object. A rule
# with an argument missing here fails the sweep: put such an object into
# build_side and name its id here.
ARGUMENTS = {
    "membership_id": lambda side: side.membership_id,
    "invitation_id": lambda side: side.invitation_id,
    "body_id": lambda side: side.body_id,
    "nomination_id": lambda side: side.nomination_id,
    "member_id": lambda side: side.member_id,
    "seat_id": lambda side: side.seat_id,
    "secretariat_id": lambda side: side.secretariat_id,
    "organisation_id": lambda side: side.organisation_id,
    "person_id": lambda side: side.person_id,
    "meeting_id": lambda side: side.meeting_id,
    "item_id": lambda side: side.proposal_id,
    "invitee_id": lambda side: side.guest_id,
}
# Where one endpoint needs another object of the same kind than ARGUMENTS gives.
ENDPOINT_ARGUMENTS = {
    ("meetings.publish", "meeting_id"): lambda side: side.later_meeting_id,
    ("meetings.move_up", "item_id"): lambda side: side.item_id,
    ("meetings.move_down", "item_id"): lambda side: side.item_id,
    ("meetings.edit_item", "item_id"): lambda side: side.item_id,
}

# The form each POST endpoint is sent: valid data, so that a broken scope
# would really write (test_every_post_writes_when_the_owner_sends_it checks
# that it does). Every tenant-scoped POST endpoint needs an entry. Where the
# data names an object, it is a function of the workspace whose object it
# names, and nothing else in it may depend on the workspace: the fields in
# which A's form and B's form differ are the ones the sweep crosses.
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
    "nominations.new": lambda side: {
        "organisation_id": str(side.department_id), "locale": "da",
        "recipient_name": "Sweep Direktør", "recipient_email": "sweep.direktion@aarhus.example",
        "seats": "2", "due_date": (date.today() + timedelta(days=20)).isoformat(),
        "message": "Udpeg venligst to repræsentanter med et klart mandat.",
    },
    "nominations.withdraw": {},
    "organisations.create": lambda side: {
        "name": "Afdeling for klimatilpasning", "kind": "department", "parent_id": str(side.organisation_id),
        "country": "DK", "official_code": "", "head_name": "Sweep Direktør", "head_email": "sweep.direktor@horsens.example",
    },
    "organisations.edit": lambda side: {
        "name": "Overtaget kommune", "kind": "municipality", "parent_id": str(side.region_id), "country": "DK",
        "official_code": "", "head_name": "", "head_email": "",
    },
    # A fresh file per request: a stream is read only once.
    "organisations.import_file": lambda side: {
        "file": (io.BytesIO("name;kind;country\r\nOdder Kommune;kommune;DK\r\n".encode("cp1252")), "sweep.csv"),
    },
    "organisations.confirm_import": lambda side: {"token": side.import_token},
    "people.create": lambda side: {
        "name": "Overtaget Person", "organisation_id": str(side.organisation_id), "title": "Direktør",
        "email": "sweep.person@horsens.example", "phone": "", "locale": "da", "user_id": str(side.colleague_user_id),
    },
    "people.edit": lambda side: {
        "name": "Overtaget Person", "organisation_id": str(side.department_id), "title": "",
        "email": "sweep.person@horsens.example", "phone": "", "locale": "", "user_id": str(side.colleague_user_id),
    },
    "people.invite": {},
    "bodies.create": lambda side: {
        "name": "Arbejdsgruppe for klimatilpasning", "kind": "working_group", "parent_id": str(side.body_id),
        "reports_to_id": str(side.body_id),
    },
    "bodies.edit": lambda side: {
        "name": "Overtaget gruppe", "kind": "network", "parent_id": "", "reports_to_id": str(side.secretariat_id),
    },
    "bodies.set_status": {"status": "closed"},
    "bodies.add_member": lambda side: {
        "person_id": str(side.person_id), "role": "chair", "organisation_id": str(side.organisation_id),
        "seat_id": str(side.seat_id), "start_date": "2021-01-01", "mandate": "Overtaget",
    },
    "bodies.edit_member": lambda side: {
        "person_id": str(side.person_id), "role": "chair", "organisation_id": str(side.department_id),
        "seat_id": str(side.seat_id), "start_date": "2021-01-01", "mandate": "Overtaget",
    },
    "bodies.end_member": {"end_date": "2021-06-30"},
    "bodies.coverage": lambda side: {
        "action": "add_departments", "coverage_rule": "member_organisations",
        "organisation_ids": [str(side.region_id)], "departments_of": str(side.organisation_id),
    },
    "bodies.add_seat": lambda side: {
        "label": "Kommune udpeget af KD-Net", "chosen_by": "KD-Net", "organisation_id": str(side.organisation_id),
    },
    "bodies.remove_seat": {},
    "bodies.served_bodies": lambda side: {"body_ids": [str(side.body_id)]},
    "meetings.settings": {
        "frequency": "weekly", "interval": "2", "ordinal": "1", "weekday": "3", "months": ["1", "2", "3"],
        "start_time": "13:00", "duration_minutes": "90", "place": "Rådhuset", "video_url": "",
        "proposal_days_before": "7", "publish_days_before": "4", "absence_threshold": "2",
        "standing_items": ["round_table"],
    },
    "meetings.plan_period": lambda side: {
        "action": "create", "first_day": (date.today() + timedelta(days=100)).isoformat(),
        "last_day": (date.today() + timedelta(days=200)).isoformat(),
    },
    "meetings.create": lambda side: {
        "title": "Ekstraordinært møde", "day": (date.today() + timedelta(days=30)).isoformat(), "start": "10:00",
        "end": "12:00", "place": "Rådhuset", "video_url": "https://meet.example/abc", "themes": "Budget",
        "case_number": "", "proposal_deadline": "", "publish_on": "",
    },
    "meetings.edit": lambda side: {
        "title": "Flyttet møde", "day": (date.today() + timedelta(days=22)).isoformat(), "start": "13:00",
        "end": "15:00", "place": "Rådhuset", "video_url": "", "themes": "", "case_number": "",
        "proposal_deadline": "", "publish_on": "",
    },
    "meetings.cancel": {"reason": "Sygdom"},
    "meetings.delete": {"records_kept": "y"},
    "meetings.publish": {},
    "meetings.announce": {},
    "meetings.propose": {"title": "Nyt punkt", "kind": "decision", "description": "", "duration_minutes": "10",
                         "proposed_decision": "At godkende"},
    "meetings.edit_item": {"title": "Ændret punkt", "kind": "information", "description": "Tekst",
                           "duration_minutes": "20", "proposed_decision": ""},
    "meetings.accept_item": {},
    "meetings.move_up": {},
    "meetings.move_down": {},
    "meetings.remove_item": {},
    "meetings.defer_item": lambda side: {"meeting_id": str(side.later_meeting_id)},
    "meetings.reject_item": {"reason": "Hører hjemme i arbejdsgruppen"},
    "meetings.add_guest": {"name": "Ny Gæst", "email": "ny.gaest@kl.example", "locale": "sv"},
    "meetings.remove_guest": {},
    "meetings.answer": {"rsvp": "not_attending", "substitute_name": "", "substitute_email": ""},
    "meetings.attendance": lambda side: {"rows-0-invitee": str(side.guest_id), "rows-0-mark": "present"},
    "bodies.chair_rotation": lambda side: {
        "action": "save", "membership_ids": [str(side.member_id)], "first_start": "2021-01-01", "months": "6",
        "until": "2022-12-31",
    },
}

# POSTs that only read: what they answer, not a row, proves the form was valid.
READING_POSTS = {
    "organisations.import_file": "the preview; its token goes to organisations.confirm_import, which writes",
}

NEW_PASSWORD = "syv søer, en sommerfugl og en cykel i regnvejr"

# The secret links: who gets each link's mail in a workspace (its token is read
# from that mail), and the form its page sends. A rule with a <token> missing
# here fails the sweep. Forms that name people are functions of the workspace
# whose people they name.
TOKEN_MAILS = {
    "nomination_link.respond": lambda side: side.spec.head[1],
    "workspaces.invitation": lambda side: side.spec.invitee,
    "accounts.verify_email": lambda side: side.spec.newcomer[0],
    "accounts.reset_password": lambda side: side.spec.colleague[0],
    "meeting_link.respond": lambda side: side.spec.person[1],
}
TOKEN_FORMS = {
    "nomination_link.respond": lambda side: {
        "action": "answer", "answered_by": "Direktør", "representatives-0-name": side.spec.person[0],
        "representatives-0-email": side.spec.person[1], "representatives-0-title": "Klimachef",
        "representatives-0-mandate": "Fuldt mandat", "representatives-0-role": "member",
    },
    "workspaces.invitation": lambda side: {
        "join-name": side.spec.person[0], "join-password": NEW_PASSWORD, "join-password_repeat": NEW_PASSWORD,
    },
    "accounts.verify_email": lambda side: {},
    "accounts.reset_password": lambda side: {"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD},
    # The member sends the workspace's contact as a substitute.
    "meeting_link.respond": lambda side: {
        "rsvp": "substitute", "substitute_name": side.spec.person[0], "substitute_email": side.spec.person[1],
    },
}


def post_form(endpoint, side):
    form = POST_FORMS[endpoint]
    return form(side) if callable(form) else dict(form)


def tenant_rules(app):
    return sorted((rule for rule in app.url_map.iter_rules() if "slug" in rule.arguments), key=lambda r: r.rule)


def token_rules(app):
    return sorted((rule for rule in app.url_map.iter_rules() if "token" in rule.arguments and "slug" not in rule.arguments),
                  key=lambda r: r.rule)


def build_url(app, rule, side, slug=None):
    values = {"slug": slug or side.slug}
    for name in rule.arguments - {"slug"}:
        values[name] = ENDPOINT_ARGUMENTS.get((rule.endpoint, name), ARGUMENTS[name])(side)
    return app.url_map.bind("localhost").build(rule.endpoint, values)


def token_url(app, rule, token):
    return app.url_map.bind("localhost").build(rule.endpoint, {"token": token})


def minted_token(app, rule, side) -> str:
    """The token of the newest link to `rule` in the mail its workspace sent."""
    prefix = rule.rule.split("<", 1)[0]
    text = mailbox.mails_to(app, TOKEN_MAILS[rule.endpoint](side))[-1].body_text
    return re.search(rf"http://localhost{re.escape(prefix)}([^\s\"<>]+)", text).group(1)


def crossed_fields(endpoint, world) -> dict[str, tuple]:
    """The fields of an endpoint's form that name an object: (B's value, A's value) of each."""
    form_a, form_b = post_form(endpoint, world.a), post_form(endpoint, world.b)
    return {name: (form_b[name], form_a[name]) for name in form_a
            if isinstance(form_a[name], (str, list)) and form_a[name] != form_b.get(name)}


# --- reading the database past row-level security ---------------------------------------------------

def snapshot(owner_engine, tenant_id=None, everything=False):
    """Every row that one workspace owns, read as the database owner.

    `everything`: every row of every table instead (accounts, their links, the
    outbox), but the sessions, whose last-seen time a request may touch.
    """
    rows = {}
    with owner_engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            query = sa.select(table).order_by(*table.primary_key.columns)
            if everything:
                if table.name != "user_sessions":
                    rows[table.name] = connection.execute(query).all()
            elif "tenant_id" in table.c:
                rows[table.name] = connection.execute(query.where(table.c.tenant_id == tenant_id)).all()
            elif table.name == "tenants":
                rows[table.name] = connection.execute(query.where(table.c.id == tenant_id)).all()
    return rows


def changed_tables(before, after) -> list[str]:
    return sorted(name for name in before if before[name] != after[name])


def save(owner_engine) -> dict:
    with owner_engine.connect() as connection:
        return {table: [dict(row) for row in connection.execute(sa.select(table)).mappings()]
                for table in db.metadata.sorted_tables}


def restore(owner_engine, saved) -> None:
    """Every table back as it was saved: the next POST finds the world its form was written for."""
    with owner_engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
        for table in db.metadata.sorted_tables:
            rows = sorted(saved[table], key=lambda row: [row[c.name] for c in table.primary_key.columns])
            if rows:
                connection.execute(table.insert(), rows)


# --- what an answer says -----------------------------------------------------------------------------

# What differs between two pages that say the same: the form token, and the page's own address
# (the language picker comes back to it).
PER_REQUEST = re.compile(r'name="(?:csrf_token|next)" value="[^"]*"')
EXPIRED_FORM = "The form had expired or was sent from another page."


def text(response) -> str:
    # Downloads (a .docx, a .csv in another encoding) are bytes: read what text they hold.
    return response.get_data().decode("utf-8", "replace")


def refusal(browser, response) -> str | None:
    """How the answer refused the form ("404", "form error", "error after redirect"), or None."""
    body = text(response)
    if response.status_code == 404:
        return "404"
    if EXPIRED_FORM in body:
        return None  # a CSRF failure proves nothing about the field
    # A form shown again with its errors: 200, or 422 (Unprocessable Content).
    if response.status_code in (200, 422) and ('class="error-summary"' in body or 'class="field-error"' in body):
        return "form error"
    if response.status_code in (302, 303):
        page = text(browser.get(response.headers["Location"]))
        if 'class="alert alert-error"' in page:
            return "error after redirect"
    return None


def shown(response) -> str:
    """A page as it reads whatever its address and session."""
    return PER_REQUEST.sub("", text(response))


# --- the rules are all swept ----------------------------------------------------------------------------

def test_sweep_can_fill_every_rule(app):
    rules = tenant_rules(app)
    assert rules, "no tenant-scoped rules found"
    for rule in rules:
        missing = rule.arguments - {"slug"} - set(ARGUMENTS)
        assert not missing, f"the sweep cannot fill {sorted(missing)} of {rule.rule}: add them to ARGUMENTS"
        if "POST" in rule.methods:
            assert rule.endpoint in POST_FORMS, f"{rule.endpoint} accepts POST: add its form to POST_FORMS"
    links = token_rules(app)
    assert links, "no secret-link rules found"
    for rule in links:
        assert rule.endpoint in TOKEN_MAILS, f"{rule.rule} is a secret link: say in TOKEN_MAILS who gets its mail"
        assert rule.endpoint in TOKEN_FORMS, f"{rule.rule} is a secret link: add the form its page sends to TOKEN_FORMS"
    swept = {rule.rule for rule in [*rules, *links]}
    for rule in app.url_map.iter_rules():
        # Any other rule that takes an argument could be a door into a workspace: teach the sweep to open it.
        if rule.arguments and rule.endpoint != "static":
            assert rule.rule in swept, f"the sweep does not know how to fill {rule.rule}"


def _query_reads(tree) -> set[str]:
    """The names read as request.args.get("name"), .getlist("name") or request.args["name"]."""
    def is_args(node):
        return (isinstance(node, ast.Attribute) and node.attr == "args"
                and isinstance(node.value, ast.Name) and node.value.id == "request")

    names = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and is_args(node.func.value)
                and node.func.attr in ("get", "getlist") and node.args and isinstance(node.args[0], ast.Constant)):
            names.add(node.args[0].value)
        elif isinstance(node, ast.Subscript) and is_args(node.value) and isinstance(node.slice, ast.Constant):
            names.add(node.slice.value)
    return names


@functools.cache
def query_names_read() -> dict[tuple[str, str], set[str]]:
    """(module, top-level function) → every name its code reads from the query string, found in the source."""
    package = Path(samklima.__file__).parent
    found = {}
    for path in package.rglob("*.py"):
        module = ".".join(("samklima", *path.relative_to(package).with_suffix("").parts)).removesuffix(".__init__")
        for node in ast.parse(path.read_text("utf-8")).body:
            names = _query_reads(node)
            if names:
                found[(module, getattr(node, "name", ""))] = names
    return found


def test_the_sweep_finds_the_query_parameters_the_views_read():
    assert query_names_read(), "no request.args.get found: the sweep's scanner no longer sees the views"


# --- a user of B on A's pages ------------------------------------------------------------------------

def sweep(app, browser, owner_engine, world, slug, markers, must_deny):
    """Request every tenant-scoped rule filled with A's ids; returns the list of failures."""
    failures = []
    before = snapshot(owner_engine, world.a.tenant_id)
    for rule in tenant_rules(app):
        url = build_url(app, rule, world.a, slug)
        names_an_object = bool(rule.arguments - {"slug"})
        for method in sorted({"GET", "POST"} & rule.methods):
            if method == "GET":
                response = browser.get(url)
            else:
                response = browser.post(url, post_form(rule.endpoint, world.a))
            body = text(response)
            where = f"{method} {url} ({response.status_code})"
            if response.status_code >= 500:
                failures.append(f"{where}: server error")
            if (must_deny or names_an_object) and response.status_code not in (403, 404):
                failures.append(f"{where}: expected 403 or 404")
            failures += [f"{where}: shows {marker!r}" for marker in markers if marker in body]
            if method == "POST":
                # Read after each POST (a GET writes nothing by design: mail scanners open links).
                after = snapshot(owner_engine, world.a.tenant_id)
                if after != before:
                    failures.append(f"{where} or a GET before it: changed workspace A's rows in "
                                    f"{changed_tables(before, after)}")
                    before = after
    if snapshot(owner_engine, world.a.tenant_id) != before:
        failures.append("a GET after the last POST changed workspace A's rows")
    return failures


def test_member_of_b_only_gets_404_for_every_url_of_a(app, make_browser, owner_engine, world):
    browser = signed_in(make_browser, B.owner[0])
    failures = sweep(app, browser, owner_engine, world, A.slug, world.a.all_markers, must_deny=True)
    assert not failures, "\n".join(failures)


def test_member_of_b_only_with_b_slug_and_a_ids_sees_nothing_of_a(app, make_browser, owner_engine, world):
    browser = signed_in(make_browser, B.owner[0])
    failures = sweep(app, browser, owner_engine, world, B.slug, world.a.all_markers, must_deny=False)
    assert not failures, "\n".join(failures)


def test_member_of_both_with_b_slug_and_a_ids_sees_nothing_of_a(app, make_browser, owner_engine, world):
    browser = signed_in(make_browser, BOTH[0])
    failures = sweep(app, browser, owner_engine, world, B.slug, world.a.markers, must_deny=False)
    assert not failures, "\n".join(failures)


def test_observer_of_a_changes_nothing_with_any_post(app, make_browser, owner_engine, world):
    browser = signed_in(make_browser, OBSERVER[0])
    failures = []
    before = snapshot(owner_engine, world.a.tenant_id)
    for rule in tenant_rules(app):
        if "POST" not in rule.methods:
            continue
        url = build_url(app, rule, world.a)
        response = browser.post(url, post_form(rule.endpoint, world.a))
        if response.status_code >= 500:
            failures.append(f"POST {url}: server error")
        after = snapshot(owner_engine, world.a.tenant_id)
        if after != before:
            failures.append(f"POST {url} ({response.status_code}): an observer changed {changed_tables(before, after)}")
            before = after
    assert not failures, "\n".join(failures)


def test_the_sweep_notices_a_leak(app, make_browser, owner_engine, world):
    """The sweep itself can fail: A's own owner on A's pages trips every check."""
    browser = signed_in(make_browser, A.owner[0])
    failures = sweep(app, browser, owner_engine, world, A.slug, world.a.markers, must_deny=True)
    assert any("shows 'Lene Bach Kristensen'" in f for f in failures)
    assert any("changed workspace A's rows" in f for f in failures)


def test_member_of_b_only_sees_nothing_of_a_outside_the_workspaces(app, make_browser, world):
    """The pages under no workspace (the front page, the account, a future "my week") show a
    user the workspaces they are in, and nothing of another."""
    browser = signed_in(make_browser, B.owner[0])
    failures = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.arguments or "GET" not in rule.methods:
            continue
        response = browser.get(rule.rule)
        where = f"GET {rule.rule} ({response.status_code})"
        if response.status_code >= 500:
            failures.append(f"{where}: server error")
        failures += [f"{where}: shows {marker!r}" for marker in world.a.all_markers if marker in text(response)]
    assert not failures, "\n".join(failures)


# --- every form writes when its workspace's owner sends it ------------------------------------------

def test_every_post_writes_when_the_owner_sends_it(app, make_browser, owner_engine, world):
    """Else "nothing changed" proves nothing. Each POST finds the world as it was built."""
    owners = {A: signed_in(make_browser, A.owner[0]), B: signed_in(make_browser, B.owner[0])}
    saved = save(owner_engine)
    built = {side.spec: snapshot(owner_engine, side.tenant_id) for side in (world.a, world.b)}
    silent = []
    for rule in tenant_rules(app):
        if "POST" not in rule.methods:
            continue
        now = dict(built)
        for side, other in ((world.a, world.b), (world.b, world.a)):
            browser = owners[side.spec]
            response = browser.post(build_url(app, rule, side), post_form(rule.endpoint, side))
            where = f"{rule.endpoint} ({rule.rule}) in {side.slug} ({response.status_code})"
            after = snapshot(owner_engine, side.tenant_id)
            wrote = after != now[side.spec]
            if response.status_code >= 500:
                silent.append(f"{where}: server error")
            elif rule.endpoint in READING_POSTS:
                if wrote:
                    silent.append(f"{where}: wrote, so it is no longer one of the READING_POSTS")
                if response.status_code != 200 or refusal(browser, response):
                    silent.append(f"{where}: the owner's valid form was refused")
            elif not wrote:
                silent.append(f"{where}: the owner's valid form wrote nothing; fix its entry in POST_FORMS "
                              "or its target in build_side")
            if snapshot(owner_engine, other.tenant_id) != now[other.spec]:
                silent.append(f"{where}: changed {other.slug}")
            now[side.spec] = after
        restore(owner_engine, saved)
    assert not silent, "\n".join(silent)


# --- A's ids in B's own query strings and forms ------------------------------------------------------

def query_variants(app, world, endpoint) -> list[dict]:
    """Query strings that name A's objects, for one of B's own pages.

    Every URL argument's name gets A's object of its kind, and every form
    field that names an object gets A's object it would name. A name that the
    page's view reads from the query string (itself, or through a helper that
    is no view) gets each of A's ids in turn, one per query string, so that
    `?parent=` is tried as A's organisation and as A's group.
    """
    values: dict[str, list] = {name: [str(fill(world.a))] for name, fill in ARGUMENTS.items()}
    for post in POST_FORMS:
        for name, (_b, a) in crossed_fields(post, world).items():
            values.setdefault(name, [])
            if a not in values[name]:
                values[name].append(a)
    ids = sorted({value for listed in values.values() for value in listed
                  if isinstance(value, str) and value.isdigit()}, key=int)
    views = {(view.__module__, view.__name__) for view in app.view_functions.values()}
    view = app.view_functions[endpoint]
    for reader, names in query_names_read().items():
        read_here = reader == (view.__module__, view.__name__) or reader not in views
        for name in names:
            more = ids if read_here else ids[:1]
            values[name] = [*values.get(name, []), *(value for value in more if value not in values.get(name, []))]
    longest = max(len(listed) for listed in values.values())
    return [{name: listed[n % len(listed)] for name, listed in values.items()} for n in range(longest)]


def test_a_s_ids_in_the_query_string_of_b_s_own_pages_show_nothing_of_a(app, make_browser, owner_engine, world):
    """As the member of both, who could see A's objects in A: in B they must not show."""
    browser = signed_in(make_browser, BOTH[0])
    pages = [(rule, build_url(app, rule, world.b)) for rule in tenant_rules(app) if "GET" in rule.methods]
    pages += [(rule, token_url(app, rule, world.b.tokens[rule.endpoint]))
              for rule in token_rules(app) if "GET" in rule.methods]
    before = snapshot(owner_engine, world.a.tenant_id)
    failures = []
    for rule, url in pages:
        for query in query_variants(app, world, rule.endpoint):
            response = browser.get(url, query_string=query)
            where = f"GET {url}?{'&'.join(f'{k}={v}' for k, v in sorted(query.items()))} ({response.status_code})"
            if response.status_code >= 500:
                failures.append(f"{where}: server error")
            failures += [f"{where}: shows {marker!r}" for marker in world.a.markers if marker in text(response)]
    assert snapshot(owner_engine, world.a.tenant_id) == before, "a GET with A's ids in its query string changed A"
    assert not failures, "\n".join(failures)


def test_a_s_ids_in_b_s_own_forms_are_refused_and_write_nothing(app, make_browser, owner_engine, world):
    """B's valid forms, posted by B's owner (also a member of A) to B's own pages, one field at a time
    naming A's object instead of B's (a list of checkboxes also with A's id added to B's)."""
    browser = signed_in(make_browser, BOTH[0])
    saved = save(owner_engine)
    cases, failures = 0, []
    for rule in tenant_rules(app):
        if "POST" not in rule.methods:
            continue
        url = build_url(app, rule, world.b)
        for name, (b_value, a_value) in crossed_fields(rule.endpoint, world).items():
            for value in [a_value, *([b_value + a_value] if isinstance(a_value, list) else [])]:
                cases += 1
                before = snapshot(owner_engine, world.a.tenant_id), snapshot(owner_engine, world.b.tenant_id)
                response = browser.post(url, {**post_form(rule.endpoint, world.b), name: value})
                where = f"POST {url} with {name}={value!r} ({response.status_code})"
                if refusal(browser, response) is None:
                    failures.append(f"{where}: neither a form error nor 404")
                failures += [f"{where}: shows {marker!r}" for marker in world.a.markers if marker in text(response)]
                after = snapshot(owner_engine, world.a.tenant_id), snapshot(owner_engine, world.b.tenant_id)
                for side, was, now in zip((world.a, world.b), before, after):
                    if now != was:
                        failures.append(f"{where}: wrote into {side.slug}: {changed_tables(was, now)}")
                if after != before:
                    restore(owner_engine, saved)
    # A guard on the crossing itself: forms that stopped naming objects by workspace cross nothing.
    assert cases >= len(POST_FORMS) // 2, f"only {cases} crossed fields: do the forms still name objects by side?"
    assert not failures, "\n".join(failures)


# --- the secret links --------------------------------------------------------------------------------

TENANT_TOKEN = re.compile(r"([0-9]+)-(.+)")


def secret_of(side, endpoint) -> tuple[bool, str]:
    """(whether the link names its workspace, the secret without its workspace)."""
    token = side.tokens[endpoint]
    match = TENANT_TOKEN.fullmatch(token)
    if match and match.group(1) == str(side.tenant_id):
        return True, match.group(2)
    return False, token


def forged_tokens(app, world, rule) -> dict[str, str]:
    """Tokens for `rule` that name no link: each side's secret under another workspace (or
    under one no workspace has, or none), and the other secret links' tokens."""
    nowhere = max(world.a.tenant_id, world.b.tenant_id) + 1000
    forged = {}
    for side, other in ((world.a, world.b), (world.b, world.a)):
        names_workspace, secret = secret_of(side, rule.endpoint)
        where = side.slug
        forged[f"{where}'s secret under {other.slug}'s id"] = f"{other.tenant_id}-{secret}"
        forged[f"{where}'s secret under an id no workspace has"] = f"{nowhere}-{secret}"
        if names_workspace:
            forged[f"{where}'s secret without its workspace"] = secret
        else:
            forged[f"{where}'s token under its own workspace's id"] = f"{side.tenant_id}-{secret}"
        for link in token_rules(app):
            if link.endpoint != rule.endpoint:
                forged[f"{where}'s {link.endpoint} token"] = side.tokens[link.endpoint]
    return forged


def test_a_link_with_a_forged_or_crossed_token_answers_like_a_made_up_one(app, make_browser, owner_engine, world):
    """A's secret under B's id, B's under A's, ...: the same 400 page as a link nobody sent, and
    nothing written, signed out and signed in as a member of both."""
    visitors = {"signed out": make_browser(), "the member of both": signed_in(make_browser, BOTH[0])}
    markers = [*world.a.markers, *world.b.markers]
    cases, failures = 0, []
    for rule in token_rules(app):
        for who, browser in visitors.items():
            made_up = token_url(app, rule, "0-madeup")
            expected = {"GET": browser.get(made_up),
                        "POST": browser.post(made_up, TOKEN_FORMS[rule.endpoint](world.b))}
            assert all(response.status_code == 400 for response in expected.values()), made_up
            before = snapshot(owner_engine, everything=True)
            for case, token in forged_tokens(app, world, rule).items():
                url = token_url(app, rule, token)
                for method, like in expected.items():
                    cases += 1
                    if method == "GET":
                        response = browser.get(url)
                    else:
                        response = browser.post(url, TOKEN_FORMS[rule.endpoint](world.b))
                    where = f"{method} {rule.endpoint} with {case}, {who} ({response.status_code})"
                    if response.status_code != 400 or shown(response) != shown(like):
                        failures.append(f"{where}: not the page of a link nobody sent")
                    failures += [f"{where}: shows {marker!r}" for marker in markers if marker in text(response)]
            after = snapshot(owner_engine, everything=True)
            if after != before:
                failures.append(f"{rule.endpoint}, {who}: a forged token wrote into {changed_tables(before, after)}")
    assert cases >= 4 * len(token_rules(app)), cases
    assert not failures, "\n".join(failures)


def test_a_working_link_shows_only_its_own_workspace(app, make_browser, world):
    visitors = {"signed out": make_browser(), "the member of both": signed_in(make_browser, BOTH[0])}
    failures = []
    for rule in token_rules(app):
        for side, other in ((world.a, world.b), (world.b, world.a)):
            for who, browser in visitors.items():
                response = browser.get(token_url(app, rule, side.tokens[rule.endpoint]))
                where = f"GET {rule.endpoint} of {side.slug}, {who} ({response.status_code})"
                if response.status_code != 200:
                    failures.append(f"{where}: the link does not work, so the crossed ones prove nothing")
                # The member of both sees both workspaces' names in the switcher; no one sees the other's objects.
                markers = other.markers if who == "the member of both" else other.all_markers
                failures += [f"{where}: shows {marker!r}" for marker in markers if marker in text(response)]
    assert not failures, "\n".join(failures)


def test_answering_b_s_link_with_a_s_people_writes_into_b_only(app, make_browser, owner_engine, world):
    """Each of B's links, sent with what names A's people (a representative with A's contact's name
    and address, an account under that name): it works, in B, and A stays as it was."""
    before_a = snapshot(owner_engine, world.a.tenant_id)
    failures = []
    for rule in token_rules(app):
        if "POST" not in rule.methods:
            continue
        before = snapshot(owner_engine, everything=True)
        browser = make_browser()
        response = browser.post(token_url(app, rule, world.b.tokens[rule.endpoint]), TOKEN_FORMS[rule.endpoint](world.a))
        where = f"POST {rule.endpoint} of {world.b.slug} ({response.status_code})"
        if response.status_code != 302:
            failures.append(f"{where}: the answer was refused, so it proves nothing")
        if snapshot(owner_engine, everything=True) == before:
            failures.append(f"{where}: wrote nothing")
        if snapshot(owner_engine, world.a.tenant_id) != before_a:
            failures.append(f"{where}: changed {world.a.slug}")
    with owner_engine.connect() as connection:
        # The representative named after A's contact is B's new contact, not A's.
        places = connection.execute(sa.text("SELECT tenant_id, name FROM people WHERE email = :email ORDER BY id"),
                                    {"email": A.person[1]}).all()
    assert places == [(world.a.tenant_id, A.person[0]), (world.b.tenant_id, A.person[0])]
    assert not failures, "\n".join(failures)
