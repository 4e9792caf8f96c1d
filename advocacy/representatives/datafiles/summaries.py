"""What a checked file holds, said in one line for people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from advocacy.congress.calendar import congress_on, ordinal, sworn_in_at


def sitting_line(now: datetime) -> str:
    """Return one line saying which Congress sits at a moment, and when the next one starts."""
    sitting = congress_on(now)
    return (
        f"At {now.astimezone(UTC):%Y-%m-%d %H:%M} UTC the {ordinal(sitting)} Congress sits; "
        f"the {ordinal(sitting + 1)} is sworn in {sworn_in_at(sitting + 1)}."
    )


def describes(congress: int, sitting: int | None, later: str) -> str:
    """Say which Congress a file describes and, if not the sitting one, what that means."""
    text = f"describes the {ordinal(congress)} Congress"
    if sitting is not None and congress < sitting:
        text += (
            f", which ended {sworn_in_at(congress + 1)}: behind the {ordinal(sitting)}, "
            f"sitting since {sworn_in_at(sitting)}; {later}"
        )
    elif sitting is not None and congress > sitting:
        text += f", which sits from {sworn_in_at(congress)}"
    return text


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def and_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


@dataclass(frozen=True)
class LegislatorsSummary:
    """What a valid legislators file holds, which Congress it describes, and its gaps."""

    members: int
    senators: int
    representatives: int
    congress: int | None = None  # the Congress most House terms start in
    sitting: int | None = None  # the Congress sitting when the file was checked
    warnings: tuple[str, ...] = ()
    as_of: date | None = None  # the latest term start the file lists (see latest_change)

    @property
    def behind(self) -> bool:
        """Tell whether the file describes a Congress that has ended."""
        return is_behind(self.congress, self.sitting)

    def describe(self) -> str:
        """Return a one-line human summary."""
        parts = [
            f"{self.members} members: {self.senators} senators, "
            f"{self.representatives} House members"
        ]
        if self.as_of is not None:
            parts[0] += f" (latest term start {self.as_of:%Y-%m-%d})"
        if self.congress is not None:
            # congress-legislators merges a new Congress hours after the swearing-in.
            later = "run `advocacy data refresh` again later"
            parts.append(describes(self.congress, self.sitting, later))
        parts += [f"warning: {warning}" for warning in self.warnings]
        return "; ".join(parts)


@dataclass(frozen=True)
class ZctaSummary:
    """What a valid ZCTA file holds, and whose map it draws."""

    rows: int
    zctas: int
    states: int
    congress: int
    sitting: int | None = None  # the Congress sitting when the file was checked
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def behind(self) -> bool:
        """Tell whether the table draws the map of a Congress that has ended."""
        return is_behind(self.congress, self.sitting)

    def describe(self) -> str:
        """Return a one-line human summary."""
        parts = [f"{self.zctas} ZCTAs in {self.states} states and territories ({self.rows} rows)"]
        sitting = self.sitting or self.congress
        later = (
            f"build a {ordinal(sitting)} table with `advocacy data build-zip-table --congress "
            f"{sitting} --output PATH` and load it (README: A new Congress)"
        )
        parts.append(describes(self.congress, self.sitting, later))
        parts += [f"warning: {warning}" for warning in self.warnings]
        parts += [f"note: {note}" for note in self.notes]
        return "; ".join(parts)


Summary = LegislatorsSummary | ZctaSummary


def is_behind(congress: int | None, sitting: int | None) -> bool:
    return congress is not None and sitting is not None and congress < sitting
