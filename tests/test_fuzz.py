"""The fuzzer: every route, every form field and every query parameter, sent hostile values.

It reads the app's URL map, so a new route is fuzzed from its first day, and it
reads each form's fields (input, select, textarea and button names) from the
page that shows the form, so a new field is fuzzed too. It visits as the owner
of a realistic workspace (seed 004, which asks its administrators for
two-factor), as a secretariat member, as an anonymous visitor (sign-up, login,
password links, the nomination and invitation links) and as someone halfway
through a two-factor sign-in.

Each field gets hostile values while the other fields keep valid ones (what
the page shows, or a plausible value of the input's type), so a value reaches
past the form into the operation: NUL bytes, ids beyond the database's
integer range, huge and negative numbers, impossible dates, huge text,
unicode, invalid UTF-8, a field left out or sent twice. No answer may be a
5xx, and an id beyond the range in a URL is a 404. Random values come from a
seeded generator: a failure repeats.
"""
import io
import logging
import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import pyotp
import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, RequestRedirect
from werkzeug.wrappers import Response

from samklima.extensions import db, limiter
from samklima.platform.accounts import operations as account_operations
from samklima.platform.accounts.models import User
from samklima.platform.tenancy import tenant_scope
from samklima.platform.workspaces.models import Tenant, TenantMembership
from samklima.platform.workspaces.queries import membership_in_tenant_of
from samklima.tenants.bodies.nominations import operations as nominations
from samklima.tenants.bodies.models import Body, NominationRequest
from tests import factories, mailbox
from tests.tenants.bodies import structures

SEED = 20260616
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# What the fuzzer types where a page asks for a new password: strong, and nobody's real one.
NEW_PASSWORD = "syv søer, en sommerfugl og en cykel i regnvejr"
MISSING, TWICE = object(), object()
INT_BEYOND = ["2147483648", "3000000000", "9223372036854775808", "1" + "0" * 30, "9" * 5000]


def _random_values(rng: random.Random) -> dict[str, str]:
    """Seeded: random text over all of Unicode (no surrogates), a random number and a random date."""
    points = [rng.choice([rng.randrange(0x20, 0x7F), rng.randrange(0xA0, 0xD800), rng.randrange(0xE000, 0x110000),
                          rng.randrange(0, 0x20)]) for _ in range(rng.randrange(1, 300))]
    return {
        "random text": "".join(map(chr, points)),
        "random number": f"{rng.choice(['', '-', '+'])}{rng.randrange(10 ** rng.randrange(1, 40))}",
        "random date": f"{rng.randrange(-10, 100000):04d}-{rng.randrange(0, 40):02d}-{rng.randrange(0, 40):02d}",
    }


HOSTILE = {
    "empty": "",
    "NUL": "\x00",
    "NUL inside": "Aarhus\x00Kommune",
    "unicode": "Ærøskøbing · Þórshöfn · Åland 🌍 \u202eRTL\u202c e\u0301 中文 \ufeff",
    "invalid UTF-8": b"\xff\xfe\xc3(",
    "left out": MISSING,
    "sent twice": TWICE,
    **{f"id {value[:25]}": value for value in INT_BEYOND},
    "negative id": "-2147483649",
    "minus one": "-1",
    "zero": "0",
    "no such day": "2021-02-30",
    "day zero": "0000-00-00",
    "last day": "9999-12-31",
    "first day": "0001-01-01",
    "huge text": "Klimaplan " * 2500,
    "markup": "<script>alert(1)</script>\"'&amp;",
    "header injection": "/x\r\nSet-Cookie: fuzz=1",
    **_random_values(random.Random(SEED)),
}
ANY = ["empty", "NUL", "NUL inside", "unicode", "invalid UTF-8", "left out", "sent twice", "random text"]
NUMBERS = [*[f"id {value[:25]}" for value in INT_BEYOND if value != "3000000000"], "negative id", "minus one",
           "zero", "random number"]
DATES = ["no such day", "day zero", "last day", "first day", "random date"]
TEXT = ["huge text", "markup", "header injection"]
# Each field gets the values that fit what its input asks for; a hidden field may carry anything.
HOSTILE_FOR = {
    "choice": ANY + NUMBERS,  # select, checkbox, radio, button, number: where ids go
    "date": ANY + DATES,
    "text": ANY + TEXT + ["id 3000000000", f"id {INT_BEYOND[-1][:25]}", "minus one", "no such day"],
    "hidden": ANY + NUMBERS + DATES + TEXT,
}
KIND_OF_INPUT = {"select": "choice", "select-multiple": "choice", "checkbox": "choice", "radio": "choice",
                 "button": "choice", "submit": "choice", "number": "choice", "date": "date", "hidden": "hidden"}
# A CSRF token is checked before any view: a few values show that it refuses them.
TOKEN_HOSTILE = {"NUL": "\x00", "huge text": "x" * 20_000, "invalid UTF-8": b"\xff\xfe", "left out": MISSING}
QUERY_HOSTILE = ["empty", "NUL inside", "unicode", "invalid UTF-8", *NUMBERS[:3], "minus one", "header injection"]
# Query parameters that views read but no page links to yet.
QUERY_NAMES = {"page", "next", "status", "parent", "organisation_id", "locale"}
PATH_TEXT = ["%00", "a%00b", "%ff%fe", "x" * 3000, "%C3%86r%C3%B8", "3000000000-abc", "99999999999999999-abc"]


# --- reading forms from a page -------------------------------------------------------------

@dataclass
class Control:
    name: str
    kind: str  # an input's type, or select, select-multiple, textarea, button
    value: str = ""
    checked: bool = False
    options: list = field(default_factory=list)  # [value, selected] of a select


@dataclass
class PageForm:
    method: str
    action: str
    multipart: bool
    controls: list = field(default_factory=list)

    def names(self) -> list[str]:
        return list(dict.fromkeys(c.name for c in self.controls))


class PageParser(HTMLParser):
    """The forms of a page, and the query parameter names of its links."""

    def __init__(self):
        super().__init__()
        self.forms: list[PageForm] = []
        self.query_names: set[str] = set()
        self._form = self._select = self._option = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and "?" in (a.get("href") or ""):
            self.query_names |= {name for name, _v in parse_qsl(urlsplit(a["href"]).query, keep_blank_values=True)}
        if tag == "form":
            self._form = PageForm((a.get("method") or "get").lower(), a.get("action") or "",
                              (a.get("enctype") or "").lower() == "multipart/form-data")
            self.forms.append(self._form)
            return
        if self._form is None or not a.get("name") and tag != "option":
            return
        if tag == "input":
            self._form.controls.append(Control(a["name"], (a.get("type") or "text").lower(), a.get("value") or "",
                                               "checked" in a))
        elif tag == "button":
            self._form.controls.append(Control(a["name"], "button", a.get("value") or ""))
        elif tag == "select":
            self._select = Control(a["name"], "select-multiple" if "multiple" in a else "select")
            self._form.controls.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a]
            self._select.options.append(self._option)
        elif tag == "textarea":
            self._textarea = Control(a["name"], "textarea")
            self._form.controls.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        elif self._option is not None and self._option[0] is None:
            self._option.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "option" and self._option is not None:
            if self._option[0] is None:  # an option without a value sends its text
                self._option[:] = ["".join(self._option[2:]).strip(), self._option[1]]
            self._option = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the newline right after <textarea>.
            self._textarea.value = self._textarea.value.removeprefix("\r\n").removeprefix("\n")
            self._textarea = None


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    return parser


# --- the workspace and the people who visit it ------------------------------------------------

@dataclass
class FuzzWorld:
    app: object
    ids: structures.World
    tenant_id: int
    nomination_id: int
    invitation_id: int
    membership_id: int
    meeting_id: int  # published
    later_meeting_id: int  # planned, not published
    proposal_id: int
    guest_id: int
    doomed_meeting_id: int  # cancelled and deleted: the others stay for every other page
    counter: int = 0

    def next(self) -> int:
        self.counter += 1
        return self.counter

    def link_to(self, recipient: str) -> str:
        """The path of the newest link mailed to `recipient`."""
        text = mailbox.mails_to(self.app, recipient)[-1].body_text
        return re.search(r"http://localhost(/\S+)", text).group(1)

    def mint(self, endpoint: str) -> str:
        """A fresh one-time token for a link page: an accepted answer uses one up."""
        n = self.next()
        with self.app.app_context():
            tenant = db.session.get(Tenant, self.tenant_id)
            owner = db.session.scalar(sa.select(TenantMembership).where(
                TenantMembership.tenant_id == tenant.id, TenantMembership.role == "owner"))
            if endpoint == "workspaces.invitation":
                recipient = f"fuzz.invited{n}@horsens.example"
                factories.make_invitation(tenant, owner, recipient)
            elif endpoint == "nomination_link.respond":
                recipient = f"fuzz.direktion{n}@lemvig.example"
                with tenant_scope(tenant):
                    body = db.session.get(Body, self.ids.bodies["steering"])
                    # One open request per organisation and group: the last link's request makes way.
                    for waiting in db.session.scalars(sa.select(NominationRequest).where(
                            NominationRequest.organisation_id == self.ids.orgs["Lemvig Kommune"],
                            NominationRequest.status == "sent")):
                        nominations.withdraw_nomination(waiting, body, by=owner)
                    db.session.commit()
                factories.make_nomination(tenant, self.ids.bodies["steering"], self.ids.orgs["Lemvig Kommune"],
                                          recipient, recipient_name="Fuzz Direktør", locale="en",
                                          message="Udpeg venligst to repræsentanter.", seats=2, by=owner)
            elif endpoint == "meeting_link.respond":
                from samklima.tenants.meetings import operations as meetings
                from samklima.tenants.meetings.models import Meeting

                recipient = f"fuzz.gaest{n}@kl.example"
                with tenant_scope(tenant):
                    meetings.add_guest(db.session.get(Meeting, self.meeting_id),
                                       meetings.GuestFields(f"Fuzz Gæst {n}", recipient, "da"), by=owner)
                    db.session.commit()
            elif endpoint == "accounts.reset_password":
                recipient = f"fuzz.reset{n}@dk2020.example"
                factories.make_user(recipient, "Fuzz Nulstilling")
                account_operations.request_password_reset(recipient)
                db.session.commit()
            elif endpoint == "accounts.verify_email":
                recipient = f"fuzz.verify{n}@dk2020.example"
                account_operations.send_verification(factories.make_user(recipient, "Fuzz Bekræft", verified=False))
                db.session.commit()
            else:
                raise KeyError(f"the fuzzer cannot make a link for {endpoint}: add it to FuzzWorld.mint")
        return self.link_to(recipient).rsplit("/", 1)[1]


LOGIN = "fuzz.login@dk2020.example"  # signs in with a password only
TWO_FACTOR = "fuzz.two-factor@dk2020.example"  # stays halfway through signing in, with wrong codes


# How the fuzzer fills each URL argument. A rule with an argument missing here
# fails the fuzzer: name a realistic value for it.
ARGUMENTS = {
    "slug": lambda w, endpoint: w.ids.slug,
    "body_id": lambda w, endpoint: w.ids.bodies["steering"],
    "secretariat_id": lambda w, endpoint: w.ids.bodies["secretariat"],
    "member_id": lambda w, endpoint: w.ids.members["Karen Dahl"],
    "seat_id": lambda w, endpoint: next(iter(w.ids.seats.values())),
    "nomination_id": lambda w, endpoint: w.nomination_id,
    "organisation_id": lambda w, endpoint: w.ids.orgs["Aarhus Kommune"],
    "person_id": lambda w, endpoint: w.ids.people["Karen Dahl"],
    "membership_id": lambda w, endpoint: w.membership_id,
    "invitation_id": lambda w, endpoint: w.invitation_id,
    "meeting_id": lambda w, endpoint: {"meetings.publish": w.later_meeting_id, "meetings.cancel": w.doomed_meeting_id,
                                       "meetings.delete": w.doomed_meeting_id}.get(endpoint, w.meeting_id),
    "item_id": lambda w, endpoint: w.proposal_id,
    "invitee_id": lambda w, endpoint: w.guest_id,
    "token": lambda w, endpoint: w.mint(endpoint),
    "filename": lambda w, endpoint: "css/samklima.css",
}
# Pages of a rule opened a second time with other objects, for the forms only they show:
# an unpublished meeting's "send the agenda".
SECOND_PAGES = [("meetings.show", lambda w: {"meeting_id": w.later_meeting_id})]
ONE_TIME_LINKS = {"workspaces.invitation", "nomination_link.respond", "accounts.reset_password",
                  "accounts.verify_email", "meeting_link.respond"}

# Valid values a page cannot show: real credentials.
BASELINES = {
    "accounts.login": {"email": LOGIN, "password": factories.PASSWORD},
    # A municipality's code has three or four digits: left empty, the rest of the form is valid.
    "organisations.create": {"official_code": ""},
}


class Visitor:
    """A test client with its own cookies; `start` signs it in (or half in)."""

    def __init__(self, app, name, start=None, keeps_state=True):
        self.app, self.name, self.start = app, name, start
        # A visitor that does not keep its state starts afresh after any redirect
        # (it may have signed up, signed in or used a link), like a new browser.
        self.keeps_state = keeps_state
        self.reset()

    def reset(self):
        self.client = self.app.test_client()
        self._csrf = None
        if self.start:
            self.start(self)
        self._csrf = None

    def csrf(self) -> str:
        if self._csrf is None:
            page = self.open("GET", "/login").get_data(as_text=True)
            self._csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        return self._csrf

    def open(self, method, url, **kwargs):
        with self.app.app_context():
            return self.client.open(url, method=method, **kwargs)

    def after(self, method, response):
        """Start afresh when the visitor may have changed who they are, or was signed out."""
        if not 300 <= response.status_code < 400:
            return
        signed_out = self.start is not None and urlsplit(response.location).path == "/login"
        if signed_out or (method == "POST" and not self.keeps_state):
            self.reset()


def sign_in(email, clock=None):
    """Signs in; with `clock`, through two-factor, each time in a new 30-second window (a code works once)."""
    def start(visitor):
        response = visitor.open("POST", "/login", data={
            "csrf_token": visitor.csrf(), "email": email, "password": factories.PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        visitor._csrf = None  # signing in starts a new session, with a new CSRF token
        if clock is not None:
            clock.shift(30)
            response = visitor.open("POST", "/login/two-factor", data={
                "csrf_token": visitor.csrf(), "code": pyotp.TOTP(TOTP_SECRET).now()})
            assert response.status_code == 302 and "two-factor" not in response.location, response.location
    return start


@pytest.fixture
def world(app, app_context):
    ids = structures.build_midtjylland()
    tenant = db.session.get(Tenant, ids.tenant_id)
    tenant.requires_admin_two_factor = True
    owner_user = db.session.scalar(sa.select(User).where(User.email == ids.logins["owner"]))
    member_user = db.session.scalar(sa.select(User).where(User.email == ids.logins["member"]))
    factories.make_user(LOGIN, "Fuzz Login")
    for user in (owner_user, factories.make_user(TWO_FACTOR, "Fuzz Tofaktor")):
        user.totp_secret = TOTP_SECRET
    db.session.commit()
    owner = membership_in_tenant_of(tenant, owner_user)
    invitation_id = factories.make_invitation(tenant, owner, "ny.koordinator@horsens.example").id
    nomination_id = factories.make_nomination(
        tenant, ids.bodies["steering"], ids.orgs["Samsø Kommune"], "direktion@samso.example",
        recipient_name="Dorte Falk", locale="da", message="Udpeg en repræsentant med et klart mandat.", by=owner).id
    membership_id = membership_in_tenant_of(tenant, member_user).id
    meetings = _meetings(ids, tenant, owner)
    db.session.remove()
    return FuzzWorld(app, ids, ids.tenant_id, nomination_id, invitation_id, membership_id, *meetings)


def _meetings(ids, tenant, owner) -> tuple[int, int, int, int, int]:
    """A published meeting of the steering group with a proposal and a guest, a later one, and one to cancel."""
    from samklima.tenants.meetings import operations as meetings
    from samklima.tenants.meetings.models import AgendaItem, Meeting

    steering = ids.bodies["steering"]
    # The owner sits in the group now: the meeting's page shows them their own invitation's answer.
    person = factories.make_person(tenant, "Fuzz Ejer", ids.logins["owner"], user=owner.user_id).id
    factories.make_membership(tenant, steering, person, "member")
    meeting_id = factories.make_meeting(tenant, steering, date.today() + timedelta(days=21), by=owner).id
    later_id = factories.make_meeting(tenant, steering, date.today() + timedelta(days=60), by=owner).id
    proposal_id = factories.make_agenda_item(tenant, meeting_id, "Fælles solcelleudbud", by=owner).id
    with tenant_scope(tenant):
        db.session.get(AgendaItem, proposal_id).status = "proposed"
        meeting = db.session.get(Meeting, meeting_id)
        guest_id = meetings.add_guest(meeting, meetings.GuestFields("Fuzz Gæst", "fuzz.gaest@kl.example", "da"),
                                      by=owner).id
        meetings.publish_agenda(meeting, by=owner)
        # Changed since it went out: the page offers to announce it.
        item = meetings.agenda_of(meeting)[0]
        meetings.update_item(item, meeting, meetings.ItemFields(title=item.title, duration_minutes=10), by=owner)
        db.session.commit()
    doomed_id = factories.make_meeting(tenant, steering, date.today() + timedelta(days=90), by=owner).id
    return meeting_id, later_id, proposal_id, guest_id, doomed_id


@pytest.fixture
def no_rate_limits():
    # The fuzzer sends thousands of failing forms from one address: rate limits would answer most of them.
    enabled, limiter.enabled = limiter.enabled, False
    yield
    limiter.enabled = enabled


# --- the fuzzer ----------------------------------------------------------------------------

class ServerErrors(logging.Handler):
    """The exception behind each 500, from the app's 'unhandled error' log."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.last = None

    def emit(self, record):
        if record.exc_info:
            self.last = _summary(record.exc_info[1])


def _summary(error) -> str:
    text = str(error)
    return f"{type(error).__name__}: {text.splitlines()[0][:160] if text else ''}"


def _show(value) -> str:
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."


class Fuzzer:
    def __init__(self, app, world, visitors, owner):
        """`visitors` in the order they visit; `owner` also sends the query strings of pages nobody else sees."""
        self.app, self.world, self.visitors, self.owner = app, world, visitors, owner
        self.adapter = app.url_map.bind("localhost")
        self.failures: dict[tuple, list] = {}
        self.seen: set = set()
        self.fuzzed_endpoints: set[str] = set()
        self.query_names = set(QUERY_NAMES)
        self.requests = 0
        self.errors = ServerErrors()

    # Each request goes through here: it records every 5xx with its exception.
    def send(self, visitor, method, url, where, **kwargs):
        self.errors.last = None
        self.requests += 1
        try:
            response = visitor.open(method, url, **kwargs)
        except Exception as error:  # noqa: BLE001 - in tests Flask re-raises what fails after the view (the commit)
            self.failures.setdefault((method, *where[:2], _summary(error)), []).append(
                f"{where[2]} as {visitor.name} at {url[:120]}")
            visitor.reset()
            return Response("raised", status=500)
        if response.status_code >= 500:
            key = (method, where[0], where[1], self.errors.last)
            self.failures.setdefault(key, []).append(
                f"{where[2]} as {visitor.name} ({response.status_code}) at {url[:120]}")
        visitor.after(method, response)
        return response

    def report(self) -> str:
        lines = []
        for (method, endpoint, name, error), examples in sorted(self.failures.items(), key=str):
            lines.append(f"{method} {endpoint} [{name}] -> {error}; e.g. {'; '.join(examples[:3])}")
        return "\n".join(lines)

    def url_for(self, rule, **overrides) -> str:
        values = {}
        for name in rule.arguments:
            values[name] = overrides[name] if name in overrides else ARGUMENTS[name](self.world, rule.endpoint)
        return self.adapter.build(rule.endpoint, values)

    def endpoint_of(self, path: str) -> tuple[str, dict] | None:
        try:
            return self.adapter.match(path, method="POST")
        except RequestRedirect:
            return None
        except HTTPException:
            try:
                return self.adapter.match(path, method="GET")
            except (HTTPException, RequestRedirect):
                return None

    # --- pages: every GET rule, as every visitor -------------------------------------------

    def crawl(self):
        queue = []
        for rule in sorted(self.app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" not in rule.methods:
                continue
            shown_to = None
            for visitor in self.visitors:
                url = self.url_for(rule)
                response = self.send(visitor, "GET", url, (rule.endpoint, "-", "the page itself"))
                if response.status_code == 200 and response.mimetype == "text/html":
                    shown_to = shown_to or visitor
                    queue += self.forms_on(visitor, url, response)
            self.fuzz_query(rule, shown_to or self.owner)
        for endpoint, values in SECOND_PAGES:
            url = self.url_for(self.app.url_map._rules_by_endpoint[endpoint][0], **values(self.world))
            response = self.send(self.owner, "GET", url, (endpoint, "-", "a second page"))
            queue += self.forms_on(self.owner, url, response)
        while queue:
            visitor, form, endpoint, args = queue.pop(0)
            queue += self.fuzz_form(visitor, form, endpoint, args)

    def forms_on(self, visitor, page_url, response) -> list:
        """The page's forms that were not fuzzed yet, with the endpoint each one sends to."""
        page = parse(response.get_data(as_text=True))
        self.query_names |= page.query_names
        found = []
        for form in page.forms:
            action = form.action or page_url
            parts = urlsplit(action if action.startswith("/") else page_url)
            matched = self.endpoint_of(parts.path)
            if matched is None:
                continue
            endpoint, args = matched
            form.action = parts.path + (f"?{parts.query}" if parts.query else "")
            key = (form.method, endpoint, frozenset(form.names()), frozenset(parse_qsl(parts.query)))
            if key in self.seen:
                continue
            self.seen.add(key)
            found.append((visitor, form, endpoint, args))
        return found

    def fuzz_query(self, rule, visitor):
        """Every known query parameter at once, with each hostile value."""
        url = self.url_for(rule)
        for label in QUERY_HOSTILE:
            value = HOSTILE[label]
            raw = value if isinstance(value, bytes) else value.encode()
            query = "&".join(f"{quote(name)}={quote(raw)}" for name in sorted(self.query_names))
            self.send(visitor, "GET", f"{url}?{query}", (rule.endpoint, "query", label))
        # Bytes that are not UTF-8, not percent-encoded: a server hands them on as they came.
        raw = "&".join(f"{name}=\xff\xfe%ff" for name in sorted(self.query_names))
        self.send(visitor, "GET", url, (rule.endpoint, "query", "raw bytes"), environ_overrides={"QUERY_STRING": raw})

    # --- forms: each field in turn, the others valid --------------------------------------

    def baseline(self, visitor, form: PageForm, endpoint: str) -> MultiDict:
        n = self.world.next()
        overrides = BASELINES.get(endpoint, {})
        pairs = MultiDict()
        pressed = False
        checkboxes = [c.name for c in form.controls if c.kind == "checkbox"]
        unchecked_groups = {name for name in checkboxes if checkboxes.count(name) > 1} - {
            c.name for c in form.controls if c.kind == "checkbox" and c.checked}
        for number, control in enumerate(form.controls):
            name, kind = control.name, control.kind
            unique = f"{n}-{number}"
            if name in overrides:
                if name not in pairs:
                    pairs.add(name, overrides[name])
            elif name == "csrf_token":
                pairs.add(name, visitor.csrf())
            elif kind in ("submit", "button"):
                if not pressed:  # a browser sends only the button that was pressed
                    pairs.add(name, control.value)
                    pressed = True
            elif kind in ("checkbox", "radio"):
                # A list of checkboxes with none ticked gets all of them (a group of members, say);
                # a single checkbox is a yes or no, and stays as the page shows it.
                if control.checked or name in unchecked_groups:
                    pairs.add(name, control.value or "on")
            elif kind in ("select", "select-multiple"):
                chosen = [value for value, selected in control.options if selected]
                if not chosen and kind == "select":
                    chosen = [next((value for value, _s in control.options if value), "")]
                for value in chosen:
                    pairs.add(name, value)
            elif kind == "file":
                pairs.add(name, "name;kind;country\r\nOdder Kommune;kommune;DK\r\n")
            elif control.value:
                pairs.add(name, control.value)
            elif kind == "password":
                pairs.add(name, NEW_PASSWORD)
            elif kind == "email":
                pairs.add(name, f"fuzz{unique}@horsens.example")
            elif kind == "date":
                pairs.add(name, (date.today() + timedelta(days=30)).isoformat())
            elif kind == "number":
                pairs.add(name, "2")
            else:
                pairs.add(name, f"fuzz-{unique}")
        return pairs

    def submit(self, visitor, form: PageForm, endpoint, args, pairs: MultiDict, query: dict, where):
        url = urlsplit(form.action).path
        if endpoint in ONE_TIME_LINKS:
            if args.get("stale"):
                args.update(token=self.world.mint(endpoint), stale=False)
            url = self.adapter.build(endpoint, {k: v for k, v in args.items() if k != "stale"})
        if query:
            url += "?" + "&".join(f"{quote(k)}={quote(v if isinstance(v, bytes) else v.encode())}"
                                  for k, v in query.items())
        file_names = {c.name for c in form.controls if c.kind == "file"}
        if form.method == "get":
            items = [(k, v if isinstance(v, bytes) else v.encode()) for k, v in pairs.items(multi=True)]
            glue = "&" if "?" in url else "?"
            response = self.send(visitor, "GET", url + glue + urlencode(items), where)
        elif form.multipart:
            data = MultiDict()
            for k, v in pairs.items(multi=True):
                if k in file_names:
                    data.add(k, (io.BytesIO(v if isinstance(v, bytes) else v.encode()), "organisationer.csv"))
                else:
                    data.add(k, v.decode("latin-1") if isinstance(v, bytes) else v)
            response = self.send(visitor, "POST", url, where, data=data, content_type="multipart/form-data")
        else:
            body = urlencode([(k, v) for k, v in pairs.items(multi=True)])
            response = self.send(visitor, "POST", url, where, data=body,
                                 content_type="application/x-www-form-urlencoded")
        if 300 <= response.status_code < 400 and endpoint in ONE_TIME_LINKS:
            args["stale"] = True
        return response

    def fuzz_form(self, visitor, form: PageForm, endpoint, args) -> list:
        self.fuzzed_endpoints.add(endpoint)
        args = dict(args)
        if endpoint in ONE_TIME_LINKS:
            args["stale"] = True
        query = dict(parse_qsl(urlsplit(form.action).query, keep_blank_values=True))
        discovered = []
        # First the form as the page offers it (filled in): what it answers may hold the next step's form.
        if any(c.kind not in ("hidden", "submit", "button") for c in form.controls):
            response = self.submit(visitor, form, endpoint, args, self.baseline(visitor, form, endpoint), query,
                                   (endpoint, "-", "as the page offers it"))
            if response.status_code == 200 and response.mimetype == "text/html":
                discovered = self.forms_on(visitor, urlsplit(form.action).path, response)
        names = form.names()
        kinds = {c.name: KIND_OF_INPUT.get(c.kind, "text") for c in form.controls}
        for name in names:
            hostile = TOKEN_HOSTILE if name == "csrf_token" else {k: HOSTILE[k] for k in HOSTILE_FOR[kinds[name]]}
            for label, value in hostile.items():
                pairs = self.baseline(visitor, form, endpoint)
                # A repeated field ("password_repeat") gets the same value, so the pair gets past the form.
                for target in (name, *[n for n in names if n == f"{name}_repeat"]):
                    pairs.poplist(target)
                    if value is TWICE:
                        pairs.setlist(target, ["1", "Aarhus Kommune"])
                    elif value is not MISSING:
                        pairs.add(target, value)
                self.submit(visitor, form, endpoint, args, pairs, query, (endpoint, name, label))
        for name in query:
            for label in QUERY_HOSTILE:
                self.submit(visitor, form, endpoint, args, self.baseline(visitor, form, endpoint),
                            {**query, name: HOSTILE[label]}, (endpoint, f"?{name}", label))
        return discovered

    # --- paths: every argument of every rule ---------------------------------------------

    def fuzz_paths(self, visitor) -> list[str]:
        """Ids beyond the column's range answer 404; any text in a path answers below 500."""
        wrong = []
        for rule in sorted(self.app.url_map.iter_rules(), key=lambda r: r.rule):
            method = "GET" if "GET" in rule.methods else "POST"
            for name in sorted(rule.arguments):
                is_id = isinstance(rule._converters[name], IntegerConverter)
                marker = 987654321 if is_id else "fuzz-marker"
                for value in INT_BEYOND if is_id else PATH_TEXT:
                    url = self.url_for(rule, **{name: marker}).replace(str(marker), value)
                    data = {"csrf_token": visitor.csrf()} if method == "POST" else None
                    response = self.send(visitor, method, url, (rule.endpoint, f"<{name}>", _show(value)),
                                         data=data)
                    if is_id and response.status_code != 404:
                        wrong.append(f"{method} {url[:100]}: {response.status_code}, expected 404")
        return wrong


def test_fuzzer_can_fill_every_rule(app):
    for rule in app.url_map.iter_rules():
        missing = rule.arguments - set(ARGUMENTS)
        assert not missing, f"the fuzzer cannot fill {sorted(missing)} of {rule.rule}: add them to ARGUMENTS"
        if "token" in rule.arguments:
            assert rule.endpoint in ONE_TIME_LINKS, f"{rule.endpoint} opens a mailed link: add it to ONE_TIME_LINKS"


def test_no_input_gives_a_server_error(app, world, no_rate_limits, fixed_start):
    # In this order: a form is fuzzed by the first who sees it, and a public form
    # (sign-in, sign-up) must not be sent as the owner, who would become someone else.
    anonymous = Visitor(app, "anonymous", keeps_state=False)
    owner = Visitor(app, "owner", sign_in(world.ids.logins["owner"], clock=fixed_start))
    secretariat = Visitor(app, "secretariat", sign_in(world.ids.logins["secretariat_role"]))
    half_signed_in = Visitor(app, "two-factor pending", sign_in(TWO_FACTOR), keeps_state=False)
    fuzzer = Fuzzer(app, world, [anonymous, owner, secretariat, half_signed_in], owner)
    app.logger.addHandler(fuzzer.errors)
    try:
        fuzzer.crawl()
        wrong_status = fuzzer.fuzz_paths(owner)
    finally:
        app.logger.removeHandler(fuzzer.errors)
    post_rules = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    unreached = sorted(post_rules - fuzzer.fuzzed_endpoints)
    problems = [
        *([f"server errors:\n{fuzzer.report()}"] if fuzzer.failures else []),
        *(["ids beyond the range that do not answer 404:\n" + "\n".join(wrong_status)] if wrong_status else []),
        *([f"no page showed a form for {unreached}: the fuzzer cannot reach them"] if unreached else []),
    ]
    assert not problems, f"{fuzzer.requests} requests\n" + "\n\n".join(problems)
