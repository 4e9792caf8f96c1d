"""The answer to a look-up: how the district was found, and who represents the supporter.

`RepresentativeFinder` (finder.py) makes these from what the supporter typed (inputs.py);
they are kept with the supporter's visit (`Lookup.to_record`) and shown by the pages and
the API (`Lookup.to_api`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from advocacy.congress.calendar import congress_start
from advocacy.congress.maps import MapChange
from advocacy.congress.members import Chamber, Legislator
from advocacy.congress.states import state_name
from advocacy.representatives.directory import SenateGap

Match = Literal["address", "zip", "state"]
# Why the look-up fell back from the address to the ZIP or the state: the geocoder did not
# answer; it answered on another Congress's map (twice); it found no such address (or
# water); the member data itself could not be loaded; or as many look-ups as this process
# lets wait on the geocoder were waiting already, so this one was not sent.
Fallback = Literal[
    "geocoder_unavailable",
    "geocoder_wrong_map",
    "address_not_found",
    "data_unavailable",
    "geocoder_busy",
]
# The fallbacks where the geocoder gave no answer about the address at all.
GEOCODER_SILENT: frozenset[Fallback | None] = frozenset(
    {"geocoder_unavailable", "geocoder_wrong_map", "geocoder_busy"}
)


@dataclass(frozen=True)
class CandidateSeat:
    """One of the districts a ZIP code touches, with whoever holds it now."""

    state: str
    district: int
    member: Legislator | None  # None: vacant, or (pending) not in our data yet
    pending: bool = False  # the members data is catching up with a new Congress

    @property
    def code(self) -> str:
        """Return the seat as people write it: "NY-10", "WY-AL"."""
        return seat_code(self.state, self.district)

    @property
    def label(self) -> str:
        """Return "NY-10, Rep. Daniel S. Goldman", or say the seat is vacant."""
        if self.member is None:
            return f"{self.code}, {'member not listed yet' if self.pending else 'vacant seat'}"
        return f"{self.code}, {SHORT_TITLES.get(self.member.title, self.member.title)} " + (
            self.member.name
        )


@dataclass(frozen=True)
class OpenSenateSeat:
    """A state's Senate seat our members file leaves open, told as a supporter reads it."""

    state: str
    senator: str  # who held it last in the file
    ended_on: str  # "November 3, 2026"
    # The senator was appointed until a special election, held the day the term ended.
    by_special_election: bool
    successor: str | None = None  # listed, but not sworn in yet
    successor_from: str | None = None

    @classmethod
    def from_gap(cls, gap: SenateGap) -> OpenSenateSeat:
        successor = gap.successor
        return cls(
            state=gap.state,
            senator=gap.ended.member.name,
            ended_on=day_text(gap.ended.end),
            by_special_election=gap.by_special_election,
            successor=successor.member.name if successor else None,
            successor_from=day_text(successor.start) if successor else None,
        )

    @property
    def state_name(self) -> str:
        return state_name(self.state)


def day_text(moment: datetime) -> str:
    """Return the day of a term's noon boundary as people write it: "November 3, 2026"."""
    # Terms change hands at noon Eastern, 17:00 UTC: the same day in Washington.
    return f"{moment:%B} {moment.day}, {moment.year}"


def congress_start_day(congress: int) -> str:
    """Return the day a Congress is sworn in, as ISO text: "2027-01-03"."""
    return congress_start(congress).date().isoformat()


SHORT_TITLES = {"Representative": "Rep.", "Delegate": "Del.", "Resident Commissioner": "Res. Com."}


def seat_code(state: str, district: int) -> str:
    """Return a House seat as people write it: "NY-10"; at-large seats are "WY-AL"."""
    return f"{state}-{district if district else 'AL'}"


@dataclass(frozen=True)
class Lookup:
    """The answer: how the district was found, and who represents the supporter."""

    match: Match
    state: str | None
    district: int | None
    candidates: tuple[tuple[str, int], ...] = ()
    legislators: tuple[Legislator, ...] = ()
    matched_address: str | None = None
    fallback: Fallback | None = None
    vacant: bool = False  # the district is known and its House seat is empty
    zip: str = ""
    # The ZIP touched several districts and the supporter picked this one themselves.
    chosen: bool = False
    # The ZIP touched several districts and the supporter writes to every one's member.
    every_candidate: bool = False
    # The candidate districts with their members, in the order of candidates.
    candidate_seats: tuple[CandidateSeat, ...] = ()
    # The state (or DC, or a territory) is one district: the address cannot change it.
    whole_state: bool = False
    # The Congress whose map the district is on (the one sitting at the look-up).
    congress: int = 0
    # Chambers with members we cannot show yet: the data is catching up with a new
    # Congress (or lists a state with one senator), so the chamber's own finder must do.
    pending: tuple[Chamber, ...] = ()
    # The ZIP lies in a state whose map changed since our ZIP table's: no House member
    # can be named from the ZIP, only from the street address.
    map_changed: bool = False
    # The state's map changes when the next Congress is sworn in.
    upcoming: MapChange | None = None
    # The look-up was kept from an earlier Congress and made again for this one.
    relooked_from: int | None = None
    # With map_changed: the new maps of the states the ZIP's table cannot draw.
    new_maps: tuple[MapChange, ...] = ()
    # Senate seats left open by a term that ended early (an appointment that ran until a
    # special election), with nobody listed since: said apart from data still loading.
    open_senate_seats: tuple[OpenSenateSeat, ...] = ()
    # A Senate seat is missing that no ended term explains: a new senator's details have
    # not reached our data yet.
    senate_loading: bool = False

    @property
    def needs_choice(self) -> bool:
        """Tell whether the supporter has yet to settle which of several districts is theirs."""
        return bool(self.candidates) and not (self.chosen or self.every_candidate)

    @property
    def house_member(self) -> Legislator | None:
        """Return the House member or delegate, when known."""
        return next((m for m in self.legislators if m.chamber == "house"), None)

    @property
    def senators(self) -> list[Legislator]:
        """Return the senators, when known."""
        return [m for m in self.legislators if m.chamber == "senate"]

    @property
    def state_name(self) -> str:
        return state_name(self.state) if self.state else ""

    @property
    def house_pending(self) -> bool:
        return "house" in self.pending

    @property
    def senate_pending(self) -> bool:
        return "senate" in self.pending

    def to_api(self) -> dict[str, Any]:
        """Return the API's JSON shape (REPRESENTATIVES in api/openapi.py): who, and how found."""
        body: dict[str, Any] = {
            "match": self.match,
            "state": self.state,
            "district": self.district,
        }
        if self.candidates:
            body["candidates"] = [{"state": s, "district": d} for s, d in self.candidates]
        body["legislators"] = [member.to_api() for member in self.legislators]
        body["fallback"] = self.fallback
        body["vacant"] = self.vacant
        if self.matched_address:
            body["matched_address"] = self.matched_address
        body["congress"] = self.congress
        body["pending"] = list(self.pending)
        body["map_changed"] = self.map_changed
        body["map_changes_on"] = (
            congress_start_day(self.upcoming.congress) if self.upcoming else None
        )
        return body

    def to_record(self) -> dict[str, Any]:
        """Return a small dict to keep with the visit; members are looked up again on reading."""
        return {
            "match": self.match,
            "state": self.state,
            "district": self.district,
            "candidates": [list(seat) for seat in self.candidates],
            "matched_address": self.matched_address,
            "fallback": self.fallback,
            "zip": self.zip,
            "chosen": self.chosen,
            "every_candidate": self.every_candidate,
            "congress": self.congress,
            "map_changed": self.map_changed,
        }
