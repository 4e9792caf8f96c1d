"""The campaign page and the results page in Uyghur: the campaign's own words from its
[translations.ug], the English visibly standing in where there is none, and the letters
in English with what they say explained beside them."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from pages import SLUG, Element, hidden_value, parse, pledge_fields

from advocacy.campaigns.content import load_campaign_file, shipped_campaign_files
from advocacy.campaigns.service import upsert_campaign
from advocacy.db import get_session
from advocacy.i18n.catalogues import writer
from advocacy.i18n.languages import by_tag

ENDED = datetime(2027, 1, 3, 17, 0, 0, tzinfo=UTC)
BARE = "not-translated"


def shipped() -> dict[str, Any]:
    return load_campaign_file(shipped_campaign_files()[0])


UG = shipped()["translations"]["ug"]


def store(app: Flask, campaign: dict[str, Any]) -> None:
    with app.app_context():
        upsert_campaign(get_session(), campaign)
        get_session().commit()


def page(client: FlaskClient, path: str) -> Element:
    response = client.get(path)
    assert response.status_code == 200, path
    return parse(response.get_data(as_text=True))


def notes(tree: Element) -> list[Element]:
    return tree.by_class("untranslated")


def english(element: Element) -> bool:
    # English, set left to right; text with the supporter's own words in it (a letter, a
    # call script) takes its direction from its first strong letter (dir="auto"): English.
    return element.attrs.get("lang") == "en" and element.attrs.get("dir") in ("ltr", "auto")


def test_the_uyghur_page_tells_the_story_and_makes_the_ask_in_uyghur(
    client: FlaskClient,
) -> None:
    tree = page(client, f"/ug/c/{SLUG}")
    assert tree.one("html").attrs["lang"] == "ug"
    assert tree.one("h1").text() == UG["title"]
    assert not english(tree.one("h1"))
    stories = tree.by_class("story")
    assert [story.one("h2").text() for story in stories] == [s["heading"] for s in UG["story"]]
    first = [p.text() for p in stories[0].find_all("p")]
    assert first == UG["story"][0]["paragraphs"]
    act = tree.by_id("act")
    assert act.one("h2").text() == UG["ask"]["heading"]
    assert UG["ask"]["paragraphs"][2] in act.text()
    assert act.by_class("pledge-statement")[0].text() == UG["ask"]["pledge_statement"]
    assert act.one("button", type="submit").text() == UG["ask"]["button"]
    bill = tree.by_class("bill")[0]
    assert [li.text() for li in bill.one("ul").find_all("li")] == UG["bill"]["provisions"]
    # The homeland and China in the campaign's own words.
    assert "شەرقىي تۈركىستان" in tree.text() and "خىتاي" in tree.text()
    # Fully translated: nothing in English but the sources' citations, and no note.
    assert notes(tree) == []


def test_dates_and_the_count_are_written_as_uyghur_writes_them(client: FlaskClient) -> None:
    tree = page(client, f"/ug/c/{SLUG}")
    timeline = tree.by_class("timeline")[0]
    days = [time.text() for time in timeline.find_all("time")]
    assert days[0] == "15-فېۋرال، 2024"
    assert days[2] == "2-سېنتەبىر، 2025"
    assert UG["bill"]["timeline"][0]["text"] in timeline.text()
    sources = tree.by_class("sources")[0]
    assert "5-ئاپرېل، 2023" in sources.text()
    # The sources are cited as published, in English, marked so.
    assert all(english(cite) for cite in sources.find_all("cite"))


def test_an_untranslated_campaign_shows_english_marked_with_one_note_a_block(
    app: Flask, client: FlaskClient
) -> None:
    bare = {k: v for k, v in shipped().items() if k != "translations"}
    store(app, dict(bare, slug=BARE, default=False))
    tree = page(client, f"/ug/c/{BARE}")
    h1 = tree.one("h1")
    assert h1.text() == bare["title"] and english(h1)
    stories = tree.by_class("story")
    for story, section in zip(stories, bare["story"], strict=True):
        assert english(story.one("h2")) and story.one("h2").text() == section["heading"]
        assert len(notes(story)) == 1
        assert any(english(div) for div in story.find_all("div"))
    act = tree.by_id("act")
    assert english(act.one("h2")) and len(notes(act)) == 1
    assert english(act.one("button", type="submit"))
    bill = tree.by_class("bill")[0]
    assert english(bill.one("ul")) and len(notes(bill)) == 1
    # One note for the header, each story section, the bill and the ask.
    assert len(notes(tree)) == 1 + len(stories) + 1 + 1
    # The English page has no note at all.
    assert notes(page(client, f"/c/{BARE}")) == []


def test_a_partly_translated_campaign_marks_only_what_is_english(
    app: Flask, client: FlaskClient
) -> None:
    campaign = shipped()
    ug = campaign["translations"]["ug"]
    del ug["story"][1]["paragraphs"]
    del ug["bill"]["timeline"][1]
    store(app, dict(campaign, slug="partly", default=False))
    tree = page(client, "/ug/c/partly")
    stories = tree.by_class("story")
    assert [len(notes(story)) for story in stories] == [0, 1, 0]
    assert stories[1].one("h2").text() == ug["story"][1]["heading"]
    assert campaign["story"][1]["paragraphs"][0] in stories[1].text()
    spans = tree.by_class("timeline")[0].find_all("span")
    assert [english(span) for span in spans] == [False, True, False, False]
    assert len(notes(tree.by_class("bill")[0])) == 1
    assert notes(tree.by_class("campaign__header")[0]) == []


def test_the_latin_page_is_made_from_the_uyghur_by_rule(client: FlaskClient) -> None:
    tree = page(client, f"/ug-Latn/c/{SLUG}")
    assert tree.one("html").attrs["lang"] == "ug-Latn"
    # By rule: ULY letters, sentences and the names in translations/ug/names.txt capitalized.
    latin = by_tag("ug-Latn")
    assert latin is not None
    to_latin = writer(latin)
    assert tree.one("h1").text() == to_latin(UG["title"])
    assert tree.one("h1").text() == "Barinni este tutayli: Uyghur Siyasiti Qanuni maqullansun"
    first = tree.by_class("story")[0].find_all("p")[0].text()
    assert first == to_latin(UG["story"][0]["paragraphs"][0])
    assert "Sherqiy Türkistan" in first
    assert tree.by_class("timeline")[0].find_all("time")[0].text() == "15-féwral, 2024"
    assert notes(tree) == []


def test_after_the_congress_ends_the_next_congress_ask_is_in_uyghur(make_app: Any) -> None:
    client = make_app(CLOCK=lambda: ENDED).test_client()
    tree = page(client, f"/ug/c/{SLUG}")
    assert tree.by_class("tagline")[0].text() == UG["next_congress"]["tagline"]
    assert UG["next_congress"]["ask_paragraphs"][0] in tree.by_id("act").text()
    assert UG["next_congress"]["status"] in tree.by_class("bill")[0].text()


def test_without_a_next_congress_the_built_in_ask_shows_in_english_marked(
    make_app: Any,
) -> None:
    app = make_app(CLOCK=lambda: ENDED)
    campaign = {k: v for k, v in shipped().items() if k != "next_congress"}
    store(app, dict(campaign, slug="built-in", default=False))
    tree = page(app.test_client(), "/ug/c/built-in")
    tagline = tree.by_class("tagline")[0]
    assert english(tagline) and "did not become law" in tagline.text()
    assert len(notes(tree.by_class("campaign__header")[0])) == 1


# --- the results page ---------------------------------------------------------------------


def results(client: FlaskClient, prefix: str, **fields: Any) -> Element:
    # The form on the page in a language posts to the page's own address.
    html = client.get(f"{prefix}/c/{SLUG}").get_data(as_text=True)
    data = {
        "started": hidden_value(html, "started"),
        "ref": "",
        **pledge_fields(**fields),
    }
    response = client.post(f"{prefix}/c/{SLUG}", data=data)
    assert response.status_code == 303
    assert response.headers["Location"].startswith(f"{prefix}/c/{SLUG}/thanks")
    return page(client, f"{prefix}/c/{SLUG}/thanks")


def senator(tree: Element) -> Element:
    """The first senator's block on the results page."""
    for member in tree.by_class("member"):
        if member.one("textarea").text().lstrip("\n").startswith("Dear Senator "):
            return member
    raise AssertionError("no senator on the results page")


def test_the_letter_stays_english_with_its_uyghur_explanation_beside_it(
    client: FlaskClient,
) -> None:
    note = "مېنىڭ ئائىلەم شەرقىي تۈركىستاندا."
    member = senator(results(client, "/ug", note=note))
    textarea = member.one("textarea")
    assert english(textarea)
    assert textarea.text().lstrip("\n").startswith("Dear Senator ")
    # The supporter's words, as typed, in the English letter.
    assert note in textarea.text()
    explained = member.by_class("letter__explained")[0]
    name = member.one("h3").find_all("bdi")[0].text()
    bdis = [bdi.text() for bdi in explained.find_all("bdi")]
    assert any(name.split()[-1] in text for text in bdis)  # $recipient, isolated
    assert "S. 1542" in bdis and "H.R. 2635" in bdis
    said = explained.find_all("p")[1].text()
    assert said.startswith("بۇ ئىنگلىزچە خەت")
    assert "ئۇيغۇر سىياسىتى قانۇنى" in said


def test_the_call_script_explains_in_uyghur_then_gives_the_english_words(
    client: FlaskClient,
) -> None:
    tree = results(client, "/ug")
    script = senator(tree).by_class("call-script")[0]
    paragraphs = script.find_all("p")
    assert paragraphs[0].text().startswith("تېلېفوندا ئىسمىڭىزنى")
    words = paragraphs[-1]
    assert english(words)
    assert words.text().startswith(("Hello, my name is Amina Tursun", "Hi, I am Amina Tursun"))


def test_the_english_results_page_has_no_explanation(client: FlaskClient) -> None:
    tree = results(client, "")
    member = tree.by_class("member")[0]
    assert member.by_class("letter__explained") == []
    assert len(member.by_class("call-script")[0].find_all("p")) == 1


def test_the_latin_results_page_explains_in_latin_letters(client: FlaskClient) -> None:
    tree = results(client, "/ug-Latn")
    explained = senator(tree).by_class("letter__explained")[0]
    said = explained.find_all("p")[1].text()
    assert said.startswith("Bu in'glizche xet")
    assert "S. 1542" in said


def test_a_letter_kind_without_explanation_says_so_in_the_language(
    app: Flask, client: FlaskClient
) -> None:
    campaign = copy.deepcopy(shipped())
    for kind in ("senate", "senate_sponsor"):
        del campaign["translations"]["ug"]["letter"][kind]
    campaign.update(default=True)
    store(app, campaign)
    member = senator(results(client, "/ug"))
    explained = member.by_class("letter__explained")[0]
    assert explained.find_all("bdi") == []
    assert english(member.one("textarea"))
