"""Checking a congress-legislators members file, as it looks on any day, a changeover included."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime

from advocacy.congress.calendar import congress_on
from advocacy.congress.members import Legislator
from advocacy.congress.states import state_name
from advocacy.representatives.datafiles.snapshot import snapshot_zip_table
from advocacy.representatives.datafiles.sources import (
    MAX_STATES_SHORT,
    MIN_MEMBERS,
    STATES,
    DataFileError,
)
from advocacy.representatives.datafiles.summaries import LegislatorsSummary, is_behind, plural
from advocacy.representatives.directory import (
    DirectoryError,
    Term,
    members_congress,
    parse_legislators,
    terms_from_data,
)


def validate_legislators(content: bytes, now: datetime | None = None) -> LegislatorsSummary:
    """Check a `legislators-current.json`, say which Congress it describes, and summarise it.

    What a changeover leaves for days (an outgoing and an incoming senator side by side, a
    state short of a senator, a seat with nobody yet, members with no phone yet, terms
    that start later or have ended) is a warning; what no real file looks like (three
    senators for a state at once, too few members, malformed entries) is an error.
    """
    now = now or datetime.now(UTC)
    try:
        data = json.loads(content)
        members = parse_legislators(data)
        terms = terms_from_data(data)
    except (ValueError, DirectoryError) as exc:
        raise DataFileError(f"legislators file is invalid: {exc}") from exc
    if len(members) < MIN_MEMBERS:
        raise DataFileError(
            f"legislators file lists {len(members)} members, expected at least {MIN_MEMBERS}"
        )
    congress, sitting = members_congress(terms), congress_on(now)
    warnings = [
        *_senate_gaps(terms, now, behind=is_behind(congress, sitting)),
        *_house_gaps(terms, now, behind=is_behind(congress, sitting)),
        *_contact_gaps(members),
        *_term_gaps(terms, now),
    ]
    total = sum(1 for m in members if m.chamber == "senate")
    return LegislatorsSummary(
        len(members),
        total,
        len(members) - total,
        congress=congress,
        sitting=sitting,
        warnings=tuple(warnings),
        as_of=latest_change(terms),
    )


def latest_change(terms: Iterable[Term]) -> date | None:
    """Return the day of the latest term start a members file lists: how recent a build it is.

    congress-legislators has no build date; each build adds the members sworn in since
    the one before, so of two builds of one Congress, the later starts a term later.
    """
    starts = [term.start for term in terms]
    return max(starts).date() if starts else None


def _most_at_once(windows: Iterable[tuple[datetime, datetime]]) -> int:
    """Return how many of the [start, end) windows overlap at the busiest moment."""
    # An end sorts before a start at the same instant: a term handed over at noon.
    events = sorted(
        (moment, step) for start, end in windows for moment, step in ((start, 1), (end, -1))
    )
    most = count = 0
    for _moment, step in events:
        count += step
        most = max(most, count)
    return most


def _senate_gaps(terms: Iterable[Term], now: datetime, *, behind: bool) -> list[str]:
    """Return a warning per state short of a senator or listing a handover; raise for three
    senators at once, or for many states short (a truncated file)."""
    windows: dict[str, list[tuple[datetime, datetime]]] = {}
    people: dict[str, set[str]] = {}
    for term in terms:
        if term.member.chamber == "senate":
            windows.setdefault(term.member.state, []).append((term.start, term.end))
            people.setdefault(term.member.state, set()).add(term.member.bioguide)
    at_once = {state: _most_at_once(found) for state, found in windows.items()}
    wrong = sorted(s for s in at_once if s not in STATES or at_once[s] > 2)
    if wrong:
        detail = ", ".join(f"{s} {at_once[s]}" for s in wrong)
        raise DataFileError(
            f"legislators file has the wrong number of senators: {detail} whose terms overlap"
        )
    # Seats the file fills from now on (a term that has ended is no one's seat now).
    ahead = {
        state: _most_at_once((start, end) for start, end in found if end > now)
        for state, found in windows.items()
    }
    listed = Counter({state: len(found) for state, found in people.items()})
    lacking = sum(1 for s in STATES if listed[s] < 2)
    if lacking > MAX_STATES_SHORT:
        raise DataFileError(
            f"legislators file lacks senators for {lacking} states "
            f"(more than {MAX_STATES_SHORT}): it looks truncated"
        )
    warnings = []
    short = [state for state in STATES if ahead.get(state, 0) < 2]
    if behind and short:
        # A third of the Senate's terms ended with the old Congress: one line, not 33.
        return [
            f"{plural(len(short), 'state has', 'states have')} fewer than two senators in "
            "the file from now on: terms that ended with the last Congress, whose "
            "successors the new Congress's file will list"
        ]
    for state in sorted(STATES, key=state_name):
        seats = ahead.get(state, 0)
        if seats < 2:
            warnings.append(f"{state_name(state)} has {'one senator' if seats else 'no senator'}")
        elif listed[state] > 2:
            warnings.append(
                f"{state_name(state)} lists {listed[state]} senators: an outgoing senator's "
                "term ends as an incoming one's starts"
            )
    return warnings


def _house_gaps(terms: Iterable[Term], now: datetime, *, behind: bool) -> list[str]:
    """Return a warning naming the House seats nobody in the file holds from now on."""
    if behind:
        return []  # every House term has ended; the Congress line says so
    held = {
        (t.member.state, t.member.district)
        for t in terms
        if t.member.chamber == "house" and t.end > now
    }
    seats = {seat for found in snapshot_zip_table().values() for seat in found}
    empty = sorted(seats - held, key=lambda seat: (state_name(seat[0]), seat[1]))
    if not empty:
        return []
    codes = [f"{state}-{district or 'AL'}" for state, district in empty]
    shown = ", ".join(codes[:8]) + (f" and {len(codes) - 8} more" if len(codes) > 8 else "")
    return [
        f"{plural(len(empty), 'House seat has', 'House seats have')} nobody in the file "
        f"({shown}): vacant, or a new member not listed yet"
    ]


def _contact_gaps(members: list[Legislator]) -> list[str]:
    """Return warnings for members supporters cannot call or write to yet."""
    # New members' offices reach the file days after they are sworn in.
    no_phone = sum(1 for m in members if not (m.phone and m.address))
    # House members have no contact form in the file, only a website.
    offline = sum(1 for m in members if not (m.url or m.contact_form))
    warnings = []
    if no_phone:
        warnings.append(
            f"{plural(no_phone, 'member has', 'members have')} no phone number or office address"
        )
    if offline:
        warnings.append(
            f"{plural(offline, 'member has', 'members have')} no website or contact form"
        )
    return warnings


def _term_gaps(terms: Iterable[Term], now: datetime) -> list[str]:
    """Return warnings for members whose last term is not running at `now`."""
    last: dict[str, Term] = {}
    for term in terms:
        last[term.member.bioguide] = term  # a member's last term comes after the one before
    ended = sum(1 for t in last.values() if t.end <= now)
    later = sorted(t.start for t in last.values() if t.start > now)
    warnings = []
    if ended:
        whose = "member's term has" if ended == 1 else "members' terms have"
        warnings.append(f"{ended} {whose} ended; they are not shown")
    if later:
        whose = "member's term starts" if len(later) == 1 else "members' terms start"
        warnings.append(
            f"{len(later)} {whose} later (the first on {later[0]:%Y-%m-%d}); until then they "
            "are not shown, or are shown in the term before"
        )
    return warnings
