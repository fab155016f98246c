"""No page has two form landmarks that one cannot tell apart: fast, without a browser.

IBM's Equal Access engine counts every <form> as a form landmark, and its rule
aria_form_label_unique fails a page where two of them have no name, or the same
name. The convention (samklima/templates/macros/forms.html, `button_form`): a
page's one main form may stay a plain <form>; a form that only sends an action
(sign out, the language picker, a table row's buttons) has role="none"; where a
page has two main forms, each is named by its visible heading (aria-labelledby).

This test renders pages through the test client, as the owner, a member and a
visitor of seed 004's DK2020 Midtjylland (tests/tenants/bodies/structures.py),
in the states that add forms (seats, a rotating chair, a pending invitation, a
nomination request), and also follows the links of those pages, up to two pages
per endpoint, so that a new page is checked from its first day. The browser
tests (tests/browser) run the engine itself on every page.
"""
import re
from collections import Counter
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from samklima.platform.clock import local_today
from tests import mailbox
from tests.tenants.bodies import structures

NOT_A_LANDMARK = {"none", "presentation"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Forms(HTMLParser):
    """The <form> elements of a page (their attributes), and the text of each element with an id."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.texts: dict[str, list[str]] = {}
        self._open: list[tuple[str, str | None]] = []  # the tag and id (or None) of each open element

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append(attributes)
        if tag in VOID:
            return
        self._open.append((tag, attributes.get("id")))
        if attributes.get("id"):
            self.texts.setdefault(attributes["id"], [])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self._open.pop()

    def handle_endtag(self, tag):
        # Close up to the element that the tag ends (a <p> or <li> may be left open in HTML).
        if any(open_tag == tag for open_tag, _id in self._open):
            while self._open.pop()[0] != tag:
                pass

    def handle_data(self, data):
        for _tag, element_id in self._open:
            if element_id:
                self.texts[element_id].append(data)


def form_landmark_problems(html: str) -> list[str]:
    """What IBM's aria_form_label_unique would find: forms (not role="none") without a unique name."""
    parser = _Forms()
    parser.feed(html)
    problems, names = [], []
    for form in parser.forms:
        tag = "<form " + " ".join(f'{k}="{v}"' for k, v in form.items()) + ">"
        if form.get("role", "").strip().lower() in NOT_A_LANDMARK:
            continue
        name = ""
        if form.get("aria-labelledby", "").strip():
            parts = []
            for element_id in form["aria-labelledby"].split():
                if element_id not in parser.texts:
                    problems.append(f"{tag}: aria-labelledby names no element with id {element_id!r}")
                parts.append("".join(parser.texts.get(element_id, [])))
            name = " ".join(" ".join(parts).split())
        name = name or " ".join(form.get("aria-label", "").split()) or " ".join(form.get("title", "").split())
        names.append((name.casefold(), tag))
    unnamed = [tag for name, tag in names if not name]
    if len(unnamed) > 1:
        problems.append(f"{len(unnamed)} forms without a name (at most the page's main form may have none; "
                        f"use button_form, or aria-labelledby its heading): " + ", ".join(unnamed))
    shared = Counter(name for name, _tag in names if name)
    for name, count in shared.items():
        if count > 1:
            problems.append(f"{count} forms share the name {name!r}: "
                            + ", ".join(tag for n, tag in names if n == name))
    return problems


def test_the_check_finds_what_ibms_engine_finds():
    header = '<header><form role="none"><button>Sign out</button></form></header>'
    assert form_landmark_problems(header + "<main><form><button>Save</button></form></main>") == []
    two = form_landmark_problems("<header><form><button>Sign out</button></form></header>"
                                 "<main><form><button>Save</button></form></main>")
    assert len(two) == 1 and "2 forms without a name" in two[0]
    named = ('<h2 id="a">Join <em>now</em></h2><form aria-labelledby="a"></form>'
             '<h2 id="b">Sign in</h2><form aria-labelledby="b"><input name="x"><br></form><form></form>')
    assert form_landmark_problems(named) == []
    same = form_landmark_problems('<form aria-label="Role"></form><form title=" role "></form>')
    assert len(same) == 1 and "share the name 'role'" in same[0]
    assert "no element with id 'gone'" in form_landmark_problems('<form aria-labelledby="gone"></form>')[0]


@pytest.fixture
def world(app_context, app, make_browser):
    """Seed 004 with the things that add forms to its pages, and the links of its mails."""
    world = structures.build_midtjylland()
    owner = make_browser()
    owner.login(world.logins["owner"])
    base = f"/{world.slug}"
    steering = world.bodies["steering"]
    response = owner.post(f"{base}/invitations", {"email": "klima@horsens.example", "role": "member", "locale": "da"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    response = owner.post(f"{base}/bodies/{steering}/chair-rotation", {
        "action": "save", "membership_ids": [world.members["Anders Møller Nielsen"], world.members["Hanne Vestergaard"]],
        "first_start": "2020-09-16", "months": "6", "until": "2023-06-30"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    response = owner.post(f"{base}/bodies/{steering}/nominations/new", {
        "organisation_id": str(world.orgs["Lemvig Kommune"]), "locale": "da", "recipient_name": "Jette Bruun",
        "recipient_email": "direktion@lemvig.example", "seats": "1",
        "due_date": (local_today("Europe/Copenhagen") + timedelta(days=14)).isoformat(),
        "message": "Udpeg en repræsentant."})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    world.links = {recipient: _link(app, recipient)
                   for recipient in ("klima@horsens.example", "direktion@lemvig.example")}
    return world


def _link(app, recipient):
    messages = mailbox.mails_to(app, recipient)
    assert messages, f"no mail to {recipient}"
    url = re.search(r"https?://\S+", messages[-1].body_text).group(0)
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Visit:
    """Open pages as one visitor, check each, and follow their links (two pages per endpoint)."""

    def __init__(self, app, browser, who):
        self.app, self.browser, self.who = app, browser, who
        self.seen: set[str] = set()
        self.per_endpoint = Counter()
        self.problems: list[str] = []
        self.checked = 0

    def endpoint(self, path):
        adapter = self.app.url_map.bind("localhost")
        try:
            return adapter.match(urlsplit(path).path)[0]
        except RequestRedirect:
            return None
        except HTTPException:
            return None

    def open(self, path, status=200, follow=True):
        self.seen.add(path)
        response = self.browser.get(path)
        assert response.status_code == status, f"{self.who} {path}: HTTP {response.status_code}, expected {status}"
        if not response.mimetype == "text/html":
            return
        html = response.get_data(as_text=True)
        self.checked += 1
        self.problems += [f"  {self.who} {path}: {problem}" for problem in form_landmark_problems(html)]
        if follow:
            for href in re.findall(r'<a\b[^>]*\bhref="(/[^"#]*)', html):
                href = href.replace("&amp;", "&")
                endpoint = self.endpoint(href)
                if href in self.seen or endpoint is None or self.per_endpoint[endpoint] >= 2:
                    continue
                if endpoint.endswith("docx") or "export" in endpoint or endpoint == "static":
                    continue
                self.per_endpoint[endpoint] += 1
                self.seen.add(href)
                response = self.browser.get(href)
                if response.status_code == 200 and response.mimetype == "text/html":
                    self.checked += 1
                    self.problems += [f"  {self.who} {href}: {problem}"
                                      for problem in form_landmark_problems(response.get_data(as_text=True))]


def test_no_page_has_two_forms_that_cannot_be_told_apart(world, app, make_browser):
    base = f"/{world.slug}"
    steering = world.bodies["steering"]
    problems, checked = [], 0

    visitor = Visit(app, make_browser(), "visitor")
    for path in ("/", "/login", "/signup", "/password/forgot", "/accessibility",
                 world.links["klima@horsens.example"], world.links["direktion@lemvig.example"]):
        visitor.open(path)
    visitor.open("/no/such/page", status=404, follow=False)

    owner_browser = make_browser()
    owner_browser.login(world.logins["owner"])
    owner = Visit(app, owner_browser, "owner")
    for path in ("/", f"{base}/", f"{base}/members", f"{base}/invitations", f"{base}/settings", f"{base}/audit",
                 f"{base}/bodies", f"{base}/bodies/{steering}", f"{base}/bodies/{steering}/coverage",
                 f"{base}/bodies/{steering}/chair-rotation", f"{base}/bodies/{steering}/nominations",
                 f"{base}/bodies/{steering}/nominations/new",
                 f"{base}/bodies/{steering}/nominations/new?organisation_id={world.orgs['Skive Kommune']}&locale=da",
                 f"{base}/people/{world.people['Hanne Vestergaard']}", f"{base}/organisations/import",
                 "/account", "/account/password", "/account/two-factor", "/workspaces/new"):
        owner.open(path)

    member_browser = make_browser()
    member_browser.login(world.logins["member"])
    member = Visit(app, member_browser, "member")
    for path in (f"{base}/members", f"{base}/bodies/{steering}", world.links["klima@horsens.example"]):
        member.open(path)

    for visit in (visitor, owner, member):
        problems += visit.problems
        checked += visit.checked
    assert checked > 50, f"only {checked} pages checked"
    assert not problems, f"{len(problems)} pages with forms that IBM's engine cannot tell apart:\n" + "\n".join(
        problems)
