"""What the meeting pages and mails call each kind, status and answer, in the reader's language."""
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

FREQUENCY_LABELS = {"monthly": _l("Once a month"), "weekly": _l("Every week")}
ORDINAL_LABELS = {1: _l("First"), 2: _l("Second"), 3: _l("Third"), 4: _l("Fourth"), -1: _l("Last")}

ITEM_KIND_LABELS = {
    "information": _l("Information"),
    "discussion": _l("Discussion"),
    "decision": _l("Decision"),
}
ITEM_STATUS_LABELS = {
    "proposed": _lp("agenda item", "Proposed"),
    "accepted": _lp("agenda item", "On the agenda"),
    "deferred": _lp("agenda item", "Moved to a later meeting"),
    "rejected": _lp("agenda item", "Not taken"),
}
STANDING_LABELS = {
    "minutes_approval": _l("Approval of the minutes of the last meeting"),
    "action_follow_up": _l("Follow-up of action items"),
    "round_table": _l("Round of the table: ongoing work"),
    "any_other_business": _l("Any other business"),
}
MEETING_STATUS_LABELS = {
    "planned": _lp("meeting", "Planned"),
    "published": _lp("meeting", "Agenda sent"),
    "cancelled": _lp("meeting", "Cancelled"),
}
# What an invitee answered, as the list of invitees shows it.
RSVP_LABELS = {
    "no_answer": _l("No answer yet"),
    "attending": _l("Attending"),
    "not_attending": _l("Not attending"),
    "substitute": _l("Sends a substitute"),
}
# The same answers as the invitee chooses them.
RSVP_CHOICE_LABELS = {
    "attending": _l("I will attend"),
    "not_attending": _l("I cannot attend"),
    "substitute": _l("I cannot attend and send a substitute"),
}
INVITEE_KIND_LABELS = {
    "member": _lp("meeting invitee", "Member"),
    "guest": _l("Guest"),
    "substitute": _lp("meeting invitee", "Substitute"),
}
# Recorded at the meeting by the secretary.
ATTENDANCE_LABELS = {
    "present": _l("Present"),
    "excused": _l("Excused"),
    "absent": _l("Absent"),
    "": _l("Not marked"),
}
