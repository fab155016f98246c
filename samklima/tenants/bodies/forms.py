"""Forms for groups, their members, coverage, seats, secretariats and rotating chairs.

Lists of people, organisations and groups are filled by the view from the
current workspace; the operations check every id again, so a forged id from
another workspace gets the same "choose from the list" message.
"""
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from wtforms import DateField, IntegerField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from samklima.platform.forms import REQUIRED, ChoiceField, Form, choice_list, max_length, name_field, required
from samklima.platform.inputs import whole_number
from samklima.tenants.bodies.labels import COVERAGE_RULE_LABELS, KIND_LABELS, ROLE_LABELS
from samklima.tenants.bodies.models import BODY_KINDS, BODY_ROLES, COVERAGE_RULES

DATE_MESSAGE = _l("Enter a date like 2020-09-16.")
NUMBER_MESSAGE = _l("Enter a whole number, like 6.")
CHOICE_MESSAGE = ChoiceField.default_invalid_message
NONE = ""


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def date_field(label, optional=True, **kwargs):
    # InputRequired, not DataRequired: a mistyped date keeps its own message.
    validators = [Optional()] if optional else [InputRequired(message=REQUIRED)]
    return DateField(label, validators=validators, invalid_value_message=DATE_MESSAGE, **kwargs)


class OptionalIdField(ChoiceField):
    """A select list of ids with a first "none" option; `id_value` is an int or None."""

    def pre_validate(self, form):
        if self.data not in (None, NONE):
            super().pre_validate(form)

    @property
    def id_value(self) -> int | None:
        return int(self.data) if self.data not in (None, NONE) else None


class CheckboxesField(SelectMultipleField):
    """A list of checkboxes of ids; the template renders it in a fieldset."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, coerce=whole_number, validate_choice=False,
                         invalid_value_message=CHOICE_MESSAGE, **kwargs)


def id_choices(rows, label, empty=None):
    pairs = [(NONE, empty)] if empty is not None else []
    pairs += [(str(row.id), label(row)) for row in rows]
    return choice_list(pairs)


def organisation_label(organisation) -> str:
    # A department is named with its municipality: two "Miljøforvaltning"s are told apart.
    parent = organisation.parent
    return f"{organisation.name} ({parent.name})" if parent is not None else organisation.name


class BodyForm(Form):
    name = name_field(_l("Name of the group"))
    kind = ChoiceField(_l("Kind"), validators=[required()])
    parent_id = OptionalIdField(
        _l("Part of"), description=_l("A working group formed under a steering group, for example."))
    reports_to_id = OptionalIdField(_l("Reports to"))
    purpose = TextAreaField(_l("Purpose"), filters=[_strip], validators=[max_length(20000)])
    tasks = TextAreaField(_l("Tasks"), filters=[_strip], validators=[max_length(20000)])
    mandate = TextAreaField(_lp("terms of reference", "Mandate"), filters=[_strip], validators=[max_length(20000)])
    start_date = date_field(_l("Start date"))
    end_date = date_field(_l("End date"))
    meeting_cadence = StringField(
        _l("Meeting cadence"), filters=[_strip], validators=[max_length(200)],
        description=_l("For example “8 per year” or “3–4 per semester”."))
    case_number = StringField(_l("Case number"), filters=[_strip], validators=[max_length(60)])

    def __init__(self, bodies, *args, exclude_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = choice_list((kind, KIND_LABELS[kind]) for kind in BODY_KINDS)
        options = [body for body in bodies if body.id != exclude_id]
        self.parent_id.choices = id_choices(options, lambda b: b.name, empty=_l("None (a group of its own)"))
        self.reports_to_id.choices = id_choices(options, lambda b: b.name, empty=_l("None"))


class MembershipForm(Form):
    person_id = ChoiceField(_l("Person"), validators=[required()])
    role = ChoiceField(_l("Role in the group"), validators=[required()], default="member")
    organisation_id = OptionalIdField(_l("Organisation represented"))
    seat_id = OptionalIdField(_l("Seat"))
    mandate = TextAreaField(
        _lp("member's mandate", "Mandate"), filters=[_strip], validators=[max_length(5000)],
        description=_l("What the member may decide or commit to on behalf of the organisation."))
    start_date = date_field(_l("Start of the term"), optional=False)
    end_date = date_field(_l("End of the term"), description=_l("Leave empty while the term runs."))
    nominated_by = StringField(
        _l("Nominated by"), filters=[_strip], validators=[max_length(200)],
        description=_l("For example “KD-Net” or the director who named the member."))

    def __init__(self, people, organisations, seats, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.person_id.choices = id_choices(people, lambda p: p.name, empty=_l("Choose a person"))
        self.role.choices = choice_list((role, ROLE_LABELS[role]) for role in BODY_ROLES)
        self.organisation_id.choices = id_choices(organisations, organisation_label, empty=_l("None"))
        self.seat_id.choices = id_choices(seats, lambda s: s.label, empty=_l("No seat"))

    def validate_person_id(self, field):
        if field.data == NONE:
            raise ValidationError(_l("Choose a person from the list."))


class EndMembershipForm(Form):
    end_date = date_field(_l("Last day of the term"), optional=False)


class CoverageForm(Form):
    coverage_rule = ChoiceField(_l("Coverage rule"), validators=[required()])
    organisation_ids = CheckboxesField(_l("Member organisations"))
    departments_of = OptionalIdField(_l("Add the departments of"))

    def __init__(self, organisations, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.coverage_rule.choices = choice_list((rule, COVERAGE_RULE_LABELS[rule]) for rule in COVERAGE_RULES)
        self.organisation_ids.choices = [(org.id, organisation_label(org)) for org in organisations]
        with_departments = [org for org in organisations if org.kind != "department"]
        self.departments_of.choices = id_choices(with_departments, organisation_label, empty=_l("Choose an organisation"))


class SeatForm(Form):
    label = StringField(
        _l("Name of the seat"), validators=[required(), max_length(200)], filters=[_strip],
        description=_l("For example “Municipality chosen by KD-Net” or “Region Midtjylland”."))
    chosen_by = StringField(_l("Chosen by"), filters=[_strip], validators=[max_length(200)])
    organisation_id = OptionalIdField(_l("Organisation of the seat"))

    def __init__(self, organisations, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_id.choices = id_choices(organisations, organisation_label, empty=_l("Any organisation"))


class ServedBodiesForm(Form):
    body_ids = CheckboxesField(_l("Groups this secretariat serves"))

    def __init__(self, bodies, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.body_ids.choices = [(body.id, body.name) for body in bodies]


class ChairRotationForm(Form):
    membership_ids = CheckboxesField(_l("Members who take turns in the chair"))
    first_start = date_field(_l("First turn starts"), optional=False)
    months = IntegerField(
        _l("Months per turn"), validators=[InputRequired(message=REQUIRED), NumberRange(min=1, max=48, message=_l("Choose between 1 and 48 months."))],
        invalid_value_message=NUMBER_MESSAGE, default=6)
    until = date_field(_l("Plan the turns until"), optional=False)

    def __init__(self, memberships, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership_ids.choices = [(m.id, m.person.name) for m in memberships]
