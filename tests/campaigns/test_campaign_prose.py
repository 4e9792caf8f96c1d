"""Campaign text's small formatting: the page shows paragraphs, emphasis, lists and links;
the rules refuse a link the page would not make; the shipped page reads as before."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from pages import SLUG, Element, parse

from advocacy.campaigns.content import (
    CampaignContentError,
    load_campaign_file,
    parse_campaign,
    shipped_campaign_files,
    validate_campaign,
)
from advocacy.campaigns.service import get_campaign, upsert_campaign
from advocacy.db import get_session

FORMATTED = "formatted"
REFUSED = (
    "the link [{words}] goes to {address!r}: a link may go only to http://, https:// or "
    "mailto: addresses, written [words](https://example.org/page)"
)


def shipped() -> dict[str, Any]:
    return copy.deepcopy(load_campaign_file(shipped_campaign_files()[0]))


def with_story(*paragraphs: str, **changes: Any) -> dict[str, Any]:
    campaign = shipped()
    campaign.update(slug=FORMATTED, default=False, **changes)
    campaign["story"][0]["paragraphs"] = list(paragraphs)
    return campaign


def store(app: Flask, campaign: dict[str, Any]) -> None:
    with app.app_context():
        upsert_campaign(get_session(), campaign)
        get_session().commit()


def page(app: Flask, slug: str = FORMATTED) -> Element:
    response = app.test_client().get(f"/c/{slug}")
    assert response.status_code == 200
    return parse(response.get_data(as_text=True))


def first_story(tree: Element) -> Element:
    return tree.by_class("story")[0]


def elements(section: Element) -> list[tuple[str, str]]:
    """The section's own elements, each with its text, as a reader meets them."""
    return [(e.tag, e.text()) for e in section.children if isinstance(e, Element)]


# --- the page ---------------------------------------------------------------------------------


def test_the_shipped_campaign_reads_as_before_one_paragraph_each(app: Flask) -> None:
    content = parse_campaign(shipped())
    tree = page(app, SLUG)
    for section, story in zip(tree.by_class("story"), content.story, strict=True):
        assert elements(section) == [
            ("h2", story.heading),
            *(("p", paragraph) for paragraph in story.paragraphs),
        ]
    act = tree.by_id("act")
    shown = elements(act)[1 : 1 + len(content.ask.paragraphs)]
    assert shown == [("p", paragraph) for paragraph in content.ask.paragraphs]
    # Nothing inside them but their text: no element the formatting could have made.
    paragraphs = [p for section in tree.by_class("story") for p in section.find_all("p")]
    paragraphs += act.find_all("p")[: len(content.ask.paragraphs)]
    assert len(paragraphs) == 14
    for paragraph in paragraphs:
        assert all(isinstance(child, str) for child in paragraph.children)


def test_the_story_shows_emphasis_lists_and_links(app: Flask) -> None:
    store(
        app,
        with_story(
            "The army *crushed* the uprising, **say both sources**.",
            "What the bill does:\n\n- funds advocates\n- trains diplomats",
            "Read [the bill](https://www.congress.gov/bill/119th-congress/house-bill/2635) "
            "or [write to us](mailto:act@example.org).",
        ),
    )
    story = first_story(page(app))
    assert story.one("em").text() == "crushed"
    assert story.one("strong").text() == "say both sources"
    assert [li.text() for li in story.one("ul").find_all("li")] == [
        "funds advocates",
        "trains diplomats",
    ]
    assert [(a.attrs, a.text()) for a in story.find_all("a")] == [
        ({"href": "https://www.congress.gov/bill/119th-congress/house-bill/2635"}, "the bill"),
        ({"href": "mailto:act@example.org"}, "write to us"),
    ]


def test_the_ask_shows_its_formatting_too(app: Flask) -> None:
    campaign = with_story("A story.")
    campaign["ask"]["paragraphs"] = ["Sign *today*, before the [vote](https://example.org)."]
    store(app, campaign)
    act = page(app).by_id("act")
    assert act.one("em").text() == "today"
    assert act.one("a", href="https://example.org").text() == "vote"


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "<div onclick=alert(1)>\n<b>a raw HTML block</b>\n</div>",
        '*<svg onload="alert(1)">*',
        '[<img src=x onerror=alert(1)>](https://example.org "<script>")',
    ],
)
def test_html_in_the_story_is_shown_as_text(app: Flask, text: str) -> None:
    store(app, with_story(text))
    story = first_story(page(app))
    tags = {e.tag for e in story.iter()[1:]}
    assert tags <= {"h2", "p", "em", "a"}, tags
    assert "<" in story.text() and "alert(1)" in story.text()


def test_a_story_in_uyghur_with_its_formatting(app: Flask) -> None:
    store(
        app,
        with_story(
            "1990-يىلى 5-ئاپرېل، *بارىن* خەلقى قوزغالدى.",
            "- ئۇيغۇر تىلى\n- [مەنبە](https://example.org/ug)",
            language="ug",
        ),
    )
    story = first_story(page(app))
    assert story.one("em").text() == "بارىن"
    assert story.one("a", href="https://example.org/ug").text() == "مەنبە"


def test_plain_fields_are_not_read_as_formatting(app: Flask) -> None:
    # Headings, tagline, status and the bill's provisions are plain text (the tagline is
    # the page's description too; the status and provisions are in the lobby report).
    campaign = with_story("A story.")
    campaign["bill"]["provisions"] = ["It *funds* [advocates](javascript:alert(1))."]
    campaign["tagline"] = "Remember *Baren*."
    del campaign["translations"]  # translated provisions would no longer match the English
    store(app, campaign)
    tree = page(app)
    assert "It *funds* [advocates](javascript:alert(1))." in [
        li.text() for li in tree.by_class("bill")[0].find_all("li")
    ]
    assert tree.by_class("tagline")[0].text() == "Remember *Baren*."


# --- the rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "put"),
    [
        ("story[0].paragraphs[1]", lambda c, text: c["story"][0]["paragraphs"].insert(1, text)),
        ("ask.paragraphs[0]", lambda c, text: c["ask"]["paragraphs"].insert(0, text)),
        (
            "next_congress.ask_paragraphs[2]",
            lambda c, text: c["next_congress"]["ask_paragraphs"].__setitem__(2, text),
        ),
    ],
)
@pytest.mark.parametrize(
    ("text", "words", "address"),
    [
        ("Click [here](javascript:alert(1)).", "here", "javascript:alert(1)"),
        ("[a *page*](JaVaScRiPt:alert(1))", "a page", "JaVaScRiPt:alert(1)"),
        ("[x]( &#106;avascript:alert(1))", "x", "javascript:alert(1)"),
        ("[x](data:text/html,hi)", "x", "data:text/html,hi"),
        ("[x](vbscript:msgbox)", "x", "vbscript:msgbox"),
        ("[the form](#act)", "the form", "#act"),
    ],
)
def test_a_link_to_another_kind_of_address_is_refused(
    where: str, put: Any, text: str, words: str, address: str
) -> None:
    campaign = shipped()
    put(campaign, text)
    assert validate_campaign(campaign) == [
        f"{where}: " + REFUSED.format(words=words, address=address)
    ]


def test_a_link_with_no_address_is_refused() -> None:
    campaign = with_story("See [this]().")
    assert validate_campaign(campaign) == [
        "story[0].paragraphs[0]: the link [this] has no address: a link may go only to "
        "http://, https:// or mailto: addresses, written [words](https://example.org/page)"
    ]


def test_links_to_web_and_mail_addresses_pass() -> None:
    campaign = with_story(
        "[a](https://example.org) [b](http://example.org/x?y=1#z) [c](mailto:act@example.org)"
    )
    assert validate_campaign(campaign) == []


def test_campaigns_load_refuses_a_file_with_such_a_link(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    source = shipped_campaign_files()[0].read_text(encoding="utf-8")
    path = tmp_path / "campaign.toml"
    path.write_text(
        source.replace(
            '"These numbers come from Uyghur and human rights groups.',
            '"These numbers come from [groups](javascript:alert(1)).',
        ),
        encoding="utf-8",
    )
    result = runner.invoke(args=["campaigns", "load", str(path)])
    assert result.exit_code == 1
    assert (
        "story[0].paragraphs[4]: " + REFUSED.format(words="groups", address="javascript:alert(1)")
        in result.output
    )


def test_campaigns_check_fails_on_stored_content_with_such_a_link(app: Flask) -> None:
    with app.app_context():
        campaign = get_campaign(get_session(), SLUG)
        assert campaign is not None
        content = copy.deepcopy(campaign.content)
        content["ask"]["paragraphs"][0] = "[Sign](data:text/html,x)"
        campaign.content = content
        get_session().commit()
    result = app.test_cli_runner().invoke(
        args=["campaigns", "check", "--at", "2026-06-01T00:00:00Z"]
    )
    assert result.exit_code == 1
    assert "stored content is not valid: ask.paragraphs[0]: the link [Sign] goes to" in (
        result.output
    )


def test_parse_refuses_the_same_link_load_refuses() -> None:
    with pytest.raises(CampaignContentError) as refused:
        parse_campaign(with_story("[x](javascript:alert(1))"), source="editor")
    assert refused.value.problems == [
        "story[0].paragraphs[0]: " + REFUSED.format(words="x", address="javascript:alert(1)")
    ]
