"""`advocacy data build-zip-table`: a Congress's ZIP-to-district table from Census block files.

The building is in `blocktable` (and the `block*` modules it uses); this command picks
the inputs (the Census's own URLs unless told otherwise), compares the result with the
shipped table against the changed-states table, and writes it only if nothing there is
wrong.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click
from flask import current_app, has_app_context

from advocacy.congress.calendar import ordinal
from advocacy.congress.maps import MapTable, MapTableError, load_map_table
from advocacy.http import build_session
from advocacy.representatives.datafiles import (
    MIN_ZCTA_ROWS,
    compare_zip_tables,
    snapshot_zip_congress,
    snapshot_zip_table,
    write_atomically,
)
from advocacy.representatives.datafiles.blocktable import (
    FIRST_CONGRESS_ON_2020_BLOCKS,
    BlockTableError,
    ZipTable,
    build_zip_table,
    plan_build,
)
from advocacy.representatives.service import map_table


def _count(n: int, one: str) -> str:
    return f"{n:,} {one}{'' if n == 1 else 's'}"


def _progress(message: str) -> None:
    click.echo(message, err=True)


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    click.echo("Nothing was written.", err=True)
    sys.exit(1)


@click.command("build-zip-table")
@click.option(
    "--congress",
    type=click.IntRange(min=FIRST_CONGRESS_ON_2020_BLOCKS),
    required=True,
    help="The Congress whose map the table draws, e.g. 120.",
)
@click.option(
    "--blocks",
    metavar="PATH|URL",
    help="The Census block equivalency file for that Congress: cdNNN.zip or its "
    "NationalCDNNN.txt [default: the Census's cdNNN.zip].",
)
@click.option(
    "--zcta-blocks",
    metavar="PATH|URL",
    help="The 2020 ZCTA-to-block relationship file, tab20_zcta520_tabblock20_natl.txt "
    "[default: the Census's, about 1.06 GB].",
)
@click.option(
    "--earlier-blocks",
    metavar="PATH|URL",
    help="The block equivalency file of the Congress whose lines the changed-states table "
    "keeps some states on (for the 120th: cd119.zip, for Missouri) [default: the Census's].",
)
@click.option(
    "--population",
    metavar="PATH|URL",
    multiple=True,
    help="2020 block population: CSV or pipe-separated text with a GEOID (GEOID20, "
    "GEOCODE) and a P1_001N (POP20, P0010001) column, or a Census API JSON answer. "
    "Repeat for several files (one per state). Without it, ZIP areas are split by land.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="Where to write the table (state_fips,state_abbr,zcta,cdNNN).",
)
def build_zip_table_command(
    congress: int,
    blocks: str | None,
    zcta_blocks: str | None,
    earlier_blocks: str | None,
    population: tuple[str, ...],
    output: Path,
) -> None:
    """Build a Congress's ZIP-to-district table from the Census's block files.

    Joins the block equivalency file (each 2020 block's district) with the ZCTA-to-block
    relationship file (each block's ZIP area), taking states the changed-states table keeps
    on earlier lines from the earlier Congress's file. A ZIP area is listed under the
    districts where people live in it (with --population), else where it has land.
    The result is compared with the shipped table before it is written; exit status 1
    when an input is wrong or the comparison finds an error, and nothing is written.
    """
    try:
        # The app's table (ADVOCACY_MAP_CHANGES_PATH) when run as `advocacy data …`.
        maps = map_table(current_app) if has_app_context() else load_map_table()
        plan = plan_build(
            congress,
            maps,
            blocks=blocks,
            zcta_blocks=zcta_blocks,
            earlier_blocks=earlier_blocks,
            population=population,
        )
        for line in plan.describe():
            click.echo(line)
        # Downloads (the relationship file is 1.06 GB) go to TMPDIR and go with the folder.
        with build_session() as session, tempfile.TemporaryDirectory(prefix="zip-table-") as work:
            table = build_zip_table(plan, session, Path(work), _progress)
    except (BlockTableError, MapTableError) as exc:
        _fail(str(exc))
        return
    for line in table.report:
        click.echo(line)
    if not _checked(table, maps):
        _fail(f"the table does not draw the {ordinal(congress)} Congress's map")
    try:
        write_atomically(output, table.to_csv())
    except OSError as exc:
        _fail(f"cannot write {output}: {exc}")
    click.echo(
        f"Wrote {output} ({table.zctas:,} ZIP areas). To serve it: "
        f"ADVOCACY_ZCTA_PATH={output} ADVOCACY_ZCTA_CONGRESS={congress}"
    )


def _checked(table: ZipTable, maps: MapTable) -> bool:
    """Compare the table with the shipped one; print what it finds; tell if it may be used."""
    reference = snapshot_zip_congress()
    check = compare_zip_tables(
        table.seats(), table.congress, snapshot_zip_table(), reference, maps
    )
    click.echo(
        f"Compared with the shipped {ordinal(reference)} Congress table: "
        f"{_count(len(check.errors), 'error')}, {_count(len(check.warnings), 'warning')}, "
        f"{_count(len(check.notes), 'note')}."
    )
    for warning in check.warnings:
        click.echo(f"warning: {warning}")
    for note in check.notes:
        click.echo(f"note: {note}")
    if len(table.rows) < MIN_ZCTA_ROWS:
        click.echo(
            f"warning: the table has {len(table.rows):,} rows; `advocacy data status` and "
            f"`refresh` refuse a ZIP table of fewer than {MIN_ZCTA_ROWS:,} (a partial input?)"
        )
    for error in check.errors:
        click.echo(f"Error: {error}", err=True)
    return not check.errors
