"""The scanner of the browser tests: axe-core (WCAG 2.1 A and AA, plus landmarks and
headings) and IBM's Equal Access engine (WCAG 2.1) on every page it scans; the
HTML that the server sent for each page is kept for the W3C Nu HTML checker
(test_html_validity.py checks them all at the end).

`Scanner(page, language, role)` opens pages, sends forms and scans each result;
its `problems` name the checker, rule, impact, page and elements of every
violation, and a screenshot of each failing page goes to test-results/.
"""
import re
from dataclasses import dataclass

import pytest

from tests.browser import checkers
from tests.browser.conftest import REQUIRED, RESULTS, count_scan

axe_playwright = pytest.importorskip(
    "axe_playwright_python.sync_playwright", reason="axe-playwright-python is not installed: accessibility tests skipped"
)
Axe, AxeResults = axe_playwright.Axe, axe_playwright.AxeResults

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Best-practice rules kept as well: landmarks, headings and the skip link.
ALSO_ENFORCED = [
    "region",
    "landmark-one-main",
    "landmark-unique",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-banner-is-top-level",
    "landmark-main-is-top-level",
    "page-has-heading-one",
    "heading-order",
    "empty-heading",
    "skip-link",
]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_21_AA},
    "rules": {rule: {"enabled": True} for rule in ALSO_ENFORCED},
    "resultTypes": ["violations"],
}
AXE = Axe()


@dataclass
class Scanner:
    page: object
    language: str
    role: str
    screenshots: bool = True  # of each page with a violation, into test-results/

    def __post_init__(self):
        self.problems = []
        self.scanned = []
        self._saved = None  # the last document kept for the Nu check
        checkers.prepare_ace(self.page)

    def open(self, name, path, status=200):
        response = self.page.goto(path)
        assert response.status == status, f"{self.role} {name} {path}: HTTP {response.status}, expected {status}"
        self.scan(name)

    def submit(self, name, /, form="main form[novalidate]", errors=True, **fields):
        """Fill `fields` (by input name), send the form, and scan what comes back."""
        for field_name, value in fields.items():
            self.page.locator(f"{form} [name={field_name}]").fill(value)
        with self.page.expect_navigation():
            self.page.locator(f"{form} button[type=submit]").click()
        if errors:
            assert self.page.locator(".error-summary").is_visible(), f"{self.role} {name}: no error summary"
        self.scan(name)

    def scan(self, name):
        lang = self.page.locator("html").get_attribute("lang")
        assert lang == self.language, f"{self.role} {name}: page is in {lang!r}, not {self.language!r}"
        # axe-core is loaded into every page of the context by an init script (cheaper
        # than Axe().run's injection on each scan); run it as Axe().run would.
        if not self.page.evaluate("typeof axe !== 'undefined'"):
            self.page.evaluate(AXE.axe_script)
        results = AxeResults(self.page.evaluate("options => axe.run(document, options)", AXE_OPTIONS))
        count_scan(self.role, self.language)
        self.scanned.append(name)
        where = f"{self.language}, {name} ({self.page.url})"
        self._saved = checkers.save_page(self.page, f"{self.role} {where}", self._saved)
        ibm = self.equal_access(where)
        if (results.response["violations"] or ibm) and self.screenshots:
            RESULTS.mkdir(exist_ok=True)
            shot = re.sub(r"[^\w.-]+", "_", f"axe-{self.role}-{self.language}-{name}")
            self.page.screenshot(path=RESULTS / f"{shot}.png", full_page=True)
        for violation in results.response["violations"]:
            nodes = "\n".join(
                f"      {' '.join(node['target'])}: {node.get('failureSummary', '').strip().replace(chr(10), ' ')}"
                for node in violation["nodes"][:5]
            )
            self.problems.append(
                f"  [{violation['id']}] ({violation['impact']}) {self.language}, {name} ({self.page.url}): "
                f"{violation['help']}\n{nodes}"
            )
        self.problems += ibm

    def equal_access(self, where) -> list[str]:
        """IBM Equal Access (its WCAG 2.1 policy) on the same page: one problem per violation."""
        reason = checkers.why_no_ace()
        if reason:
            if REQUIRED:
                pytest.fail(reason, pytrace=False)
            return []  # reported once, as the skip of test_the_equal_access_engine_reports_a_violation
        violations = checkers.ace_violations(self.page)
        return [
            f"  [ibm:{violation['rule']}] {where}: {violation['message']}\n"
            f"      {violation['path']}: {violation['snippet']}"
            for violation in violations
        ]
