"""Browser tests: Debian's Chromium, driven by Playwright, against the app served on 127.0.0.1.

The live server serves the session's `app` (same test database as every other
test); the root conftest empties the tables after each test. Browser and
accessibility tests run in the SQLite pass only (RULINGS: one of the two
passes), and skip with one reason line when Chromium is not installed. A
failing test leaves a screenshot of each of its pages in test-results/.
"""
import os
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

from samklima.extensions import db
from samklima.platform.accounts.models import User
from samklima.platform.accounts.operations import create_user
from samklima.platform.demo import DEMO_PASSWORD, load_demo
from samklima.platform.workspaces.models import Tenant, TenantMembership
from tests import factories, mailbox
from tests.browser import checkers

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # the `test` extra is not installed yet
    sync_playwright = None
else:
    expect.set_options(timeout=15_000)

CHROMIUM = Path("/usr/lib/chromium/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RESULTS = Path(__file__).resolve().parents[2] / "test-results"
# CI sets this in its SQLite pass: there a missing browser is a failure, not a skip.
REQUIRED = os.environ.get("SAMKLIMA_REQUIRE_BROWSER_TESTS") == "1"
_FAILED = pytest.StashKey[bool]()


def why_not_run() -> str | None:
    if os.environ.get("TEST_DATABASE_URL"):
        return "browser and accessibility tests run in the SQLite pass only: TEST_DATABASE_URL is set"
    if not CHROMIUM.exists():
        return f"Chromium not found at {CHROMIUM}: browser tests skipped"
    if sync_playwright is None:
        return "Playwright is not installed (pip install -e '.[test]'): browser tests skipped"
    return None


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        item.stash[_FAILED] = True
    reason = why_not_run()
    if report.when == "setup" and report.skipped and reason:
        # One location for every test, so that `-ra` folds them into one line.
        report.longrepr = (__file__, None, f"Skipped: {reason}")
    return report


_scans = Counter()
# The W3C Nu check reads the pages that every scan saved: it runs after all other browser tests.
NU_TEST = "test_every_scanned_page_is_valid_html"


def pytest_collection_modifyitems(config, items):
    browser = Path(__file__).parent
    last = max((i for i, item in enumerate(items) if browser in item.path.parents), default=None)
    for item in [item for item in items if item.name == NU_TEST and browser in item.path.parents]:
        items.remove(item)
        items.insert(last, item)


def count_scan(role: str = "", language: str = "") -> None:
    _scans[(role, language)] += 1


def pytest_terminal_summary(terminalreporter):
    if _scans:
        by_role = Counter()
        for (role, language), count in _scans.items():
            by_role[role] += count
        detail = ", ".join(f"{role or '?'} {count}" for role, count in by_role.items())
        languages = sorted({language for _role, language in _scans if language})
        terminalreporter.write_line(
            f"accessibility: {sum(_scans.values())} axe scans in Chromium ({detail}; languages {', '.join(languages)})"
        )
    counts = checkers.COUNTS
    if counts["ibm pages"] or counts["ibm harness pages"]:
        harness = (f"; the harness's own test pages: {counts['ibm harness pages']}, with "
                   f"{counts['ibm harness violations']} violations, as meant" if counts["ibm harness pages"] else "")
        terminalreporter.write_line(
            f"accessibility: {counts['ibm pages']} IBM Equal Access checks of served pages in Chromium, "
            f"{counts['ibm violations']} violations, unfiltered ({counts['ibm seconds']:.0f} s{harness})"
        )
    if counts["nu pages"]:
        terminalreporter.write_line(
            f"HTML: {counts['nu pages']} pages checked by the W3C Nu HTML checker, "
            f"{counts['nu errors']} errors ({counts['nu seconds']:.0f} s)"
        )


@pytest.fixture(scope="package")
def chromium():
    reason = why_not_run()
    if reason:
        if REQUIRED and not os.environ.get("TEST_DATABASE_URL"):
            pytest.fail(reason, pytrace=False)
        # Raised here, the skip is reported once for the whole package.
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


def _on_this_server(app, origin):
    """Two adjustments for tests, at the edge of the app.

    The test config's SERVER_NAME ("localhost", for the test client) goes into
    the absolute redirects of URL routing (a missing trailing slash): point
    them here. And let the browser keep the stylesheet for the test (as a CDN
    would), so each page load is one request, not three.
    """
    configured = f"http://{app.config['SERVER_NAME']}"

    def middleware(environ, start_response):
        static = environ.get("PATH_INFO", "").startswith("/static/")

        def start(status, headers, exc_info=None):
            headers = [
                (name, origin + value[len(configured):])
                if name.lower() == "location" and value.startswith(configured + "/") else (name, value)
                for name, value in headers
                if not (static and name.lower() == "cache-control")
            ]
            if static:
                headers.append(("Cache-Control", "public, max-age=3600"))
            return start_response(status, headers, exc_info)

        return app(environ, start)

    return middleware


@pytest.fixture(scope="package")
def live_server(chromium, app):
    """The app on a free port of 127.0.0.1, in a thread of this process."""
    server = make_server("127.0.0.1", 0, None, threaded=True, request_handler=_QuietHandler)
    server.url = f"http://127.0.0.1:{server.server_port}"
    server.app = _on_this_server(app, server.url)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield server
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture
def new_page(chromium, live_server, request):
    """Make a page in a fresh browser context (its own cookies), e.g. a second person."""
    opened = []

    def make(locale="en-GB"):
        context = chromium.new_context(base_url=live_server.url, locale=locale, viewport={"width": 1280, "height": 900})
        # Generous: CI's two cores may be busy; a passing step never waits this long.
        context.set_default_timeout(15_000)
        page = context.new_page()
        checkers.track_documents(page)  # what the server sent, for the Nu check
        opened.append(page)
        return page

    yield make
    if request.node.stash.get(_FAILED, False):
        RESULTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        for number, page in enumerate(opened, 1):
            try:
                page.screenshot(path=RESULTS / f"{name}-{number}.png", full_page=True)
            except Exception as error:  # a crashed page must not hide the real failure
                print(f"no screenshot of page {number}: {error}")
    for page in opened:
        page.context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def run_in_app(app, live_server, function):
    """Run `function()` as a request of the live server would (its links point there)."""
    with app.test_request_context(base_url=live_server.url):
        try:
            result = function()
            db.session.commit()
            return result
        finally:
            db.session.remove()


@dataclass
class Outbox:
    app: object

    def link_to(self, recipient: str) -> str:
        """The path of the link in the newest mail to `recipient`, as the reader would open it."""
        messages = mailbox.mails_to(self.app, recipient)
        assert messages, f"no mail to {recipient} in the outbox"
        message = messages[-1]
        link = re.search(r"https?://\S+", message.body_text).group(0)
        parts = urlsplit(link)
        return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture
def outbox(app):
    return Outbox(app)


@dataclass
class Persona:
    role: str
    email: str | None = None
    slug: str | None = None  # a workspace the persona belongs to
    other_slug: str | None = None  # one it does not belong to


# The demo's people, one per role, and the workspace where each has it.
PERSONAS = {
    "anonymous": Persona("anonymous", other_slug="dk2020-midtjylland"),
    "owner": Persona("owner", "klimakoordinator@dk2020.example", "dk2020-midtjylland", "baerum-klima"),
    "admin": Persona("admin", "strateg@trollhattan.example", "trollhattan-hallbarhet", "baerum-klima"),
    "secretariat": Persona("secretariat", "sekretariat@dk2020.example", "dk2020-midtjylland", "baerum-klima"),
    "member": Persona("member", "radgiver@nordisk.example", "dk2020-midtjylland", "baerum-klima"),
    "observer": Persona("observer", "observator@aarhus.example", "dk2020-midtjylland", "trollhattan-hallbarhet"),
    "operator": Persona("operator", "operator@samklima.example", None, "dk2020-midtjylland"),
}


@dataclass
class Demo:
    """The demo data of `flask demo load`, plus an observer (the demo has none)."""

    app: object
    invitation_links: dict = field(default_factory=dict)

    def set_locale(self, email: str, locale: str) -> None:
        with self.app.app_context():
            db.session.scalar(select(User).where(User.email == email)).locale = locale
            db.session.commit()
            db.session.remove()


@pytest.fixture
def demo(app, live_server, outbox):
    def build():
        load_demo()
        dk2020 = db.session.scalar(select(Tenant).where(Tenant.slug == "dk2020-midtjylland"))
        observer = create_user("observator@aarhus.example", "Jonas Dahl Mikkelsen", DEMO_PASSWORD, "da", verified=True)
        db.session.flush()
        db.session.add(TenantMembership(tenant_id=dk2020.id, user_id=observer.id, role="observer"))
        # An invitation for someone who already has an account (Bærum's administrator).
        owner = db.session.scalar(select(User).where(User.email == "klimakoordinator@dk2020.example"))
        db.session.commit()
        membership = db.session.scalar(
            select(TenantMembership).where(TenantMembership.tenant_id == dk2020.id, TenantMembership.user_id == owner.id)
        )
        factories.make_invitation(dk2020, membership, "klima@baerum.example")

    run_in_app(app, live_server, build)
    return Demo(
        app,
        invitation_links={
            "new account": outbox.link_to("klima@horsens.example"),
            "existing account": outbox.link_to("klima@baerum.example"),
        },
    )


def sign_in(page, email, password=DEMO_PASSWORD):
    """Sign in through the form, whatever the page's language."""
    page.goto("/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/login" not in page.url, f"{email} could not sign in"
