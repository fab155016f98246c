"""Forms for nomination requests: asking (two steps) and answering from the e-mail link."""
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from wtforms import FieldList, FormField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, NumberRange, Optional

from samklima.platform.forms import REQUIRED, Form, choice_list, email_field, locale_choices, max_length, required
from samklima.platform.forms import ChoiceField
from samklima.tenants.bodies.forms import NUMBER_MESSAGE, date_field
from samklima.tenants.bodies.labels import role_label
from samklima.tenants.bodies.nominations.operations import MAX_MESSAGE, MAX_SEATS, REPRESENTATIVE_ROLES

EMAIL_MESSAGE = _l("Enter a valid e-mail address, like name@kommune.dk.")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ChooseOrganisationForm(Form):
    """Step 1, sent with GET: who is asked, and in which language the e-mail is written."""

    class Meta:
        csrf = False

    organisation_id = SelectField(_l("Organisation"), validate_choice=False)
    locale = SelectField(_l("Language of the e-mail"), validate_choice=False,
                         description=_l("The message is written for you in this language, and you can change it."))

    def __init__(self, grouped_choices, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_id.choices = grouped_choices
        self.locale.choices = [*choice_list([("", _l("The organisation's own language"))]), *locale_choices()]


class NominationForm(Form):
    """Step 2: the request itself. Organisation and language come from step 1."""

    organisation_id = HiddenField()
    locale = HiddenField()
    recipient_name = StringField(_l("Name of the head of the organisation"), filters=[_strip],
                                 validators=[max_length(200)])
    recipient_email = email_field(_l("E-mail of the head of the organisation"))
    seats = IntegerField(
        _l("Number of representatives"), default=1, invalid_value_message=NUMBER_MESSAGE,
        validators=[InputRequired(message=REQUIRED),
                    NumberRange(min=1, max=MAX_SEATS, message=_l("Ask for between 1 and %(max)d representatives.",
                                                                   max=MAX_SEATS))])
    due_date = date_field(_l("Answer by"), optional=False)
    message = TextAreaField(
        _l("Message"), validators=[required(), max_length(MAX_MESSAGE)], render_kw={"rows": 16},
        description=_l("The e-mail adds the due date and the link where the head answers."))


class RepresentativeForm(Form):
    class Meta:
        csrf = False

    name = StringField(_l("Name"), filters=[_strip], validators=[max_length(200)],
                       render_kw={"autocomplete": "off"})
    email = StringField(_l("E-mail"), filters=[lambda v: v.strip().lower() if v else v],
                        validators=[Optional(), max_length(254), Email(message=EMAIL_MESSAGE, check_deliverability=False)],
                        render_kw={"type": "email", "autocomplete": "off"})
    title = StringField(_l("Job title"), filters=[_strip], validators=[max_length(200)])
    mandate = TextAreaField(
        _lp("member's mandate", "Mandate"), filters=[_strip], validators=[max_length(5000)], render_kw={"rows": 3},
        description=_l("What the representative may decide or commit to on behalf of the organisation."))
    role = ChoiceField(_l("Role in the group"), default="member")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = choice_list((role, role_label(role)) for role in REPRESENTATIVE_ROLES)


class AnswerForm(Form):
    answered_by = StringField(_l("Your name"), filters=[_strip], validators=[required(), max_length(200)],
                              render_kw={"autocomplete": "name"})


def answer_form(seats: int, **kwargs) -> AnswerForm:
    """As many rows as representatives asked for; extra rows in a forged form are ignored."""

    class SizedAnswerForm(AnswerForm):
        representatives = FieldList(FormField(RepresentativeForm), min_entries=seats, max_entries=seats)

    return SizedAnswerForm(**kwargs)


class DeclineForm(Form):
    declined_by = StringField(_l("Your name"), filters=[_strip], validators=[required(), max_length(200)],
                              render_kw={"autocomplete": "name"})
    reason = TextAreaField(_l("Why can you not appoint anyone?"), filters=[_strip],
                           validators=[required(), max_length(5000)], render_kw={"rows": 4})
