"""What the interface calls the organisations domain's audit events."""
from flask_babel import lazy_gettext as _l

AUDIT_LABELS = {
    "organisation_created": _l("Organisation added"),
    "organisation_changed": _l("Organisation changed"),
    "organisations_imported": _l("Organisations imported from a CSV file"),
}
