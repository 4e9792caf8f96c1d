"""Uyghur Latin script (ULY) made from Uyghur Arabic script by rule.

Words and their ULY spellings are published examples: the Uyghur Latin alphabet's
apostrophe rule (bashlan'ghuch), the Library of Congress's romanization table (medial
hamza), and the hamza and digraph cases of the Uyghur Multi-Script Converter's tests.
"""

from __future__ import annotations

import pytest

from advocacy.i18n.uly import LETTERS, NotUyghurError, foreign_letters, to_latin

# The 32 letters in the alphabet's order, each alone between two letters that never join
# with it into a digraph, so each letter's own Latin shows.
ALPHABET = [
    ("ا", "a"),
    ("ە", "e"),
    ("ب", "b"),
    ("پ", "p"),
    ("ت", "t"),
    ("ج", "j"),
    ("چ", "ch"),
    ("خ", "x"),
    ("د", "d"),
    ("ر", "r"),
    ("ز", "z"),
    ("ژ", "zh"),
    ("س", "s"),
    ("ش", "sh"),
    ("غ", "gh"),
    ("ف", "f"),
    ("ق", "q"),
    ("ك", "k"),
    ("گ", "g"),
    ("ڭ", "ng"),
    ("ل", "l"),
    ("م", "m"),
    ("ن", "n"),
    ("ھ", "h"),
    ("و", "o"),
    ("ۇ", "u"),
    ("ۆ", "ö"),
    ("ۈ", "ü"),
    ("ۋ", "w"),
    ("ې", "é"),
    ("ى", "i"),
    ("ي", "y"),
]


def test_the_alphabet_is_the_32_letters() -> None:
    assert dict(ALPHABET) == LETTERS
    assert len(LETTERS) == 32


@pytest.mark.parametrize(("arabic", "latin"), ALPHABET)
def test_each_letter(arabic: str, latin: str) -> None:
    assert to_latin(f"ت{arabic}ت") == f"t{latin}t"


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        # A word's first vowel: its hamza carrier is not written.
        ("ئۇيغۇر", "uyghur"),
        ("ئانار", "anar"),
        ("ئەنجۈر", "enjür"),
        ("ئوردا", "orda"),
        ("ئۆردەك", "ördek"),
        ("ئۈزۈم", "üzüm"),
        ("ئېلان", "élan"),
        ("ئىنكاس", "inkas"),
        ("ئې", "é"),
        # After a hyphen a word starts again.
        ("ئەدەب-ئەخلاق", "edeb-exlaq"),
        # Inside a word, after a vowel or a consonant, it is an apostrophe.
        ("مەسئۇل", "mes'ul"),
        ("مائارىپ", "ma'arip"),
        ("مۇئەللىم", "mu'ellim"),
        ("دائىرە", "da'ire"),
        ("رادىئو", "radi'o"),
        ("قارىئۆرۈك", "qari'örük"),
        ("نائۈمىد", "na'ümid"),
        ("ئىتئېيىق", "it'éyiq"),
        ("ئەسئەت", "es'et"),
        ("جەمئىيەت", "jem'iyet"),
        ("ئىنىكئانا", "inik'ana"),
    ],
)
def test_hamza(arabic: str, latin: str) -> None:
    assert to_latin(arabic) == latin


def test_hamza_written_as_ya_with_a_combining_hamza_above() -> None:
    # ي followed by U+0654 is ئ decomposed (NFD), as some keyboards and copies give it.
    assert to_latin("مەسي\u0654ۇل") == "mes'ul"
    assert to_latin("ي\u0654ۇيغۇر") == "uyghur"
    assert foreign_letters("ي\u0654ۇيغۇر") == []


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        # n then g or gh: ng and ngh would read as the one letter ڭ.
        ("نەمەنگان", "nemen'gan"),
        ("ھىنگان", "hin'gan"),
        ("چەكلەنگەن", "cheklen'gen"),
        ("باشلانغۇچ", "bashlan'ghuch"),
        ("ئۆزبېكىستانغا", "özbékistan'gha"),
        # s, z or g then h: sh, zh, gh are letters of their own.
        ("ئىسھاق", "is'haq"),
        ("ئىزھار", "iz'har"),
        ("گھ", "g'h"),
        # The letters ڭ, ش, غ themselves need no apostrophe, nor do pairs that do not
        # read as one letter.
        ("جەڭچى", "jengchi"),
        ("شاڭخەي", "shangxey"),
        ("گاڭگىراپ", "ganggirap"),
        ("شىنجاڭ", "shinjang"),
        ("ئۆزخان", "özxan"),
        ("پاسخا", "pasxa"),
    ],
)
def test_apostrophe_between_letters_that_would_read_as_one(arabic: str, latin: str) -> None:
    assert to_latin(arabic) == latin


def test_the_vowel_e_is_never_arabic_heh() -> None:
    assert to_latin("ۋەتەن") == "weten"
    # Arabic ه (U+0647) looks like ە on screen: it is refused, not guessed at.
    with pytest.raises(NotUyghurError) as raised:
        to_latin("ۋەت\u0647ن")
    assert raised.value.character == "\u0647"
    assert raised.value.offset == 3
    assert "U+0647" in str(raised.value)


@pytest.mark.parametrize("letter", list("ثحذصضطظعةءیک"))
def test_letters_uyghur_does_not_write_are_refused(letter: str) -> None:
    with pytest.raises(NotUyghurError):
        to_latin(f"سالام {letter}")
    assert [found.character for found in foreign_letters(f"سالام {letter}")] == [letter]


def test_foreign_letters_say_what_uyghur_writes_instead() -> None:
    (heh,) = foreign_letters("ۋەت\u0647ن")
    assert heh.offset == 3
    assert "ە (U+06D5)" in heh.message
    (persian_yeh,) = foreign_letters("ی")
    assert "ى (U+0649)" in persian_yeh.message and "ي (U+064A)" in persian_yeh.message
    (keheh,) = foreign_letters("ک")
    assert "ك (U+0643)" in keheh.message


def test_presentation_forms_are_read_as_their_letters() -> None:
    # ﺋﯘﻳﻐﯘﺭ: "Uyghur" typed with shaped glyphs (initial, medial, final forms).
    assert to_latin("\ufe8b\ufbd8\ufef3\ufed0\ufbd8\ufead") == "uyghur"
    # A shaped Arabic ه (its initial form) is still not Uyghur.
    assert [found.character for found in foreign_letters("\ufeeb")] == ["\u0647"]
    with pytest.raises(NotUyghurError):
        to_latin("\ufeeb")


def test_punctuation_digits_and_joining_controls() -> None:
    assert to_latin("ھەئە، ياق؛ نېمە؟") == "he'e, yaq; néme?"
    assert to_latin("٢٠٢٦ ۋە ۱۲۳ ٣٫٥") == "2026 we 123 3.5"
    # Tatweel stretches a joint; ZWNJ and ZWJ change a letter's shape: none is text.
    assert to_latin("قا\u0640نۇن") == "qanun"
    assert to_latin("قا\u200cنۇ\u200dن") == "qanun"
    assert to_latin("\ufeffقانۇن") == "qanun"


@pytest.mark.parametrize(
    "kept",
    [
        "%(name)s",
        "%(count)d",
        "%s",
        "{name}",
        "{0}",
        "$short_title",
        "${short_title}",
        "<a href=\"/c/uyghur-policy-act\" class='x'>",
        "</a>",
        "&amp;",
        "&#1574;",
        "<!-- ئۇيغۇر -->",
        "https://example.org/ئۇيغۇر?a=1",
        "H.R. 1234",
        "Uyghur Policy Act",
    ],
)
def test_placeholders_markup_links_and_latin_pass_through(kept: str) -> None:
    assert to_latin(f"سالام {kept} ئۇيغۇر") == f"salam {kept} uyghur"


def test_words_around_placeholders_and_tags() -> None:
    # A suffix on a placeholder (a member's name) is written on it, as in the Arabic.
    assert to_latin("%(name)sغا خەت") == "%(name)sgha xet"
    # A tag ends a word: the hamza after it starts one.
    assert to_latin("<b>ئۇيغۇر</b>") == "<b>uyghur</b>"
    # A link keeps its letters; the Arabic comma after it is a comma.
    assert to_latin("https://example.org/a، ۋە") == "https://example.org/a, we"


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("ئۇيغۇر سىياسىتى قانۇنى", "Uyghur siyasiti qanuni"),
        # Proper nouns cannot be told from other words: Türkistan stays lower case.
        ("شەرقىي تۈركىستان", "Sherqiy türkistan"),
        ("ئۇيغۇر لاتىن يېزىقى", "Uyghur latin yéziqi"),
        ("ساناق. ئۇيغۇر! ئانار؟ ياق", "Sanaq. Uyghur! Anar? Yaq"),
        ("<p>ئۇيغۇر</p>", "<p>Uyghur</p>"),
        ("%(name)s ئەپەندى", "%(name)s ependi"),
    ],
)
def test_capitals_start_the_text_and_each_sentence(arabic: str, latin: str) -> None:
    assert to_latin(arabic, capitalize=True) == latin


def test_without_capitalize_everything_is_lower_case() -> None:
    assert to_latin("ئۇيغۇر. ئۇيغۇر") == "uyghur. uyghur"


def test_a_real_sentence() -> None:
    # The campaign's ask, as a supporter would read it.
    arabic = "ۋەكىلىڭىزدىن «ئۇيغۇر سىياسىتى قانۇنى»نى قوللاشنى تەلەپ قىلىڭ."
    assert to_latin(arabic, capitalize=True) == (
        "Wekilingizdin «uyghur siyasiti qanuni»ni qollashni telep qiling."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Uyghur siyasiti qanuni",
        "bashlan'ghuch is'haq mes'ul",
        "Sherqiy Türkistan, %(name)s! {count} <b>&amp;</b>",
        "",
    ],
)
def test_latin_text_is_unchanged_and_transliteration_is_idempotent(text: str) -> None:
    assert to_latin(text) == text
    assert to_latin(text, capitalize=True) == text
    once = to_latin("ئۇيغۇر سىياسىتى قانۇنى، " + text, capitalize=True)
    assert to_latin(once, capitalize=True) == once


def test_empty_and_odd_input() -> None:
    assert to_latin("") == ""
    assert foreign_letters("") == []
    # A lone surrogate is not Arabic: it passes through rather than crashing the page.
    assert to_latin("\ud800ئۇ") == "\ud800u"
    assert to_latin("\n\t ئۇ \n") == "\n\t u \n"
