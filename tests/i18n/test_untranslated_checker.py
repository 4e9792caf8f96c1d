"""The all-pages test's checker (untranslated.py): each rule finds English where it is left,
and nothing where the page is right, or where English or Latin is there on purpose."""

from __future__ import annotations

import pytest
from i18n.untranslated import foreign_words, report, untranslated

UG = "ئىسمىڭىزنى قوشۇڭ"
ULY = "Isimingizni qoshung"


def page(body: str, lang: str = "ug", head: str = "") -> str:
    return f'<html lang="{lang}"><head>{head}</head><body>{body}</body></html>'


def found(html: str, language: str = "ug") -> list[tuple[str, ...]]:
    return [leftover.words for leftover in untranslated(html, language)]


# --- ug: Arabic script ---------------------------------------------------------------------


def test_a_uyghur_page_has_nothing_left() -> None:
    assert found(page(f"<h1>{UG}</h1><p>{UG}، ۋەدە؟ 2635</p>")) == []


@pytest.mark.parametrize(
    "body",
    [
        "<p>Add your name</p>",
        f"<p>{UG} Sign</p>",  # one word in a Uyghur sentence
        "<label>Email</label>",
        "<button>Go</button>",
        "<noscript>Turn on JavaScript</noscript>",  # shown without JavaScript
        '<p lang="tr">Adınız</p>',  # a language with no rules of its own: the page's
    ],
)
def test_latin_words_on_a_uyghur_page_are_english_left(body: str) -> None:
    assert found(page(body)), body


@pytest.mark.parametrize(
    "attribute",
    ['title="Close"', 'alt="A map"', 'aria-label="Languages"', 'placeholder="Street"'],
)
def test_the_attributes_people_read_are_read(attribute: str) -> None:
    assert found(page(f"<span {attribute}>{UG}</span>")) != []
    assert found(page(f'<span {attribute.split("=")[0]}="{UG}">{UG}</span>')) == []


def test_a_button_inputs_value_is_read_but_a_fields_value_is_not() -> None:
    assert found(page('<input type="submit" value="Send">')) == [("Send",)]
    assert found(page('<input type="button" value="Copy">')) == [("Copy",)]
    # What a supporter typed, sent back to them, is theirs.
    assert found(page('<input type="text" name="city" value="Seattle">')) == []
    assert found(page('<input type="hidden" name="ref" value="partner">')) == []


def test_the_title_and_the_description_are_read() -> None:
    head = '<title>Pledge</title><meta name="description" content="Tell Congress">'
    assert found(page(UG, head=head)) == [("Pledge",), ("Tell", "Congress")]
    assert found(page(UG, head='<meta name="viewport" content="width=device-width">')) == []


@pytest.mark.parametrize(
    "body",
    [
        '<section lang="en" dir="ltr"><p>Dear Senator,</p><p>I write</p></section>',
        '<div lang="en-US"><span title="Letter">Dear</span></div>',
        '<p>ئەزا <bdi>Maria Cantwell</bdi> <bdi dir="ltr">H.R. 2635</bdi></p>',
        '<p><span translate="no">Uyghur Policy Act</span></p>',
        "<script>const send = 'Send';</script><style>.x { color: red }</style>",
        "<p>پوچتا نومۇرى (ZIP)</p>",
        '<a href="https://example.org/page" hreflang="en" lang="en">English</a>',
        '<a lang="ug-Latn" hreflang="ug-Latn" href="/ug-Latn/">Uyghurche</a>',
    ],
)
def test_english_or_latin_on_purpose_is_not_english_left(body: str) -> None:
    assert found(page(body)) == [], body


def test_only_zip_is_allowed_and_only_as_written() -> None:
    assert found(page("<p>Zip</p>")) == [("Zip",)]
    assert foreign_words("ZIP", "ug") == []


def test_single_letters_are_not_words() -> None:
    assert foreign_words("2635 .R.H", "ug") == []


# --- ug-Latn: Latin script -------------------------------------------------------------------


def test_a_uly_page_has_nothing_left() -> None:
    html = page(f"<h1>{ULY}</h1><p>Bu men we u, at, on, it, name, here, is.</p>", "ug-Latn")
    assert found(html, "ug-Latn") == []


def test_arabic_script_on_a_latin_page_is_left_untransliterated() -> None:
    assert found(page(f"<p>{ULY} قوشۇڭ</p>", "ug-Latn"), "ug-Latn") == [("قوشۇڭ",)]
    assert found(page("<p>Bu ، ?</p>", "ug-Latn"), "ug-Latn") == [("،",)]


def test_but_not_inside_a_uyghur_arabic_element() -> None:
    switcher = '<a lang="ug" dir="rtl" href="/ug/">ئۇيغۇرچە</a>'
    assert found(page(switcher, "ug-Latn"), "ug-Latn") == []


@pytest.mark.parametrize(
    "text, words",
    [
        ("Please enter your email", ("Please", "enter", "your", "email")),
        ("Back to the page", ("Back", "to", "the", "page")),
        ("Not found", ("Not", "found")),
        (
            "Write to your members of Congress",
            ("Write", "to", "your", "members", "of", "Congress"),
        ),
        ("Invalid", ("Invalid",)),  # a v: never ULY
        ("Cancel", ("Cancel",)),  # a c outside ch: never ULY
    ],
)
def test_english_words_on_a_latin_page_are_english_left(text: str, words: tuple[str]) -> None:
    assert found(page(f"<p>{text}</p>", "ug-Latn"), "ug-Latn") == [words]


def test_uly_words_with_ch_are_not_english() -> None:
    assert foreign_words("Uyghurche, chiqish, ch", "ug-Latn") == []


def test_the_failure_says_where_and_what() -> None:
    html = page('<main id="main"><form class="pledge-form"><label>Name</label></form></main>')
    message = report("the campaign page", untranslated(html, "ug"))
    assert "1 untranslated text(s) on the campaign page" in message
    assert "main#main > form.pledge-form > label: 'Name' (Name)" in message


def test_a_language_without_rules_is_a_mistake_in_the_test() -> None:
    with pytest.raises(ValueError):
        foreign_words("text", "kk")


def test_a_name_between_unicode_isolates_is_a_name_not_english() -> None:
    from tests.i18n.untranslated import untranslated

    page = '<html lang="ug"><head><title>\u2068Baren evening\u2069 · بارىن</title></head></html>'
    assert untranslated(page, "ug") == []
    bare = '<html lang="ug"><head><title>Baren evening · بارىن</title></head></html>'
    assert [leftover.words for leftover in untranslated(bare, "ug")] == [("Baren", "evening")]


def test_what_a_supporter_typed_is_theirs_but_a_read_only_text_is_ours() -> None:
    from tests.i18n.untranslated import untranslated

    typed = '<html lang="ug"><body><textarea name="note">My own words</textarea></body></html>'
    assert untranslated(typed, "ug") == []
    ours = '<html lang="ug"><body><textarea readonly>Dear Senator</textarea></body></html>'
    assert [leftover.words for leftover in untranslated(ours, "ug")] == [("Dear", "Senator")]
