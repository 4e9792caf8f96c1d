"""Who is thanked for the House vote on H.R. 2635, with the members of the shipped snapshot.

Only members of the House in office with a vote on the day it passed (bill.house_passed)
are thanked for passing it; the delegates, the resident commissioner and members sworn in
after it are asked to support it. Once the 119th Congress has ended, every House member
gets the next Congress's ask.
"""

from __future__ import annotations

import copy
import datetime
import io
from collections.abc import Callable
from string import Template
from typing import Any

import pytest
from data_files import (
    NON_VOTING,
    SHIPPED_CAMPAIGN,
    SNAPSHOT_MOMENT,
    Member,
    holder_record,
    members,
    raw_legislators,
    snapshot_directory,
)

from advocacy.campaigns.content import (
    CampaignContent,
    KindMaterial,
    load_campaign_file,
    parse_campaign,
)
from advocacy.campaigns.lifecycle import next_congress_ask
from advocacy.congress.members import NON_VOTING_HOUSE_TITLES, Legislator
from advocacy.letters.drafting import Letter, Supporter, draft_letter, recipient_kind
from advocacy.representatives.directory import NON_VOTING_TITLES, Directory

VOTE = datetime.date(2025, 9, 2)
# The last second of the 119th Congress in Washington (11:59:59 ET), and its end.
LAST_SECOND = datetime.datetime(2027, 1, 3, 16, 59, 59, tzinfo=datetime.UTC)
ENDED = datetime.datetime(2027, 1, 3, 17, 0, 0, tzinfo=datetime.UTC)
BEFORE_THE_END = (SNAPSHOT_MOMENT, LAST_SECOND)
# A December moment, after the election, before the new Congress is sworn in.
DECEMBER = datetime.datetime(2026, 12, 15, 17, 0, tzinfo=datetime.UTC)
# A ZIP table with no rows: these directories are asked about members, not places.
NO_ZIP_TABLE = "state_fips,state_abbr,zcta,cd119\n"
SUPPORTERS = [
    Supporter(name=name, city=city, state="", note="")
    for name in ("Amina Tursun", "Dilnur Abdulla", "Mehmet Yusup", "Patricia Lee")
    for city in ("", "Springfield")
]


@pytest.fixture(scope="module")
def content() -> CampaignContent:
    return parse_campaign(load_campaign_file(SHIPPED_CAMPAIGN))


def rendered(content: CampaignContent, material: KindMaterial) -> set[str]:
    """The asks of one kind, as a letter reads them: with the bill's facts filled in."""
    bill = content.bill
    values = {
        **content.letter.values,
        "short_title": bill.short_title,
        "house_number": bill.house_number,
        "senate_number": bill.senate_number,
        "congress_name": "the 119th Congress",
    }
    asks = {Template(ask).substitute(values) for ask in material.asks}
    return asks


def ask_of(letter: Letter) -> str:
    return letter.body.split("\n\n")[-3]


def sitting(moment: datetime.datetime, bioguide: str) -> Legislator:
    found = snapshot_directory().at(moment).get(bioguide)
    assert found is not None, f"{bioguide} does not sit at {moment}"
    return found


def came_later() -> Member:
    """A member for a voting seat in the snapshot, first sworn in after the vote."""
    records = {record["id"]["bioguide"]: record for record in raw_legislators()}
    later = [
        m
        for m in members()
        if m.kind == "rep"
        and m.state not in NON_VOTING
        and m.start > VOTE.isoformat()
        and len(records[m.bioguide]["terms"]) == 1
    ]
    if not later:
        pytest.skip("no House member in the snapshot was sworn in after the House vote")
    return min(later, key=lambda m: m.start)


def at_the_vote() -> Member:
    # Seattle's member, in office since long before the vote.
    found = holder_record("WA", 7)
    assert found is not None
    return found


def delegate() -> Member:
    found = holder_record("DC", 0)
    assert found is not None
    return found


def test_the_shipped_campaign_dates_the_house_vote(content: CampaignContent) -> None:
    assert content.bill.house_passed == VOTE
    assert content.letter.house_had_no_vote is not None
    assert content.letter.values["house_passed_on"] == "September 2, 2025"


def test_the_snapshot_has_members_sworn_in_after_the_vote() -> None:
    # Special elections after September 2, 2025: the case this rule exists for.
    newcomer = came_later()
    member = sitting(SNAPSHOT_MOMENT, newcomer.bioguide)
    assert member.serving_since == datetime.date.fromisoformat(newcomer.start)
    assert member.serving_since is not None and member.serving_since > VOTE
    assert member.title == "Representative"


@pytest.mark.parametrize("moment", BEFORE_THE_END, ids=["november", "last-second"])
def test_member_in_office_at_the_vote_is_thanked_for_passing_it(
    content: CampaignContent, moment: datetime.datetime
) -> None:
    member = sitting(moment, at_the_vote().bioguide)
    assert member.serving_since is not None and member.serving_since <= VOTE
    assert recipient_kind(content, member, moment) == "house"
    thanks = rendered(content, content.letter.house)
    for supporter in SUPPORTERS:
        ask = ask_of(draft_letter(content, member, supporter, at=moment))
        assert ask in thanks
        assert "thank" in ask.lower()
        assert "H.R. 2635" in ask


@pytest.mark.parametrize("moment", BEFORE_THE_END, ids=["november", "last-second"])
@pytest.mark.parametrize("who", [came_later, delegate], ids=["sworn-in-later", "delegate"])
def test_member_without_a_vote_is_asked_to_support_it(
    content: CampaignContent, moment: datetime.datetime, who: Callable[[], Member]
) -> None:
    member = sitting(moment, who().bioguide)
    assert recipient_kind(content, member, moment) == "house_had_no_vote"
    material = content.letter.house_had_no_vote
    assert material is not None
    asks = rendered(content, material)
    thanked = rendered(content, content.letter.house)
    for supporter in SUPPORTERS:
        letter = draft_letter(content, member, supporter, at=moment)
        ask = ask_of(letter)
        assert ask in asks and ask not in thanked
        assert "support" in ask
        assert "thank" not in ask.lower()
        assert "thank" not in letter.subject.lower()
        assert "passing" not in letter.body and "your vote" not in letter.body


def test_every_non_voting_member_is_asked_to_support_it(content: CampaignContent) -> None:
    found = []
    for m in members():
        if m.kind == "rep" and m.state in NON_VOTING:
            member = sitting(SNAPSHOT_MOMENT, m.bioguide)
            assert member.title in NON_VOTING_HOUSE_TITLES
            if member.bioguide not in content.bill.sponsors:
                found.append(member.state)
                assert recipient_kind(content, member, SNAPSHOT_MOMENT) == "house_had_no_vote"
    assert "DC" in found and "PR" in found


def test_the_titles_without_a_vote_are_the_directorys() -> None:
    assert set(NON_VOTING_TITLES.values()) == NON_VOTING_HOUSE_TITLES


def test_after_noon_on_january_3_every_house_member_gets_the_next_congress_ask(
    content: CampaignContent,
) -> None:
    # The members as they were: the snapshot knows nobody's 120th-Congress term.
    house = [sitting(SNAPSHOT_MOMENT, m().bioguide) for m in (at_the_vote, came_later, delegate)]
    later = rendered(content, next_congress_ask(content).letter.house)
    for member in house:
        assert recipient_kind(content, member, ENDED) == "house"
        for supporter in SUPPORTERS:
            letter = draft_letter(content, member, supporter, at=ENDED)
            assert ask_of(letter) in later
            assert "H.R. 2635" not in letter.body


def with_new_terms(bioguides: list[str]) -> Directory:
    """The snapshot as a December file has it: these members re-elected, new terms listed."""
    data = raw_legislators()
    for record in data:
        if record["id"]["bioguide"] in bioguides:
            term = copy.deepcopy(record["terms"][-1])
            term.update(start="2027-01-03", end="2029-01-03")
            record["terms"].append(term)
    return Directory.from_data(data, io.StringIO(NO_ZIP_TABLE))


def test_re_elected_members_keep_their_place_at_the_vote_in_a_december_file(
    content: CampaignContent,
) -> None:
    voter, newcomer = at_the_vote().bioguide, came_later().bioguide
    directory = with_new_terms([voter, newcomer])
    for bioguide, kind in ((voter, "house"), (newcomer, "house_had_no_vote")):
        # Who sits in December is the 119th Congress's member; the file's last term, which
        # the letters API drafts to, is the 120th's: both say the same of the vote.
        in_december = directory.at(DECEMBER).get(bioguide)
        in_the_file = directory.get(bioguide)
        assert in_december is not None and in_the_file is not None
        assert in_december.serving_since == in_the_file.serving_since
        assert recipient_kind(content, in_december, DECEMBER) == kind
        assert recipient_kind(content, in_the_file, DECEMBER) == kind
        # Sworn in again: the next Congress's ask.
        sworn_in = directory.at(ENDED).get(bioguide)
        assert sworn_in is not None
        assert recipient_kind(content, sworn_in, ENDED) == "house"


def test_a_break_in_service_starts_it_again() -> None:
    # Members who left the House and came back: only the service since their return counts.
    returned = []
    for record in raw_legislators():
        terms = record["terms"]
        if len(terms) < 2 or terms[-1]["type"] != "rep" or terms[-2]["type"] != "rep":
            continue
        gap = datetime.date.fromisoformat(terms[-1]["start"]) - datetime.date.fromisoformat(
            terms[-2]["end"]
        )
        if gap.days > 365:
            returned.append((record["id"]["bioguide"], terms[-1]["start"]))
    if not returned:
        pytest.skip("no member of the snapshot came back to the House after a break")
    directory = snapshot_directory()
    for bioguide, start in returned:
        member = directory.get(bioguide)
        assert member is not None
        assert member.serving_since == datetime.date.fromisoformat(start), bioguide


def test_terms_a_few_days_apart_are_unbroken_service() -> None:
    # Old terms start on the day their Congress convened, days after the last one ended.
    def term(kind: str, start: str, end: str) -> dict[str, Any]:
        seat = {"district": 3} if kind == "rep" else {}
        return {"type": kind, "start": start, "end": end, "state": "OH", **seat}

    record: dict[str, Any] = {
        "id": {"bioguide": "X000001"},
        "name": {"first": "Ann", "last": "Example"},
        "terms": [
            term("rep", "2003-01-07", "2005-01-03"),
            term("rep", "2005-01-04", "2007-01-03"),
            term("sen", "2007-01-04", "2013-01-03"),
            term("rep", "2013-01-03", "2015-01-03"),
            term("rep", "2015-01-06", "2017-01-03"),
        ],
    }
    directory = Directory.from_data([record], io.StringIO(NO_ZIP_TABLE))
    member = directory.get("X000001")
    assert member is not None
    # Back to 2013, where the House service began again after six years in the Senate.
    assert member.serving_since == datetime.date(2013, 1, 3)
