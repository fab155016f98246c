"""Every page that the browser tests scanned is valid HTML, by the W3C Nu HTML checker.

`Scanner.scan` keeps the HTML that the server sent for each page it scans (350
or so, every role, in each language); this test checks them all in one start
of vnu.jar. The conftest runs it after every other browser test, whatever the
order of the files. A page with one known error goes with them, so that a
checker that reads nothing cannot pass.
"""
import pytest

from tests.browser import checkers
from tests.browser.conftest import REQUIRED, why_not_run

KNOWN_ERROR_PAGE = checkers.SavedPage("the checker's own page with one known error", b"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>One known error</title></head>
<body><main><h1>One known error</h1>
<label for="country">Country</label>
<select id="country" name="country" required><option value="DK">Denmark</option></select>
</main></body>
</html>
""")


def test_every_scanned_page_is_valid_html(tmp_path):
    reason = why_not_run()
    if reason:
        pytest.skip(reason)
    checkers.missing(checkers.why_no_nu(), REQUIRED)
    pages = list(checkers.SAVED_PAGES)
    if not pages:
        served = checkers.COUNTS["served scans"]
        assert not served, f"{served} served pages were scanned, but none was kept for the Nu HTML checker"
        pytest.skip("no page was scanned in this run: nothing for the W3C Nu HTML checker")

    errors = checkers.nu_errors([KNOWN_ERROR_PAGE, *pages], tmp_path)

    known = [error for error in errors if error.page is KNOWN_ERROR_PAGE]
    assert [error.line for error in known] == [6], "the Nu checker did not report the known error:\n" + "\n".join(
        map(str, errors[:20]))
    assert "The first “option” element in a “select” element with a “required” attribute" in known[0].message
    ours = [error for error in errors if error.page is not KNOWN_ERROR_PAGE]
    failing = len({id(error.page) for error in ours})
    checkers.COUNTS.update({"nu pages": len(pages), "nu errors": len(ours)})
    assert not ours, (f"{len(ours)} HTML errors on {failing} of {len(pages)} pages (W3C Nu HTML checker):\n"
                      + "\n".join(map(str, ours)))
