"""Letters drafted from campaign data: addressing, asks by record, variation, safe text."""

from __future__ import annotations

import copy
import datetime
import tomllib
from pathlib import Path
from typing import Any

import pytest

from advocacy.letters.drafting import (
    Letter,
    LetterMaterialError,
    Supporter,
    draft_letter,
    recipient_kind,
    validate_letter_material,
)
from advocacy.representatives.legislators import Chamber, Legislator

SHIPPED = (
    Path(__file__).resolve().parent.parent
    / "advocacy"
    / "campaigns"
    / "shipped"
    / "uyghur-policy-act.toml"
)
TODAY = datetime.date(2026, 11, 23)


def member(
    bioguide: str,
    name: str,
    last_name: str,
    chamber: Chamber,
    title: str,
    state: str,
    district: int | None,
    address: str | None,
    office: str | None = None,
) -> Legislator:
    return Legislator(
        bioguide=bioguide,
        name=name,
        last_name=last_name,
        chamber=chamber,
        title=title,
        state=state,
        district=district,
        party="Democrat",
        phone="202-224-3441",
        url="https://example.house.gov",
        contact_form=None,
        address=address,
        office=office,
    )


CANTWELL = member(
    "C000127",
    "Maria Cantwell",
    "Cantwell",
    "senate",
    "Senator",
    "WA",
    None,
    "511 Hart Senate Office Building Washington DC 20510",
    "511 Hart Senate Office Building",
)
CURTIS = member(
    "C001114",
    "John R. Curtis",
    "Curtis",
    "senate",
    "Senator",
    "UT",
    None,
    "502 Hart Senate Office Building Washington DC 20510",
)
JAYAPAL = member(
    "J000298",
    "Pramila Jayapal",
    "Jayapal",
    "house",
    "Representative",
    "WA",
    7,
    "2346 Rayburn House Office Building Washington DC 20515-4707",
)
KIM = member(
    "K000397",
    "Young Kim",
    "Kim",
    "house",
    "Representative",
    "CA",
    40,
    "2439 Rayburn House Office Building Washington DC 20515-0540",
)
NORTON = member(
    "N000147",
    "Eleanor Holmes Norton",
    "Norton",
    "house",
    "Delegate",
    "DC",
    0,
    "2136 Rayburn House Office Building Washington DC 20515-5101",
)
HERNANDEZ = member(
    "H001103",
    "Pablo José Hernández",
    "Hernández",
    "house",
    "Resident Commissioner",
    "PR",
    0,
    "1419 Longworth House Office Building Washington DC 20515-5401",
)
EVERYONE = (CANTWELL, CURTIS, JAYAPAL, KIM, NORTON, HERNANDEZ)
AYNUR = Supporter(name="Aynur Tohti", city="Seattle", state="WA", note="")


@pytest.fixture(scope="module")
def campaign() -> dict[str, Any]:
    with SHIPPED.open("rb") as file:
        return tomllib.load(file)


def draft(
    campaign: dict[str, Any], legislator: Legislator, supporter: Supporter = AYNUR
) -> Letter:
    return draft_letter(campaign, legislator, supporter, TODAY)


def paragraphs(letter: Letter) -> list[str]:
    return letter.body.split("\n\n")


@pytest.mark.parametrize(
    ("legislator", "to", "salutation"),
    [
        (CANTWELL, "Senator Maria Cantwell", "Dear Senator Cantwell,"),
        (JAYAPAL, "Representative Pramila Jayapal", "Dear Representative Jayapal,"),
        (NORTON, "Delegate Eleanor Holmes Norton", "Dear Delegate Norton,"),
        (
            HERNANDEZ,
            "Resident Commissioner Pablo José Hernández",
            "Dear Resident Commissioner Hernández,",
        ),
    ],
)
def test_letter_is_addressed_by_title(
    campaign: dict[str, Any], legislator: Legislator, to: str, salutation: str
) -> None:
    letter = draft(campaign, legislator)
    assert letter.to == to
    assert letter.salutation == salutation
    assert paragraphs(letter)[0] == salutation


def test_address_block_splits_the_one_line_washington_address(campaign: dict[str, Any]) -> None:
    assert draft(campaign, CANTWELL).address_block == (
        "The Honorable Maria Cantwell",
        "United States Senate",
        "511 Hart Senate Office Building",
        "Washington, DC 20510",
    )
    assert draft(campaign, JAYAPAL).address_block == (
        "The Honorable Pramila Jayapal",
        "U.S. House of Representatives",
        "2346 Rayburn House Office Building",
        "Washington, DC 20515-4707",
    )


def test_address_block_accepts_commas_in_the_address(campaign: dict[str, Any]) -> None:
    legislator = member(
        "X000001", "Ann Example", "Example", "house", "Representative", "OH", 3,
        "1203 Longworth House Office Building, Washington, D.C. 20515",
    )  # fmt: skip
    assert draft(campaign, legislator).address_block[2:] == (
        "1203 Longworth House Office Building",
        "Washington, DC 20515",
    )


@pytest.mark.parametrize(
    ("chamber", "title", "house_line", "zip_line"),
    [
        ("senate", "Senator", "United States Senate", "Washington, DC 20510"),
        ("house", "Representative", "U.S. House of Representatives", "Washington, DC 20515"),
    ],
)
def test_missing_address_falls_back_to_the_chamber(
    campaign: dict[str, Any], chamber: Chamber, title: str, house_line: str, zip_line: str
) -> None:
    legislator = member("X000002", "Sam Noaddress", "Noaddress", chamber, title, "OH", None, None)
    assert draft(campaign, legislator).address_block == (
        "The Honorable Sam Noaddress",
        house_line,
        zip_line,
    )


def test_missing_address_keeps_the_office_when_known(campaign: dict[str, Any]) -> None:
    legislator = member(
        "X000003", "Pat Office", "Office", "senate", "Senator", "OH", None, None,
        "104 Hart Senate Office Building",
    )  # fmt: skip
    assert draft(campaign, legislator).address_block[2:] == (
        "104 Hart Senate Office Building",
        "Washington, DC 20510",
    )


def test_date_line_is_written_out(campaign: dict[str, Any]) -> None:
    letter = draft_letter(campaign, CANTWELL, AYNUR, datetime.date(2027, 1, 3))
    assert letter.date_line == "January 3, 2027"


def test_recipient_kind_follows_chamber_and_sponsor_list(campaign: dict[str, Any]) -> None:
    assert recipient_kind(campaign, CANTWELL) == "senate"
    assert recipient_kind(campaign, CURTIS) == "senate_sponsor"
    assert recipient_kind(campaign, JAYAPAL) == "house"
    assert recipient_kind(campaign, KIM) == "house_sponsor"
    assert recipient_kind(campaign, NORTON) == "house"


def supporters(count: int) -> list[Supporter]:
    cities = ["Seattle", "Spokane", "Tacoma", "Bellevue", ""]
    return [
        Supporter(name=f"Supporter {index}", city=cities[index % 5], state="WA", note="")
        for index in range(count)
    ]


def test_senators_are_asked_to_cosponsor_the_senate_bill(campaign: dict[str, Any]) -> None:
    for supporter in supporters(20):
        letter = draft(campaign, CANTWELL, supporter)
        assert "S. 1542" in letter.body
        assert "cosponsor" in letter.body.lower()
        assert "S. 1542" in letter.call_script


def test_senate_sponsor_is_thanked_and_not_asked_to_cosponsor(campaign: dict[str, Any]) -> None:
    for supporter in supporters(20):
        letter = draft(campaign, CURTIS, supporter)
        ask = paragraphs(letter)[-3]
        assert "thank" in ask.lower() or "grateful" in ask.lower()
        assert "cosponsor" not in letter.body.lower()
        assert "cosponsor" not in letter.call_script.lower()
        assert "thank" in letter.call_script.lower()


def test_house_sponsor_is_thanked_for_leading(campaign: dict[str, Any]) -> None:
    for supporter in supporters(20):
        letter = draft(campaign, KIM, supporter)
        ask = paragraphs(letter)[-3]
        assert "leadership" in ask.lower() or "standing with" in ask.lower()
        assert "cosponsor" not in letter.body.lower()
        assert "thank" in letter.call_script.lower()


@pytest.mark.parametrize("legislator", [JAYAPAL, NORTON, HERNANDEZ])
def test_house_member_gets_thanks_for_the_vote_and_a_continued_support_ask(
    campaign: dict[str, Any], legislator: Legislator
) -> None:
    for supporter in supporters(20):
        letter = draft(campaign, legislator, supporter)
        ask = paragraphs(letter)[-3]
        assert "H.R. 2635" in ask
        assert "thank" in ask.lower()
        assert "pass" in ask
        assert "continue" in ask.lower() or "keep supporting" in ask.lower()
        assert "cosponsor" not in letter.body.lower()


def test_personal_fields_appear_in_the_letter(campaign: dict[str, Any]) -> None:
    supporter = Supporter(
        name="Aynur Tohti",
        city="Seattle",
        state="WA",
        note="  My uncle was arrested after Baren.\n\nWe still remember him.  ",
    )
    letter = draft(campaign, CANTWELL, supporter)
    parts = paragraphs(letter)
    assert "My uncle was arrested after Baren." in parts
    assert "We still remember him." in parts
    assert "Seattle, Washington" in parts[1]
    assert parts[-1].splitlines()[1:] == ["Aynur Tohti", "Seattle, WA"]
    assert "Aynur Tohti" in letter.call_script
    assert "Seattle, Washington" in letter.call_script


def test_empty_city_and_state_fall_back_to_the_members_state(campaign: dict[str, Any]) -> None:
    letter = draft(campaign, CANTWELL, Supporter(name="Ali", city="", state="", note=""))
    parts = paragraphs(letter)
    assert "Washington" in parts[1]
    assert " , " not in letter.body and "in ." not in letter.body
    assert parts[-1].splitlines()[1:] == ["Ali", "WA"]


def test_lower_case_state_code_is_recognised(campaign: dict[str, Any]) -> None:
    letter = draft(campaign, JAYAPAL, Supporter(name="Ali", city="Tacoma", state="wa", note=""))
    assert "Tacoma, Washington" in paragraphs(letter)[1]
    assert paragraphs(letter)[-1].endswith("Tacoma, WA")


def test_supporters_get_different_letters(campaign: dict[str, Any]) -> None:
    for legislator in EVERYONE:
        letters = [draft(campaign, legislator, supporter) for supporter in supporters(20)]
        # Compare without the signature, which differs by name anyway.
        bodies = {letter.body.rsplit("\n\n", 1)[0] for letter in letters}
        assert len(bodies) >= 10
        assert len({letter.subject for letter in letters}) >= 2


def test_one_supporter_gets_the_same_letter_every_time(campaign: dict[str, Any]) -> None:
    first = draft(campaign, CANTWELL, AYNUR)
    assert draft(campaign, CANTWELL, AYNUR) == first
    # Case and spacing as typed on another visit do not change the letter's wording.
    retyped = Supporter(name="  aynur   TOHTI ", city="seattle", state="wa", note="new words")
    again = draft(campaign, CANTWELL, retyped)
    assert again.subject == first.subject
    assert (
        again.call_script.replace("aynur TOHTI", "Aynur Tohti").replace("seattle", "Seattle")
        == first.call_script
    )


def test_letters_to_different_members_are_drafted_independently(campaign: dict[str, Any]) -> None:
    # The same supporter writes to both senators; the offices should not see twins.
    murray = member("M001111", "Patty Murray", "Murray", "senate", "Senator", "WA", None, None)
    samples = [
        (draft(campaign, CANTWELL, s).body, draft(campaign, murray, s).body)
        for s in supporters(10)
    ]
    differing = [a.replace("Cantwell", "X") != b.replace("Murray", "X") for a, b in samples]
    assert sum(differing) >= 8


HOSTILE = [
    "$house_number",
    "${x}",
    "{0}",
    "{name}",
    "%s",
    "$$",
    "$",
    "<script>alert(1)</script>",
    "ئۇيغۇر",
    "Ayşe 🌙✊",
    "\u202eevil",
    "Robert'); DROP TABLE pledges;--",
]


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("legislator", EVERYONE)
def test_hostile_supporter_text_appears_literally(
    campaign: dict[str, Any], legislator: Legislator, text: str
) -> None:
    supporter = Supporter(name=text, city=text, state=text, note=text)
    letter = draft(campaign, legislator, supporter)
    assert text in paragraphs(letter)  # the note, verbatim, as its own paragraph
    signature = paragraphs(letter)[-1].splitlines()
    assert signature[1] == text
    assert text in letter.call_script
    # Nothing from the supporter was read as a placeholder.
    assert "$house_number" not in letter.subject
    if text != "$house_number":
        assert "$house_number" not in letter.body


def test_dollar_placeholder_in_name_is_not_expanded(campaign: dict[str, Any]) -> None:
    supporter = Supporter(name="$senate_number", city="${city}", state="WA", note="$name")
    letter = draft(campaign, CANTWELL, supporter)
    assert "$senate_number" in letter.call_script
    assert "${city}, Washington" in letter.body
    assert "$name" in paragraphs(letter)


def test_huge_input_does_not_crash(campaign: dict[str, Any]) -> None:
    note = "word " * 20000
    letter = draft(campaign, CANTWELL, Supporter(name="N" * 5000, city="C", state="WA", note=note))
    assert note.strip() in paragraphs(letter)


@pytest.mark.parametrize("legislator", EVERYONE)
@pytest.mark.parametrize(
    "note",
    ["", "One line.", "First.\n\n\n\nSecond.", "a\r\nb\r\n\r\nc", "  \n \n", "x\u2029y"],
)
def test_body_has_single_blank_lines_and_no_hard_wrapping(
    campaign: dict[str, Any], legislator: Legislator, note: str
) -> None:
    supporter = Supporter(name="Aynur Tohti", city="Seattle", state="WA", note=note)
    body = draft(campaign, legislator, supporter).body
    assert "\n\n\n" not in body
    assert body == body.strip()
    assert "\r" not in body
    parts = body.split("\n\n")
    assert all(part.strip() == part and part for part in parts)
    # The campaign's own paragraphs are one line each, however long; only the note keeps
    # the supporter's own line breaks, and the signature block is a few short lines.
    note_lines = {line for line in note.splitlines() if line.strip()}
    for part in parts[:-1]:
        lines = part.splitlines()
        assert len(lines) == 1 or set(lines) <= note_lines
    assert max(len(part) for part in parts[1:-1]) > 100  # long lines are not wrapped


def test_shipped_material_is_valid(campaign: dict[str, Any]) -> None:
    assert validate_letter_material(campaign) == []


def test_material_problems_are_reported_clearly(campaign: dict[str, Any]) -> None:
    broken = copy.deepcopy(campaign)
    broken["letter"]["openings"] = []
    broken["letter"]["closings"] = ["Thanks from $nobody."]
    broken["letter"]["sign_offs"] = ["Costs $5"]
    del broken["letter"]["house_sponsor"]
    del broken["letter"]["senate"]["asks"]
    broken["letter"]["backgrounds"] = ["Two\nlines"]
    problems = validate_letter_material(broken)
    assert "letter.openings: needs at least one alternative" in problems
    assert any(p.startswith("letter.closings[0]: unknown variable $nobody") for p in problems)
    assert any(p.startswith("letter.sign_offs[0]: has a '$'") for p in problems)
    assert "letter.house_sponsor: missing table [letter.house_sponsor]" in problems
    assert "letter.senate.asks: missing (a list of alternatives)" in problems
    assert any(p.startswith("letter.backgrounds[0]: must be one line") for p in problems)
    with pytest.raises(LetterMaterialError) as raised:
        draft(broken, CANTWELL)
    assert raised.value.problems == problems


def test_letter_values_become_placeholders(campaign: dict[str, Any]) -> None:
    custom = copy.deepcopy(campaign)
    custom["letter"]["values"]["deadline"] = "the end of this Congress"
    custom["letter"]["closings"] = ["Please act before $deadline, $recipient."]
    custom["letter"]["values"]["name"] = "clash"
    problems = validate_letter_material(custom)
    assert problems == ["letter.values.name: $name is built in and cannot be redefined"]
    del custom["letter"]["values"]["name"]
    letter = draft(custom, CANTWELL)
    assert "Please act before the end of this Congress, Senator Cantwell." in paragraphs(letter)


def test_missing_letter_table_is_reported(campaign: dict[str, Any]) -> None:
    broken = {key: value for key, value in campaign.items() if key != "letter"}
    assert validate_letter_material(broken) == ["letter: missing table [letter]"]
