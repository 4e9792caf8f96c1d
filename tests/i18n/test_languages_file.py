"""languages.toml: what the service serves besides English, and what it refuses."""

from __future__ import annotations

import pytest

from advocacy.i18n.languages import ENGLISH, LanguagesFileError, by_tag, languages, parse

KAZAKH = """
[[language]]
tag = "kk"
name = "қазақ тілі"
catalogue = "kk"
content = "kk"
cldr = "kk"
"""


def test_the_shipped_file_serves_uyghur_in_both_scripts_after_english() -> None:
    served = languages()
    assert served[0] == ENGLISH
    ug, latin = by_tag("ug"), by_tag("ug-Latn")
    assert ug is not None and latin is not None
    assert (ug.dir, ug.prefix, ug.name, ug.script) == ("rtl", "/ug", "ئۇيغۇرچە", "")
    assert (latin.dir, latin.prefix, latin.script) == ("ltr", "/ug-Latn", "uly")
    # The Latin is made from the Arabic: one catalogue and one content table for both.
    assert ug.catalogue == latin.catalogue == "ug"
    assert ug.content == latin.content == "ug"
    assert ENGLISH.prefix == "" and ENGLISH.is_english


def test_another_language_is_an_entry_not_code() -> None:
    kazakh = parse(KAZAKH)[1]
    assert (kazakh.tag, kazakh.prefix, kazakh.dir, kazakh.script) == ("kk", "/kk", "ltr", "")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (KAZAKH + KAZAKH, "listed twice"),
        (KAZAKH.replace('catalogue = "kk"\n', ""), "needs a catalogue"),
        (KAZAKH + 'dir = "up"\n', "ltr or rtl"),
        (KAZAKH + 'script = "cyrillic"\n', "'cyrillic' is not one of uly"),
        (KAZAKH + 'colour = "blue"\n', "colour"),
        ('[[language]]\ntag = "EN"\nname = "x"\ncatalogue = "x"\ncontent = "x"\n', "listed twice"),
    ],
)
def test_a_file_the_service_cannot_serve_is_refused_saying_why(text: str, says: str) -> None:
    with pytest.raises(LanguagesFileError, match=says):
        parse(text)
