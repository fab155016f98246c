"""Every catalogue is complete, and its translations keep placeholders and markup."""
import re
import shutil
import subprocess
from gettext import c2py
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from samklima.config import LOCALES

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [locale for locale in LOCALES if locale != "en"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdfr]|%[sdf]")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")


@pytest.fixture(scope="module")
def source_messages(tmp_path_factory):
    """What the code asks to translate now, extracted afresh from the source."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [str(Path(sys.executable).parent / "pybabel"), "-q", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2", "-k", "lazy_pgettext:1c,2", "-k", "_lp:1c,2", "-o", str(pot), "."],
        cwd=ROOT, check=True,
    )
    with pot.open("rb") as handle:
        return [message for message in read_po(handle) if message.id]


def catalogue(locale):
    with (ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def _forms(value):
    return value if isinstance(value, (list, tuple)) else (value,)


@pytest.mark.parametrize("locale", TRANSLATED)
def test_catalogue_translates_every_message_in_the_code(locale, source_messages):
    translations = catalogue(locale)
    missing = []
    for message in source_messages:
        found = translations.get(message.id, context=message.context)
        if found is None or found.fuzzy or not all(_forms(found.string)):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    assert not missing, f"{locale}: {len(missing)} untranslated or fuzzy:\n" + "\n".join(missing[:40])


def placeholder_problems(source, translation) -> list[str]:
    """A translation may use the placeholders of its msgid (and, for plurals, of
    msgid_plural), must keep those both forms share, and must keep the markup."""
    sources = _forms(source)
    allowed = set().union(*(PLACEHOLDER.findall(form) for form in sources))
    shared = set.intersection(*(set(PLACEHOLDER.findall(form)) for form in sources))
    # A plural form may say its number in words ("one representative") where it serves
    # only that number; test_every_plural_form_that_serves_several_numbers... checks the rest.
    shared.discard("num")
    problems = []
    for text in _forms(translation):
        used = set(PLACEHOLDER.findall(text))
        if text and not (shared <= used <= allowed):
            problems.append(f"placeholders differ: {sources[0]!r} -> {text!r}")
        if text and sorted(TAG.findall(text)) != sorted(TAG.findall(sources[0])):
            problems.append(f"markup differs: {sources[0]!r} -> {text!r}")
    return problems


@pytest.mark.parametrize("locale", TRANSLATED)
def test_translations_keep_placeholders_and_markup(locale):
    problems = [p for message in catalogue(locale) if message.id for p in placeholder_problems(message.id, message.string)]
    assert not problems, f"{locale}:\n" + "\n".join(problems)


def test_the_check_notices_a_broken_placeholder_and_markup():
    assert placeholder_problems("Welcome to %(workspace)s.", "Velkommen til %(workspce)s.")
    assert placeholder_problems("Welcome to %(workspace)s.", "Velkommen.")
    assert placeholder_problems("<strong>Note</strong>", "Bemærk")
    assert not placeholder_problems(("%(num)d member", "%(num)d members"), ("%(num)d medlem", "%(num)d medlemmer"))
    assert not placeholder_problems(("Name the representative by %(date)s.", "Name %(num)d representatives by %(date)s."),
                                    ("Udpeg repræsentanten senest %(date)s.", "Udpeg %(num)d repræsentanter senest %(date)s."))


def plural_problems(catalog) -> list[str]:
    """What `msgfmt --check` refuses in plural entries: a form that serves more
    than one number must show the number (Icelandic form 0 serves 1, 21, 31 ...)."""
    form_of = c2py(catalog.plural_expr)
    numbers_of_form: dict[int, set[int]] = {}
    for number in range(1000):
        numbers_of_form.setdefault(form_of(number), set()).add(number)
    problems = []
    for message in catalog:
        if not message.pluralizable or not message.id:
            continue
        needed = set(PLACEHOLDER.findall(message.id[1]))
        for index, text in enumerate(message.string):
            if len(numbers_of_form.get(index, ())) > 1 and not needed <= set(PLACEHOLDER.findall(text)):
                problems.append(f"line {message.lineno}: msgstr[{index}] serves several numbers but leaves out "
                                f"{', '.join(sorted(needed - set(PLACEHOLDER.findall(text))))}: {text!r}")
    return problems


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_plural_form_that_serves_several_numbers_shows_the_number(locale):
    problems = plural_problems(catalogue(locale))
    assert not problems, f"{locale}:\n" + "\n".join(problems)


@pytest.mark.parametrize("locale", TRANSLATED)
def test_catalogue_passes_babels_own_check(locale):
    """What `pybabel compile` checks: a form may not use a placeholder its English text lacks."""
    problems = [f"{message.id!r}: {error}" for message, errors in catalogue(locale).check() for error in errors]
    assert not problems, f"{locale}:\n" + "\n".join(problems)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
@pytest.mark.parametrize("locale", TRANSLATED)
def test_catalogue_passes_msgfmt_check(locale):
    po = ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po"
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_plural_check_notices_an_icelandic_form_without_its_number():
    from babel.messages.catalog import Catalog

    icelandic = Catalog(locale="is")
    icelandic.add(("%(num)d group", "%(num)d groups"), ("einn hópur", "%(num)d hópar"), flags=["python-format"])
    assert plural_problems(icelandic)
    icelandic = Catalog(locale="is")
    icelandic.add(("%(num)d group", "%(num)d groups"), ("%(num)d hópur", "%(num)d hópar"), flags=["python-format"])
    assert not plural_problems(icelandic)
    # Danish form 0 serves only 1: it may say "one" in words.
    danish = Catalog(locale="da")
    danish.add(("%(num)d group", "%(num)d groups"), ("én gruppe", "%(num)d grupper"), flags=["python-format"])
    assert not plural_problems(danish)
