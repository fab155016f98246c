"""Every catalogue is complete, and its translations keep placeholders and markup."""
import re
import subprocess
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
         "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."],
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
        found = translations.get(message.id)
        if found is None or found.fuzzy or not all(_forms(found.string)):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    assert not missing, f"{locale}: {len(missing)} untranslated or fuzzy:\n" + "\n".join(missing[:40])


@pytest.mark.parametrize("locale", TRANSLATED)
def test_translations_keep_placeholders_and_markup(locale):
    problems = []
    for message in catalogue(locale):
        if not message.id:
            continue
        sources = _forms(message.id)
        for translation in _forms(message.string):
            if not translation:
                continue
            if sorted(set(PLACEHOLDER.findall(translation))) != sorted(set(PLACEHOLDER.findall(sources[-1]))):
                problems.append(f"placeholders differ: {sources[0]!r} -> {translation!r}")
            if sorted(TAG.findall(translation)) != sorted(TAG.findall(sources[0])):
                problems.append(f"markup differs: {sources[0]!r} -> {translation!r}")
    assert not problems, f"{locale}:\n" + "\n".join(problems)


def test_the_check_notices_a_broken_placeholder(tmp_path):
    broken = PLACEHOLDER.findall("Velkommen til %(workspce)s.")
    assert broken != PLACEHOLDER.findall("Welcome to %(workspace)s.")
