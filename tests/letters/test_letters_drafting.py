"""Letters drafted from campaign data: addressing, asks by record, variation, safe text."""

from __future__ import annotations

import copy
import dataclasses
import datetime
import json
import re
import tomllib
from typing import Any

import pytest
from data_files import SHIPPED_CAMPAIGN

from advocacy.campaigns.content import (
    OLD_BILL_VARIABLES,
    TEMPLATE_VARIABLES,
    CampaignContent,
    load,
    parse_campaign,
    parse_stored_campaign,
    rules,
    to_stored,
)
from advocacy.congress.members import Chamber, Legislator
from advocacy.congress.states import STATE_NAMES, state_prose_name
from advocacy.letters.drafting import Letter, Supporter, draft_letter, recipient_kind

TODAY = datetime.date(2026, 11, 23)
# While the 119th Congress sits: the letters ask for H.R. 2635 and S. 1542.
SITTING = datetime.datetime(2026, 11, 23, 15, 0, tzinfo=datetime.UTC)
# The 119th Congress ends at noon Eastern on January 3, 2027, and its bills with it.
LAST_SECOND = datetime.datetime(2027, 1, 3, 16, 59, 59, tzinfo=datetime.UTC)
ENDED = datetime.datetime(2027, 1, 3, 17, 0, 0, tzinfo=datetime.UTC)
OLD_NUMBERS = ("H.R. 2635", "S. 1542", "2635", "1542")
# Members made up below have served since before the House passed H.R. 2635.
IN_OFFICE_AT_THE_VOTE = datetime.date(2019, 1, 3)
# How the next Congress's letters ask for the bill to come back.
AGAIN = re.compile(r"reintroduce|introduced? (it )?again|start again|bring (it|the bill) back")


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
    serving_since: datetime.date | None = IN_OFFICE_AT_THE_VOTE,
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
        serving_since=serving_since,
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
# Sworn in after a special election, after the House had passed H.R. 2635.
NEWCOMER = member(
    "X000010",
    "Nora Newcomer",
    "Newcomer",
    "house",
    "Representative",
    "VA",
    11,
    "1 Longworth House Office Building Washington DC 20515",
    serving_since=datetime.date(2025, 9, 10),
)
EVERYONE = (CANTWELL, CURTIS, JAYAPAL, KIM, NORTON, HERNANDEZ, NEWCOMER)
AYNUR = Supporter(name="Aynur Tohti", city="Seattle", state="WA", note="")


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    """The shipped campaign file as TOML reads it."""
    with SHIPPED_CAMPAIGN.open("rb") as file:
        return tomllib.load(file)


@pytest.fixture(scope="module")
def content(raw: dict[str, Any]) -> CampaignContent:
    """The shipped campaign, parsed (and checked) once for every letter below."""
    return parse_campaign(raw)


def draft(
    content: CampaignContent, legislator: Legislator, supporter: Supporter = AYNUR
) -> Letter:
    return draft_letter(content, legislator, supporter, TODAY, at=SITTING)


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
    content: CampaignContent, legislator: Legislator, to: str, salutation: str
) -> None:
    letter = draft(content, legislator)
    assert letter.to == to
    assert letter.salutation == salutation
    assert paragraphs(letter)[0] == salutation


def test_address_block_splits_the_one_line_washington_address(content: CampaignContent) -> None:
    assert draft(content, CANTWELL).address_block == (
        "The Honorable Maria Cantwell",
        "United States Senate",
        "511 Hart Senate Office Building",
        "Washington, DC 20510",
    )
    assert draft(content, JAYAPAL).address_block == (
        "The Honorable Pramila Jayapal",
        "U.S. House of Representatives",
        "2346 Rayburn House Office Building",
        "Washington, DC 20515-4707",
    )


def test_address_block_accepts_commas_in_the_address(content: CampaignContent) -> None:
    legislator = member(
        "X000001", "Ann Example", "Example", "house", "Representative", "OH", 3,
        "1203 Longworth House Office Building, Washington, D.C. 20515",
    )  # fmt: skip
    assert draft(content, legislator).address_block[2:] == (
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
    content: CampaignContent, chamber: Chamber, title: str, house_line: str, zip_line: str
) -> None:
    legislator = member("X000002", "Sam Noaddress", "Noaddress", chamber, title, "OH", None, None)
    assert draft(content, legislator).address_block == (
        "The Honorable Sam Noaddress",
        house_line,
        zip_line,
    )


def test_missing_address_keeps_the_office_when_known(content: CampaignContent) -> None:
    legislator = member(
        "X000003", "Pat Office", "Office", "senate", "Senator", "OH", None, None,
        "104 Hart Senate Office Building",
    )  # fmt: skip
    assert draft(content, legislator).address_block[2:] == (
        "104 Hart Senate Office Building",
        "Washington, DC 20510",
    )


def test_date_line_is_written_out(content: CampaignContent) -> None:
    letter = draft_letter(content, CANTWELL, AYNUR, datetime.date(2027, 1, 3))
    assert letter.date_line == "January 3, 2027"


def test_recipient_kind_follows_chamber_sponsor_list_and_the_house_vote(
    content: CampaignContent,
) -> None:
    assert recipient_kind(content, CANTWELL, SITTING) == "senate"
    assert recipient_kind(content, CURTIS, SITTING) == "senate_sponsor"
    assert recipient_kind(content, JAYAPAL, SITTING) == "house"
    assert recipient_kind(content, KIM, SITTING) == "house_sponsor"
    # No vote when the House passed the bill: a delegate, the resident commissioner, a
    # member sworn in later.
    assert recipient_kind(content, NORTON, SITTING) == "house_had_no_vote"
    assert recipient_kind(content, HERNANDEZ, SITTING) == "house_had_no_vote"
    assert recipient_kind(content, NEWCOMER, SITTING) == "house_had_no_vote"
    # Once the bill has died, every House member but a sponsor gets the house ask.
    for legislator in (JAYAPAL, NORTON, HERNANDEZ, NEWCOMER):
        assert recipient_kind(content, legislator, ENDED) == "house"
    assert recipient_kind(content, KIM, ENDED) == "house_sponsor"


def test_a_member_sworn_in_on_the_day_of_the_vote_counts_as_in_office(
    content: CampaignContent,
) -> None:
    assert content.bill.house_passed == datetime.date(2025, 9, 2)
    on_the_day = dataclasses.replace(NEWCOMER, serving_since=datetime.date(2025, 9, 2))
    day_after = dataclasses.replace(NEWCOMER, serving_since=datetime.date(2025, 9, 3))
    unknown = dataclasses.replace(JAYAPAL, serving_since=None)
    assert recipient_kind(content, on_the_day, SITTING) == "house"
    assert recipient_kind(content, day_after, SITTING) == "house_had_no_vote"
    # Not knowing when a member took office, the letter asks rather than thanks.
    assert recipient_kind(content, unknown, SITTING) == "house_had_no_vote"
    # A delegate with the longest service still had no vote.
    assert NORTON.serving_since is not None and NORTON.serving_since < content.bill.house_passed
    assert not NORTON.could_vote_on(content.bill.house_passed)


def supporters(count: int) -> list[Supporter]:
    cities = ["Seattle", "Spokane", "Tacoma", "Bellevue", ""]
    return [
        Supporter(name=f"Supporter {index}", city=cities[index % 5], state="WA", note="")
        for index in range(count)
    ]


def test_senators_are_asked_to_cosponsor_the_senate_bill(content: CampaignContent) -> None:
    for supporter in supporters(20):
        letter = draft(content, CANTWELL, supporter)
        assert "S. 1542" in letter.body
        assert "cosponsor" in letter.body.lower()
        assert "S. 1542" in letter.call_script


def test_senate_sponsor_is_thanked_and_not_asked_to_cosponsor(content: CampaignContent) -> None:
    for supporter in supporters(20):
        letter = draft(content, CURTIS, supporter)
        ask = paragraphs(letter)[-3]
        assert "thank" in ask.lower() or "grateful" in ask.lower()
        assert "cosponsor" not in letter.body.lower()
        assert "cosponsor" not in letter.call_script.lower()
        assert "thank" in letter.call_script.lower()


def test_house_sponsor_is_thanked_for_leading(content: CampaignContent) -> None:
    for supporter in supporters(20):
        letter = draft(content, KIM, supporter)
        ask = paragraphs(letter)[-3]
        assert "leadership" in ask.lower() or "standing with" in ask.lower()
        assert "cosponsor" not in letter.body.lower()
        assert "thank" in letter.call_script.lower()


def test_house_member_gets_thanks_for_the_vote_and_a_continued_support_ask(
    content: CampaignContent,
) -> None:
    for supporter in supporters(20):
        letter = draft(content, JAYAPAL, supporter)
        ask = paragraphs(letter)[-3]
        assert "H.R. 2635" in ask
        assert "thank" in ask.lower()
        assert "pass" in ask
        assert "continue" in ask.lower() or "keep supporting" in ask.lower()
        assert "cosponsor" not in letter.body.lower()


def thanks_in(letter: Letter) -> list[str]:
    """Every sentence of a letter, its subject and call script that thanks the member."""
    text = "\n".join([letter.subject, letter.body, letter.call_script])
    return re.findall(r"[^.\n]*\bthank[^.\n]*\.?", text, re.IGNORECASE)


# The thanks a letter may give anyone: for reading it, for their time, for their service.
COURTESY = re.compile(r"^\s*(Thank you( for (reading my letter|your time|your service)\b.*)?\.)$")


@pytest.mark.parametrize("legislator", [NORTON, HERNANDEZ, NEWCOMER], ids=lambda m: m.title)
def test_house_member_without_a_vote_is_asked_to_support_and_not_thanked_for_passing(
    content: CampaignContent, legislator: Legislator
) -> None:
    thanked = {paragraphs(draft(content, JAYAPAL, s))[-3] for s in supporters(20)}
    for supporter in supporters(20):
        letter = draft(content, legislator, supporter)
        ask = paragraphs(letter)[-3]
        assert ask not in thanked
        assert "H.R. 2635" in ask or "Uyghur Policy Act" in ask
        assert "support" in ask
        assert "Senate" in ask or "senators" in ask
        assert "continue" not in ask.lower() and "keep supporting" not in ask.lower()
        assert "support" in letter.call_script
        assert "cosponsor" not in letter.body.lower()
        for sentence in thanks_in(letter):
            assert COURTESY.match(sentence), sentence


def test_without_a_house_passage_date_every_house_member_gets_the_house_letter(
    raw: dict[str, Any],
) -> None:
    # A bill the House has not passed: [letter.house] (which must then thank nobody for
    # passing it) goes to every member of the House but the sponsors.
    custom = copy.deepcopy(raw)
    del custom["bill"]["house_passed"]
    del custom["letter"]["house_had_no_vote"]
    custom["letter"]["house"]["asks"] = ["Please vote for $house_number."]
    unpassed = parse_campaign(custom)
    for legislator in (JAYAPAL, NORTON, HERNANDEZ, NEWCOMER):
        assert recipient_kind(unpassed, legislator, SITTING) == "house"
        assert "Please vote for H.R. 2635." in paragraphs(draft(unpassed, legislator))
    assert recipient_kind(unpassed, KIM, SITTING) == "house_sponsor"


def test_the_house_thanks_are_more_than_courtesy(content: CampaignContent) -> None:
    # The check above tells the thanks for the vote from a polite "Thank you."
    for supporter in supporters(20):
        letter = draft(content, JAYAPAL, supporter)
        assert not all(COURTESY.match(sentence) for sentence in thanks_in(letter))


def test_personal_fields_appear_in_the_letter(content: CampaignContent) -> None:
    supporter = Supporter(
        name="Aynur Tohti",
        city="Seattle",
        state="WA",
        note="  My uncle was arrested after Baren.\n\nWe still remember him.  ",
    )
    letter = draft(content, CANTWELL, supporter)
    parts = paragraphs(letter)
    assert "My uncle was arrested after Baren." in parts
    assert "We still remember him." in parts
    assert "Seattle, Washington" in parts[1]
    assert parts[-1].splitlines()[1:] == ["Aynur Tohti", "Seattle, WA"]
    assert "Aynur Tohti" in letter.call_script
    assert "Seattle, Washington" in letter.call_script


def test_empty_city_and_state_fall_back_to_the_members_state(content: CampaignContent) -> None:
    letter = draft(content, CANTWELL, Supporter(name="Ali", city="", state="", note=""))
    parts = paragraphs(letter)
    assert "Washington" in parts[1]
    assert " , " not in letter.body and "in ." not in letter.body
    assert parts[-1].splitlines()[1:] == ["Ali", "WA"]


def test_lower_case_state_code_is_recognised(content: CampaignContent) -> None:
    letter = draft(content, JAYAPAL, Supporter(name="Ali", city="Tacoma", state="wa", note=""))
    assert "Tacoma, Washington" in paragraphs(letter)[1]
    assert paragraphs(letter)[-1].endswith("Tacoma, WA")


def closing(letter: Letter) -> list[str]:
    """The signature's lines after the sign-off."""
    return paragraphs(letter)[-1].splitlines()[1:]


def test_the_closing_gives_the_street_city_state_and_zip(content: CampaignContent) -> None:
    jane = Supporter("Jane Doe", "Seattle", "WA", "", zip="98101", street=" 123  Main St ")
    for legislator in (CANTWELL, JAYAPAL):
        letter = draft(content, legislator, jane)
        # As an envelope would: congressional offices sort mail by the writer's address.
        assert closing(letter) == ["Jane Doe", "123 Main St", "Seattle, WA 98101"]
        assert "Seattle, Washington, ZIP 98101" in paragraphs(letter)[1]
        # The call script says where the caller lives, never their street.
        assert "Seattle, Washington, ZIP 98101" in letter.call_script
        assert "Main St" not in letter.call_script
    # Without a street typed, no line stands in for one.
    assert closing(draft(content, CANTWELL, dataclasses.replace(jane, street=""))) == [
        "Jane Doe",
        "Seattle, WA 98101",
    ]


def test_the_zip_code_changes_no_word_of_the_letter_but_the_place(
    content: CampaignContent,
) -> None:
    with_zip = draft(content, CANTWELL, dataclasses.replace(AYNUR, zip="98101"))
    without = draft(content, CANTWELL, AYNUR)
    assert with_zip.subject == without.subject
    assert with_zip.body.replace(", ZIP 98101", "").replace(" 98101", "") == without.body
    assert with_zip.call_script.replace(", ZIP 98101", "") == without.call_script


def test_a_zip_code_alone_never_leaves_the_state_alone(content: CampaignContent) -> None:
    # The ZIP code tables name no places: a supporter who typed only their ZIP code is a
    # constituent "from Washington, ZIP 98101", never "from Washington" alone.
    for supporter in supporters(20):
        alone = dataclasses.replace(supporter, city="", zip="98101")
        for legislator in (CANTWELL, CURTIS, JAYAPAL, KIM):
            letter = draft(content, legislator, alone)
            assert closing(letter) == [supporter.name, "WA 98101"]
            for text in (paragraphs(letter)[1], letter.call_script):
                assert re.search(r"\b(in|of|from) Washington, ZIP 98101\b", text), text
                assert not re.search(r"\b(in|of|from) Washington\b(?!, ZIP)", text), text


@pytest.mark.parametrize(
    ("legislator", "state", "city", "zip_code", "spoken", "postal"),
    [
        (NORTON, "DC", "", "20001", "the District of Columbia, ZIP 20001", "DC 20001"),
        (
            NORTON,
            "DC",
            "Washington",
            "20001",
            "Washington, District of Columbia, ZIP 20001",
            "Washington, DC 20001",
        ),
        (
            HERNANDEZ,
            "PR",
            "San Juan",
            "00901",
            "San Juan, Puerto Rico, ZIP 00901",
            "San Juan, PR 00901",
        ),
        (HERNANDEZ, "", "", "00901", "Puerto Rico, ZIP 00901", "PR 00901"),
        (NORTON, "GU", "", "96910", "Guam, ZIP 96910", "GU 96910"),
        (NORTON, "VI", "", "00802", "the U.S. Virgin Islands, ZIP 00802", "VI 00802"),
    ],
)
def test_dc_and_the_territories_close_with_their_zip(
    content: CampaignContent,
    legislator: Legislator,
    state: str,
    city: str,
    zip_code: str,
    spoken: str,
    postal: str,
) -> None:
    supporter = Supporter("Ali", city, state, "", zip=zip_code)
    letter = draft(content, legislator, supporter)
    assert closing(letter) == ["Ali", postal]
    assert re.search(rf"\b(in|of|from) {re.escape(spoken)}[.,]", letter.call_script)
    assert "the the" not in letter.body + letter.call_script


def test_supporters_get_different_letters(content: CampaignContent) -> None:
    for legislator in EVERYONE:
        letters = [draft(content, legislator, supporter) for supporter in supporters(20)]
        # Compare without the signature, which differs by name anyway.
        bodies = {letter.body.rsplit("\n\n", 1)[0] for letter in letters}
        assert len(bodies) >= 10
        assert len({letter.subject for letter in letters}) >= 2


def test_one_supporter_gets_the_same_letter_every_time(content: CampaignContent) -> None:
    first = draft(content, CANTWELL, AYNUR)
    assert draft(content, CANTWELL, AYNUR) == first
    # Case and spacing as typed on another visit do not change the letter's wording.
    retyped = Supporter(name="  aynur   TOHTI ", city="seattle", state="wa", note="new words")
    again = draft(content, CANTWELL, retyped)
    assert again.subject == first.subject
    assert (
        again.call_script.replace("aynur TOHTI", "Aynur Tohti").replace("seattle", "Seattle")
        == first.call_script
    )


def test_letters_to_different_members_are_drafted_independently(content: CampaignContent) -> None:
    # The same supporter writes to both senators; the offices should not see twins.
    murray = member("M001111", "Patty Murray", "Murray", "senate", "Senator", "WA", None, None)
    samples = [
        (draft(content, CANTWELL, s).body, draft(content, murray, s).body) for s in supporters(10)
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
    content: CampaignContent, legislator: Legislator, text: str
) -> None:
    supporter = Supporter(name=text, city=text, state=text, note=text)
    letter = draft(content, legislator, supporter)
    assert text in paragraphs(letter)  # the note, verbatim, as its own paragraph
    signature = paragraphs(letter)[-1].splitlines()
    assert signature[1] == text
    assert text in letter.call_script
    # Nothing from the supporter was read as a placeholder.
    assert "$house_number" not in letter.subject
    if text != "$house_number":
        assert "$house_number" not in letter.body


def test_dollar_placeholder_in_name_is_not_expanded(content: CampaignContent) -> None:
    supporter = Supporter(name="$senate_number", city="${city}", state="WA", note="$name")
    letter = draft(content, CANTWELL, supporter)
    assert "$senate_number" in letter.call_script
    assert "${city}, Washington" in letter.body
    assert "$name" in paragraphs(letter)


def test_huge_input_does_not_crash(content: CampaignContent) -> None:
    note = "word " * 20000
    letter = draft(content, CANTWELL, Supporter(name="N" * 5000, city="C", state="WA", note=note))
    assert note.strip() in paragraphs(letter)


@pytest.mark.parametrize("legislator", EVERYONE)
@pytest.mark.parametrize(
    "note",
    ["", "One line.", "First.\n\n\n\nSecond.", "a\r\nb\r\n\r\nc", "  \n \n", "x\u2029y"],
)
def test_body_has_single_blank_lines_and_no_hard_wrapping(
    content: CampaignContent, legislator: Legislator, note: str
) -> None:
    supporter = Supporter(name="Aynur Tohti", city="Seattle", state="WA", note=note)
    body = draft(content, legislator, supporter).body
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


def test_letter_values_become_placeholders(raw: dict[str, Any]) -> None:
    custom = copy.deepcopy(raw)
    custom["letter"]["values"]["deadline"] = "the end of this Congress"
    custom["letter"]["closings"] = ["Please act before $deadline, $recipient."]
    letter = draft(parse_campaign(custom), CANTWELL)
    assert "Please act before the end of this Congress, Senator Cantwell." in paragraphs(letter)


# The checks themselves (every problem in broken letter material, and that such material
# never becomes a CampaignContent) are in test_campaigns_content.py: they are the content's.


def test_drafting_does_not_check_the_material_again(
    content: CampaignContent, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The content was checked once, when parsed; drafting trusts it.
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("letter material checked again while drafting")

    for name in ("validate_campaign", "_check_letter", "_check_templates"):
        monkeypatch.setattr(rules, name, refuse)
    for name in ("validate_campaign", "parse_campaign", "parse_stored_campaign"):
        monkeypatch.setattr(load, name, refuse)
    for legislator in EVERYONE:
        for supporter in supporters(5):
            assert draft(content, legislator, supporter).body


def test_every_template_variable_is_filled_in(raw: dict[str, Any]) -> None:
    # The schema (TEMPLATE_VARIABLES) and drafting agree: every variable a campaign may
    # use has a value in every letter.
    custom = copy.deepcopy(raw)
    names = [*TEMPLATE_VARIABLES, *custom["letter"]["values"]]
    custom["letter"]["closings"] = [" ".join(f"<{name}=${{{name}}}>" for name in names)]
    # The next Congress's letters may use them all but the old bill's numbers.
    later = [name for name in names if name not in OLD_BILL_VARIABLES]
    custom["next_congress"]["letter"]["closings"] = [
        " ".join(f"<{name}=${{{name}}}>" for name in later)
    ]
    custom_content = parse_campaign(custom)
    for legislator in EVERYONE:
        closing = paragraphs(draft(custom_content, legislator))[-2]
        assert "$" not in closing
        assert closing.count("=") == len(names)
        later_closing = paragraphs(draft_letter(custom_content, legislator, AYNUR, at=ENDED))[-2]
        assert "$" not in later_closing
        assert later_closing.count("=") == len(later)
    closing = paragraphs(draft(custom_content, CANTWELL))[-2]
    assert "<senate_committee=Senate Foreign Relations Committee>" in closing
    assert "<congress=119>" in closing
    assert "<congress_name=the 119th Congress>" in closing
    assert "<recipient_state=Washington>" in closing
    assert "<place=Seattle, Washington>" in closing


def test_letters_from_stored_content_are_the_same(
    raw: dict[str, Any], content: CampaignContent
) -> None:
    # What the pages draft from: the content as the database stores it, parsed back.
    stored = parse_stored_campaign(json.loads(json.dumps(to_stored(raw))))
    for legislator in EVERYONE:
        for supporter in supporters(5):
            assert draft(stored, legislator, supporter) == draft(content, legislator, supporter)


def test_sponsors_come_from_the_content(content: CampaignContent) -> None:
    bill = dataclasses.replace(content.bill, sponsors=frozenset({"C000127"}))
    changed = dataclasses.replace(content, bill=bill)
    assert recipient_kind(changed, CANTWELL, SITTING) == "senate_sponsor"
    assert recipient_kind(changed, CURTIS, SITTING) == "senate"
    assert recipient_kind(changed, KIM, SITTING) == "house"
    # A sponsor is thanked for leading whatever their vote: a delegate too.
    bill = dataclasses.replace(content.bill, sponsors=frozenset({NORTON.bioguide}))
    changed = dataclasses.replace(content, bill=bill)
    assert recipient_kind(changed, NORTON, SITTING) == "house_sponsor"


@pytest.mark.parametrize(
    ("state", "alone", "after_city"),
    [
        ("DC", "the District of Columbia", "Washington, District of Columbia"),
        ("VI", "the U.S. Virgin Islands", "Washington, U.S. Virgin Islands"),
        ("MP", "the Northern Mariana Islands", "Washington, Northern Mariana Islands"),
        ("PR", "Puerto Rico", "Washington, Puerto Rico"),
        ("OH", "Ohio", "Washington, Ohio"),
    ],
)
def test_place_reads_as_prose(
    content: CampaignContent, state: str, alone: str, after_city: str
) -> None:
    assert state_prose_name(state) == alone
    without_city = draft(content, NORTON, Supporter(name="Ali", city="", state=state, note=""))
    assert re.search(rf"\b(in|of|from) {re.escape(alone)}[.,]", paragraphs(without_city)[1])
    with_city = draft(
        content, NORTON, Supporter(name="Ali", city="Washington", state=state, note="")
    )
    assert re.search(rf"\b(in|of|from) {re.escape(after_city)}[.,]", paragraphs(with_city)[1])
    assert "the the" not in with_city.body + without_city.body


def test_state_prose_names_differ_from_state_names_only_by_the_article() -> None:
    for code, name in STATE_NAMES.items():
        assert state_prose_name(code).removeprefix("the ") == name
    assert state_prose_name("XX") == "XX"


# --- after the bill's Congress has ended ----------------------------------------------------


def all_text(letter: Letter) -> str:
    return "\n".join([letter.subject, letter.body, letter.call_script])


def test_a_second_before_the_end_letters_still_ask_for_the_bill_numbers(
    content: CampaignContent,
) -> None:
    letter = draft_letter(content, CANTWELL, AYNUR, at=LAST_SECOND)
    assert "S. 1542" in letter.body
    assert "cosponsor S. 1542" in letter.body or "cosponsor S. 1542" in letter.call_script
    # 11:59:59 in Washington on January 3.
    assert letter.date_line == "January 3, 2027"


@pytest.mark.parametrize("legislator", EVERYONE, ids=lambda m: m.last_name)
def test_after_the_congress_ends_no_letter_names_the_dead_bill(
    content: CampaignContent, legislator: Legislator
) -> None:
    for supporter in supporters(20):
        letter = draft_letter(content, legislator, supporter, at=ENDED)
        text = all_text(letter)
        for number in OLD_NUMBERS:
            assert number not in text, (number, text)
        assert AGAIN.search(text), text
        assert "$" not in text


def test_after_the_congress_ends_senators_are_asked_to_bring_the_bill_back(
    content: CampaignContent,
) -> None:
    for supporter in supporters(20):
        letter = draft_letter(content, CANTWELL, supporter, at=ENDED)
        ask = paragraphs(letter)[-3]
        assert "Uyghur Policy Act" in ask
        assert "this Congress" in ask
        assert "reintroduce" in ask or "cosponsor" in ask


@pytest.mark.parametrize("legislator", [CURTIS, KIM], ids=["senate", "house"])
def test_after_the_congress_ends_old_sponsors_are_thanked_and_asked_to_reintroduce(
    content: CampaignContent, legislator: Legislator
) -> None:
    for supporter in supporters(20):
        letter = draft_letter(content, legislator, supporter, at=ENDED)
        ask = paragraphs(letter)[-3].lower()
        assert "thank" in ask or "grateful" in ask
        assert AGAIN.search(ask), ask
        assert "thank" in letter.call_script.lower()


def test_letter_date_is_washingtons_day_at_the_moment(content: CampaignContent) -> None:
    # 03:00 UTC on January 4 is still the evening of January 3 in Washington.
    late = datetime.datetime(2027, 1, 4, 3, 0, tzinfo=datetime.UTC)
    assert draft_letter(content, CANTWELL, AYNUR, at=late).date_line == "January 3, 2027"
    # A date given outright is the letter's date.
    dated = draft_letter(content, CANTWELL, AYNUR, datetime.date(2027, 2, 1), at=late)
    assert dated.date_line == "February 1, 2027"


def test_without_a_next_congress_table_a_built_in_ask_names_no_dead_bill(
    raw: dict[str, Any],
) -> None:
    bare = {key: value for key, value in raw.items() if key != "next_congress"}
    content = parse_campaign(bare)
    before = draft_letter(content, CANTWELL, AYNUR, at=LAST_SECOND)
    assert "S. 1542" in before.body
    for legislator in EVERYONE:
        letter = draft_letter(content, legislator, AYNUR, at=ENDED)
        text = all_text(letter)
        for number in OLD_NUMBERS:
            assert number not in text, (number, text)
        assert "reintroduce" in text
        assert "Uyghur Policy Act" in letter.subject
        assert "the 119th Congress ended" in paragraphs(letter)[-3]
        assert "$" not in text
    # Sponsors of the old bill are thanked for it.
    assert "Thank you" in paragraphs(draft_letter(content, CURTIS, AYNUR, at=ENDED))[-3]
