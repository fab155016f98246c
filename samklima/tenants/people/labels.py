"""What the interface calls the people domain's audit events."""
from flask_babel import lazy_gettext as _l

AUDIT_LABELS = {
    "person_created": _l("Person added"),
    "person_changed": _l("Person changed"),
}
