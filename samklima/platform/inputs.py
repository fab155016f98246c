"""What a request may carry before any view reads it: ids the database can hold, and no NUL.

Every id column is an INTEGER, which ends at 2^31 - 1 on PostgreSQL (SQLite's
at 2^63): a bigger number in a URL, a form or a query string names a row that
exists nowhere, so it gets the answer a missing row gets, never a database
error. PostgreSQL cannot hold U+0000 in text and nobody types it: a query
parameter with it is ignored like an unknown one, a form field with it gets an
error beside it (`platform.forms.Form`), and a workspace address with it is
no workspace (`workspaces.access`).
"""
from urllib.parse import parse_qsl

from flask import Flask
from flask import Request as FlaskRequest
from werkzeug.routing import IntegerConverter
from werkzeug.utils import cached_property

MAX_ID = 2**31 - 1
NUL = "\x00"


def parse_id(value) -> int | None:
    """An id written as digits (or an int): from 1 to MAX_ID, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = value.strip() if isinstance(value, str) else ""
        # isdigit() also takes "²" and Arabic-Indic digits; ten ASCII digits hold every id.
        if not (text.isascii() and text.isdigit() and len(text) <= 10):
            return None
        number = int(text)
    return number if 1 <= number <= MAX_ID else None


def whole_number(value) -> int:
    """From 1 to MAX_ID, else ValueError: for `type=` in `request.args.get("page", 1, type=whole_number)`
    (anything else gives the default) and `coerce=` of a list of ids (anything else is not a choice)."""
    number = parse_id(value)
    if number is None:
        raise ValueError(value)
    return number


class IdConverter(IntegerConverter):
    """`<int:...>` in every URL rule: a number above MAX_ID matches no rule, so it answers 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class Request(FlaskRequest):
    def __init__(self, environ, *args, **kwargs):
        super().__init__(environ, *args, **kwargs)
        # A server hands on a query string's bytes as they came: those that are not
        # UTF-8 stay percent-encoded (as Werkzeug keeps them inside a parameter),
        # else `args` and `full_path` fail on them.
        self.query_string = self.query_string.decode("utf-8", "werkzeug.url_quote").encode()

    @cached_property
    def args(self):
        """The query string's parameters, without those whose name or value holds a NUL."""
        pairs = parse_qsl(self.query_string.decode(), keep_blank_values=True, errors="werkzeug.url_quote")
        return self.parameter_storage_class(
            (name, value) for name, value in pairs if NUL not in name and NUL not in value
        )


def init_app(app: Flask) -> None:
    """Before any blueprint: a rule takes its converters when it is added."""
    app.request_class = Request
    app.url_map.converters["int"] = IdConverter
