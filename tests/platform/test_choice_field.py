"""The shared select list renders valid HTML: `required` only with an empty first option.

The W3C Nu checker: "The first option element in a select element with a
required attribute ... must have either an empty value attribute, or must have
no text content." A list whose first option is a real choice always has a value.
"""
import re

from flask import render_template_string
from werkzeug.datastructures import MultiDict
from wtforms import Form

from samklima.platform.forms import ChoiceField, choice_list, locale_choices, required

FIELD_MACRO = '{% from "macros/forms.html" import field %}{{ field(form.choice) }}'


class Countries(Form):
    choice = ChoiceField("Country", validators=[required()], choices=choice_list([("DK", "Denmark"), ("SE", "Sweden")]))


class Languages(Form):
    choice = ChoiceField("Language", validators=[required()], choices=locale_choices())


class People(Form):
    choice = ChoiceField("Person", validators=[required()],
                         choices=choice_list([("", "Choose a person"), ("1", "Karen Dahl")]))


def select_tag(html: str) -> str:
    return re.search(r"<select[^>]*>", html).group(0)


def test_a_required_list_of_real_choices_is_not_marked_required():
    for form in (Countries(), Languages()):
        assert " required" not in select_tag(form.choice())
        assert " required" not in select_tag(form.choice(required=True))


def test_a_required_list_with_an_empty_placeholder_stays_required():
    assert " required" in select_tag(People().choice())


def test_the_field_macro_renders_the_same(app):
    with app.test_request_context():
        assert " required" not in select_tag(render_template_string(FIELD_MACRO, form=Countries()))
        assert " required" in select_tag(render_template_string(FIELD_MACRO, form=People()))


def test_a_list_of_real_choices_still_refuses_an_empty_or_unknown_value():
    for value in ("", "XX"):
        form = Countries(MultiDict({"choice": value}))
        assert not form.validate()
        assert form.choice.errors
