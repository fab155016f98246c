"""Pages that belong to no workspace: health check, accessibility statement."""
from datetime import date

from babel import Locale
from flask import Blueprint, render_template
from flask_babel import get_locale

bp = Blueprint("pages", __name__)

ACCESSIBILITY_CONTACT = "accessibility@samklima.example"
# Update when the statement is reviewed: the Directive asks for the date it was prepared.
ACCESSIBILITY_STATEMENT_PREPARED = date(2026, 11, 23)
# Where a user may complain under the Web Accessibility Directive, each body by its own name.
SUPERVISORY_BODIES = [
    ("DK", "Digitaliseringsstyrelsen"),
    ("SE", "Myndigheten för digital förvaltning (DIGG)"),
    ("NO", "Digitaliseringsdirektoratet (Uu-tilsynet)"),
    ("FI", "Traficom"),
]


@bp.get("/health")
def health():
    return {"status": "ok"}


@bp.get("/accessibility")
def accessibility():
    territories = Locale.parse(str(get_locale())).territories
    return render_template(
        "pages/accessibility.html",
        contact=ACCESSIBILITY_CONTACT,
        prepared=ACCESSIBILITY_STATEMENT_PREPARED,
        supervisory_bodies=[(territories.get(code, code), body) for code, body in SUPERVISORY_BODIES],
    )
