"""[translations.<content>]: a campaign's supporter-facing text in another language, loaded,
checked (each problem with its place), stored, dumped and edited in the browser."""

from __future__ import annotations

import copy
import datetime
from pathlib import Path
from typing import Any

import pytest
from editor_pages import field_error, field_value, save
from flask import Flask
from flask.testing import FlaskClient
from organizer_pages import signed_in_client
from pages import SLUG, parse

from advocacy.campaigns.content import (
    CampaignContentError,
    dump_campaign,
    load_campaign_file,
    parse_campaign,
    parse_stored_campaign,
    shipped_campaign_files,
    to_stored,
    validate_campaign,
)


@pytest.fixture
def shipped() -> dict[str, Any]:
    return load_campaign_file(shipped_campaign_files()[0])


def problems_of(campaign: dict[str, Any]) -> list[str]:
    return validate_campaign(campaign)


# --- loading and the typed content ---------------------------------------------------------


def test_the_shipped_campaign_is_translated_in_full(shipped: dict[str, Any]) -> None:
    content = parse_campaign(shipped)
    ug = content.translations["ug"]
    assert ug.title and ug.tagline and ug.button and ug.short_title and ug.status
    assert len(ug.story) == len(content.story)
    assert all(section.heading and section.paragraphs for section in ug.story)
    assert ug.provisions is not None and len(ug.provisions) == len(content.bill.provisions)
    assert set(ug.timeline) == {entry.date for entry in content.bill.timeline}
    assert ug.next_tagline and ug.next_status and ug.next_ask_paragraphs
    for kinds, explained in (
        (("senate", "senate_sponsor", "house", "house_had_no_vote", "house_sponsor"), ug.letter),
        (("senate", "senate_sponsor", "house", "house_sponsor"), ug.next_letter),
    ):
        assert set(explained) == set(kinds)
        for kind in kinds:
            assert explained[kind].letter_explanation and explained[kind].call_explanation


def test_the_shipped_uyghur_uses_the_campaigns_words_and_no_latin(
    shipped: dict[str, Any],
) -> None:
    text = dump_campaign(to_stored({"translations": shipped["translations"]}))
    assert "شەرقىي تۈركىستان" in text and "خىتاي" in text
    assert "Xinjiang" not in text and "ه" not in text
    # Numbers are the English's: the facts are the same in both languages.
    for number in ("1990", "250", "7000", "7600", "200", "2635", "1542", "2766", "1252", "414"):
        assert number in text, number


def test_every_field_is_optional(shipped: dict[str, Any]) -> None:
    shipped["translations"] = {"ug": {"title": "بارىن"}}
    content = parse_campaign(shipped)
    ug = content.translations["ug"]
    assert ug.title == "بارىن" and ug.tagline is None and ug.story == ()
    assert ug.provisions is None and dict(ug.letter) == {}
    shipped["translations"] = {"ug": {}}
    assert parse_campaign(shipped).translations["ug"].title is None
    del shipped["translations"]
    assert dict(parse_campaign(shipped).translations) == {}


def test_timeline_entries_go_with_the_english_entries_of_their_date(
    shipped: dict[str, Any],
) -> None:
    ug = parse_campaign(shipped).translations["ug"]
    assert ug.timeline[datetime.date(2025, 4, 30)][0].startswith("سېناتور جون كۇرتىس")


def test_the_stored_form_keeps_translations_and_their_dates(shipped: dict[str, Any]) -> None:
    stored = to_stored(shipped)
    assert stored["translations"]["ug"]["bill"]["timeline"][0]["date"] == "2024-02-15"
    assert parse_stored_campaign(stored) == parse_campaign(shipped)


def test_dump_then_load_gives_back_the_translations(
    shipped: dict[str, Any], tmp_path: Path
) -> None:
    stored = to_stored(shipped)
    text = dump_campaign(stored)
    assert "[translations.ug]\n" in text
    assert "[[translations.ug.story]]\n" in text
    assert "[[translations.ug.bill.timeline]]\n" in text
    assert "[translations.ug.next_congress.letter.senate]\n" in text
    path = tmp_path / "campaign.toml"
    path.write_text(text, encoding="utf-8")
    loaded = to_stored(load_campaign_file(path))
    assert loaded == stored
    assert dump_campaign(loaded) == text


def test_keys_are_dumped_in_the_files_order(shipped: dict[str, Any]) -> None:
    ug = shipped["translations"]["ug"]
    shipped["translations"]["ug"] = dict(reversed(list(ug.items())))
    text = dump_campaign(to_stored(shipped))
    order = [text.index(header) for header in (
        "[translations.ug]", "[translations.ug.ask]", "[[translations.ug.story]]",
        "[translations.ug.bill]", "[translations.ug.letter.senate]",
        "[translations.ug.letter.house_had_no_vote]", "[translations.ug.letter.house_sponsor]",
        "[translations.ug.next_congress]",
    )]  # fmt: skip
    assert order == sorted(order)


# --- the rules: every refusal, with its place -----------------------------------------------


def test_an_unknown_language_is_refused(shipped: dict[str, Any]) -> None:
    shipped["translations"]["kk"] = {"title": "Баррин"}
    assert problems_of(shipped) == [
        "translations.kk: unknown language (the content keys of languages.toml: ug)"
    ]


def test_translations_must_be_tables(shipped: dict[str, Any]) -> None:
    shipped["translations"] = {"ug": "بارىن"}
    assert problems_of(shipped) == ["translations.ug: must be a table [translations.ug]"]
    shipped["translations"] = ["ug"]
    assert problems_of(shipped) == ["translations: must be tables such as [translations.ug]"]


@pytest.mark.parametrize(
    ("where", "key", "problem"),
    [
        ((), "subtitle", "translations.ug.subtitle: unknown key"),
        (("ask",), "buton", "translations.ug.ask.buton: unknown key"),
        (("story", 1), "text", "translations.ug.story[1].text: unknown key"),
        (("bill",), "sponsors", "translations.ug.bill.sponsors: unknown key"),
        (("bill", "timeline", 0), "title", "translations.ug.bill.timeline[0].title: unknown key"),
        (("letter",), "senators", "translations.ug.letter.senators: unknown key"),
        (("letter", "senate"), "asks", "translations.ug.letter.senate.asks: unknown key"),
        (("next_congress",), "goal", "translations.ug.next_congress.goal: unknown key"),
        (
            ("next_congress", "letter"),
            "house_had_no_vote",
            "translations.ug.next_congress.letter.house_had_no_vote: unknown key",
        ),
    ],
)
def test_unknown_fields_are_refused_where_they_are(
    shipped: dict[str, Any], where: tuple[Any, ...], key: str, problem: str
) -> None:
    table = shipped["translations"]["ug"]
    for part in where:
        table = table[part]
    table[key] = {"letter_explanation": "خەت"} if "letter" in where else "خەت"
    problems = problems_of(shipped)
    assert len(problems) == 1 and problems[0].startswith(problem), problems


def test_a_story_with_another_count_of_sections_is_refused(shipped: dict[str, Any]) -> None:
    shipped["translations"]["ug"]["story"].pop()
    assert problems_of(shipped) == [
        "translations.ug.story: has 2 sections and the English [[story]] 3: translate each "
        "section in the English order (a section's fields may be left out)"
    ]


def test_provisions_of_another_count_are_refused(shipped: dict[str, Any]) -> None:
    shipped["translations"]["ug"]["bill"]["provisions"].append("يەنە بىرى.")
    assert problems_of(shipped) == [
        "translations.ug.bill.provisions: has 6 entries and the English bill.provisions 5: "
        "translate each, in the English order"
    ]


def test_a_timeline_date_the_english_has_not_is_refused(shipped: dict[str, Any]) -> None:
    shipped["translations"]["ug"]["bill"]["timeline"][1]["date"] = datetime.date(2025, 5, 1)
    [problem] = problems_of(shipped)
    assert problem.startswith(
        "translations.ug.bill.timeline[1].date: 2025-05-01 is not the date of an entry of "
        "the English bill.timeline"
    )


def test_letters_that_are_not_uyghur_are_refused_with_their_place(
    shipped: dict[str, Any],
) -> None:
    ug = shipped["translations"]["ug"]
    ug["title"] = "بارىن ه"  # Arabic heh, not ە
    ug["story"][2]["paragraphs"][1] = "ئۇيغۇر ی"  # Persian yeh, not ى or ي
    ug["letter"]["house"]["call_explanation"] = "ک"  # Persian keheh, not ك
    problems = problems_of(shipped)
    assert [problem.split(":")[0] for problem in problems] == [
        "translations.ug.title",
        "translations.ug.story[2].paragraphs[1]",
        "translations.ug.letter.house.call_explanation",
    ]
    assert "U+0647" in problems[0] and "U+06D5" in problems[0]


def test_unknown_variables_are_refused(shipped: dict[str, Any]) -> None:
    ug = shipped["translations"]["ug"]
    ug["letter"]["senate"]["letter_explanation"] = "$recipient $senator غا"
    ug["letter"]["house"]["call_explanation"] = "100 $"
    problems = problems_of(shipped)
    assert problems[0].startswith(
        "translations.ug.letter.senate.letter_explanation: unknown variable $senator (known: "
    )
    assert "$house_passed_on" in problems[0]  # the campaign's own [letter.values] too
    assert problems[1] == (
        "translations.ug.letter.house.call_explanation: has a '$' that is not a variable "
        "(write $$ for a dollar sign)"
    )


def test_the_next_congress_explanations_may_not_name_the_old_bill(
    shipped: dict[str, Any],
) -> None:
    ug = shipped["translations"]["ug"]
    ug["next_congress"]["letter"]["senate"]["letter_explanation"] = "$senate_number"
    [problem] = problems_of(shipped)
    assert problem.startswith(
        "translations.ug.next_congress.letter.senate.letter_explanation: $senate_number names "
        "the old bill"
    )


def test_empty_or_mistyped_fields_are_refused(shipped: dict[str, Any]) -> None:
    ug = shipped["translations"]["ug"]
    ug["tagline"] = " "
    ug["ask"]["paragraphs"] = "بىر"
    ug["bill"]["provisions"][0] = 1
    ug["letter"]["senate"] = "خەت"
    assert problems_of(shipped) == [
        "translations.ug.tagline: must not be empty",
        "translations.ug.ask.paragraphs: must be a list of text",
        "translations.ug.bill.provisions[0]: must be text",
        "translations.ug.letter.senate: must be a table [translations.ug.letter.senate]",
    ]


def test_translated_paragraphs_follow_the_links_rule(shipped: dict[str, Any]) -> None:
    shipped["translations"]["ug"]["story"][0]["paragraphs"][0] = "[بۇ](javascript:alert(1))"
    [problem] = problems_of(shipped)
    assert problem.startswith("translations.ug.story[0].paragraphs[0]: the link [بۇ]")


def test_a_file_with_problems_is_refused_naming_them(
    shipped: dict[str, Any], tmp_path: Path
) -> None:
    broken = copy.deepcopy(shipped)
    broken["translations"]["ug"]["story"].pop()
    text = dump_campaign(to_stored(broken))
    path = tmp_path / "campaign.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CampaignContentError) as raised:
        load_campaign_file(path)
    assert raised.value.problems[0].startswith("translations.ug.story: has 2 sections")


# --- the organizers' editor ------------------------------------------------------------------


@pytest.fixture
def editor(app: Flask) -> FlaskClient:
    return signed_in_client(app)


def test_the_editor_has_a_toml_box_per_language_with_the_translation(
    editor: FlaskClient,
) -> None:
    html = editor.get(f"/organizers/c/{SLUG}/edit").get_data(as_text=True)
    box = field_value(html, "translations-ug")
    assert box.startswith('title = "بارىننى ئەستە تۇتايلى')
    assert "[[story]]\n" in box and "[letter.senate]\n" in box
    assert parse(html).by_id("f-translations-ug").attrs["dir"] == "ltr"


def test_a_translation_edited_in_the_editor_is_saved_and_previewed_in_uyghur(
    editor: FlaskClient,
) -> None:
    html = editor.get(f"/organizers/c/{SLUG}/edit").get_data(as_text=True)
    box = field_value(html, "translations-ug").replace(
        'title = "بارىننى ئەستە تۇتايلى', 'title = "يېڭى ماۋزۇ: بارىننى ئەستە تۇتايلى'
    )
    response = save(editor, SLUG, {"translations-ug": box}, page=html)
    assert response.status_code == 303
    page = editor.get(f"/organizers/c/{SLUG}/preview/page?version=2&lang=ug")
    assert page.status_code == 200
    tree = parse(page.get_data(as_text=True))
    assert tree.one("html").attrs["lang"] == "ug"
    assert tree.one("h1").text().startswith("يېڭى ماۋزۇ")
    english = parse(
        editor.get(f"/organizers/c/{SLUG}/preview/page?version=2").get_data(as_text=True)
    )
    assert english.one("h1").text() == "Remember Baren: pass the Uyghur Policy Act"


def test_the_editor_puts_a_translations_problem_beside_its_box(editor: FlaskClient) -> None:
    html = editor.get(f"/organizers/c/{SLUG}/edit").get_data(as_text=True)
    box = field_value(html, "translations-ug").replace('title = "بارىن', 'title = "ه بارىن', 1)
    response = save(editor, SLUG, {"translations-ug": box}, page=html)
    assert response.status_code == 422
    error = field_error(response.get_data(as_text=True), "translations-ug")
    assert error.startswith("translations.ug.title: ه (U+0647")
    broken = save(editor, SLUG, {"translations-ug": "title = "}, page=html)
    assert "This is not valid TOML" in field_error(
        broken.get_data(as_text=True), "translations-ug"
    )


def test_the_preview_links_to_the_page_in_each_language(editor: FlaskClient) -> None:
    html = editor.get(f"/organizers/c/{SLUG}/preview").get_data(as_text=True)
    links = [
        a.attrs["href"] for a in parse(html).find_all("a") if "lang=" in a.attrs.get("href", "")
    ]
    assert any(link.endswith("lang=ug") for link in links)
    assert any(link.endswith("lang=ug-Latn") for link in links)
