"""Lobby packets: the page left with each office, a senator's or a representative's.

A state's packets are one page per office: each senator's (the statewide count, the
counts per district and per city, supporters' own words from the whole state) and each
House member's whose district has pledges (that district's count, cities and words).
Pledges whose district is not known on the sitting Congress's map count in the state's
Senate pages, on a line of their own.

A packet leaves the organization: small numbers in it could single out a family whose
relatives a state can punish. A count below the small number (`LOBBY_SMALL_NUMBER`, 3) is
printed as "fewer than 3", and words from a city or district below it are left out. The
dashboard keeps the exact counts. Where the exact total would give the one hidden count
away by subtraction, one more count is withheld ("not shown": `protect`).

Each packet is one printed page on US Letter and on A4 whatever the data: at most
MAX_DISTRICTS districts, MAX_CITIES cities and MAX_QUOTES quotes, each cut to a width
(`fit`), and the campaign's own text cut too (`bill_text`). The browser test prints a
packet stuffed to every cap, in several scripts, and counts the pages.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final, Literal

from sqlalchemy.orm import Session

from advocacy.campaigns.content import CampaignContent
from advocacy.campaigns.lifecycle import WASHINGTON, PageCopy
from advocacy.congress.calendar import congress_on, ordinal
from advocacy.congress.members import Legislator
from advocacy.congress.states import state_name
from advocacy.letters.drafting import recipient_kind
from advocacy.organizers.dashboard import seat_code
from advocacy.organizers.stats import (
    Note,
    SittingMap,
    consented_notes,
    district_cities,
    state_cities,
)
from advocacy.representatives.directory import Roster

# The caps that keep a packet on one page (checked by tests/browser/test_packets.py).
MAX_DISTRICTS: Final = 16  # four rows of four
MAX_CITIES: Final = 10  # five rows of two
MAX_QUOTES: Final = 3
# Widths in columns, a wide character (CJK, most emoji) counting two.
QUOTE_WIDTH: Final = 250
CITY_WIDTH: Final = 30
ASK_WIDTH: Final = 220
STATUS_WIDTH: Final = 260
MAX_PROVISIONS: Final = 5
PROVISION_WIDTH: Final = 200
# How many of the latest consented notes are read to find quotes from places big enough.
NOTES_READ: Final = 500

Chamber = Literal["senate", "house"]


def fit(text: str, width: int) -> str:
    """Return text on one line, cut to at most `width` columns with an ellipsis.

    Wide characters (CJK, most emoji) count two columns and combining marks none, so a
    quote in Chinese takes no more lines than one in English. The cut falls at a word
    when a word boundary is near.
    """
    text = " ".join(text.split())
    if _columns(text) <= width:
        return text
    used, end = 0, 0
    while used + _column(text[end]) <= width - 1:  # room for the ellipsis; ends: text is wider
        used += _column(text[end])
        end += 1
    cut = text[:end]
    space = cut.rfind(" ")
    if text[end] != " " and space > len(cut) * 3 // 4:
        cut = cut[:space]  # do not end in the middle of a word
    return cut.rstrip(" ,.;:،、。") + "…"


def _column(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _columns(text: str) -> int:
    return sum(_column(char) for char in text)


@dataclass(frozen=True)
class Shown:
    """A count as a packet prints it: exact from the small number up, else "fewer than N".

    Zero stays zero: it names nobody.
    """

    n: int
    small: int
    # Printed exactly, it would let a reader work a hidden count out (`protect`).
    withheld: bool = False

    @property
    def small_count(self) -> bool:
        return 0 < self.n < self.small

    @property
    def hidden(self) -> bool:
        return self.withheld or self.small_count

    @property
    def singular(self) -> bool:
        return self.n == 1 and not self.hidden

    def __str__(self) -> str:
        if self.small_count:
            return f"fewer than {self.small}"
        return "not shown" if self.withheld else f"{self.n:,}"


@dataclass(frozen=True)
class Place:
    name: str
    count: Shown


@dataclass(frozen=True)
class Packet:
    """One office's page."""

    chamber: Chamber
    state: str
    district: int | None  # the House seat's; None for a senator
    member: Legislator | None  # None: a vacant or unknown House seat
    # The letters' kind of recipient: senate, senate_sponsor, house, house_sponsor,
    # house_had_no_vote ("" for a vacant seat).
    stance: str
    count: Shown
    districts: tuple[Place, ...]  # the Senate's: per district, largest first
    more_districts: int
    not_known: Shown | None  # the Senate's: pledges whose district is not known
    cities: tuple[Place, ...]
    more_cities: int
    quotes: tuple[str, ...]

    @property
    def state_name(self) -> str:
        return state_name(self.state)

    @property
    def code(self) -> str:
        return self.state if self.district is None else seat_code(self.state, self.district)

    @property
    def office(self) -> str:
        """Whose office the page is for: "Senator Maria Cantwell"."""
        if self.member is not None:
            return f"{self.member.title} {self.member.name}"
        return f"the representative for {self.code}"

    @property
    def anchor(self) -> str:
        """An id for the page, unique within a state's packets."""
        if self.chamber == "senate" and self.member is not None:
            return f"senate-{self.member.bioguide}"
        return f"house-{self.state}-{self.district}"


@dataclass(frozen=True)
class BillText:
    """The campaign's words a packet prints, cut to fit."""

    ask: str
    status: str
    provisions: tuple[str, ...]


def bill_text(content: CampaignContent, copy: PageCopy) -> BillText:
    """Return the ask, where the bill stands and what it does, each cut to its width."""
    return BillText(
        ask=fit(content.ask.pledge_statement, ASK_WIDTH),
        status=fit(copy.status, STATUS_WIDTH),
        provisions=tuple(
            fit(item, PROVISION_WIDTH) for item in content.bill.provisions[:MAX_PROVISIONS]
        ),
    )


@dataclass(frozen=True)
class Heading:
    """What every packet says of when it was prepared."""

    prepared_on: str  # "December 5, 2026", in Washington
    congress: str  # "119th Congress", the one sitting


def heading(moment: datetime) -> Heading:
    day = moment.astimezone(WASHINGTON).date()
    return Heading(f"{day:%B} {day.day}, {day.year}", f"{ordinal(congress_on(moment))} Congress")


@dataclass(frozen=True)
class Tally:
    """One campaign's counts, from the tallies, and where packets read the rest."""

    session: Session
    campaign_id: int
    counts: dict[tuple[str, int | None], int]  # stats.by_district on the sitting map
    on_map: SittingMap
    small: int

    def shown(self, n: int) -> Shown:
        return Shown(n, self.small)

    def state_counts(self, state: str) -> dict[int | None, int]:
        return {d: n for (s, d), n in self.counts.items() if s == state}


def _key(city: str) -> str:
    return " ".join(city.split()).casefold()


def _merged(cities: Iterable[tuple[str, int]]) -> dict[str, tuple[str, int]]:
    """Cities by their name as typed in any case or spacing: the commonest spelling, count."""
    merged: dict[str, tuple[str, int]] = {}
    for city, n in cities:  # largest first: the first spelling is the commonest
        key = _key(city)
        name, total = merged.get(key, (" ".join(city.split()), 0))
        merged[key] = (name, total + n)
    return merged


def _by_name(cities: dict[str, tuple[str, int]]) -> list[tuple[str, int]]:
    return sorted(cities.values(), key=lambda item: item[0].casefold())


def _places(
    items: list[tuple[str, int]], tally: Tally, cap: int, width: int
) -> tuple[tuple[Place, ...], list[int]]:
    """The places a page lists, largest first, and the counts of those past the cap."""
    ordered = sorted(items, key=lambda item: -item[1])  # stable: the callers' order within
    shown = tuple(Place(fit(name, width), tally.shown(n)) for name, n in ordered[:cap])
    return shown, [n for _name, n in ordered[cap:]]


def protect(total: Shown, lines: list[Shown], unlisted: list[int], unplaced: int) -> list[Shown]:
    """Withhold the smallest exact line too where subtraction would reveal a hidden count.

    `lines` and the `unlisted` places (past the cap) add up to the total with `unplaced`
    (pledges in no place: no city typed). A reader with the exact total and every exact
    line knows what the rest add up to; when the rest is one small place, that is its
    count, however it is printed. With one more line withheld, two unknowns share it.
    """
    if total.hidden:
        return lines
    unknown = [line.n for line in lines if line.hidden] + [n for n in unlisted if n > 0]
    if unplaced > 0 or len(unknown) != 1 or not 0 < unknown[0] < total.small:
        return lines
    exact = [i for i, line in enumerate(lines) if not line.hidden and line.n > 0]
    if not exact:
        return lines
    smallest = min(exact, key=lambda i: lines[i].n)
    return [
        replace(line, withheld=True) if i == smallest else line for i, line in enumerate(lines)
    ]


def _protected_places(
    total: Shown, places: tuple[Place, ...], unlisted: list[int], unplaced: int
) -> tuple[Place, ...]:
    counts = protect(total, [place.count for place in places], unlisted, unplaced)
    return tuple(replace(place, count=count) for place, count in zip(places, counts, strict=True))


def _quotes(notes: list[Note], big_enough: Callable[[Note], bool]) -> tuple[str, ...]:
    """The latest notes from places with at least the small number, cut to fit."""
    quotes = [fit(note.text, QUOTE_WIDTH) for note in notes if big_enough(note)]
    return tuple(quotes[:MAX_QUOTES])


def senate_packet(
    tally: Tally, content: CampaignContent, member: Legislator, moment: datetime
) -> Packet:
    """Return a senator's page: the whole state's pledges, by district and by city."""
    state = member.state
    by_district = tally.state_counts(state)
    not_known = by_district.pop(None, 0)
    total = tally.shown(sum(by_district.values()) + not_known)
    districts, past_districts = _places(
        [(seat_code(state, d), n) for d, n in sorted(by_district.items()) if d is not None],
        tally,
        MAX_DISTRICTS,
        CITY_WIDTH,
    )
    # "District not known" is one more line of the same sum.
    lines = [place.count for place in districts] + [tally.shown(not_known)]
    *district_counts, not_known_count = protect(total, lines, past_districts, 0)
    districts = tuple(
        replace(place, count=count)
        for place, count in zip(districts, district_counts, strict=True)
    )
    cities = _merged(state_cities(tally.session, tally.campaign_id, state))
    city_places, past_cities = _places(_by_name(cities), tally, MAX_CITIES, CITY_WIDTH)
    without_city = total.n - sum(n for _name, n in cities.values())
    city_places = _protected_places(total, city_places, past_cities, without_city)

    def big_enough(note: Note) -> bool:
        group = not_known if note.district is None else by_district.get(note.district, 0)
        city = cities.get(_key(note.city), ("", tally.small))[1] if note.city.strip() else None
        return group >= tally.small and (city is None or city >= tally.small)

    notes = consented_notes(
        tally.session, tally.campaign_id, state, tally.on_map, limit=NOTES_READ
    )
    return Packet(
        chamber="senate",
        state=state,
        district=None,
        member=member,
        stance=recipient_kind(content, member, moment),
        count=total,
        districts=districts,
        more_districts=len(past_districts),
        not_known=not_known_count if not_known else None,
        cities=city_places,
        more_cities=len(past_cities),
        quotes=_quotes(notes, big_enough),
    )


def house_packet(
    tally: Tally,
    content: CampaignContent,
    state: str,
    district: int,
    member: Legislator | None,
    moment: datetime,
) -> Packet:
    """Return a House seat's page: the district's pledges and cities."""
    count = tally.counts.get((state, district), 0)
    found = district_cities(tally.session, tally.campaign_id, state, district, tally.on_map)
    cities = _merged(found)
    city_places, past_cities = _places(_by_name(cities), tally, MAX_CITIES, CITY_WIDTH)
    without_city = count - sum(n for _name, n in cities.values())
    city_places = _protected_places(tally.shown(count), city_places, past_cities, without_city)

    def big_enough(note: Note) -> bool:
        city = cities.get(_key(note.city), ("", tally.small))[1] if note.city.strip() else None
        return count >= tally.small and (city is None or city >= tally.small)

    notes = consented_notes(
        tally.session, tally.campaign_id, state, tally.on_map, district=district, limit=NOTES_READ
    )
    return Packet(
        chamber="house",
        state=state,
        district=district,
        member=member,
        stance=recipient_kind(content, member, moment) if member is not None else "",
        count=tally.shown(count),
        districts=(),
        more_districts=0,
        not_known=None,
        cities=city_places,
        more_cities=len(past_cities),
        quotes=_quotes(notes, big_enough),
    )


def house_seats(tally: Tally, state: str | None = None) -> list[tuple[str, int]]:
    """Every House seat with pledges on the sitting map (of one state), in seat order."""
    return sorted(
        (s, d)
        for (s, d), n in tally.counts.items()
        if d is not None and n > 0 and (state is None or s == state)
    )


def state_packets(
    tally: Tally,
    content: CampaignContent,
    state: str,
    roster: Roster | None,
    moment: datetime,
) -> list[Packet]:
    """Return a state's packets: each senator's page, then each House seat's with pledges."""
    senators = roster.senators(state) if roster is not None else []
    packets = [senate_packet(tally, content, member, moment) for member in senators]
    for s, district in house_seats(tally, state):
        member = roster.house_member(s, district) if roster is not None else None
        packets.append(house_packet(tally, content, s, district, member, moment))
    return packets


def states_with_pledges(tally: Tally) -> list[str]:
    """The states with pledges, in code order."""
    return sorted({state for (state, _d), n in tally.counts.items() if n > 0})
