"""Forms for organisations and their CSV import.

Select lists are filled by the view from the current workspace. A value that
is not in the list is handed on as it is: the operation refuses it with its
own translated message (WTForms' messages have no Nynorsk or Icelandic).
"""
from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, StringField

from samklima.platform.forms import Form, choice_list, max_length, required
from samklima.platform.inputs import parse_id
from samklima.tenants.organisations.models import COUNTRIES, KIND_LABELS, ORGANISATION_KINDS

# Options indented by their depth in the tree (a select cannot nest deeper than one group).
INDENT = "\u2003"
NOT_AN_ID = -1


def optional_id(value):
    """'' means none; anything that is not an id (a word, a number beyond any id) becomes an id no row has."""
    if value in (None, "", "None"):
        return None
    return parse_id(value) or NOT_AN_ID


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def country_choices():
    territories = Locale.parse(str(get_locale())).territories
    return choice_list((code, territories.get(code, code)) for code in COUNTRIES)


def parent_choices(tree, excluded_ids=frozenset()):
    choices = [("", _l("None: a top-level organisation"))]
    choices += [
        (str(node.organisation.id), INDENT * node.depth + node.organisation.name)
        for node in tree
        if node.organisation.id not in excluded_ids
    ]
    return choice_list(choices)


class OrganisationForm(Form):
    name = StringField(_l("Name"), validators=[required(), max_length(200)], filters=[_strip],
                       description=_l("For example Skive Kommune, Trollhättans stad or Miljøforvaltningen."))
    kind = SelectField(_l("Kind"), validate_choice=False, default="municipality")
    parent_id = SelectField(
        _l("Part of"), coerce=optional_id, validate_choice=False,
        description=_l("A department belongs to its municipality or to another department."),
    )
    country = SelectField(_l("Country"), validate_choice=False)
    official_code = StringField(
        _l("Official code"), validators=[max_length(20)], filters=[_strip],
        description=_l("The municipality's number: Danish kommunekode, Swedish kommunkod, "
                       "Norwegian kommunenummer or Finnish kuntanumero."),
    )
    head_name = StringField(_l("Name of the head"), validators=[max_length(200)], filters=[_strip],
                            description=_l("The director or head who appoints representatives."))
    head_email = StringField(_l("E-mail address of the head"), validators=[max_length(254)], filters=[_strip],
                             render_kw={"type": "email", "autocomplete": "off"})

    def __init__(self, tree, excluded_ids=frozenset(), **kwargs):
        super().__init__(**kwargs)
        self.kind.choices = choice_list((kind, KIND_LABELS[kind]) for kind in ORGANISATION_KINDS)
        self.country.choices = country_choices()
        self.parent_id.choices = parent_choices(tree, excluded_ids)


class ImportForm(Form):
    file = FileField(_l("CSV file"), description=_l(
        "Columns: name, kind, country, official_code, parent, head_name, head_email. "
        "Saved from Excel as “CSV UTF-8” or as plain CSV, with commas or semicolons."
    ))


class ConfirmImportForm(Form):
    token = HiddenField()
