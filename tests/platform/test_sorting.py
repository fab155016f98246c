"""One sort rule for names: the reader's alphabet (ICU's CLDR collation), the same on both databases."""
import pytest
from flask_babel import force_locale

from samklima.platform.sorting import by_name

NAMES = ["Åre", "Aabenraa", "Ærø", "Odder", "Østerbro", "Ödeshög", "Ängelholm", "Alingsås", "Zealand"]


@pytest.mark.parametrize("locale, expected", [
    # Danish and Norwegian: Æ Ø Å after Z, and "Aa" is "Å".
    ("da", ["Alingsås", "Odder", "Zealand", "Ängelholm", "Ærø", "Ödeshög", "Østerbro", "Aabenraa", "Åre"]),
    ("nb", ["Alingsås", "Odder", "Zealand", "Ängelholm", "Ærø", "Ödeshög", "Østerbro", "Aabenraa", "Åre"]),
    # Swedish: Å Ä Ö after Z.
    ("sv", ["Aabenraa", "Alingsås", "Odder", "Zealand", "Åre", "Ängelholm", "Ærø", "Ödeshög", "Østerbro"]),
    # English: the letters with marks among their base letters.
    ("en_GB", ["Aabenraa", "Ærø", "Alingsås", "Ängelholm", "Åre", "Odder", "Ödeshög", "Østerbro", "Zealand"]),
])
def test_names_sort_in_the_readers_alphabet(app, locale, expected):
    with app.test_request_context(), force_locale(locale):
        assert [name for name in by_name(NAMES, lambda name: name)] == expected


def test_icelandic_puts_eth_after_d_and_thorn_at_the_end(app):
    with app.test_request_context(), force_locale("is"):
        assert by_name(["Þingvellir", "Ðrekinn", "Dalvík", "Egilsstaðir"], lambda name: name) == [
            "Dalvík", "Ðrekinn", "Egilsstaðir", "Þingvellir"]


def test_spaces_and_case_do_not_change_the_order(app):
    with app.test_request_context(), force_locale("da"):
        assert by_name(["skive  Kommune", "Aarhus Kommune", "Randers Kommune"], lambda name: name) == [
            "Randers Kommune", "skive  Kommune", "Aarhus Kommune"]
