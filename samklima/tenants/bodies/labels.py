"""What the interface calls each kind of group, role and coverage rule.

The code keeps one English word per idea (`body`); the interface says "group"
and the catalogues say gruppe, grupp, ryhmä ...
"""
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

KIND_LABELS = {
    "political_steering_group": _l("Political steering group"),
    "administrative_steering_group": _l("Administrative steering group"),
    "working_group": _l("Working group"),
    "network": _l("Network"),
    "secretariat": _l("Secretariat"),
    "reference_group": _l("Reference group"),
    "project_group": _l("Project group"),
}

ROLE_LABELS = {
    "chair": _l("Chair"),
    "co_chair": _l("Co-chair"),
    "vice_chair": _l("Vice-chair"),
    "member": _lp("group role", "Member"),
    "substitute": _l("Substitute"),
    "secretary": _l("Secretary"),
    "coordinator": _l("Coordinator"),
    "observer": _lp("group role", "Observer"),
}

# Headings of the member list, one per role. A network's members are its
# participants (sv "deltagare", not "ledamöter"; GLOSSARY).
ROLE_HEADINGS = {
    "chair": _l("Chairs"),
    "co_chair": _l("Co-chairs"),
    "vice_chair": _l("Vice-chairs"),
    "member": _lp("group role", "Members"),
    "substitute": _l("Substitutes"),
    "secretary": _l("Secretaries"),
    "coordinator": _l("Coordinators"),
    "observer": _lp("group role", "Observers"),
}
NETWORK_MEMBER_LABEL = _l("Participant")
NETWORK_MEMBER_HEADING = _l("Participants")

STATUS_LABELS = {
    "active": _l("Active"),
    "closed": _l("Closed"),
}

COVERAGE_RULE_LABELS = {
    "none": _l("No coverage rule"),
    "member_organisations": _l("At least one representative of each member organisation"),
    "departments": _l("At least one representative of each department of the member organisations"),
    "seats": _l("Every named seat filled"),
}


def role_label(role: str, kind: str | None = None):
    if role == "member" and kind == "network":
        return NETWORK_MEMBER_LABEL
    return ROLE_LABELS[role]


def role_heading(role: str, kind: str | None = None):
    if role == "member" and kind == "network":
        return NETWORK_MEMBER_HEADING
    return ROLE_HEADINGS[role]


AUDIT_LABELS = {
    "body_created": _l("Group created"),
    "body_changed": _l("Group changed"),
    "body_closed": _l("Group closed"),
    "body_reopened": _l("Group reopened"),
    "body_member_added": _l("Member added to a group"),
    "body_member_changed": _l("Membership of a group changed"),
    "body_term_ended": _l("Term in a group ended"),
    "body_coverage_changed": _l("Coverage of a group changed"),
    "secretariat_services_changed": _l("Groups served by a secretariat changed"),
    "chair_rotation_changed": _l("Rotating chair changed"),
}
