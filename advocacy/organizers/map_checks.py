"""Rows of the changed-states table that an organizer must confirm, and their confirmations.

A row of `map_changes.toml` marked `verify = true` is a fact the service acts on without
being sure of it (Missouri's lines for the 120th Congress). Until an organizer confirms
it, it is shown on the organizers' dashboard and in `advocacy data status`. A
confirmation is of the row's `lines` as it stood: if the table is edited to say
otherwise, the row asks to be checked again. Only rows for the sitting Congress and the
next one are shown: an older one no longer draws any district the service names.

Plain functions on a session; the organizers' views and the command line (`advocacy data
status`, `advocacy data confirm-map`) call them. They live with the organizers because a
confirmation is an organizer's act: made by an active organizer account, written to the
organizers' audit trail, shown on their dashboard. The look-up reads the table itself
(`advocacy.congress.maps`) and never these rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from advocacy.congress.calendar import congress_on, ordinal, sworn_in_at
from advocacy.congress.maps import MapChange, MapTable, load_map_table
from advocacy.congress.states import STATE_NAMES, state_name
from advocacy.db import begin_write
from advocacy.models import AuditEvent, MapConfirmation, Organizer, as_utc, utcnow

TABLE_FILE = "advocacy/congress/map_changes.toml"
COMMAND = "advocacy data confirm-map"
_YEAR = re.compile(r"^((?:19|20)[0-9]{2})\b")


class MapVerificationError(ValueError):
    """A row cannot be confirmed as asked; the message says why, in words for a person."""


class AlreadyConfirmedError(MapVerificationError):
    """The row's lines are confirmed already; `confirmation` says by whom and when."""

    def __init__(self, message: str, confirmation: MapConfirmation) -> None:
        super().__init__(message)
        self.confirmation = confirmation


@dataclass(frozen=True)
class MapCheck:
    """A flagged row, with the confirmation that covers it, if any."""

    change: MapChange
    # The latest confirmation, when it confirmed the lines the table gives now.
    confirmation: MapConfirmation | None
    # The latest confirmation, when it confirmed other lines than the table gives now.
    outdated: MapConfirmation | None

    @property
    def confirmed(self) -> bool:
        return self.confirmation is not None


def window(now: datetime) -> tuple[int, int]:
    """Return the Congresses whose rows are shown: the sitting one and the next."""
    sitting = congress_on(now)
    return sitting, sitting + 1


def flagged(maps: MapTable, now: datetime) -> list[MapChange]:
    """Return the rows marked `verify = true` for the sitting Congress or the next one."""
    shown = window(now)
    return [c for c in maps.changes if c.verify and c.congress in shown]


def latest_confirmation(session: Session, congress: int, state: str) -> MapConfirmation | None:
    """Return the newest confirmation recorded for a Congress and state, whatever its lines."""
    return session.scalar(
        sa.select(MapConfirmation)
        .where(MapConfirmation.congress == congress, MapConfirmation.state == state)
        .order_by(MapConfirmation.confirmed_at.desc(), MapConfirmation.id.desc())
        .limit(1)
    )


def _check(session: Session, change: MapChange) -> MapCheck:
    latest = latest_confirmation(session, change.congress, change.state)
    if latest is None:
        return MapCheck(change, None, None)
    if latest.lines == change.lines:
        return MapCheck(change, latest, None)
    return MapCheck(change, None, latest)


def checks(session: Session, maps: MapTable, now: datetime) -> list[MapCheck]:
    """Return each flagged row of the sitting and next Congress with its confirmation."""
    return [_check(session, change) for change in flagged(maps, now)]


def unconfirmed(session: Session, maps: MapTable, now: datetime) -> list[MapChange]:
    """Return the flagged rows of the sitting and next Congress nobody has confirmed."""
    return [check.change for check in checks(session, maps, now) if not check.confirmed]


# --- in words -------------------------------------------------------------------------------


def _plan(change: MapChange) -> str:
    return f" ({change.plan})" if change.plan else ""


def lines_name(change: MapChange, maps: MapTable) -> str:
    """Name the lines a row gives: "its 2022 lines", "its 119th Congress lines"."""
    year = _YEAR.match(change.plan)
    if year:
        return f"its {year.group(1)} lines"
    if change.lines == "previous":
        return f"its {ordinal(maps.census_congress(change.state, change.congress))} Congress lines"
    return f"its new lines{_plan(change)}"


def claim(change: MapChange, maps: MapTable) -> str:
    """Say what a confirmation confirms: "Missouri uses its 2022 lines for the 120th Congress"."""
    return (
        f"{state_name(change.state)} uses {lines_name(change, maps)} "
        f"for the {ordinal(change.congress)} Congress"
    )


def table_says(change: MapChange, maps: MapTable) -> str:
    """Say what the changed-states table holds for the row."""
    name = state_name(change.state)
    if change.lines == "previous":
        kept = ordinal(maps.census_congress(change.state, change.congress))
        return f"the changed-states table keeps {name} on its {kept} Congress lines{_plan(change)}"
    return f"the changed-states table puts {name} on a new map{_plan(change)}"


def meanwhile(change: MapChange, maps: MapTable, now: datetime) -> str:
    """Say what the service does with the row, confirmed or not."""
    name = state_name(change.state)
    congress = ordinal(change.congress)
    when = (
        f"While the {congress} Congress sits"
        if congress_on(now) >= change.congress
        else f"From {sworn_in_at(change.congress)}, when the {congress} Congress is sworn in"
    )
    if change.lines == "previous":
        kept = ordinal(maps.census_congress(change.state, change.congress))
        return (
            f"{when}, the service keeps {name} on its {kept} Congress lines: addresses there "
            f"are looked up on the {kept} Congress's map and ZIP codes answer from the {kept} "
            f"Congress's ZIP table; the Census's {congress} Congress geography for {name} is "
            "not used."
        )
    return (
        f"{when}, the service treats {name}'s districts as redrawn: addresses there are "
        f"looked up on the {congress} Congress's map, and no House member is named from a "
        "ZIP table drawn on an older map."
    )


def confirmed_by(confirmation: MapConfirmation) -> str:
    """Say who confirmed, and when: "organizer@example.org on 2026-11-23 15:00 UTC"."""
    return (
        f"{confirmation.organizer_email} on {as_utc(confirmation.confirmed_at):%Y-%m-%d %H:%M} UTC"
    )


def earlier(check: MapCheck) -> str | None:
    """Say which earlier confirmation the table's edit has outdated, if one has."""
    if check.outdated is None:
        return None
    what = "a new map" if check.outdated.lines == "new" else "the previous Congress's lines"
    return (
        f"an earlier confirmation, by {confirmed_by(check.outdated)}, was of {what}; the "
        "table has been edited since, so it no longer counts"
    )


def status_line(check: MapCheck, maps: MapTable) -> str:
    """Return the `data status` warning for an unconfirmed row."""
    change = check.change
    note = f" ({earlier(check)})" if check.outdated is not None else ""
    return (
        f"warning: {state_name(change.state)} ({ordinal(change.congress)} Congress): "
        f"{table_says(change, maps)}, but this is unconfirmed{note}; an "
        "organizer should check the certified results and confirm it on the dashboard "
        f"(or run `{COMMAND} {change.state} --congress {change.congress} --by EMAIL`), or "
        f"the operator should correct {TABLE_FILE}; sources: {'; '.join(change.sources)}"
    )


def status_lines(session: Session, maps: MapTable, now: datetime) -> list[str]:
    """Return one line per flagged row of the sitting or next Congress nobody has confirmed.

    If the confirmations cannot be read (no database, or not upgraded), every flagged row
    is listed, with a line saying why.
    """
    try:
        found = checks(session, maps, now)
    except SQLAlchemyError as error:
        session.rollback()
        found = [MapCheck(change, None, None) for change in flagged(maps, now)]
        if not found:
            return []
        return [status_line(check, maps) for check in found] + [
            "warning: the map confirmations could not be read from the database "
            f"({type(error).__name__}); the rows above may have been confirmed. Run "
            "`advocacy db upgrade` if the database is new or behind."
        ]
    return [status_line(check, maps) for check in found if not check.confirmed]


# --- confirming -----------------------------------------------------------------------------


def flagged_row(maps: MapTable, congress: int, state: str) -> MapChange:
    """Return the table's row for a Congress and state if it is flagged; say why not."""
    if state not in STATE_NAMES:
        raise MapVerificationError(f"{state!r} is not a state's two-letter USPS code.")
    name = state_name(state)
    change = maps.row(congress, state)
    if change is None:
        raise MapVerificationError(
            f"The changed-states table has no row for {name} in the {ordinal(congress)} "
            f"Congress, so there is nothing to confirm.{_flagged_hint(maps)}"
        )
    if not change.verify:
        raise MapVerificationError(
            f"{name}'s row for the {ordinal(congress)} Congress is not flagged for checking "
            f"(it has no `verify = true`), so there is nothing to confirm.{_flagged_hint(maps)}"
        )
    return change


def _flagged_hint(maps: MapTable) -> str:
    rows = [c for c in maps.changes if c.verify]
    if not rows:
        return " No row of the table is flagged."
    listed = ", ".join(f"{c.state} ({ordinal(c.congress)} Congress)" for c in rows)
    return f" Flagged rows: {listed}."


def row_to_confirm(
    session: Session, maps: MapTable, state: str, now: datetime, congress: int | None = None
) -> MapChange:
    """Return the flagged row a confirmation of `state` is about.

    With no Congress given: the state's flagged row for the sitting or next Congress that
    is not confirmed yet (or the one there is, confirmed or not).
    """
    if congress is not None:
        return flagged_row(maps, congress, state)
    if state not in STATE_NAMES:
        raise MapVerificationError(f"{state!r} is not a state's two-letter USPS code.")
    rows = [c for c in flagged(maps, now) if c.state == state]
    if not rows:
        sitting, following = window(now)
        raise MapVerificationError(
            f"{state_name(state)} has no row flagged for checking (`verify = true`) for the "
            f"{ordinal(sitting)} or {ordinal(following)} Congress, so there is nothing to "
            f"confirm.{_flagged_hint(maps)}"
        )
    open_rows = [c for c in rows if not _check(session, c).confirmed]
    if len(open_rows) > 1:
        raise MapVerificationError(
            f"{state_name(state)} has rows to confirm for the "
            + " and ".join(f"{ordinal(c.congress)} Congress" for c in open_rows)
            + ": say which with --congress."
        )
    return (open_rows or rows)[0]


def confirm(
    session: Session,
    congress: int,
    state: str,
    organizer: Organizer,
    *,
    maps: MapTable | None = None,
    now: datetime | None = None,
    lines: str | None = None,
) -> MapConfirmation:
    """Record that an organizer confirmed a flagged row, with an audit event (caller commits).

    `lines` is what the organizer was shown: if the table says otherwise now, nothing is
    recorded. Raise MapVerificationError (AlreadyConfirmedError if it is confirmed).
    """
    maps = maps or load_map_table()
    change = flagged_row(maps, congress, state)
    name, which = state_name(state), f"the {ordinal(congress)} Congress"
    if lines is not None and lines != change.lines:
        raise MapVerificationError(
            f"The changed-states table's row for {name} in {which} has changed since that "
            f"page was shown: it now says {table_says(change, maps)}. Nothing was confirmed; "
            "check the row again."
        )
    if not organizer.active:
        raise MapVerificationError(f"The organizer account {organizer.email} is disabled.")
    moment = (now or utcnow()).astimezone(UTC)
    begin_write(session)
    latest = latest_confirmation(session, congress, state)
    if latest is not None and latest.lines == change.lines:
        raise AlreadyConfirmedError(
            f"{claim(change, maps)}: already confirmed by {confirmed_by(latest)}.", latest
        )
    confirmation = MapConfirmation(
        congress=congress,
        state=state,
        lines=change.lines,
        plan=change.plan,
        organizer_id=organizer.id,
        organizer_email=organizer.email,
        confirmed_at=moment,
    )
    session.add(confirmation)
    session.add(
        AuditEvent(
            organizer_id=organizer.id,
            action=f"confirm map {state} {ordinal(congress)} Congress: {change.lines} lines",
            campaign_slug=None,
            created_at=moment,
        )
    )
    session.flush()
    return confirmation


def active_organizer_by_email(session: Session, email: str) -> Organizer:
    """Return the active organizer with this address (any case); say why not."""
    address = email.strip().lower()
    organizer = session.scalar(sa.select(Organizer).where(Organizer.email == address))
    if organizer is None:
        raise MapVerificationError(
            f"No organizer has the address {address}: only organizers confirm the map "
            "(`advocacy organizers list` shows them)."
        )
    if not organizer.active:
        raise MapVerificationError(f"The organizer account {address} is disabled.")
    return organizer
