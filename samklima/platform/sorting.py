"""One sort rule for names: the reader's alphabet, as ICU's CLDR collation knows it.

Danish and Norwegian put Æ, Ø, Å after Z (and read "Aa" as "Å": Aabenraa comes
last), Swedish and Finnish Å, Ä, Ö, Icelandic Ð after D and Þ, Æ, Ö at the end;
SQL's lower() knows none of it, and SQLite and PostgreSQL would disagree. So
lists are sorted here, in Python, the same on both databases.
"""
from functools import cache
from typing import Callable, Iterable, TypeVar

import icu
from flask import has_app_context
from flask_babel import get_locale

T = TypeVar("T")


@cache
def _collator(locale: str):
    return icu.Collator.createInstance(icu.Locale(locale))


def name_key(name: str) -> bytes:
    """The key that sorts `name` as a reader of the current language expects."""
    locale = str(get_locale()) if has_app_context() else "en"
    return _collator(locale).getSortKey(" ".join(name.split()))


def by_name(items: Iterable[T], name: Callable[[T], str] = lambda item: item.name) -> list[T]:
    """`items` sorted by their names (`name` picks it), in the reader's alphabet."""
    return sorted(items, key=lambda item: name_key(name(item)))
