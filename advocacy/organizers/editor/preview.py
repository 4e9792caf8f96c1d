"""The letters a version would send, to real members, at a moment the editor chooses.

Before publishing, an editor reads the letters as offices will receive them: drafted by
the very code supporters' letters are (`letters.page.letters_for`, which decides each
member's kind with `letters.drafting.recipient_kind`), for members from the data in use,
at a moment of the editor's choosing, so that the ask after the bill's Congress ends
(noon Eastern on January 3 of an odd year) can be read before it happens.

One member of each kind a letter goes to: a senator asked to cosponsor, a senator and a
House member who sponsor the bill (thanked), a House member who had a vote on the bill,
and a delegate. The members data has no roll-call votes, so a member who voted no gets
the letter of one who voted yes: the preview says so beside it. Where nobody of a kind
sits at that moment in the data (the House, just after the swearing-in, until `advocacy
data refresh` brings the new members), the member the data last lists stands in, and the
preview says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Protocol

from advocacy.campaigns.content import CampaignContent
from advocacy.campaigns.lifecycle import WASHINGTON, bill_is_current
from advocacy.congress.calendar import congress_on, ordinal
from advocacy.congress.members import NON_VOTING_HOUSE_TITLES, Legislator
from advocacy.congress.states import STATE_NAMES, state_prose_name
from advocacy.letters.drafting import Letter, Supporter, recipient_kind
from advocacy.letters.page import letters_for

# The supporter every sample letter is signed by: plainly not a real person's name.
SAMPLE_NAME: Final = "Sample Supporter"
# Letters close with the writer's place, as offices sort mail by it: the preview shows
# where, with a place nobody could take for a supporter's.
SAMPLE_CITY: Final = "Sample City"
SAMPLE_ZIP: Final = "00000"
# DC's delegate, the delegate a preview shows when DC's seat is filled.
DELEGATE_STATE: Final = "DC"


class Members(Protocol):
    """Who sits (a roster at a moment) or who the data lists (the directory itself)."""

    def senators(self, state: str) -> list[Legislator]: ...

    def house_member(self, state: str, district: int) -> Legislator | None: ...

    def districts(self, state: str) -> list[int]: ...


@dataclass(frozen=True)
class Sample:
    """One kind of member, the member shown, and their letter."""

    role: str
    member: Legislator | None
    letter: Letter | None
    kind: str
    # What to know about this sample: why this member, what the data cannot say.
    notes: tuple[str, ...] = ()


def every_member(members: Members) -> Iterator[Legislator]:
    """Yield the members by state code, senators first, then the House by district."""
    for state in sorted(STATE_NAMES):
        yield from members.senators(state)
        for district in members.districts(state):
            member = members.house_member(state, district)
            if member is not None:
                yield member


def _first(
    sitting: Members, listed: Members, test: Callable[[Legislator], bool]
) -> tuple[Legislator | None, bool]:
    # The first sitting member that fits, else the first the data lists (stood in: True).
    for member in every_member(sitting):
        if test(member):
            return member, False
    for member in every_member(listed):
        if test(member):
            return member, True
    return None, False


def samples(
    content: CampaignContent, sitting: Members, listed: Members, moment: datetime
) -> list[Sample]:
    """Return the sample members and their letters at an aware moment.

    sitting: who sits at that moment (the directory's roster at it); listed: the
    directory, each member as its data last lists them.
    """
    bill = content.bill
    alive = bill_is_current(content, moment)
    sitting_congress = ordinal(congress_on(moment))

    def kind(member: Legislator) -> str:
        return recipient_kind(content, member, moment)

    def stood_in(member: Legislator) -> str:
        return (
            f"Nobody of this kind sits at that moment in the members data in use (the "
            f"{sitting_congress} Congress's members arrive with `advocacy data refresh`): "
            f"shown with {member.name}, as the data last lists them, to read the wording."
        )

    def is_delegate(member: Legislator) -> bool:
        return member.title in NON_VOTING_HOUSE_TITLES

    wanted: list[tuple[str, Callable[[Legislator], bool], list[str]]] = [
        ("A senator asked to cosponsor", lambda m: kind(m) == "senate", []),
        ("A senator who sponsors the bill", lambda m: kind(m) == "senate_sponsor", []),
        ("A House sponsor, thanked", lambda m: kind(m) == "house_sponsor", []),
        (
            "A House member who voted on the bill",
            lambda m: kind(m) == "house" and not is_delegate(m),
            [_vote_note(content, alive)],
        ),
        (
            "A delegate",
            lambda m: is_delegate(m) and m.state == DELEGATE_STATE,
            [_delegate_note(alive, bill.house_passed is not None)],
        ),
    ]
    found: list[Sample] = []
    for role, test, notes in wanted:
        member, standing_in = _first(sitting, listed, test)
        if member is None and role == "A delegate":
            member, standing_in = _first(sitting, listed, is_delegate)
        if member is None:
            found.append(Sample(role, None, None, "", (_nobody(role, content),)))
            continue
        letter = _letter(content, member, moment)
        extra = [stood_in(member)] if standing_in else []
        found.append(Sample(role, member, letter, kind(member), (*notes, *extra)))
    return found


def _letter(content: CampaignContent, member: Legislator, moment: datetime) -> Letter:
    supporter = Supporter(
        name=SAMPLE_NAME, city=SAMPLE_CITY, state=member.state, note="", zip=SAMPLE_ZIP
    )
    return letters_for(content, [member], supporter, at=moment)[0].letter


def _vote_note(content: CampaignContent, alive: bool) -> str:
    passed = content.bill.house_passed
    if not alive:
        return (
            "The bill has died with its Congress, so every House member who is not a "
            "sponsor gets this letter, whether they voted on it or not."
        )
    if passed is None:
        return (
            "The House has not passed the bill (no House passage date is given), so no "
            "member has voted on it: this is the letter asking a House member to support it."
        )
    return (
        "The members data has no roll-call votes: a member who voted no on "
        f"{passed:%B} {passed.day}, {passed.year} gets this same letter. If it thanks the "
        "member for their vote, reword it so that it fits every member who had one."
    )


def _delegate_note(alive: bool, house_passed: bool) -> str:
    if alive and house_passed:
        return (
            "Delegates have no vote when the full House passes a bill, so they get the "
            "letter for members who had no vote on it."
        )
    return "Delegates get the same letter as other members of the House now."


def _nobody(role: str, content: CampaignContent) -> str:
    if "sponsor" in role:
        chamber = "Senate" if "senator" in role else "House"
        return (
            f"No member of the {chamber} in the bill's sponsors is in the members data, so "
            "no such letter goes out."
        )
    return "The members data in use has no such member."


def moment_label(moment: datetime) -> str:
    """Return a moment as Washington reads it: "January 3, 2027, 12:30 p.m. Eastern"."""
    local = moment.astimezone(WASHINGTON)
    hour = local.hour % 12 or 12
    noon = "a.m." if local.hour < 12 else "p.m."
    return f"{local:%B} {local.day}, {local.year}, {hour}:{local:%M} {noon} Eastern"


def state_of(member: Legislator) -> str:
    """Return the member's state (or DC, or territory) as prose names it."""
    return state_prose_name(member.state)
