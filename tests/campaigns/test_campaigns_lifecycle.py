"""The campaign's bill belongs to a Congress: which ask is in force on either side of its end."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from advocacy.campaigns.content import (
    CampaignContent,
    load_campaign_file,
    parse_campaign,
    shipped_campaign_files,
    validate_campaign,
)
from advocacy.campaigns.lifecycle import (
    BUILT_IN_LETTER,
    bill_ends,
    bill_is_current,
    letter_material,
    next_congress_ask,
    page_copy,
)

LAST_SECOND = datetime(2027, 1, 3, 16, 59, 59, tzinfo=UTC)
ENDED = datetime(2027, 1, 3, 17, 0, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def shipped() -> dict[str, Any]:
    return load_campaign_file(shipped_campaign_files()[0])


@pytest.fixture(scope="module")
def content(shipped: dict[str, Any]) -> CampaignContent:
    return parse_campaign(shipped)


@pytest.fixture(scope="module")
def bare(shipped: dict[str, Any]) -> CampaignContent:
    """The shipped campaign without its [next_congress] table."""
    return parse_campaign({k: v for k, v in shipped.items() if k != "next_congress"})


def test_the_bill_lives_until_noon_eastern_on_january_3(content: CampaignContent) -> None:
    assert bill_ends(content) == ENDED
    assert bill_is_current(content, datetime(2025, 1, 3, 17, 0, tzinfo=UTC))
    assert bill_is_current(content, LAST_SECOND)
    assert not bill_is_current(content, ENDED)
    assert not bill_is_current(content, datetime(2031, 6, 1, tzinfo=UTC))
    # The same moment in Washington's own time.
    eastern = timezone(timedelta(hours=-5))
    assert bill_is_current(content, datetime(2027, 1, 3, 11, 59, 59, tzinfo=eastern))
    assert not bill_is_current(content, datetime(2027, 1, 3, 12, 0, tzinfo=eastern))


def test_a_naive_moment_is_refused(content: CampaignContent) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        bill_is_current(content, datetime(2027, 1, 3, 17, 0))


def test_letter_material_switches_at_the_end(content: CampaignContent) -> None:
    assert letter_material(content, LAST_SECOND) is content.letter
    assert content.next_congress is not None
    assert letter_material(content, ENDED) is content.next_congress.letter


def test_page_copy_before_and_after(content: CampaignContent) -> None:
    before = page_copy(content, LAST_SECOND)
    assert before.bill_current
    assert before.tagline == content.tagline
    assert before.ask_paragraphs == content.ask.paragraphs
    assert before.status == content.bill.status
    after = page_copy(content, ENDED)
    assert not after.bill_current
    assert content.next_congress is not None
    assert after.ask_paragraphs == content.next_congress.ask_paragraphs
    assert after.congress == "119th Congress"
    assert f"{after.congress_ends:%Y-%m-%d %H:%M}" == "2027-01-03 12:00"
    assert not after.built_in_ask


def test_built_in_ask_stands_in_when_there_is_no_next_congress_table(
    bare: CampaignContent,
) -> None:
    after = page_copy(bare, ENDED)
    assert after.built_in_ask
    text = " ".join([after.tagline, after.status, *after.ask_paragraphs])
    assert "reintroduce the Uyghur Policy Act and pass it" in text
    assert "The 119th Congress ended on January 3, 2027" in text
    for number in ("H.R. 2635", "S. 1542"):
        assert number not in text
    letter = next_congress_ask(bare).letter
    # The campaign's own shared lists, the built-in asks.
    assert letter.openings == bare.letter.openings
    assert letter.senate.asks == BUILT_IN_LETTER["senate"]["asks"]


def test_built_in_letter_passes_the_campaign_checks(shipped: dict[str, Any]) -> None:
    # Checked as if an organizer had written it into the file: the same rules, no old
    # bill numbers, only variables every campaign has.
    custom = copy.deepcopy(shipped)
    custom["letter"]["values"] = {}
    for kind in ("senate", "senate_sponsor", "house", "house_sponsor", "house_had_no_vote"):
        custom["letter"][kind] = {"subjects": ["x"], "asks": ["x"], "call_scripts": ["x"]}
    for slot in ("introductions", "openings", "backgrounds", "bill_summaries", "closings"):
        custom["letter"][slot] = ["x"]
    custom["next_congress"]["letter"] = {
        kind: {slot: list(texts) for slot, texts in material.items()}
        for kind, material in BUILT_IN_LETTER.items()
    }
    assert validate_campaign(custom) == []
