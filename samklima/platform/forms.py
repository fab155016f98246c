"""Form building blocks shared by every domain: translated validators and fields."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from samklima.config import LOCALE_NAMES, LOCALES
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, ValidationError

REQUIRED = _l("Please fill in this field.")


def required():
    return DataRequired(message=REQUIRED)


def max_length(count: int):
    return Length(max=count, message=_l("Use at most %(max)d characters."))


def email_field(label):
    return EmailField(
        label,
        validators=[
            required(),
            max_length(254),
            Email(message=_l("Enter a valid e-mail address, like name@kommune.dk."), check_deliverability=False),
        ],
        filters=[lambda value: value.strip().lower() if value else value],
        render_kw={"autocomplete": "email"},
    )


def name_field(label):
    return StringField(label, validators=[required(), max_length(200)], filters=[lambda v: v.strip() if v else v])


def password_field(label, autocomplete="current-password"):
    # No max_length here: an over-long password gets the password rule's message.
    return PasswordField(label, validators=[required()], render_kw={"autocomplete": autocomplete})


class EmptyForm(FlaskForm):
    """A form with only its CSRF token: for buttons that act."""


def choice_list(pairs):
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def locale_choices():
    """Each language named in itself, marked with its own language for screen readers."""
    return [SelectChoice(code, LOCALE_NAMES[code], render_kw={"lang": code}) for code in LOCALES]


class ChoiceField(SelectField):
    """A select list whose wrong value gets a translated message (WTForms' own
    "Not a valid choice." has no Nynorsk or Icelandic)."""

    default_invalid_message = _l("Choose an option from the list.")

    def __init__(self, label=None, validators=None, invalid_message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.invalid_message = invalid_message or self.default_invalid_message

    def pre_validate(self, form):
        values = {choice.value for choice in self.choices or []}
        if self.data not in values:
            raise ValidationError(self.invalid_message)
