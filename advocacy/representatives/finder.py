"""From what a supporter typed to their members of Congress: address, then ZIP, then state."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from flask_babel import gettext

from advocacy.congress.calendar import congress_on
from advocacy.congress.maps import MapChange, MapTable, load_map_table
from advocacy.congress.members import Chamber
from advocacy.congress.states import NON_STATES, STATE_NAMES, state_name, territory_for_zip
from advocacy.representatives.breaker import Breaker, LocalBreaker
from advocacy.representatives.directory import Directory, Roster, Seat
from advocacy.representatives.geocoder import (
    GeocoderBusyError,
    GeocoderError,
    GeocodeResult,
    GeocoderUnavailableError,
    WrongMapError,
)
from advocacy.representatives.inputs import Address, LookupInputError
from advocacy.representatives.lookup import (
    GEOCODER_SILENT,
    CandidateSeat,
    Fallback,
    Lookup,
    Match,
    OpenSenateSeat,
    seat_code,
)

log = logging.getLogger(__name__)

# Look-ups kept before records carried their Congress were all made under the 119th.
RECORDS_BEFORE_CONGRESS_FIELD = 119
# The fifty states: two senators each.
SENATE_STATES = frozenset(STATE_NAMES) - NON_STATES

# A one-line address may end with the country, as map apps and autocomplete write it.
_COUNTRY = r"(?:[\s,]+(?:USA|U\.S\.A\.?|US|U\.S\.?|United States(?: of America)?))?"
ZIP_IN_TEXT = re.compile(r"\b([0-9]{5})(?:-[0-9]{4})?" + _COUNTRY + r"\s*$", re.IGNORECASE)
STATE_BEFORE_ZIP = re.compile(
    r"\b([A-Za-z]{2})[\s,]+[0-9]{5}(?:-[0-9]{4})?" + _COUNTRY + r"\s*$", re.IGNORECASE
)


def _joined(names: list[str]) -> str:
    """Names joined as a sentence says them, with the page's joins from the catalogue
    (advocacy.web.languages.format_list's messages: this layer may not import the web)."""
    joined = names[0] if names else ""
    for name in names[1:-1]:
        joined = gettext("%(first)s, %(second)s", first=joined, second=name)
    if len(names) > 1:
        joined = gettext("%(first)s and %(last)s", first=joined, last=names[-1])
    return joined


class Geocoder(Protocol):
    def geocode(
        self,
        street: str,
        city: str | None = None,
        state: str | None = None,
        zip: str | None = None,
        *,
        congress: int,
    ) -> GeocodeResult | None: ...

    def geocode_oneline(self, address: str, *, congress: int) -> GeocodeResult | None: ...


@dataclass
class RepresentativeFinder:
    """Finds members from an address, falling back to the ZIP, then to the state.

    Every answer is for the moment the clock gives: the district on the sitting
    Congress's map, and only members whose term covers that moment.

    Geocoder answers are not kept between supporters. A cache shared by supporters answers
    an address someone else looked up sooner (milliseconds against the Census's hundreds),
    and without calling the Census, so anyone could time a look-up, or watch for the
    fallback while the Census is down, to learn whether a guessed address, a family's
    home, was looked up lately; keying the cache with a secret hides the addresses from a
    copy of the table, not from that. The supporter's own answer is kept with their visit
    (`Lookup.to_record`), which is all their results page needs, and which expires with it;
    the geocoder's deadline, its bound on waiting look-ups and the breaker keep a slow or
    failing Census from holding anyone.
    """

    directory: Directory
    geocoder: Geocoder
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    maps: MapTable = field(default_factory=load_map_table)
    # After a failure, skip the geocoder for a while: supporters should not each wait
    # for a timeout while it is down. Shared by the workers when Redis is configured.
    breaker: Breaker = field(default_factory=LocalBreaker)
    pause_after_failure: float = 30.0

    def roster(self) -> Roster:
        """Return who sits now."""
        return self.directory.at(self.clock())

    def sitting(self) -> int:
        """Return the number of the Congress sitting now."""
        return congress_on(self.clock())

    def find_address(self, address: Address) -> Lookup:
        """Find the supporter's members from their address."""
        return self.find(
            street=address.street, city=address.city, state=address.state, zip5=address.zip5
        )

    def find(self, *, street: str = "", city: str = "", state: str = "", zip5: str = "") -> Lookup:
        """Find the supporter's members from the fields of the form."""
        state = state.strip().upper()
        self._check_state(state)
        if street.strip():
            geocoded, fallback = self._geocode(
                self._state_hint(state, zip5),
                lambda congress: self.geocoder.geocode(
                    street, city or None, state or None, zip5 or None, congress=congress
                ),
            )
            if geocoded is not None:
                return self._from_geocode(geocoded, zip5)
            return self._from_zip(zip5, state, fallback)
        return self._from_zip(zip5, state, None)

    def find_oneline(self, address: str) -> Lookup:
        """Find members from an address written on one line ("1 Main St, Town, WA 98101")."""
        zip_match = ZIP_IN_TEXT.search(address)
        state_match = STATE_BEFORE_ZIP.search(address)
        zip5 = zip_match.group(1) if zip_match else ""
        state = state_match.group(1).upper() if state_match else ""
        if state and not self.directory.is_known_state(state):
            state = ""
        geocoded, fallback = self._geocode(
            self._state_hint(state, zip5),
            lambda congress: self.geocoder.geocode_oneline(address, congress=congress),
        )
        if geocoded is not None:
            return self._from_geocode(geocoded, zip5)
        if not zip5 and not state:
            if fallback == "geocoder_unavailable":
                message = gettext(
                    "The address service is not answering just now. Please add your ZIP "
                    "code, so we can find your members from it."
                )
            elif fallback == "geocoder_busy":
                message = gettext(
                    "The address service is busy just now. Please add your ZIP code, so we "
                    "can find your members from it."
                )
            elif fallback == "geocoder_wrong_map":
                message = gettext(
                    "The address service answered with another Congress's district map "
                    "just now. Please add your ZIP code, so we can find your members from it."
                )
            else:
                message = gettext(
                    "We could not find that address. Please add the ZIP code, "
                    "or check the street, city and state."
                )
            raise LookupInputError({"address": message})
        return self._from_zip(zip5, state, fallback)

    def _lookup(
        self,
        match: Match,
        state: str | None,
        district: int | None,
        *,
        zip5: str,
        fallback: Fallback | None = None,
        candidates: tuple[tuple[str, int], ...] = (),
        matched_address: str | None = None,
        chosen: bool = False,
        every_candidate: bool = False,
        map_changed: bool = False,
    ) -> Lookup:
        """Build the answer with the members sitting now: House members, then senators."""
        moment = self.clock()
        sitting = congress_on(moment)
        roster = self.directory.at(moment)
        # Members data for another Congress than the sitting one cannot tell a vacant
        # seat from a member whose details have not arrived yet.
        members_current = self.directory.members_congress == sitting
        seats = tuple(
            CandidateSeat(s, d, roster.house_member(s, d), pending=not members_current)
            for s, d in candidates
        )
        if every_candidate:
            house = [seat.member for seat in seats if seat.member is not None]
            senate_states = sorted({s for s, _ in candidates})
            house_seats: list[Seat] = list(candidates)
        else:
            member = None
            if state and district is not None:
                member = roster.house_member(state, district)
            house = [member] if member else []
            senate_states = [state] if state else []
            house_seats = [(state, district)] if state and district is not None else []
        senators = [m for s in senate_states for m in roster.senators(s)]
        pending: list[Chamber] = []
        unknown = len(house) < len(house_seats) or any(seat.member is None for seat in seats)
        # A ZIP the new maps leave unplaced: its House member is not known either, and with
        # the members data behind, the street address will find the district but no member.
        unknown = unknown or (map_changed and not house)
        if unknown and not members_current:
            pending.append("house")
        short = [s for s in senate_states if s in SENATE_STATES and len(roster.senators(s)) < 2]
        if short:
            pending.append("senate")
        open_seats = tuple(
            OpenSenateSeat.from_gap(gap)
            for s in short
            for gap in self.directory.senate_gaps(s, moment)
        )
        senate_loading = any(
            len(roster.senators(s)) + sum(seat.state == s for seat in open_seats) < 2
            for s in short
        )
        # A seat missing from our data (another Congress's map, say) is not "vacant".
        vacant = (
            not house
            and members_current
            and state is not None
            and district is not None
            and self.directory.has_seat(state, district)
        )
        return Lookup(
            match=match,
            state=state,
            district=district,
            candidates=candidates,
            legislators=tuple(house) + tuple(senators),
            matched_address=matched_address,
            fallback=fallback,
            vacant=vacant,
            zip=zip5,
            chosen=chosen,
            every_candidate=every_candidate,
            candidate_seats=seats,
            whole_state=state is not None and len(self.directory.districts(state)) == 1,
            congress=sitting,
            pending=tuple(pending),
            map_changed=map_changed,
            upcoming=self.maps.upcoming(state, sitting) if state else None,
            new_maps=self._new_maps(zip5, state, sitting) if map_changed else (),
            open_senate_seats=open_seats,
            senate_loading=senate_loading,
        )

    def _new_maps(self, zip5: str, state: str | None, sitting: int) -> tuple[MapChange, ...]:
        """Return the new maps of the ZIP's states that its ZIP tables cannot draw."""
        if not zip5:
            return ()
        _seats, unmapped = self.zip_seats(zip5)
        oldest = min(self.directory.zip_tables, default=sitting)
        found = []
        for unmapped_state in unmapped:
            if state and unmapped_state != state:
                continue
            # The newest map up to the sitting Congress: the one the tables lack.
            for congress in range(sitting, oldest, -1):
                row = self.maps.row(congress, unmapped_state)
                if row is not None and row.lines == "new":
                    found.append(row)
                    break
        return tuple(found)

    def _check_state(self, state: str) -> None:
        if state and not self.directory.is_known_state(state):
            raise LookupInputError({"state": gettext("Please choose a US state or territory.")})

    def _state_hint(self, state: str, zip5: str) -> str:
        """Return the state the address is in, when the form or the ZIP says so."""
        if state:
            return state
        states = {s for seats in self.directory.seats_by_table(zip5).values() for s, _ in seats}
        return next(iter(states)) if len(states) == 1 else ""

    def _geocode(
        self, state: str, ask: Callable[[int], GeocodeResult | None]
    ) -> tuple[GeocodeResult | None, Fallback]:
        """Return a usable geocoder answer, and why the ZIP must answer if there is none.

        The map asked for is the sitting Congress's, except for a state the changed-states
        table keeps on an earlier Congress's lines: there the earlier map is asked for.
        """
        sitting = self.sitting()
        congress = self.maps.census_congress(state, sitting) if state else sitting
        result, fallback = self._geocode_on(congress, ask)
        if result is not None and not state:
            right = self.maps.census_congress(result.state, sitting)
            if right != congress:
                result, fallback = self._geocode_on(right, ask)
        return result, fallback

    def _geocode_on(
        self, congress: int, ask: Callable[[int], GeocodeResult | None]
    ) -> tuple[GeocodeResult | None, Fallback]:
        if self.breaker.is_open():
            return None, "geocoder_unavailable"
        try:
            result = ask(congress)
        except GeocoderBusyError:
            # Not an outage either: the breaker is left alone, and the next look-up, once
            # a place is free, asks the Census as usual.
            log.info("geocoder busy: answered from the ZIP code")
            return None, "geocoder_busy"
        except WrongMapError as error:
            # Not an outage, so the breaker is left alone: the answer came at once (the
            # supporter did not wait out a timeout), and the service has been seen back on
            # the right map minutes later. A pause would send every supporter in a redrawn
            # state to a ZIP code that can name no House member; not pausing costs each
            # look-up two quick requests while the wrong map lasts.
            log.warning("geocoder answered on the wrong map: %s", error)
            return None, "geocoder_wrong_map"
        except GeocoderUnavailableError as error:
            log.warning("geocoder unavailable: %s", error)
            self.breaker.trip(self.pause_after_failure)
            return None, "geocoder_unavailable"
        except GeocoderError as error:
            log.warning("geocoder refused the request: %s", error)
            return None, "geocoder_unavailable"
        return self._usable(result), "address_not_found"

    def _usable(self, result: GeocodeResult | None) -> GeocodeResult | None:
        """Return the answer if it names a seat; water or an unknown state is no match."""
        if result is None or result.district is None:
            return None
        return result if self.directory.is_known_state(result.state) else None

    def _from_geocode(self, result: GeocodeResult, zip5: str) -> Lookup:
        return self._lookup(
            "address",
            result.state,
            result.district,
            zip5=zip5,
            matched_address=result.matched_address,
        )

    def zip_seats(self, zip5: str) -> tuple[list[Seat], list[str]]:
        """Return the seats a ZIP touches on the sitting map, and the states we cannot map.

        For each state the ZIP is in, the newest ZIP table whose map for that state is
        the sitting one answers; a state whose map changed since every table we hold is
        returned apart, so that no House member is named from an old map.
        """
        sitting = self.sitting()
        tables = self.directory.seats_by_table(zip5)
        # The sitting Congress's own table first, then the newest.
        order = sorted(tables, key=lambda c: (c != sitting, -c))
        states = sorted({s for seats in tables.values() for s, _ in seats})
        seats: list[Seat] = []
        unmapped: list[str] = []
        for state in states:
            fitting = [c for c in order if self.maps.data_fits(state, c, sitting)]
            if fitting:
                seats.extend(seat for seat in tables[fitting[0]] if seat[0] == state)
            else:
                unmapped.append(state)
        return sorted(seats), unmapped

    def _from_zip(self, zip5: str, state: str, fallback: Fallback | None) -> Lookup:
        seats, unmapped = self.zip_seats(zip5) if zip5 else ([], [])
        territory = territory_for_zip(zip5)
        if not seats and not unmapped and territory is not None:
            seats = [(territory, 0)]
        if zip5 and not seats and not unmapped and state and fallback in GEOCODER_SILENT:
            # Many real ZIPs (PO boxes, single buildings like 20500) are no ZCTA; with no
            # usable geocoder answer we cannot tell them from a typo, so the state answers.
            return self._from_state(state, fallback, zip5)
        if zip5 and not seats and not unmapped:
            raise LookupInputError(
                {
                    "zip": gettext(
                        "We could not find ZIP code %(zip)s. Please check it; for a PO Box, "
                        "use the ZIP code of where you live.",
                        zip=zip5,
                    )
                }
            )
        if not seats and not unmapped:
            if state:
                return self._from_state(state, fallback, zip5)
            raise LookupInputError({"zip": gettext("Please enter your 5-digit ZIP code.")})
        if state:
            in_state = [seat for seat in seats if seat[0] == state]
            if not in_state and state not in unmapped:
                elsewhere = sorted({state_name(s) for s in {s for s, _ in seats} | set(unmapped)})
                raise LookupInputError(
                    {
                        "zip": gettext(
                            "ZIP code %(zip)s is in %(states)s, not %(state)s. Please check "
                            "the ZIP code or the state.",
                            zip=zip5,
                            states=_joined(elsewhere),
                            state=state_name(state),
                        )
                    }
                )
            seats = in_state
            unmapped = [s for s in unmapped if s == state]
        if unmapped and not seats:
            # The state's new map is not in our ZIP table: its senators, and the street
            # address for the House.
            only = unmapped[0] if len(unmapped) == 1 else None
            return self._lookup("zip", only, None, zip5=zip5, fallback=fallback, map_changed=True)
        states = sorted({s for s, _ in seats})
        if len(seats) == 1 and not unmapped:
            seat_state, district = seats[0]
            return self._lookup("zip", seat_state, district, zip5=zip5, fallback=fallback)
        only_state = states[0] if len(states) == 1 and not unmapped else None
        return self._lookup(
            "zip",
            only_state,
            None,
            zip5=zip5,
            fallback=fallback,
            candidates=tuple(seats),
            map_changed=bool(unmapped),
        )

    def _from_state(self, state: str, fallback: Fallback | None, zip5: str) -> Lookup:
        districts = self.directory.districts(state)
        # One seat for the whole state (at-large, DC, territories): the state is enough.
        district = districts[0] if len(districts) == 1 else None
        return self._lookup("state", state, district, zip5=zip5, fallback=fallback)

    def from_record(self, data: dict[str, Any], address: Address | None = None) -> Lookup:
        """Rebuild a look-up kept with the supporter's visit, with the members sitting now.

        A look-up kept from an earlier Congress is made again from the address (the street
        when there is one), so a results page saved before a swearing-in shows the new
        members after it.
        """
        kept = data.get("congress", RECORDS_BEFORE_CONGRESS_FIELD)
        if isinstance(kept, int) and kept and kept != self.sitting():
            again = self._again(data, address)
            if again is not None:
                return replace(again, relooked_from=kept)
        return self._lookup(
            data["match"],
            data.get("state"),
            data.get("district"),
            zip5=data.get("zip") or "",
            fallback=data.get("fallback"),
            candidates=tuple((s, int(d)) for s, d in data.get("candidates") or ()),
            matched_address=data.get("matched_address"),
            chosen=bool(data.get("chosen")),
            every_candidate=bool(data.get("every_candidate")),
            map_changed=bool(data.get("map_changed")),
        )

    def _again(self, data: dict[str, Any], address: Address | None) -> Lookup | None:
        state = data.get("state") or ""
        zip5 = data.get("zip") or ""
        try:
            if address is not None and address.street.strip():
                return self.find_address(address)
            if zip5:
                return self._from_zip(zip5, state, None)
            if state:
                return self._from_state(state, None, zip5)
        except LookupInputError:
            pass  # what was found before can no longer be found: rebuild the state's answer
        return self._from_state(state, None, zip5) if state else None

    def choose(self, lookup: Lookup, choice: str) -> Lookup:
        """Settle a ZIP that spans districts with the supporter's choice.

        choice is a seat code from the candidates ("NY-10") or "all" to write to every
        candidate's member. Raises LookupInputError for anything else.
        """
        codes = {seat_code(s, d): (s, d) for s, d in lookup.candidates}
        every = choice == "all" and bool(codes)
        if every:
            states = {s for s, _ in lookup.candidates}
            state, district = (next(iter(states)) if len(states) == 1 else None), None
        elif choice in codes:
            state, district = codes[choice]
        else:
            raise LookupInputError(
                {"district": gettext("Please choose one of the districts listed.")}
            )
        return self._lookup(
            lookup.match,
            state,
            district,
            zip5=lookup.zip,
            fallback=lookup.fallback,
            candidates=lookup.candidates,
            chosen=not every,
            every_candidate=every,
            map_changed=lookup.map_changed,
        )
