"""Campaign content files: the shipped campaign loads, broken files are refused clearly."""

from __future__ import annotations

import copy
import dataclasses
import datetime
import json
import re
import threading
from pathlib import Path
from typing import Any

import pytest
from data_files import SHIPPED_CAMPAIGN, members
from flask import Flask

from advocacy.campaigns.content import (
    CampaignContent,
    CampaignContentError,
    content_of,
    load_campaign_file,
    parse_campaign,
    parse_stored_campaign,
    shipped_campaign_files,
    to_stored,
    validate_campaign,
)
from advocacy.campaigns.service import get_campaign, upsert_campaign
from advocacy.db import get_session
from advocacy.models import Campaign, utcnow


@pytest.fixture(scope="module")
def shipped() -> dict[str, Any]:
    """The shipped file as load_campaign_file returns it: the checked mapping."""
    return load_campaign_file(SHIPPED_CAMPAIGN)


@pytest.fixture(scope="module")
def content(shipped: dict[str, Any]) -> CampaignContent:
    return parse_campaign(shipped)


def test_shipped_campaign_is_listed_and_valid(
    shipped: dict[str, Any], content: CampaignContent
) -> None:
    assert SHIPPED_CAMPAIGN in shipped_campaign_files()
    assert validate_campaign(shipped) == []
    assert content.slug == "uyghur-policy-act"
    assert content.default is True
    assert content.language == "en"
    assert content.goal == 10000


def test_shipped_bill_facts(content: CampaignContent) -> None:
    bill = content.bill
    assert bill.house_number == "H.R. 2635"
    assert bill.senate_number == "S. 1542"
    assert bill.congress == 119
    assert bill.house_url == "https://www.congress.gov/bill/119th-congress/house-bill/2635"
    assert bill.senate_url == "https://www.congress.gov/bill/119th-congress/senate-bill/1542"
    assert bill.sponsors == {"K000397", "B001287", "M001137", "C001114"}
    dates = [entry.date for entry in bill.timeline]
    assert datetime.date(2024, 2, 15) in dates
    assert datetime.date(2025, 9, 2) in dates
    assert dates == sorted(dates)


def test_shipped_sponsors_are_sitting_members(content: CampaignContent) -> None:
    # Checked against the members file shipped in the package: a sponsor who left Congress
    # means the campaign (or the snapshot) needs updating.
    sitting = {member.bioguide: member for member in members()}
    expected = {"K000397": "Kim", "B001287": "Bera", "M001137": "Meeks", "C001114": "Curtis"}
    assert content.bill.sponsors == set(expected)
    for bioguide, last in expected.items():
        assert bioguide in sitting, f"sponsor {bioguide} ({last}) is not in the snapshot"
        assert sitting[bioguide].last == last


def test_shipped_cites_its_sources(content: CampaignContent) -> None:
    titles = " ".join(source.title for source in content.sources)
    assert "Baren Massacre" in titles
    assert "1990 East Turkistan Uprising" in titles
    urls = {source.url for source in content.sources}
    assert "https://www.congress.gov/bill/119th-congress/house-bill/2635" in urls
    assert "https://www.congress.gov/bill/118th-congress/house-bill/2766" in urls
    assert None in urls  # a press release without a web address


def test_shipped_copy_is_plain_text(shipped: dict[str, Any]) -> None:
    def strings(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [s for item in value.values() for s in strings(item)]
        if isinstance(value, list):
            return [s for item in value for s in strings(item)]
        return []

    for text in strings(shipped):
        assert not re.search(r"<[a-zA-Z/]|\*\*|\]\(|&[a-z]+;", text), text
        assert text == text.strip()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "campaign.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_invalid_toml_is_refused_with_the_parser_message(tmp_path: Path) -> None:
    path = write(tmp_path, 'slug = "x"\ntitle = \n')
    with pytest.raises(CampaignContentError) as raised:
        load_campaign_file(path)
    assert str(path) in str(raised.value)
    assert raised.value.problems[0].startswith("not valid TOML: ")
    assert "line 2" in raised.value.problems[0]


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CampaignContentError) as raised:
        load_campaign_file(tmp_path / "nope.toml")
    assert raised.value.problems[0].startswith("cannot read the file")


def test_non_utf8_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('title = "Caf\xe9"'.encode("latin-1"))
    with pytest.raises(CampaignContentError) as raised:
        load_campaign_file(path)
    assert raised.value.problems == ["the file is not UTF-8 text"]


def test_empty_file_lists_every_missing_part(tmp_path: Path) -> None:
    with pytest.raises(CampaignContentError) as raised:
        load_campaign_file(write(tmp_path, ""))
    problems = raised.value.problems
    for expected in (
        "slug: missing",
        "title: missing",
        "tagline: missing",
        "goal: missing",
        "ask: missing table [ask]",
        "story: missing (one or more [[story]] tables)",
        "bill: missing table [bill]",
        "sources: missing (one or more [[sources]] tables)",
        "letter: missing table [letter]",
    ):
        assert expected in problems
    assert len(problems) == len(set(problems))
    message = str(raised.value)
    assert "campaign file is not valid" in message
    assert "\n  - slug: missing" in message


def test_broken_campaign_gives_clear_problems(shipped: dict[str, Any]) -> None:
    broken = copy.deepcopy(shipped)
    broken["slug"] = "Uyghur Policy Act"
    broken["goal"] = 0
    broken["default"] = "yes"
    broken["tagine"] = "typo"
    broken["ask"]["paragraphs"] = []
    broken["story"][1]["paragraphs"] = ["fine", 3]
    broken["bill"]["congress"] = "119"
    broken["bill"]["house_url"] = "congress.gov/bill"
    broken["bill"]["sponsors"] = ["K000397", "kim"]
    broken["bill"]["timeline"][0]["date"] = "2024-02-15"
    broken["sources"][0]["date"] = datetime.datetime(2023, 4, 5, 12, 0)
    broken["letter"]["asks"] = ["misplaced"]
    problems = validate_campaign(broken)
    assert any(p.startswith("slug: 'Uyghur Policy Act' must be") for p in problems)
    assert "goal: must be a positive number of pledges" in problems
    assert "default: must be true or false" in problems
    assert any(p.startswith("tagine: unknown key") for p in problems)
    assert "ask.paragraphs: needs at least one entry" in problems
    assert "story[1].paragraphs[1]: must be text" in problems
    assert "bill.congress: must be a whole number" in problems
    assert any(p.startswith("bill.house_url: 'congress.gov/bill' is not a web") for p in problems)
    assert any(p.startswith("bill.sponsors[1]: 'kim' is not a bioguide ID") for p in problems)
    assert any(p.startswith("bill.timeline[0].date: must be a date") for p in problems)
    assert any(p.startswith("sources[0].date: must be a date") for p in problems)
    # Letter checks run too, and a problem both checks see is reported once.
    assert problems.count("bill.congress: must be a whole number") == 1
    assert len(problems) == len(set(problems))
    assert validate_campaign(shipped) == []
    # parse_campaign refuses the same campaign with the same problems, all at once.
    with pytest.raises(CampaignContentError) as raised:
        parse_campaign(broken, source="broken.toml")
    assert raised.value.problems == problems
    assert str(raised.value).startswith("broken.toml: campaign file is not valid:")


def test_broken_letter_material_refuses_the_file(tmp_path: Path) -> None:
    text = SHIPPED_CAMPAIGN.read_text("utf-8").replace('"Sincerely,",', '"Sincerely, $signer",', 1)
    with pytest.raises(CampaignContentError) as raised:
        load_campaign_file(write(tmp_path, text))
    assert len(raised.value.problems) == 1
    assert raised.value.problems[0].startswith("letter.sign_offs[0]: unknown variable $signer")


def test_optional_keys_get_defaults(tmp_path: Path, shipped: dict[str, Any]) -> None:
    text = SHIPPED_CAMPAIGN.read_text("utf-8").replace("default = true\n", "", 1)
    text = text.replace('language = "en"\n', "", 1)
    campaign = load_campaign_file(write(tmp_path, text))
    assert campaign["default"] is False
    assert campaign["language"] == "en"
    # parse_campaign fills them in too, for a mapping that never went through the file.
    bare = {key: value for key, value in shipped.items() if key not in ("default", "language")}
    content = parse_campaign(bare)
    assert content.default is False
    assert content.language == "en"


def test_bad_language_tag_is_refused(shipped: dict[str, Any]) -> None:
    broken = dict(shipped, language='en" onload="x')
    assert any(p.startswith("language: ") for p in validate_campaign(broken))


# --- letter material: part of the content's schema ----------------------------------------


def test_material_problems_are_reported_clearly(shipped: dict[str, Any]) -> None:
    broken = copy.deepcopy(shipped)
    broken["letter"]["openings"] = []
    broken["letter"]["closings"] = ["Thanks from $nobody."]
    broken["letter"]["sign_offs"] = ["Costs $5"]
    del broken["letter"]["house_sponsor"]
    del broken["letter"]["senate"]["asks"]
    broken["letter"]["backgrounds"] = ["Two\nlines"]
    problems = validate_campaign(broken)
    assert "letter.openings: needs at least one alternative" in problems
    assert any(p.startswith("letter.closings[0]: unknown variable $nobody") for p in problems)
    assert any(p.startswith("letter.sign_offs[0]: has a '$'") for p in problems)
    assert "letter.house_sponsor: missing table [letter.house_sponsor]" in problems
    assert "letter.senate.asks: missing (a list of alternatives)" in problems
    assert any(p.startswith("letter.backgrounds[0]: must be one line") for p in problems)
    assert len(problems) == 6
    # No letter can be drafted from it: there is no CampaignContent to draft from.
    with pytest.raises(CampaignContentError) as raised:
        parse_campaign(broken)
    assert raised.value.problems == problems


def test_letter_values_cannot_redefine_built_in_variables(shipped: dict[str, Any]) -> None:
    custom = copy.deepcopy(shipped)
    custom["letter"]["values"]["deadline"] = "the end of this Congress"
    custom["letter"]["closings"] = ["Please act before $deadline, $recipient."]
    custom["letter"]["values"]["name"] = "clash"
    problems = validate_campaign(custom)
    assert problems == ["letter.values.name: $name is built in and cannot be redefined"]
    del custom["letter"]["values"]["name"]
    assert validate_campaign(custom) == []
    assert parse_campaign(custom).letter.values["deadline"] == "the end of this Congress"


def test_bad_letter_values_are_reported(shipped: dict[str, Any]) -> None:
    custom = copy.deepcopy(shipped)
    custom["letter"]["values"].update({"due-date": "soon", "count": 3})
    assert validate_campaign(custom) == [
        "letter.values.due-date: a variable name may use only letters, digits and underscores",
        "letter.values.count: must be text",
    ]
    custom["letter"]["values"] = ["not", "a", "table"]
    problems = validate_campaign(custom)
    assert problems[0] == "letter.values: must be a table of names and text"
    # Without the table, the templates that use its variables name them unknown.
    assert any(
        p.startswith("letter.senate.asks[0]: unknown variable $house_passed_on") for p in problems
    )


def test_missing_letter_table_is_reported(shipped: dict[str, Any]) -> None:
    broken = {key: value for key, value in shipped.items() if key != "letter"}
    assert validate_campaign(broken) == ["letter: missing table [letter]"]
    assert validate_campaign(dict(shipped, letter="text")) == ["letter: must be a table [letter]"]


# --- the typed content ----------------------------------------------------------------------


def test_content_is_typed_and_frozen(content: CampaignContent) -> None:
    assert content.ask.button == "Add my name"
    assert isinstance(content.ask.paragraphs, tuple)
    assert isinstance(content.story, tuple) and content.story[0].heading.startswith("April 5")
    assert isinstance(content.story[0].paragraphs, tuple)
    assert isinstance(content.bill.provisions, tuple)
    assert isinstance(content.bill.sponsors, frozenset)
    assert all(type(entry.date) is datetime.date for entry in content.bill.timeline)
    assert all(type(source.date) is datetime.date for source in content.sources)
    assert content.letter.values["senate_committee"] == "Senate Foreign Relations Committee"
    assert content.letter.for_kind("senate_sponsor") is content.letter.senate_sponsor
    assert len(content.letter.sign_offs) == 4
    with pytest.raises(dataclasses.FrozenInstanceError):
        content.title = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        content.bill.short_title = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        content.letter.values["x"] = "y"  # type: ignore[index]
    hash(content)  # frozen all the way down


def test_content_does_not_share_the_mapping_it_came_from(shipped: dict[str, Any]) -> None:
    mapping = copy.deepcopy(shipped)
    content = parse_campaign(mapping)
    mapping["letter"]["values"]["house_passed_on"] = "changed"
    mapping["ask"]["paragraphs"].append("changed")
    assert content == parse_campaign(shipped)


def stored_form(shipped: dict[str, Any]) -> dict[str, Any]:
    """The mapping as it comes back from the database's JSON column."""
    stored: dict[str, Any] = json.loads(json.dumps(to_stored(shipped)))
    return stored


def test_stored_form_has_iso_dates_and_parses_to_the_same_content(
    shipped: dict[str, Any], content: CampaignContent
) -> None:
    stored = stored_form(shipped)
    assert stored["bill"]["timeline"][0]["date"] == "2024-02-15"
    assert stored["sources"][0]["date"] == "2023-04-05"
    assert parse_stored_campaign(stored) == content
    # Only the date keys are read as dates: dates in text elsewhere stay text.
    stored["bill"]["status"] = "2025-09-02"
    assert parse_stored_campaign(stored).bill.status == "2025-09-02"


def test_stored_form_with_bad_dates_is_refused(shipped: dict[str, Any]) -> None:
    stored = stored_form(shipped)
    stored["bill"]["timeline"][0]["date"] = "2025-02-30"
    stored["sources"][1]["date"] = "April 5, 2024"
    with pytest.raises(CampaignContentError) as raised:
        parse_stored_campaign(stored, source="campaign 'x' as stored")
    assert [p.split(":")[0] for p in raised.value.problems] == [
        "bill.timeline[0].date",
        "sources[1].date",
    ]
    assert raised.value.source == "campaign 'x' as stored"


def test_toml_form_does_not_take_dates_as_text(shipped: dict[str, Any]) -> None:
    # A quoted date in a campaign file is a mistake the file's author should hear about.
    with pytest.raises(CampaignContentError) as raised:
        parse_campaign(stored_form(shipped))
    assert all("must be a date" in problem for problem in raised.value.problems)


# --- content_of: parsed once per process, while the stored content is unchanged ------------


def row(slug: str, stored: dict[str, Any], seconds_later: int = 0) -> Campaign:
    return Campaign(
        slug=slug,
        title=stored["title"],
        goal=stored["goal"],
        content=stored,
        updated_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
        + datetime.timedelta(seconds=seconds_later),
    )


def test_content_of_reuses_the_parse_while_the_content_is_unchanged(
    shipped: dict[str, Any], content: CampaignContent
) -> None:
    first = content_of(row("content-of-same", stored_form(shipped)))
    assert first == content
    # Another load of the row (a new mapping, equal content), stored again later: the
    # same object, not parsed again.
    again = content_of(row("content-of-same", stored_form(shipped), seconds_later=5))
    assert again is first


def test_content_of_parses_again_when_the_content_changes(shipped: dict[str, Any]) -> None:
    stored = stored_form(shipped)
    first = content_of(row("content-of-changed", stored))
    edited = stored_form(shipped)
    edited["tagline"] = "A new tagline."
    second = content_of(row("content-of-changed", edited))
    assert second is not first
    assert second.tagline == "A new tagline."
    assert first.tagline == shipped["tagline"]
    # Changing the row's own mapping in place is noticed too.
    stored["bill"]["status"] = "The Senate passed it."
    assert content_of(row("content-of-changed", stored)).bill.status == "The Senate passed it."


def test_content_of_refuses_invalid_stored_content(shipped: dict[str, Any]) -> None:
    stored = stored_form(shipped)
    del stored["letter"]["senate"]
    with pytest.raises(CampaignContentError) as raised:
        content_of(row("content-of-broken", stored))
    assert raised.value.problems == ["letter.senate: missing table [letter.senate]"]
    assert "content-of-broken" in raised.value.source


def test_content_of_is_shared_between_threads(shipped: dict[str, Any]) -> None:
    stored = stored_form(shipped)
    stored["title"] = "Threads"
    results: list[CampaignContent] = []

    def work() -> None:
        for _ in range(20):
            results.append(content_of(row("content-of-threads", json.loads(json.dumps(stored)))))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 160
    assert len({id(result) for result in results}) == 1


def test_content_of_serves_what_upsert_campaign_stored(
    app: Flask, shipped: dict[str, Any]
) -> None:
    with app.app_context():
        campaign = get_campaign(get_session(), "uyghur-policy-act")
        assert campaign is not None
        first = content_of(campaign)
        assert first == parse_campaign(shipped)
        campaign.updated_at = utcnow()  # stored again, unchanged
        get_session().commit()
    with app.app_context():
        campaign = get_campaign(get_session(), "uyghur-policy-act")
        assert campaign is not None
        assert content_of(campaign) is first
        edited = dict(shipped, tagline="Edited and loaded again.")
        upsert_campaign(get_session(), edited)
        get_session().commit()
    with app.app_context():
        campaign = get_campaign(get_session(), "uyghur-policy-act")
        assert campaign is not None
        assert content_of(campaign).tagline == "Edited and loaded again."


# --- [next_congress]: the ask once the bill's Congress has ended ---------------------------


def test_shipped_campaign_has_a_next_congress_ask_without_the_old_numbers(
    shipped: dict[str, Any], content: CampaignContent
) -> None:
    later = content.next_congress
    assert later is not None
    assert "Uyghur Policy Act" in later.tagline
    assert any("introduced again" in paragraph for paragraph in later.ask_paragraphs)
    for kind in ("senate", "senate_sponsor", "house", "house_sponsor"):
        material = later.letter.for_kind(kind)  # type: ignore[arg-type]
        # Several alternatives, as the file's comments ask, so letters vary.
        assert len(material.subjects) >= 2 and len(material.asks) >= 2
        assert len(material.call_scripts) >= 2
    # The shared lists come from [letter].
    assert later.letter.bill_summaries == content.letter.bill_summaries
    assert later.letter.values == content.letter.values
    text = json.dumps(shipped["next_congress"])
    for old in ("H.R. 2635", "S. 1542", "$house_number", "$senate_number", "_url"):
        assert old not in text


def test_next_congress_survives_the_stored_form(
    shipped: dict[str, Any], content: CampaignContent
) -> None:
    stored = stored_form(shipped)
    assert stored["next_congress"]["letter"]["senate"]["asks"]
    assert parse_stored_campaign(stored).next_congress == content.next_congress


def test_next_congress_is_optional(shipped: dict[str, Any]) -> None:
    bare = {key: value for key, value in shipped.items() if key != "next_congress"}
    assert validate_campaign(bare) == []
    assert parse_campaign(bare).next_congress is None


MALFORMED_NEXT_CONGRESS = """
[next_congress]
tagine = "A typo."
status = ""
ask_paragraphs = "Not a list."

[next_congress.letter.senate]
subjects = ["Please cosponsor $senate_number"]
asks = ["Please pass S. 1542 in this Congress."]
call_scripts = ["Hello, I am $name.", "Two\\nlines"]
script = ["misplaced"]

[next_congress.letter.house]
subjects = []
asks = ["Thank you, $nobody."]
call_scripts = ["Hello."]
"""


def test_malformed_next_congress_table_is_refused_with_clear_problems(tmp_path: Path) -> None:
    text = SHIPPED_CAMPAIGN.read_text("utf-8")
    text = text[: text.index("\n[next_congress]\n")] + MALFORMED_NEXT_CONGRESS
    path = write(tmp_path, text)
    with pytest.raises(CampaignContentError) as raised:
        load_campaign_file(path)
    problems = raised.value.problems
    message = str(raised.value)
    assert message.startswith(f"{path}: campaign file is not valid:")
    assert any(p.startswith("next_congress.tagine: unknown key") for p in problems)
    assert "next_congress.tagline: missing" in problems
    assert "next_congress.status: must not be empty" in problems
    assert "next_congress.ask_paragraphs: must be a list of text" in problems
    assert any(
        p.startswith("next_congress.letter.senate.subjects[0]: $senate_number names the old bill")
        and "dies with the 119th Congress" in p
        for p in problems
    )
    assert any(
        p.startswith("next_congress.letter.senate.asks[0]: names S. 1542, which dies with")
        for p in problems
    )
    assert any(p.startswith("next_congress.letter.senate.call_scripts[1]: must be one line")
               for p in problems)  # fmt: skip
    assert any(p.startswith("next_congress.letter.senate.script: unknown key") for p in problems)
    assert "next_congress.letter.house.subjects: needs at least one alternative" in problems
    assert any(
        p.startswith("next_congress.letter.house.asks[0]: unknown variable $nobody")
        for p in problems
    )
    assert (
        "next_congress.letter.senate_sponsor: missing table [next_congress.letter.senate_sponsor]"
        in problems
    )
    assert (
        "next_congress.letter.house_sponsor: missing table [next_congress.letter.house_sponsor]"
        in problems
    )
    # The rest of the file is fine: every problem is in the new table.
    assert all(p.startswith("next_congress") for p in problems), problems


def test_next_congress_must_be_a_table_with_a_letter(shipped: dict[str, Any]) -> None:
    assert validate_campaign(dict(shipped, next_congress="soon")) == [
        "next_congress: must be a table [next_congress]"
    ]
    without_letter = copy.deepcopy(shipped)
    del without_letter["next_congress"]["letter"]
    assert validate_campaign(without_letter) == [
        "next_congress.letter: missing table [next_congress.letter]"
    ]


def test_shared_letter_lists_naming_the_bill_need_their_own_next_congress_lists(
    shipped: dict[str, Any],
) -> None:
    custom = copy.deepcopy(shipped)
    custom["letter"]["bill_summaries"] = ["$house_number would help the Uyghur people."]
    assert validate_campaign(custom) == [
        "letter.bill_summaries: uses $house_number, which names the old bill after the 119th "
        "Congress ends: give [next_congress.letter] its own bill_summaries"
    ]
    custom["next_congress"]["letter"]["bill_summaries"] = [
        "The $short_title would help the Uyghur people."
    ]
    assert validate_campaign(custom) == []
    later = parse_campaign(custom).next_congress
    assert later is not None
    assert later.letter.bill_summaries == ("The $short_title would help the Uyghur people.",)


# --- bill.house_passed and [letter.house_had_no_vote] --------------------------------------


def without_house_passage(shipped: dict[str, Any]) -> dict[str, Any]:
    """The shipped campaign as for a bill the House has not passed."""
    custom = copy.deepcopy(shipped)
    del custom["bill"]["house_passed"]
    del custom["letter"]["house_had_no_vote"]
    return custom


def test_shipped_campaign_dates_the_house_vote(
    shipped: dict[str, Any], content: CampaignContent
) -> None:
    assert shipped["bill"]["house_passed"] == datetime.date(2025, 9, 2)
    assert type(content.bill.house_passed) is datetime.date
    assert content.bill.house_passed == datetime.date(2025, 9, 2)
    # The day in words that the letters use agrees with it.
    assert content.letter.values["house_passed_on"] == "September 2, 2025"
    material = content.letter.house_had_no_vote
    assert material is not None
    assert content.letter.for_kind("house_had_no_vote") is material
    # Several alternatives, as the file's comments ask, and no thanks for the vote.
    assert len(material.subjects) >= 2 and len(material.asks) >= 2
    assert len(material.call_scripts) >= 2
    for text in (*material.subjects, *material.asks):
        assert "thank" not in text.lower(), text
        assert "continue" not in text.lower() and "keep supporting" not in text.lower()


def test_house_passage_date_must_be_a_date(shipped: dict[str, Any]) -> None:
    for bad in ("2025-09-02", "September 2, 2025", datetime.datetime(2025, 9, 2, 12, 0), 20250902):
        custom = copy.deepcopy(shipped)
        custom["bill"]["house_passed"] = bad
        assert validate_campaign(custom) == [
            "bill.house_passed: must be a date written as 2025-09-02, without quotes"
        ], bad


@pytest.mark.parametrize(
    "day",
    [datetime.date(2024, 2, 15), datetime.date(2025, 1, 2), datetime.date(2027, 1, 4)],
)
def test_house_passage_date_must_fall_in_the_bills_congress(
    shipped: dict[str, Any], day: datetime.date
) -> None:
    custom = copy.deepcopy(shipped)
    custom["bill"]["house_passed"] = day
    assert validate_campaign(custom) == [
        f"bill.house_passed: {day.isoformat()} is not during the 119th Congress "
        "(bill.congress), which runs from January 3, 2025 to January 3, 2027: give the day "
        "the House passed this bill"
    ]
    # Its first and last days are the Congress's own.
    for day in (datetime.date(2025, 1, 3), datetime.date(2027, 1, 3)):
        custom["bill"]["house_passed"] = day
        assert validate_campaign(custom) == []


def test_house_passage_date_needs_the_letter_to_members_without_a_vote(
    shipped: dict[str, Any],
) -> None:
    custom = copy.deepcopy(shipped)
    del custom["letter"]["house_had_no_vote"]
    problems = validate_campaign(custom)
    assert len(problems) == 1
    assert problems[0].startswith(
        "letter.house_had_no_vote: missing table [letter.house_had_no_vote], which "
        "bill.house_passed needs"
    )
    assert "delegates" in problems[0]
    with pytest.raises(CampaignContentError) as raised:
        parse_campaign(custom, source="no-vote.toml")
    assert "[letter.house_had_no_vote]" in str(raised.value)
    # Its lists are checked like every kind's.
    custom["letter"]["house_had_no_vote"] = {"subjects": [], "asks": ["Hi $nobody."]}
    problems = validate_campaign(custom)
    assert "letter.house_had_no_vote.subjects: needs at least one alternative" in problems
    assert any(
        p.startswith("letter.house_had_no_vote.asks[0]: unknown variable $nobody")
        for p in problems
    )
    assert "letter.house_had_no_vote.call_scripts: missing (a list of alternatives)" in problems
    custom["letter"]["house_had_no_vote"] = "text"
    assert validate_campaign(custom) == ["letter.house_had_no_vote: must be a table"]


def test_without_a_house_passage_date_the_house_letter_goes_to_everyone(
    shipped: dict[str, Any],
) -> None:
    custom = without_house_passage(shipped)
    assert validate_campaign(custom) == []
    content = parse_campaign(custom)
    assert content.bill.house_passed is None
    assert content.letter.house_had_no_vote is None
    with pytest.raises(LookupError):
        content.letter.for_kind("house_had_no_vote")
    # The table without the date would never be used: refused, like a misspelt key.
    custom["letter"]["house_had_no_vote"] = copy.deepcopy(shipped["letter"]["house_had_no_vote"])
    assert validate_campaign(custom) == [
        "letter.house_had_no_vote: used only when bill.house_passed gives the day the House "
        "passed the bill; add bill.house_passed or remove [letter.house_had_no_vote]"
    ]


def test_next_congress_letters_have_no_table_for_members_without_a_vote(
    shipped: dict[str, Any], content: CampaignContent
) -> None:
    later = content.next_congress
    assert later is not None
    assert later.letter.house_had_no_vote is None
    custom = copy.deepcopy(shipped)
    custom["next_congress"]["letter"]["house_had_no_vote"] = copy.deepcopy(
        custom["next_congress"]["letter"]["house"]
    )
    problems = validate_campaign(custom)
    assert len(problems) == 1
    assert problems[0].startswith(
        "next_congress.letter.house_had_no_vote: the next Congress's letters have no such table"
    )


def test_house_passage_date_survives_the_stored_form(
    shipped: dict[str, Any], content: CampaignContent
) -> None:
    stored = stored_form(shipped)
    assert stored["bill"]["house_passed"] == "2025-09-02"
    assert parse_stored_campaign(stored).bill.house_passed == content.bill.house_passed
    stored["bill"]["house_passed"] = "2025-02-30"
    with pytest.raises(CampaignContentError) as raised:
        parse_stored_campaign(stored)
    assert [p.split(":")[0] for p in raised.value.problems] == ["bill.house_passed"]
    # A campaign stored without one parses without one.
    bare = stored_form(without_house_passage(shipped))
    assert "house_passed" not in bare["bill"]
    assert parse_stored_campaign(bare).bill.house_passed is None
