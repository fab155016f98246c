"""Forms for meetings: the group's meeting plan, a meeting, agenda items, decisions on
proposals, guests and the answer to an invitation.

The operations check every value again (a forged id of another workspace's meeting
gets the same "choose from the list" message as a mistyped one).
"""
from babel.dates import get_day_names, get_month_names
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired

from samklima.platform.forms import REQUIRED, ChoiceField, Form, choice_list, locale_choices, max_length, one_line
from samklima.tenants.bodies.forms import NUMBER_MESSAGE, CheckboxesField, OptionalIdField, date_field
from samklima.tenants.meetings.labels import (
    ATTENDANCE_LABELS,
    FREQUENCY_LABELS,
    ITEM_KIND_LABELS,
    ORDINAL_LABELS,
    RSVP_CHOICE_LABELS,
    STANDING_LABELS,
)
from samklima.tenants.meetings.models import ITEM_KINDS, STANDING_ITEMS

TIME_MESSAGE = _l("Enter a time like 09:30.")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def number_field(label, **kwargs):
    # The range is the operation's to check, so that its message names the limits.
    return IntegerField(label, validators=[InputRequired(message=REQUIRED)], **kwargs)


def text_area(label, limit=20000, **kwargs):
    return TextAreaField(label, filters=[_strip], validators=[max_length(limit)], **kwargs)


class TranslatedTimeField(TimeField):
    """A time field whose wrong value gets a translated message (WTForms' own has no Nynorsk)."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(TIME_MESSAGE) from None


class SettingsForm(Form):
    frequency = ChoiceField(_l("How often"))
    interval = number_field(_l("Every"), description=_l("1 for every month or every week, 2 for every other."),
                            default=1, invalid_value_message=NUMBER_MESSAGE)
    # Values as text, read as numbers by the view: a coercing select has WTForms' untranslated message.
    ordinal = ChoiceField(_l("Which weekday of the month"),
                          description=_l("For meetings once a month."))
    weekday = ChoiceField(_l("Weekday"))
    months = CheckboxesField(_l("Months with meetings"),
                             description=_l("Leave out the months without meetings, July for example. "
                                            "Eight months give eight meetings a year."))
    start_time = TranslatedTimeField(_l("Starts at"), validators=[InputRequired(message=REQUIRED)])
    duration_minutes = number_field(_l("Length in minutes"), invalid_value_message=NUMBER_MESSAGE)
    place = StringField(_l("Usual place"), filters=[one_line], validators=[max_length(200)])
    video_url = StringField(_l("Usual video link"), filters=[_strip], validators=[max_length(500)])
    proposal_days_before = number_field(_l("Proposals close this many days before the meeting"),
                                        invalid_value_message=NUMBER_MESSAGE)
    publish_days_before = number_field(_l("The agenda goes out this many days before the meeting"),
                                       invalid_value_message=NUMBER_MESSAGE)
    absence_threshold = number_field(_l("Absences in a row before the group page shows them"),
                                     invalid_value_message=NUMBER_MESSAGE)
    # Checkboxes of names, not ids; the operation keeps only the standing items it knows.
    standing_items = SelectMultipleField(_l("Standing items on every agenda"), validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale = get_locale()
        self.frequency.choices = choice_list((value, FREQUENCY_LABELS[value]) for value in ("monthly", "weekly"))
        self.ordinal.choices = choice_list((str(value), ORDINAL_LABELS[value]) for value in (1, 2, 3, 4, -1))
        days = get_day_names("wide", locale=locale)
        self.weekday.choices = choice_list((str(number), days[number].capitalize()) for number in range(7))
        months = get_month_names("wide", locale=locale)
        self.months.choices = [(number, months[number].capitalize()) for number in range(1, 13)]
        self.standing_items.choices = [(name, STANDING_LABELS[name]) for name in STANDING_ITEMS]


class PlanForm(Form):
    first_day = date_field(_l("First day"), optional=False)
    last_day = date_field(_l("Last day"), optional=False)


class MeetingForm(Form):
    title = StringField(_lp("meeting or agenda item", "Title"), filters=[one_line], validators=[InputRequired(message=REQUIRED), max_length(200)])
    day = date_field(_l("Date"), optional=False)
    start = TranslatedTimeField(_l("Starts at"), validators=[InputRequired(message=REQUIRED)])
    end = TranslatedTimeField(_l("Ends at"), validators=[InputRequired(message=REQUIRED)])
    place = StringField(_l("Place"), filters=[one_line], validators=[max_length(200)],
                        description=_l("The address or the room."))
    video_url = StringField(_l("Video link"), filters=[_strip], validators=[max_length(500)])
    themes = text_area(_l("Themes announced in advance"),
                       description=_l("What members should prepare or bring. It goes out with the agenda."))
    case_number = StringField(_l("Case number"), filters=[one_line], validators=[max_length(60)])
    proposal_deadline = date_field(_l("Proposals close on"),
                                   description=_l("Members can propose items until the end of this day."))
    publish_on = date_field(_l("The agenda goes out on"),
                            description=_l("The agenda is sent to every member and guest on this day."))


class ItemForm(Form):
    title = StringField(_lp("meeting or agenda item", "Title"), filters=[one_line], validators=[InputRequired(message=REQUIRED), max_length(200)])
    kind = ChoiceField(_l("Kind of item"), default="information")
    description = text_area(_l("Description"))
    duration_minutes = IntegerField(_l("Time wished for, in minutes"), default=15,
                                    validators=[InputRequired(message=REQUIRED)],
                                    invalid_value_message=NUMBER_MESSAGE)
    proposed_decision = text_area(_l("Proposed decision"),
                                  description=_l("For a decision item: the decision the group is asked to make."))
    closed = BooleanField(_l("Closed item"),
                          description=_l("Only the group's members and the meeting's invitees, guests included, see it. "
                                         "It never goes into a calendar file or anything public."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = choice_list((kind, ITEM_KIND_LABELS[kind]) for kind in ITEM_KINDS)


class DeferForm(Form):
    meeting_id = OptionalIdField(_l("Move to the meeting"), validators=[InputRequired(message=REQUIRED)])


class RejectForm(Form):
    reason = text_area(_l("Reason"), limit=5000,
                       description=_l("The proposer gets it by e-mail."))


class CancelForm(Form):
    reason = text_area(_l("Reason (optional)"), limit=5000,
                       description=_l("Every invitee gets it with the cancellation."))


class DeleteForm(Form):
    records_kept = BooleanField(_l("The published agenda is archived where the rules for public records want it"))


class GuestForm(Form):
    name = StringField(_l("Name"), filters=[one_line], validators=[InputRequired(message=REQUIRED), max_length(200)])
    email = StringField(_l("E-mail"), filters=[_strip], validators=[InputRequired(message=REQUIRED), max_length(254)],
                        render_kw={"autocomplete": "off"})
    locale = ChoiceField(_l("Language of the mails"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = locale_choices()


class AnswerForm(Form):
    rsvp = ChoiceField(_l("Your answer"), invalid_message=_l("Choose an answer."))
    substitute_name = StringField(_l("Name of the substitute"), filters=[one_line], validators=[max_length(200)])
    substitute_email = StringField(_l("E-mail of the substitute"), filters=[_strip], validators=[max_length(254)])

    def __init__(self, *args, can_send_substitute=True, **kwargs):
        super().__init__(*args, **kwargs)
        answers = ("attending", "not_attending", "substitute") if can_send_substitute else ("attending", "not_attending")
        self.rsvp.choices = choice_list((answer, RSVP_CHOICE_LABELS[answer]) for answer in answers)


class AttendanceRowForm(Form):
    """One person on the attendance sheet: who (a hidden id) and their mark."""

    class Meta:
        csrf = False  # a row of the sheet, whose own form carries the token

    invitee = HiddenField()
    mark = ChoiceField(_l("Attendance"), default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mark.choices = choice_list((mark, ATTENDANCE_LABELS[mark]) for mark in ("present", "excused", "absent", ""))


def attendance_form(invitees, suggested, **kwargs):
    """A row per invitee, in their order; a forged form with other rows is refused by the operation."""

    class SheetForm(Form):
        rows = FieldList(FormField(AttendanceRowForm), min_entries=len(invitees), max_entries=len(invitees))

    form = SheetForm(**kwargs)
    if not form.is_submitted():
        for row, invitee in zip(form.rows, invitees):
            row.invitee.data = str(invitee.id)
            row.mark.data = suggested(invitee) or ""
    return form
