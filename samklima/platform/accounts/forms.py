"""Account forms: sign-up, sign-in, passwords, two-factor, profile."""
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import EqualTo, Regexp

from samklima.platform.forms import (
    ChoiceField,
    Form,
    email_field,
    locale_choices,
    name_field,
    password_field,
    required,
    time_zone_choices,
)


def _repeat():
    return password_field(_l("Repeat the new password"), autocomplete="new-password")


class SignupForm(Form):
    name = name_field(_l("Your name"))
    email = email_field(_l("E-mail address"))
    password = password_field(_l("Password"), autocomplete="new-password")
    password_repeat = password_field(_l("Repeat the password"), autocomplete="new-password")

    def validate_password_repeat(self, field):
        EqualTo("password", message=_l("The two passwords are not the same."))(self, field)


class LoginForm(Form):
    email = email_field(_l("E-mail address"))
    password = password_field(_l("Password"))


class TwoFactorCodeForm(Form):
    code = StringField(
        _l("Six-digit code from your authenticator app"),
        validators=[required(), Regexp(r"^\s*\d{3}\s?\d{3}\s*$", message=_l("The code is six digits."))],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class ForgotPasswordForm(Form):
    email = email_field(_l("E-mail address"))


class ResetPasswordForm(Form):
    password = password_field(_l("New password"), autocomplete="new-password")
    password_repeat = _repeat()

    def validate_password_repeat(self, field):
        EqualTo("password", message=_l("The two passwords are not the same."))(self, field)


class ChangePasswordForm(ResetPasswordForm):
    current_password = password_field(_l("Current password"))


class ProfileForm(Form):
    name = name_field(_l("Your name"))
    locale = ChoiceField(
        _l("Language"),
        choices=locale_choices(),
        validators=[required()],
        invalid_message=_l("Choose a language from the list."),
    )
    time_zone = ChoiceField(
        _l("Time zone"), validators=[required()], invalid_message=_l("Choose a time zone from the list."),
        description=_l("Times on your account pages are shown in this zone. Inside a workspace, its own zone is used."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone.choices = time_zone_choices()


class ConfirmPasswordForm(Form):
    password = password_field(_l("Password"))
