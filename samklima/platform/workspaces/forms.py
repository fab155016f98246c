"""Forms for creating and running a workspace."""
from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField
from wtforms.validators import EqualTo

from samklima.platform.forms import (
    ChoiceField,
    Form,
    choice_list,
    email_field,
    locale_choices,
    max_length,
    name_field,
    password_field,
    required,
    time_zone_choices,
)
from samklima.platform.permissions import ROLE_LABELS
from samklima.platform.workspaces.models import ROLES
from samklima.platform.workspaces.operations import COUNTRY_DEFAULTS


def role_choices():
    return choice_list((role, ROLE_LABELS[role]) for role in ROLES)


def country_choices():
    # Babel names each country in the reader's own language.
    territories = Locale.parse(str(get_locale())).territories
    return choice_list((code, territories.get(code, code)) for code in COUNTRY_DEFAULTS)


class WorkspaceForm(Form):
    name = name_field(_l("Name of the workspace"))
    slug = StringField(
        _l("Web address"),
        validators=[required(), max_length(63)],
        filters=[lambda v: v.strip().lower() if v else v],
        description=_l("Lowercase letters, digits and hyphens, for example dk2020-midtjylland."),
    )
    country = ChoiceField(_l("Country"), validators=[required()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices()


class SettingsForm(Form):
    name = name_field(_l("Name of the workspace"))
    default_locale = ChoiceField(
        _l("Default language"), choices=locale_choices(), validators=[required()],
        invalid_message=_l("Choose a language from the list."),
    )
    time_zone = ChoiceField(_l("Time zone"), validators=[required()],
                            invalid_message=_l("Choose a time zone from the list."))
    requires_admin_two_factor = BooleanField(_l("Require two-factor authentication of owners and administrators"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone.choices = time_zone_choices()


class InvitationForm(Form):
    email = email_field(_l("E-mail address"))
    role = ChoiceField(_l("Role"), validators=[required()], default="member")
    locale = ChoiceField(
        _l("Language of the invitation"), choices=locale_choices(), validators=[required()],
        invalid_message=_l("Choose a language from the list."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()


class RoleForm(Form):
    role = ChoiceField(_l("Role"), validators=[required()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()


class JoinForm(Form):
    """Creating an account from an invitation: the link proves the mailbox."""

    name = name_field(_l("Your name"))
    password = password_field(_l("Password"), autocomplete="new-password")
    password_repeat = password_field(_l("Repeat the password"), autocomplete="new-password")

    def validate_password_repeat(self, field):
        EqualTo("password", message=_l("The two passwords are not the same."))(self, field)
