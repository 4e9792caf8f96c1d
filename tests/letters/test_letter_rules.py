"""The rules a drafted letter keeps: each placeholder says what its name says (`$chamber`
names the member's chamber), and each variation slot draws its own choice, so that
supporters' letters come in thousands of shapes, not a handful."""

from __future__ import annotations

import copy
import datetime
import re
import tomllib
from collections import Counter
from itertools import combinations
from typing import Any

import pytest
from data_files import SHIPPED_CAMPAIGN
from flask import Flask

from advocacy.campaigns.content import CampaignContent, parse_campaign
from advocacy.congress.members import Chamber, Legislator
from advocacy.letters.drafting import Letter, Supporter, draft_letter, recipient_kind

SITTING = datetime.datetime(2026, 11, 23, 15, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 11, 23)

# The slots a letter draws from, common to every member and then by the kind of ask.
COMMON_SLOTS = ("introductions", "openings", "backgrounds", "bill_summaries", "closings")
KIND_SLOTS = ("subjects", "asks", "call_scripts")
KINDS = ("senate", "senate_sponsor", "house", "house_had_no_vote", "house_sponsor")
OPTIONS = 4
MARKER = re.compile(r"<(\w+) (\d)>")


def member(chamber: Chamber, title: str, state: str, district: int | None) -> Legislator:
    return Legislator(
        bioguide="T000001",
        name="Terry Q. Member",
        last_name="Member",
        chamber=chamber,
        title=title,
        state=state,
        district=district,
        party="Independent",
        phone=None,
        url=None,
        contact_form=None,
        address=None,
        office=None,
        serving_since=datetime.date(2019, 1, 3),
    )


SENATOR = member("senate", "Senator", "WA", None)
REPRESENTATIVE = member("house", "Representative", "NY", 12)
AT_LARGE = member("house", "Representative", "WY", 0)
DELEGATE = member("house", "Delegate", "DC", 0)


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    with SHIPPED_CAMPAIGN.open("rb") as file:
        return tomllib.load(file)


@pytest.fixture(scope="module")
def marked(raw: dict[str, Any]) -> CampaignContent:
    """The campaign with every slot's options replaced by markers naming slot and option."""
    custom = copy.deepcopy(raw)
    for slot in (*COMMON_SLOTS, "sign_offs"):
        custom["letter"][slot] = [f"<{slot} {i}>" for i in range(OPTIONS)]
    for kind in KINDS:
        for slot in KIND_SLOTS:
            custom["letter"][kind][slot] = [f"<{slot} {i}>" for i in range(OPTIONS)]
    return parse_campaign(custom)


def supporter(n: int) -> Supporter:
    return Supporter(name=f"Supporter {n}", city="Seattle", state="WA", note="")


def draft(content: CampaignContent, legislator: Legislator, who: Supporter) -> Letter:
    return draft_letter(content, legislator, who, TODAY, at=SITTING)


def choices(letter: Letter) -> dict[str, int]:
    """Which option each slot drew, read from the markers in the letter."""
    text = "\n".join((letter.subject, letter.body, letter.call_script))
    return {slot: int(option) for slot, option in MARKER.findall(text)}


def test_every_slot_draws_an_option(marked: CampaignContent) -> None:
    drawn = choices(draft(marked, SENATOR, supporter(1)))
    assert set(drawn) == {*COMMON_SLOTS, "sign_offs", *KIND_SLOTS}
    assert all(0 <= option < OPTIONS for option in drawn.values())


def test_each_slot_draws_its_own_choice(marked: CampaignContent) -> None:
    drawn = [choices(draft(marked, SENATOR, supporter(n))) for n in range(200)]
    slots = sorted(drawn[0])
    for a, b in combinations(slots, 2):
        same = sum(d[a] == d[b] for d in drawn)
        # Independent draws agree about one time in four; the same draw, every time.
        assert same < 100, (a, b, same)
    # Every option of every slot comes up.
    for slot in slots:
        assert set(Counter(d[slot] for d in drawn)) == set(range(OPTIONS)), slot


def test_supporters_letters_come_in_thousands_of_shapes(marked: CampaignContent) -> None:
    shapes = {
        tuple(sorted(choices(draft(marked, SENATOR, supporter(n))).items())) for n in range(500)
    }
    # 4^9 shapes to draw from: 500 supporters all but never share one.
    assert len(shapes) >= 450


def test_one_slots_choice_does_not_follow_from_anothers(marked: CampaignContent) -> None:
    # Knowing a letter's opening must not tell its closing (a pattern offices would see).
    drawn = [choices(draft(marked, SENATOR, supporter(n))) for n in range(400)]
    for opening in range(OPTIONS):
        closings = {d["closings"] for d in drawn if d["openings"] == opening}
        assert closings == set(range(OPTIONS)), opening


def test_the_choice_depends_on_who_writes_to_whom(marked: CampaignContent) -> None:
    other_senator = member("senate", "Senator", "WA", None)
    other_senator = Legislator(**{**_fields(other_senator), "bioguide": "T000002"})
    same = [
        choices(draft(marked, SENATOR, supporter(n)))
        == choices(draft(marked, other_senator, supporter(n)))
        for n in range(50)
    ]
    assert sum(same) < 5
    cities = [
        choices(draft(marked, SENATOR, supporter(n)))
        == choices(draft(marked, SENATOR, Supporter(f"Supporter {n}", "Spokane", "WA", "")))
        for n in range(50)
    ]
    assert sum(cities) < 5
    states = [
        choices(draft(marked, SENATOR, supporter(n)))
        == choices(draft(marked, SENATOR, Supporter(f"Supporter {n}", "Seattle", "", "")))
        for n in range(50)
    ]
    assert sum(states) < 5


DRAW_ORDER = (
    "introductions", "openings", "backgrounds", "bill_summaries", "asks", "closings",
    "sign_offs", "subjects", "call_scripts",
)  # fmt: skip


@pytest.mark.parametrize(
    ("who", "drawn"),
    [
        (Supporter("Amina Tursun", "Springfield", "IL", ""), (1, 1, 3, 1, 3, 3, 3, 1, 1)),
        (Supporter("Mehmet Yusup", "San Jose", "CA", ""), (2, 3, 1, 2, 3, 0, 3, 0, 3)),
        (Supporter("Patricia Lee", "Seattle", "WA", ""), (3, 0, 0, 2, 1, 1, 3, 0, 0)),
        (Supporter("Dilnur Abdulla", "", "", ""), (0, 3, 2, 3, 3, 3, 3, 0, 2)),
        (
            Supporter("Aynur Tohti", "Kashgar Street", "wa", "My family."),
            (0, 2, 1, 2, 1, 1, 3, 1, 2),
        ),
    ],
    ids=lambda value: value.name if isinstance(value, Supporter) else "",
)
def test_a_supporters_letter_reads_the_same_after_an_upgrade(
    marked: CampaignContent, who: Supporter, drawn: tuple[int, ...]
) -> None:
    # The results page is kept three days and drafts its letters each time it is shown: a
    # supporter halfway through sending theirs finds the same wording after a release.
    # The draw rests on who writes to whom and each slot's own name, pinned here; a change
    # of how letters are drawn is a decision to make knowingly (every open page changes).
    choice = choices(draft(marked, SENATOR, who))
    assert tuple(choice[slot] for slot in DRAW_ORDER) == drawn


def _fields(legislator: Legislator) -> dict[str, Any]:
    return {name: getattr(legislator, name) for name in Legislator.__slots__}


def closing_with(raw: dict[str, Any], template: str) -> CampaignContent:
    custom = copy.deepcopy(raw)
    custom["letter"]["closings"] = [template]
    # After its Congress, the letters may not name the old bill: their own closing.
    custom["next_congress"]["letter"]["closings"] = ["Thank you."]
    return parse_campaign(custom)


@pytest.mark.parametrize(
    ("legislator", "chamber"),
    [
        (SENATOR, "Senate"),
        (REPRESENTATIVE, "House of Representatives"),
        (AT_LARGE, "House of Representatives"),
        (DELEGATE, "House of Representatives"),
    ],
)
def test_chamber_names_the_members_own_chamber(
    raw: dict[str, Any], legislator: Legislator, chamber: str
) -> None:
    content = closing_with(raw, "[$chamber]")
    closing = draft(content, legislator, supporter(1)).body.split("\n\n")[-2]
    assert closing == f"[{chamber}]"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("title", "Remember Baren: pass the Uyghur Policy Act"),
        ("short_title", "Uyghur Policy Act"),
        ("house_number", "H.R. 2635"),
        ("senate_number", "S. 1542"),
        ("congress", "119"),
        ("congress_name", "the 119th Congress"),
        ("recipient", "Representative Member"),
        ("recipient_title", "Representative"),
        ("last_name", "Member"),
        ("full_name", "Terry Q. Member"),
        ("recipient_state", "New York"),
        ("name", "Supporter 1"),
        ("city", "Seattle"),
        ("state", "WA"),
        ("state_name", "Washington"),
        ("place", "Seattle, Washington"),
    ],
)
def test_each_placeholder_says_what_its_name_says(
    raw: dict[str, Any], name: str, value: str
) -> None:
    content = closing_with(raw, f"[${name}]")
    closing = draft(content, REPRESENTATIVE, supporter(1)).body.split("\n\n")[-2]
    assert closing == f"[{value}]"


def test_bill_links_are_the_bills_own(raw: dict[str, Any]) -> None:
    content = closing_with(raw, "[$house_url] [$senate_url]")
    closing = draft(content, SENATOR, supporter(1)).body.split("\n\n")[-2]
    assert closing == f"[{content.bill.house_url}] [{content.bill.senate_url}]"
    assert content.bill.house_url != content.bill.senate_url


# --- addressing the member ------------------------------------------------------------------


def named(name: str, last_name: str, chamber: Chamber = "house", title: str = "") -> Legislator:
    base = member(chamber, title, "WA", None if chamber == "senate" else 7)
    return Legislator(**{**_fields(base), "name": name, "last_name": last_name})


def test_a_member_is_addressed_by_last_name_not_the_names_last_word(
    marked: CampaignContent,
) -> None:
    bishop = named("Sanford D. Bishop, Jr.", "Bishop", title="Representative")
    letter = draft(marked, bishop, supporter(1))
    assert letter.salutation == "Dear Representative Bishop,"
    assert letter.to == "Representative Sanford D. Bishop, Jr."


def test_without_a_last_name_the_names_last_word_stands_in(marked: CampaignContent) -> None:
    letter = draft(marked, named("Pramila Q. Jayapal", "  ", title="Representative"), supporter(1))
    assert letter.salutation == "Dear Representative Jayapal,"


@pytest.mark.parametrize(
    ("chamber", "title"), [("senate", "Senator"), ("house", "Representative")]
)
def test_without_a_title_the_chamber_gives_one(
    marked: CampaignContent, chamber: Chamber, title: str
) -> None:
    letter = draft(marked, named("Alex Doe", "Doe", chamber, title=" "), supporter(1))
    assert letter.salutation == f"Dear {title} Doe,"
    assert letter.to == f"{title} Alex Doe"


def test_stray_commas_do_not_reach_the_office_line(marked: CampaignContent) -> None:
    senator = Legislator(
        **{
            **_fields(SENATOR),
            "address": ", 511 Hart Senate Office Building,, Washington, DC 20510",
        }
    )
    block = draft(marked, senator, supporter(1)).address_block
    assert block[2:] == ("511 Hart Senate Office Building", "Washington, DC 20510")


# --- the supporter's own words and place ----------------------------------------------------


def test_a_state_written_out_keeps_its_case(marked: CampaignContent) -> None:
    letter = draft(marked, SENATOR, Supporter("Ali", "Tacoma", "Washington", ""))
    assert letter.body.endswith("Ali\nTacoma, Washington")
    letter = draft(marked, SENATOR, Supporter("Ali", "Tacoma", "wa", ""))
    assert letter.body.endswith("Ali\nTacoma, WA")


def test_the_supporters_note_keeps_its_indented_lines(marked: CampaignContent) -> None:
    note = "My family:   \n  my mother, in Kashgar  \n\n\n  Second thought."
    body = draft(marked, SENATOR, Supporter("Ali", "Tacoma", "WA", note)).body
    paragraphs = body.split("\n\n")
    assert "My family:\n  my mother, in Kashgar" in paragraphs
    assert "Second thought." in paragraphs


# --- the moment ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "kind"),
    [
        (SITTING, "house_had_no_vote"),
        (datetime.datetime(2027, 1, 3, 17, 0, tzinfo=datetime.UTC), "house"),
    ],
)
def test_without_a_moment_the_ask_follows_the_apps_clock(
    raw: dict[str, Any], moment: datetime.datetime, kind: str
) -> None:
    # Sworn in after the House passed the bill: no vote to thank them for, while it lives.
    newcomer = Legislator(
        **{**_fields(REPRESENTATIVE), "serving_since": datetime.date(2026, 9, 1)}
    )
    content = parse_campaign(raw)
    app = Flask(__name__)
    app.config["CLOCK"] = lambda: moment
    with app.app_context():
        assert recipient_kind(content, newcomer) == kind
