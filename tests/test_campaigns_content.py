"""Campaign content files: the shipped campaign loads, broken files are refused clearly."""

from __future__ import annotations

import copy
import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from data_files import members

from advocacy.campaigns.content import (
    CampaignContentError,
    load_campaign_file,
    shipped_campaign_files,
    validate_campaign,
)

SHIPPED = (
    Path(__file__).resolve().parent.parent
    / "advocacy"
    / "campaigns"
    / "shipped"
    / "uyghur-policy-act.toml"
)


@pytest.fixture(scope="module")
def shipped() -> dict[str, Any]:
    return load_campaign_file(SHIPPED)


def test_shipped_campaign_is_listed_and_valid(shipped: dict[str, Any]) -> None:
    assert SHIPPED in shipped_campaign_files()
    assert validate_campaign(shipped) == []
    assert shipped["slug"] == "uyghur-policy-act"
    assert shipped["default"] is True
    assert shipped["language"] == "en"
    assert shipped["goal"] == 10000


def test_shipped_bill_facts(shipped: dict[str, Any]) -> None:
    bill = shipped["bill"]
    assert bill["house_number"] == "H.R. 2635"
    assert bill["senate_number"] == "S. 1542"
    assert bill["congress"] == 119
    assert bill["house_url"] == "https://www.congress.gov/bill/119th-congress/house-bill/2635"
    assert bill["senate_url"] == "https://www.congress.gov/bill/119th-congress/senate-bill/1542"
    assert set(bill["sponsors"]) == {"K000397", "B001287", "M001137", "C001114"}
    dates = [entry["date"] for entry in bill["timeline"]]
    assert datetime.date(2024, 2, 15) in dates
    assert datetime.date(2025, 9, 2) in dates
    assert dates == sorted(dates)


def test_shipped_sponsors_are_sitting_members(shipped: dict[str, Any]) -> None:
    # Checked against the members file shipped in the package: a sponsor who left Congress
    # means the campaign (or the snapshot) needs updating.
    sitting = {member.bioguide: member for member in members()}
    expected = {"K000397": "Kim", "B001287": "Bera", "M001137": "Meeks", "C001114": "Curtis"}
    assert set(shipped["bill"]["sponsors"]) == set(expected)
    for bioguide, last in expected.items():
        assert bioguide in sitting, f"sponsor {bioguide} ({last}) is not in the snapshot"
        assert sitting[bioguide].last == last


def test_shipped_cites_its_sources(shipped: dict[str, Any]) -> None:
    titles = " ".join(source["title"] for source in shipped["sources"])
    assert "Baren Massacre" in titles
    assert "1990 East Turkistan Uprising" in titles
    urls = {source.get("url") for source in shipped["sources"]}
    assert "https://www.congress.gov/bill/119th-congress/house-bill/2635" in urls
    assert "https://www.congress.gov/bill/118th-congress/house-bill/2766" in urls


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
    assert validate_campaign(shipped) == []


def test_broken_letter_material_refuses_the_file(tmp_path: Path) -> None:
    text = SHIPPED.read_text("utf-8").replace('"Sincerely,",', '"Sincerely, $signer",', 1)
    with pytest.raises(CampaignContentError) as raised:
        load_campaign_file(write(tmp_path, text))
    assert len(raised.value.problems) == 1
    assert raised.value.problems[0].startswith("letter.sign_offs[0]: unknown variable $signer")


def test_optional_keys_get_defaults(tmp_path: Path) -> None:
    text = SHIPPED.read_text("utf-8").replace("default = true\n", "", 1)
    text = text.replace('language = "en"\n', "", 1)
    campaign = load_campaign_file(write(tmp_path, text))
    assert campaign["default"] is False
    assert campaign["language"] == "en"


def test_bad_language_tag_is_refused(shipped: dict[str, Any]) -> None:
    broken = dict(shipped, language='en" onload="x')
    assert any(p.startswith("language: ") for p in validate_campaign(broken))
