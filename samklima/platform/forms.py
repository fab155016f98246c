"""Form building blocks shared by every domain: translated validators and fields."""
import dataclasses
import typing

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, ValidationError
from wtforms.widgets import Select

from samklima.config import LOCALE_NAMES, LOCALES, TIME_ZONES
from samklima.platform.i18n import time_zone_label
from samklima.platform.inputs import NUL, parse_id

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


def one_line(value):
    """A name is one line: a line break typed or pasted into it would end up in a mail's subject."""
    return " ".join(value.split()) if value else value


def name_field(label):
    return StringField(label, validators=[required(), max_length(200)], filters=[one_line])


def password_field(label, autocomplete="current-password"):
    # No max_length here: an over-long password gets the password rule's message.
    return PasswordField(label, validators=[required()], render_kw={"autocomplete": autocomplete})


NUL_MESSAGE = _l("This text contains an invisible control character that cannot be saved. Please remove it.")


def every_field(form):
    """Every field that holds what was sent, also inside lists of sub-forms."""
    for field in form:
        if field.type == "FormField":
            yield from every_field(field.form)
        elif field.type == "FieldList":
            for entry in field.entries:
                yield from every_field(entry.form) if entry.type == "FormField" else [entry]
        else:
            yield field


class Form(FlaskForm):
    """The form every form inherits: a field holding a NUL character gets an error beside it.

    PostgreSQL cannot store U+0000 in text, and nobody types it (it comes with
    a pasted binary or a forged request). Refused before any validator or
    operation sees the value; the form's other errors show once it is gone.
    """

    def validate(self, extra_validators=None):
        refused = [field for field in every_field(self)
                   if any(isinstance(value, str) and NUL in value for value in getattr(field, "raw_data", None) or ())]
        for field in refused:
            field.errors = [NUL_MESSAGE]
        return not refused and super().validate(extra_validators)

    def fields_for(self, fields_class, **given):
        """The operation's typed fields (a dataclass), from this form's fields of the same names.

        The one way a form becomes what an operation takes: text as typed (after the
        field's filters), "" for nothing; a select of ids as an int, or None for its
        "none" option; dates and numbers as their fields parsed them. `given` sets
        the rest, or what the form does not hold.
        """
        hints = typing.get_type_hints(fields_class)
        values = {spec.name: _typed(hints[spec.name], self._fields[spec.name])
                  for spec in dataclasses.fields(fields_class)
                  if spec.name not in given and spec.name in self._fields}
        return fields_class(**values, **given)


def _typed(hint, field):
    value = getattr(field, "id_value", field.data)  # a select of ids knows its own value
    if hint is str:
        return value or ""
    if hint in (int, int | None) and isinstance(value, str):
        return parse_id(value)
    return value


class EmptyForm(Form):
    """A form with only its CSRF token: for buttons that act."""


def choice_list(pairs):
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def locale_choices():
    """Each language named in itself, marked with its own language for screen readers."""
    return [SelectChoice(code, LOCALE_NAMES[code], render_kw={"lang": code}) for code in LOCALES]


def time_zone_choices():
    """Each time zone named in the reader's language by Babel, not by its IANA id."""
    return choice_list((zone, time_zone_label(zone)) for zone in TIME_ZONES)


class ChoiceSelect(Select):
    """A select list marked `required` only when its first option is an empty placeholder.

    HTML allows `required` on a one-line select only then (W3C Nu: "The first
    option element in a select element with a required attribute ... must have
    either an empty value attribute, or must have no text content"). A list
    whose first option is a real choice always has a value and cannot be left
    empty: it goes without `required`, whatever the field's flags or the
    template ask. The server still validates the value.
    """

    def __call__(self, field, **kwargs):
        choices = field.iter_choices() if not field.has_groups() else []
        if choices and choices[0].value not in ("", None):
            kwargs["required"] = False
        return super().__call__(field, **kwargs)


class ChoiceField(SelectField):
    """A select list whose wrong value gets a translated message (WTForms' own
    "Not a valid choice." has no Nynorsk or Icelandic)."""

    widget = ChoiceSelect()
    default_invalid_message = _l("Choose an option from the list.")

    def __init__(self, label=None, validators=None, invalid_message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.invalid_message = invalid_message or self.default_invalid_message

    def pre_validate(self, form):
        values = {choice.value for choice in self.choices or []}
        if self.data not in values:
            raise ValidationError(self.invalid_message)
