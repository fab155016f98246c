"""The two outside checkers of the browser pass, beside axe-core.

- The W3C Nu HTML checker (vnu.jar on the machine's Java 17) reads the HTML
  that the server sent for every page a `Scanner` scans; all of them are
  checked at the end of the browser tests in one JVM start
  (test_html_validity.py).
- IBM's Equal Access engine (ace.js) runs in the same Chromium as axe, on
  every scanned page (`Scanner.scan`).

`make test` installs both from package.json and package-lock.json into
node_modules/ (npm ci, only when the lock file changed). Where Java, vnu.jar or
ace.js is missing, the checker is skipped with one reason line, and fails in
CI's browser pass (SAMKLIMA_REQUIRE_BROWSER_TESTS=1), like a missing Chromium.
"""
import json
import shutil
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from weakref import WeakSet

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
ACE_JS = NODE_MODULES / "accessibility-checker-engine" / "ace.js"
INSTALL = "run `make test` (npm ci from package-lock.json)"
COUNTS = Counter()  # for the summary line: pages and violations of each checker


def why_no_nu() -> str | None:
    if shutil.which("java") is None:
        return "the W3C Nu HTML check needs Java 17 (Debian's openjdk-17-jre-headless): `java` not found"
    if not VNU_JAR.exists():
        return f"the W3C Nu HTML check needs {VNU_JAR.relative_to(ROOT)}: {INSTALL}"
    return None


def why_no_ace() -> str | None:
    if not ACE_JS.exists():
        return f"the IBM Equal Access check needs {ACE_JS.relative_to(ROOT)}: {INSTALL}"
    return None


def missing(reason: str | None, required: bool) -> None:
    """Fail (where the browser tests are required) or skip, with the reason, when a checker is missing."""
    if reason:
        if required:
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)


# ---------------------------------------------------------------- W3C Nu HTML checker


@dataclass
class SavedPage:
    description: str  # role, language, name and address, for the failure message
    html: bytes


# Every page that a Scanner scanned in this run, in order; the Nu test checks them all.
SAVED_PAGES: list[SavedPage] = []

# The document each tracked Playwright page shows: the last response to a navigation of its main frame.
_documents: dict = {}


def track_documents(page) -> None:
    """Remember the server's response for each document that `page` loads (links, forms, redirects)."""

    def on_response(response):
        request = response.request
        if request.is_navigation_request() and request.frame == page.main_frame:
            _documents[page] = response

    page.on("response", on_response)
    page.on("close", lambda _page: _documents.pop(page, None))


def save_page(page, description: str, last_saved) -> object:
    """Save the HTML of the document on `page` unless it was saved already; return what identifies it.

    The server's response body is checked, as a browser's parser gets it (the DOM
    that Chromium builds from it hides some errors). A page that no tracked
    navigation loaded (set_content) is not checked.
    """
    if page.url.startswith("http"):  # not set_content's about:blank
        COUNTS["served scans"] += 1
    response = _documents.get(page)
    if response is None or response is last_saved:
        return last_saved
    if not response.headers.get("content-type", "").startswith("text/html"):
        return response
    try:
        html = response.body()
    except Exception:  # a body the browser no longer holds: check the document it shows instead
        html = page.content().encode()
    SAVED_PAGES.append(SavedPage(description, html))
    return response


@dataclass
class NuError:
    page: SavedPage | None  # None: a message about no page of ours (vnu could not read a file)
    line: object
    message: str
    extract: str

    def __str__(self):
        where = self.page.description if self.page else "(vnu.jar)"
        return f"  {where}, line {self.line}: {self.message}\n      {self.extract[:200]}"


def nu_errors(pages: list[SavedPage], folder: Path) -> list[NuError]:
    """Check every page in one start of vnu.jar; return its errors with the page and line of each."""
    files = {}
    for number, saved in enumerate(pages, 1):
        path = folder / f"page-{number:04d}.html"
        path.write_bytes(saved.html)
        files[path.name] = saved
    # --errors-only: the checker's warnings are advice, not failures.
    command = ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--exit-zero-always",
               *(str(folder / name) for name in files)]
    started = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True, timeout=600)
    COUNTS["nu seconds"] += time.perf_counter() - started
    output = run.stderr.strip() or run.stdout.strip()  # vnu writes its report to stderr
    try:
        messages = json.loads(output)["messages"]
    except (ValueError, KeyError) as error:
        raise AssertionError(f"vnu.jar gave no JSON report ({error}), exit {run.returncode}:\n{output[:2000]}")
    errors = []
    for message in messages:  # type "error", or "non-document-error" (a file it could not read)
        name = message.get("url", "").rsplit("/", 1)[-1]
        errors.append(NuError(
            files.get(name), message.get("lastLine", message.get("firstLine", "?")),
            f"[{message.get('type')}] {message.get('message')}", " ".join(message.get("extract", "").split()),
        ))
    return errors


# ---------------------------------------------------------------- IBM Equal Access


@cache
def ace_script() -> str:
    return ACE_JS.read_text(encoding="utf-8")


# Run in the page: the engine's WCAG 2.1 policy; a violation is a result valued ["VIOLATION", "FAIL"].
# Every violation counts, unfiltered, as outside testers run the engine. Among
# them: aria_form_label_unique, since the engine maps every <form> to the form
# landmark, named or not; so a page's forms other than its main one are "button
# forms" with role="none", or carry unique names (macros/forms.html,
# `button_form`; tests/test_form_landmarks.py checks the same without a browser).
ACE_CHECK = """async () => {
  const report = await new ace.Checker().check(document, ["WCAG_2_1"]);
  return report.results
    .filter(result => result.value[0] === "VIOLATION" && result.value[1] === "FAIL")
    .map(result => ({rule: result.ruleId, reason: result.reasonId, message: result.message,
                     path: result.path.dom, snippet: result.snippet}));
}"""


_prepared = WeakSet()  # browser contexts that load the engine into each new document


def prepare_ace(page) -> None:
    """Load the engine into every later document of the page's context, as axe is (init scripts).

    Neither way is governed by the page's Content-Security-Policy: an init
    script and `page.evaluate` go through the DevTools protocol. (`page.add_script_tag`
    would insert an inline <script>, which our CSP, script-src 'self', refuses
    unless the context bypasses CSP, and then a page that broke its own CSP
    would pass here.) An init script costs a tenth of sending the 700 kB
    script with each scan.
    """
    context = page.context
    if why_no_ace() is None and context not in _prepared:
        # Init scripts run inside a function: make the engine's `var ace` global.
        context.add_init_script(script=ace_script() + "\n;globalThis.ace = ace;")
        _prepared.add(context)


def ace_violations(page) -> list[dict]:
    """IBM Equal Access violations of the document on `page`; the engine is loaded once per document."""
    started = time.perf_counter()
    if not page.evaluate("typeof ace !== 'undefined'"):  # a document from before prepare_ace, or set_content
        page.evaluate(ace_script())
    violations = page.evaluate(ACE_CHECK)
    COUNTS["ibm seconds"] += time.perf_counter() - started
    # The harness's own pages (set_content, about:blank) fail on purpose: counted apart from ours.
    kind = "ibm" if page.url.startswith("http") else "ibm harness"
    COUNTS[f"{kind} pages"] += 1
    COUNTS[f"{kind} violations"] += len(violations)
    return violations
