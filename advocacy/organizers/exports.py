"""CSV exports, streamed row by row, safe to open in a spreadsheet.

pledges.csv holds only those who agreed to be contacted (exportable()), and their names
and emails only sealed to the organization's public key (base64): the server cannot read
them, and `advocacy organizers contacts decrypt` opens the file on the organizers' own
machine (advocacy/organizers/contacts.py). districts.csv only counts, so it counts every
pledge; it leaves the dashboard, so its small counts are shown as the packets show them
("fewer than 3", and one more "not shown" where a state's total would give one away).
"""

from __future__ import annotations

import base64
import csv
import io
from collections.abc import Iterable, Iterator, Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from advocacy.models import Pledge, as_utc, pledge_counted
from advocacy.organizers.packets import Shown, protect
from advocacy.representatives.directory import Roster

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# No note: a supporter's words are never linked to their name or email.
PLEDGE_COLUMNS = (
    "created_at",
    "zip",
    "city",
    "state",
    "district",
    "consent",
    "ref",
    "sealed_contact",
)
DISTRICT_COLUMNS = ("state", "district", "member", "party", "pledges")
BATCH = 1000


def neutralise(value: object) -> str:
    """Return the cell as text, with a quote before anything a spreadsheet would run."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_lines(rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """Yield CSV text, one line per row, every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def exportable() -> list[sa.ColumnElement[bool]]:
    """The conditions a pledge meets to be in an export that names supporters.

    Only supporters who confirmed their pledge from their own mailbox and agreed to be
    contacted: the others' names and addresses never leave the database (the counts, such
    as districts.csv, still include every confirmed pledge).
    """
    return [pledge_counted(), Pledge.consent.is_(True)]


def pledge_rows(session: Session, campaign_id: int) -> Iterator[tuple[object, ...]]:
    """Yield the header, then each exportable pledge oldest first, fetched in batches."""
    yield PLEDGE_COLUMNS
    query = (
        sa.select(
            Pledge.created_at,
            Pledge.zip,
            Pledge.city,
            Pledge.state,
            Pledge.district,
            Pledge.consent,
            Pledge.ref,
            Pledge.sealed_contact,
        )
        .where(Pledge.campaign_id == campaign_id, *exportable())
        .order_by(Pledge.created_at, Pledge.id)
        .execution_options(yield_per=BATCH)  # a server-side cursor on PostgreSQL
    )
    for row in session.execute(query):
        created = as_utc(row[0]).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        sealed = base64.b64encode(row[7]).decode() if row[7] else ""
        yield (created, *row[1:5], "yes" if row[5] else "no", row[6], sealed)


def district_rows(
    counts: dict[tuple[str, int | None], int], directory: Roster | None, small: int
) -> Iterator[tuple[object, ...]]:
    """Yield the header, then one row per seat with pledges, by state and district."""
    yield DISTRICT_COLUMNS
    shown = _shown_by_state(counts, small)
    for (state, district), _count in sorted(counts.items(), key=_seat_order):
        member = (
            directory.house_member(state, district) if directory and district is not None else None
        )
        yield (
            state,
            "" if district is None else district,
            member.name if member else "",
            member.party if member else "",
            _cell(shown[state, district]),
        )


def _cell(count: Shown) -> object:
    # A number a spreadsheet reads as one (no thousands separator), else the words.
    return str(count) if count.hidden else count.n


def _shown_by_state(
    counts: dict[tuple[str, int | None], int], small: int
) -> dict[tuple[str, int | None], Shown]:
    """Each seat's count as it may leave the dashboard: a state's packet prints its exact
    total, so a state's seats are protected together (`packets.protect`)."""
    shown: dict[tuple[str, int | None], Shown] = {}
    for state in {state for state, _district in counts}:
        seats = [seat for seat in counts if seat[0] == state]
        total = Shown(sum(counts[seat] for seat in seats), small)
        lines = protect(total, [Shown(counts[seat], small) for seat in seats], [], 0)
        shown.update(zip(seats, lines, strict=True))
    return shown


def _seat_order(item: tuple[tuple[str, int | None], int]) -> tuple[str, int]:
    (state, district), _count = item
    return state, -1 if district is None else district
