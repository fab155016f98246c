"""Forms for the workspace's people (contacts).

Select lists are filled by the view from the current workspace; the
operations check every id again, so a forged or foreign id gets the same
"choose from the list" message.
"""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField

from samklima.platform.forms import Form, choice_list, locale_choices, max_length, required
from samklima.tenants.organisations.forms import INDENT, optional_id


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class PersonForm(Form):
    name = StringField(_l("Name"), validators=[required(), max_length(200)], filters=[_strip])
    organisation_id = SelectField(_l("Organisation"), coerce=optional_id, validate_choice=False)
    title = StringField(_l("Title"), validators=[max_length(200)], filters=[_strip],
                        description=_l("For example municipal director, head of environment or climate adviser."))
    email = StringField(_l("E-mail address"), validators=[max_length(254)], filters=[_strip],
                        render_kw={"type": "email", "autocomplete": "off"},
                        description=_l("Agendas, minutes and nomination requests go to this address."))
    phone = StringField(_l("Phone"), validators=[max_length(40)], filters=[_strip],
                        render_kw={"type": "tel", "autocomplete": "off"})
    locale = SelectField(_l("Language of e-mails"), validate_choice=False)
    user_id = SelectField(
        _l("Signs in as"), coerce=optional_id, validate_choice=False,
        description=_l("Link this person to a member of the workspace, so that their groups show on their pages."),
    )

    def __init__(self, tree, members, **kwargs):
        super().__init__(**kwargs)
        self.organisation_id.choices = choice_list(
            [("", _l("No organisation"))]
            + [(str(n.organisation.id), INDENT * n.depth + n.organisation.name) for n in tree]
        )
        self.locale.choices = [*choice_list([("", _l("The workspace's language"))]), *locale_choices()]
        self.user_id.choices = choice_list(
            [("", _l("Nobody: this person does not sign in"))]
            + [(str(m.user_id), f"{m.user.name} ({m.user.email})") for m in members]
        )
