"""Build a ZIP (ZCTA) to congressional district table from the Census's block files.

No ZIP table exists for a Congress until someone builds one. The Census publishes the
pieces: a block equivalency file (BEF) giving each 2020 census block's district for that
Congress, and the 2020 ZCTA-to-block relationship file giving each block's ZIP area(s).
Joined on the block, with optional 2020 block populations as weights, they give the
app's table (`state_fips,state_abbr,zcta,cdNNN`).

Both are national and large (8.2 million blocks; 8.5 million relationship rows, about
1 GB), so everything streams. The BEF is held per state as parallel arrays in GEOID order
(GEOIDs as 64-bit integers, district codes as bytes, populations as 32-bit integers),
about 13 bytes a block; each relationship row finds its block by bisection and adds to a
small total per (ZIP area, state, district).

A ZIP area is listed under the districts where people live in its part (a block's 2020
population apportioned to the ZIP area by the block's share of land in it); without
population, or where nobody lives in it, where it has land; with no land at all, under
every district it touches. docs/zip-tables.md says more.

This module plans the inputs and builds the table; the parts are in `blockinput`
(fetching and opening an input), `blockrecords` (the block equivalency and relationship
files' records), `blockpopulation` (block populations) and `blockziptable` (the table).

Nothing here reads Flask, the environment or the network on its own: the HTTP session is
passed in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import requests

from advocacy.congress.calendar import congress_start, ordinal
from advocacy.congress.maps import MapTable
from advocacy.congress.states import state_name
from advocacy.representatives.datafiles.blockinput import (
    STATE_FIPS,
    UNKNOWN_PEOPLE,
    BlockTableError,
    Input,
    Progress,
    _count,
    _quiet,
    _refuse_other_congress,
    bef_member,
    fetch,
    is_url,
    only_text_member,
    open_input,
)
from advocacy.representatives.datafiles.blockpopulation import PopulationFile, read_population
from advocacy.representatives.datafiles.blockrecords import (
    BlockFile,
    Blocks,
    read_bef,
    read_relationships,
)
from advocacy.representatives.datafiles.blockziptable import ZipTable, check_missing, make_table

__all__ = [
    "BEF_URL",
    "FIRST_CONGRESS_ON_2020_BLOCKS",
    "REL_URL",
    "BlockTableError",
    "BuildPlan",
    "ZipTable",
    "bef_url",
    "build_zip_table",
    "fetch",
    "plan_build",
]

BEF_URL = (
    "https://www2.census.gov/programs-surveys/decennial/rdo/mapping-files/{year}/"
    "{congress}-congressional-district-befs/cd{congress}.zip"
)
REL_URL = (
    "https://www2.census.gov/geo/docs/maps-data/data/rel2020/zcta520/"
    "tab20_zcta520_tabblock20_natl.txt"
)
# The BEFs before the 118th Congress are drawn on 2010 blocks, which the 2020 relationship
# file does not name.
FIRST_CONGRESS_ON_2020_BLOCKS = 118


# --- what to read -----------------------------------------------------------------------


def bef_url(congress: int) -> str:
    """Return the Census's URL of a Congress's block equivalency file (cdNNN.zip)."""
    return BEF_URL.format(year=congress_start(congress).year, congress=congress)


@dataclass(frozen=True)
class BuildPlan:
    """The inputs for one table: paths or URLs, and the states taken from an earlier file."""

    congress: int
    blocks: str
    zcta_blocks: str
    population: tuple[str, ...] = ()
    earlier_blocks: str | None = None
    earlier_congress: int | None = None
    kept: tuple[str, ...] = ()  # USPS codes taken from the earlier file
    notes: tuple[str, ...] = ()

    def describe(self) -> list[str]:
        """Return a line per input for people: what is read, and from where."""
        lines = [
            f"Blocks of the {ordinal(self.congress)} Congress: {self.blocks}",
            f"ZIP areas' blocks: {self.zcta_blocks}",
        ]
        if self.earlier_blocks and self.earlier_congress:
            names = ", ".join(state_name(s) for s in self.kept)
            lines.append(
                f"{names} from the {ordinal(self.earlier_congress)} Congress's blocks: "
                f"{self.earlier_blocks}"
            )
        lines += [f"2020 block population: {source}" for source in self.population]
        if not self.population:
            lines.append("No block population given: ZIP areas are split by land area.")
        return lines + list(self.notes)


def plan_build(
    congress: int,
    maps: MapTable,
    *,
    blocks: str | None = None,
    zcta_blocks: str | None = None,
    earlier_blocks: str | None = None,
    population: Sequence[str] = (),
) -> BuildPlan:
    """Decide the inputs: those given, else the Census's own URLs.

    The changed-states table says which states the Census's file for this Congress
    misdraws (Missouri for the 120th); they come from the file of the Congress whose
    lines they keep.
    """
    if congress < FIRST_CONGRESS_ON_2020_BLOCKS:
        raise BlockTableError(
            f"the {ordinal(congress)} Congress's block file is drawn on 2010 blocks; the "
            f"ZIP areas' file names 2020 blocks (the {ordinal(FIRST_CONGRESS_ON_2020_BLOCKS)}"
            " Congress onward)"
        )
    kept = tuple(change.state for change in maps.kept(congress))
    earlier = sorted({maps.census_congress(state, congress) for state in kept})
    if len(earlier) > 1:
        raise BlockTableError(
            f"the changed-states table keeps states on lines from {len(earlier)} different "
            "Congresses; one earlier block file cannot supply them all"
        )
    notes: tuple[str, ...] = ()
    if not kept and earlier_blocks:
        notes = (
            f"note: --earlier-blocks is not used: the changed-states table keeps no state "
            f"on earlier lines for the {ordinal(congress)} Congress",
        )
        earlier_blocks = None
    earlier_congress = earlier[0] if earlier else None
    if earlier_congress is not None and earlier_congress < FIRST_CONGRESS_ON_2020_BLOCKS:
        raise BlockTableError(
            f"{', '.join(map(state_name, kept))} keep the {ordinal(earlier_congress)} "
            "Congress's lines, drawn on 2010 blocks: this builder cannot supply them"
        )
    return BuildPlan(
        congress=congress,
        blocks=blocks or bef_url(congress),
        zcta_blocks=zcta_blocks or REL_URL,
        population=tuple(population),
        earlier_blocks=(earlier_blocks or bef_url(earlier_congress)) if earlier_congress else None,
        earlier_congress=earlier_congress,
        kept=kept,
        notes=notes,
    )


# --- all of it ----------------------------------------------------------------------------


def build_zip_table(
    plan: BuildPlan,
    session: requests.Session,
    workdir: Path,
    progress: Progress = _quiet,
) -> ZipTable:
    """Fetch and read the inputs a plan names, and build the table.

    Downloads go into workdir. The block files are fetched and read first, so a wrong
    one is refused before the 1 GB relationship file is downloaded.
    """
    kept = {STATE_FIPS[state] for state in plan.kept}
    main = fetch(plan.blocks, session, workdir, progress=progress)
    earlier = _fetch_earlier(plan, session, workdir, progress)
    bef = _read_bef_input(main, plan.congress, lambda state: state not in kept, progress)
    states = bef.states
    files = [bef.label]
    report = [f"Blocks: {sum(len(b.geoids) for b in states.values()):,} from {bef.label}."]
    if earlier is not None and plan.earlier_congress is not None:
        old = _read_bef_input(earlier, plan.earlier_congress, kept.__contains__, progress)
        states.update(old.states)
        files.append(old.label)
        report += _kept_lines(plan.kept, plan.earlier_congress, bef, old)
    counted = []
    for source in plan.population:
        item = fetch(source, session, workdir, progress=progress)
        with open_input(item, only_text_member) as opened:
            counted.append(read_population(opened, states, progress))
    if counted:
        report.append(_population_line(counted, states))
    rel = fetch(plan.zcta_blocks, session, workdir, progress=progress)
    with open_input(rel, only_text_member) as opened:
        found = read_relationships(opened, states, progress)
    warning = check_missing(found, files)
    table = make_table(plan.congress, found, population=bool(counted))
    report += [*table.report[:-1], *([warning] if warning else []), table.report[-1]]
    return ZipTable(plan.congress, table.rows, table.zctas, table.decided, tuple(report))


def _read_bef_input(
    item: Input, congress: int, wanted: Callable[[int], bool], progress: Progress
) -> BlockFile:
    with open_input(item, bef_member(congress)) as opened:
        if opened.member is None:
            # A plain text file can say which Congress it is only by its name.
            _refuse_other_congress(item.source, congress, [_file_name(item.source)])
        return read_bef(opened, congress, wanted, progress)


def _file_name(source: str) -> str:
    return PurePosixPath(urlsplit(source).path if is_url(source) else source).name


def _fetch_earlier(
    plan: BuildPlan, session: requests.Session, workdir: Path, progress: Progress
) -> Input | None:
    if not plan.kept or plan.earlier_blocks is None or plan.earlier_congress is None:
        return None
    names = ", ".join(state_name(s) for s in plan.kept)
    earlier = ordinal(plan.earlier_congress)
    try:
        return fetch(plan.earlier_blocks, session, workdir, progress=progress)
    except BlockTableError as exc:
        raise BlockTableError(
            f"{names} must be taken from the {earlier} Congress's block file (the "
            f"changed-states table keeps {names} on its {earlier} lines): give it with "
            f"--earlier-blocks (cd{plan.earlier_congress}.zip, a path or URL); {exc}"
        ) from exc


def _kept_lines(kept: Sequence[str], earlier: int, new: BlockFile, old: BlockFile) -> list[str]:
    lines = []
    for code in kept:
        fips = STATE_FIPS[code]
        taken = len(old.states[fips].geoids) if fips in old.states else 0
        lines.append(
            f"{state_name(code)}: {_count(taken, 'block')} from {old.label}, on its "
            f"{ordinal(earlier)} lines as the changed-states table says "
            f"({_count(new.left_out[fips], 'row')} of {new.label} not used)."
        )
    return lines


def _population_line(counted: Sequence[PopulationFile], states: Blocks) -> str:
    covered = [b.people for b in states.values() if b.people is not None]
    without = sum(people.count(UNKNOWN_PEOPLE) for people in covered)
    elsewhere = sum(p.elsewhere for p in counted)
    return (
        f"Population: {sum(p.blocks for p in counted):,} blocks with a 2020 count from "
        f"{_count(len(counted), 'file')}, in {_count(len(covered), 'state')}; "
        f"{without:,} blocks of those states have no figure; {elsewhere:,} rows name "
        "blocks in no block file (not used)."
    )
