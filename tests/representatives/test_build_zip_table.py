"""`build-zip-table`: a 120th Congress ZIP table built from the Census's block files.

The inputs are small extracts written in the Census's own formats (`block_files`); the
result is compared, as in real use, with the 119th table shipped in the package.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from block_files import (
    KANSAS_CITY,
    MEMPHIS,
    PLACES,
    REL_COLUMNS,
    Inputs,
    bef_text,
    block,
    rel_text,
    write_bef_text,
    write_bef_zip,
    write_inputs,
    write_population_csv,
    write_population_json,
    write_rel,
)
from click.testing import CliRunner, Result
from data_files import zcta_bytes

from advocacy.congress.maps import load_map_table
from advocacy.representatives.datafiles import blocktable
from advocacy.representatives.datafiles.blocktable import BlockTableError, fetch, plan_build
from advocacy.representatives.datafiles.blocktable_command import build_zip_table_command
from advocacy.representatives.directory import parse_zcta

HEADER = "state_fips,state_abbr,zcta,cd120"
WITH_POPULATION = [
    HEADER,
    "02,AK,99501,0",  # at large (CDFP 00)
    "11,DC,20001,0",  # the delegate's area (CDFP 98)
    "21,KY,42223,1",  # Fort Campbell, in two states
    "29,MO,64106,5",  # from the 119th file: Missouri keeps its lines
    "47,TN,37203,6",  # nobody lives in its TN-5 part
    "47,TN,38103,5",
    "47,TN,38104,5",  # a block's people shared with 38103 by land
    "47,TN,42223,7",
    "48,TX,78701,10",  # people in both parts
    "48,TX,78701,37",
]
CHANGED = ("AL", "CA", "FL", "LA", "NC", "OH", "TN", "TX", "UT")


def build(*args: str) -> Result:
    return CliRunner().invoke(build_zip_table_command, list(args))


def lines(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines()


@pytest.fixture
def inputs(tmp_path: Path) -> Inputs:
    return write_inputs(tmp_path / "in")


@pytest.fixture
def output(tmp_path: Path) -> Path:
    return tmp_path / "out" / "zccd120.csv"


def refused(result: Result, output: Path, *expected: str) -> None:
    """Assert the build failed with messages naming what is wrong, and wrote nothing."""
    assert result.exit_code == 1, result.output
    for text in expected:
        assert text in result.stderr, result.stderr
    assert "Nothing was written." in result.stderr
    assert not output.exists()


# --- the table ------------------------------------------------------------------------------


def test_with_population_a_zip_area_is_listed_where_its_people_live(
    inputs: Inputs, output: Path
) -> None:
    result = build(*inputs.args(output))
    assert result.exit_code == 0, result.output
    assert lines(output) == WITH_POPULATION
    assert "Decided by population" in result.stdout
    assert "by population (2020 block population" in result.stdout
    assert ": 8; by land area" in result.stdout  # all eight ZIP areas by population
    assert "1 ZIP area left out of a district where nobody lives" in result.stdout


def test_without_population_every_district_with_land_in_the_zip_area_is_listed(
    inputs: Inputs, output: Path
) -> None:
    result = build(*inputs.args(output, population=False))
    assert result.exit_code == 0, result.output
    # The rail yard's district comes back: land alone cannot tell that nobody lives there.
    assert lines(output) == [*WITH_POPULATION[:5], "47,TN,37203,5", *WITH_POPULATION[5:]]
    assert "No block population given: ZIP areas are split by land area." in result.stdout
    assert "by land area (listed where AREALAND_PART > 0; no population given): 8" in (
        result.stdout
    )


def test_the_app_reads_the_table_with_its_congress_in_the_header(
    inputs: Inputs, output: Path
) -> None:
    assert build(*inputs.args(output)).exit_code == 0
    assert output.read_text().startswith(HEADER + "\n")
    seats = parse_zcta(io.StringIO(output.read_text(), newline=""))
    assert seats["42223"] == [("KY", 1), ("TN", 7)]
    assert seats["78701"] == [("TX", 10), ("TX", 37)]


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(write_population_json, id="census-api-json"),
        pytest.param(
            functools.partial(
                write_population_csv, columns=("GEOCODE", "P0010001"), delimiter="|"
            ),
            id="pipe-text",
        ),
        pytest.param(
            functools.partial(write_population_csv, columns=("GEOID", "POP20")), id="csv"
        ),
    ],
)
def test_population_formats_give_the_same_table(
    inputs: Inputs, output: Path, tmp_path: Path, write: Any
) -> None:
    population = write(tmp_path / "population.other", PLACES)
    args = inputs.args(output, population=False) + ["--population", str(population)]
    result = build(*args)
    assert result.exit_code == 0, result.output
    assert lines(output) == WITH_POPULATION


def test_population_may_come_in_several_files_one_per_state(
    inputs: Inputs, output: Path, tmp_path: Path
) -> None:
    tennessee = [b for b in PLACES if b.geoid.startswith("47")]
    others = [b for b in PLACES if not b.geoid.startswith("47")]
    first = write_population_json(tmp_path / "tn.json", tennessee)
    second = write_population_csv(tmp_path / "others.csv", others)
    args = inputs.args(output, population=False)
    result = build(*args, "--population", str(first), "--population", str(second))
    assert result.exit_code == 0, result.output
    assert lines(output) == WITH_POPULATION
    assert "from 2 files" in result.stdout


def test_a_state_without_population_is_decided_by_land(
    inputs: Inputs, output: Path, tmp_path: Path
) -> None:
    without_tennessee = [b for b in PLACES if not b.geoid.startswith("47")]
    population = write_population_csv(tmp_path / "partial.csv", without_tennessee)
    result = build(*inputs.args(output, population=False), "--population", str(population))
    assert result.exit_code == 0, result.output
    # No figures for Tennessee: 37203 is listed where it has land, in both districts.
    assert "47,TN,37203,5" in lines(output)
    assert "no figure for some blocks: 4" in result.stdout  # 37203, 38103, 38104, 42223


def test_missouri_is_taken_from_the_earlier_congress_file(inputs: Inputs, output: Path) -> None:
    result = build(*inputs.args(output))
    assert result.exit_code == 0, result.output
    assert KANSAS_CITY.cd120 == "04" and KANSAS_CITY.cd119 == "05"
    assert "29,MO,64106,5" in lines(output)
    assert "Missouri: 1 block from" in result.stdout
    assert "cd119.zip (NationalCD119.txt)" in result.stdout


def test_the_earlier_file_is_required_when_a_state_keeps_its_lines(
    inputs: Inputs, output: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without --earlier-blocks the Census's cd119.zip is downloaded; here nothing answers.
    monkeypatch.setattr(blocktable, "BEF_URL", "http://127.0.0.1:9/{year}/cd{congress}.zip")
    args = ["--congress", "120", "--blocks", str(inputs.blocks)]
    args += ["--zcta-blocks", str(inputs.rel), "--output", str(output)]
    result = build(*args)
    refused(
        result,
        output,
        "Missouri must be taken from the 119th Congress's block file",
        "--earlier-blocks",
        "http://127.0.0.1:9/2025/cd119.zip",
    )


def test_the_census_urls_are_the_defaults() -> None:
    plan = plan_build(120, load_map_table())
    census = "https://www2.census.gov/programs-surveys/decennial/rdo/mapping-files"
    assert plan.blocks == f"{census}/2027/120-congressional-district-befs/cd120.zip"
    assert plan.earlier_blocks == f"{census}/2025/119-congressional-district-befs/cd119.zip"
    assert plan.kept == ("MO",)
    assert plan.zcta_blocks == (
        "https://www2.census.gov/geo/docs/maps-data/data/rel2020/zcta520/"
        "tab20_zcta520_tabblock20_natl.txt"
    )
    # The 119th keeps no state on earlier lines: no earlier file.
    assert plan_build(119, load_map_table()).earlier_blocks is None


def test_columns_are_found_by_name_in_any_order(
    inputs: Inputs, output: Path, tmp_path: Path
) -> None:
    order = list(reversed(range(len(REL_COLUMNS))))
    text = rel_text(PLACES).decode("utf-8-sig")
    shuffled = ["|".join(line.split("|")[i] for i in order) for line in text.splitlines()]
    rel = tmp_path / "reordered.txt"
    rel.write_text("\r\n".join(shuffled) + "\r\n", encoding="utf-8")
    result = build(*inputs.args(output), "--zcta-blocks", str(rel))
    assert result.exit_code == 0, result.output
    assert lines(output) == WITH_POPULATION


def test_an_unsorted_block_file_gives_the_same_table(
    inputs: Inputs, output: Path, tmp_path: Path
) -> None:
    rows = sorted(((b.geoid, b.cd120) for b in PLACES), reverse=True)
    unsorted = tmp_path / "NationalCD120.txt"
    unsorted.write_bytes(bef_text(rows))
    result = build(*inputs.args(output), "--blocks", str(unsorted))
    assert result.exit_code == 0, result.output
    assert lines(output) == WITH_POPULATION


# --- what the comparison with the shipped table refuses --------------------------------------


def shipped_rows(states: tuple[str, ...]) -> list[tuple[str, str, int]]:
    """Return the shipped 119th table's (state, ZCTA, district) rows in some states."""
    reader = csv.DictReader(io.StringIO(zcta_bytes().decode("utf-8-sig")))
    return [
        (r["state_abbr"], r["zcta"], int(r["cd"])) for r in reader if r["state_abbr"] in states
    ]


def test_a_table_drawing_the_changed_states_as_the_119th_is_refused(
    tmp_path: Path, output: Path
) -> None:
    fips = {"AL": "01", "CA": "06", "FL": "12", "LA": "22", "NC": "37", "OH": "39"}
    fips |= {"TN": "47", "TX": "48", "UT": "49"}
    copies = [
        block(f"{fips[state]}001{i // 1000:06d}{1000 + i % 1000:04d}", f"{cd:02d}", zcta, people=9)
        for i, (state, zcta, cd) in enumerate(shipped_rows(CHANGED))
    ]
    folder = tmp_path / "copy"
    folder.mkdir()
    args = ["--congress", "120", "--output", str(output)]
    args += ["--blocks", str(write_bef_zip(folder / "cd120.zip", 120, copies))]
    args += ["--earlier-blocks", str(write_bef_zip(folder / "cd119.zip", 119, copies))]
    args += ["--zcta-blocks", str(write_rel(folder / "rel.txt", copies))]
    result = build(*args)
    refused(
        result,
        output,
        "the table for the 120th draws Alabama, California, Florida, Louisiana, North "
        "Carolina, Ohio, Tennessee, Texas and Utah exactly as the 119th map: it is "
        "probably a 119th table",
    )


# --- inputs that are refused ------------------------------------------------------------------


def test_the_block_file_of_another_congress_is_refused(
    inputs: Inputs, output: Path, tmp_path: Path
) -> None:
    result = build(*inputs.args(output), "--blocks", str(inputs.earlier))
    refused(
        result,
        output,
        "cd119.zip looks like the 119th Congress's block file (NationalCD119.txt), not the "
        "120th's",
    )
    plain = write_bef_text(tmp_path / "NationalCD119.txt", 119, PLACES)
    result = build(*inputs.args(output), "--blocks", str(plain))
    refused(result, output, "looks like the 119th Congress's block file")


def test_a_zip_without_the_national_member_is_refused(
    inputs: Inputs, output: Path, tmp_path: Path
) -> None:
    odd = write_bef_zip(tmp_path / "blocks.zip", 120, PLACES, national="blocks.txt")
    result = build(*inputs.args(output), "--blocks", str(odd))
    refused(result, output, "blocks.zip has no NationalCD120.txt (it holds blocks.txt")


@pytest.mark.parametrize(
    ("row", "line", "problem"),
    [
        ("47037019500100,06", 3, "malformed block GEOID (15 digits expected)"),
        ("470370195001099,77", 3, "unknown district code (CDFP) '77'"),
        ("470370195001099,06,1", 3, "3 fields, expected 2"),
        ("990370195001099,06", 3, "no state has FIPS code 99"),
        ("020200011001000,00", 3, "the block is listed twice"),
    ],
)
def test_a_bad_row_in_the_block_file_is_refused_naming_file_and_line(
    inputs: Inputs, output: Path, tmp_path: Path, row: str, line: int, problem: str
) -> None:
    text = bef_text((b.geoid, b.cd120) for b in sorted(PLACES, key=lambda b: b.geoid))
    first, *rest = text.split(b"\r\n", 2)
    bad = tmp_path / "NationalCD120.txt"
    bad.write_bytes(b"\r\n".join([first, rest[0], row.encode(), rest[1]]))
    result = build(*inputs.args(output), "--blocks", str(bad))
    refused(result, output, f"NationalCD120.txt line {line}: {problem}")


def test_a_bad_row_in_the_relationship_file_is_refused_naming_file_and_line(
    inputs: Inputs, output: Path, tmp_path: Path
) -> None:
    text = rel_text(PLACES).split(b"\r\n")
    text[4] = text[4].rsplit(b"|", 1)[0]  # one field short
    rel = tmp_path / "rel.txt"
    rel.write_bytes(b"\r\n".join(text))
    result = build(*inputs.args(output), "--zcta-blocks", str(rel))
    refused(result, output, "rel.txt line 5: 16 fields, expected 17")


def test_a_cut_off_zip_is_refused(inputs: Inputs, output: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cd120.zip"
    cut.write_bytes(inputs.blocks.read_bytes()[:-100])
    result = build(*inputs.args(output), "--blocks", str(cut))
    refused(result, output, "cd120.zip is not a valid zip archive", "fetch it again")


def test_a_zip_failing_its_crc_is_refused(inputs: Inputs, output: Path, tmp_path: Path) -> None:
    stored = write_bef_zip(tmp_path / "cd120.zip", 120, PLACES, stored=True)
    content = stored.read_bytes()
    row = f"{MEMPHIS.geoid},{MEMPHIS.cd120}".encode()
    stored.write_bytes(content.replace(row, row[:-1] + b"6", 1))  # the national member's
    result = build(*inputs.args(output), "--blocks", str(stored))
    refused(result, output, "cd120.zip (NationalCD120.txt) is damaged (Bad CRC-32")


@pytest.mark.parametrize("which", ["blocks", "rel", "population"])
def test_a_cut_off_text_file_is_refused(
    inputs: Inputs, output: Path, tmp_path: Path, which: str
) -> None:
    sources = {
        "blocks": ("NationalCD120.txt", bef_text((b.geoid, b.cd120) for b in PLACES)),
        "rel": ("rel.txt", rel_text(PLACES)),
        "population": ("population.csv", inputs.population.read_bytes()),
    }
    name, content = sources[which]
    cut = tmp_path / name
    cut.write_bytes(content[:-7])
    option = {"blocks": "--blocks", "rel": "--zcta-blocks", "population": "--population"}
    result = build(*inputs.args(output, population=False), option[which], str(cut))
    refused(result, output, f"{name} ends in the middle of line", "looks cut off")


def test_a_cut_off_population_json_is_refused(
    inputs: Inputs, output: Path, tmp_path: Path
) -> None:
    population = write_population_json(tmp_path / "population.json", PLACES)
    population.write_bytes(population.read_bytes()[:-30])
    result = build(*inputs.args(output, population=False), "--population", str(population))
    refused(result, output, "population.json ends early: the file looks cut off")


def test_a_header_lacking_a_needed_column_is_refused(
    inputs: Inputs, output: Path, tmp_path: Path
) -> None:
    columns = [c.replace("GEOID_TABBLOCK_20", "BLOCK") for c in REL_COLUMNS]
    rel = tmp_path / "rel.txt"
    rel.write_bytes(rel_text(PLACES, columns))
    result = build(*inputs.args(output), "--zcta-blocks", str(rel))
    refused(result, output, "rel.txt: the header has no GEOID_TABBLOCK_20 column")
    population = write_population_csv(tmp_path / "p.csv", PLACES, columns=("GEOID", "PEOPLE"))
    result = build(*inputs.args(output, population=False), "--population", str(population))
    refused(result, output, "p.csv: the header has no P1_001N or POP20 or P0010001")


def test_blocks_missing_from_the_block_files_are_refused(
    inputs: Inputs, output: Path, tmp_path: Path
) -> None:
    stranger = block("471570037009999", "05", "38103", people=3)
    rel = write_rel(tmp_path / "rel.txt", [*PLACES, stranger])
    result = build(*inputs.args(output), "--zcta-blocks", str(rel))
    refused(
        result,
        output,
        "1 of 14 rows of",
        "name blocks that are in no block file read",
        "Tennessee 1; the first is 471570037009999 on line",
        "do not belong together",
    )


def test_a_few_blocks_missing_from_the_block_files_are_left_out_with_a_warning(
    output: Path, tmp_path: Path
) -> None:
    many = [block(f"47037019600{i:04d}", "06", "37203", people=1) for i in range(1500)]
    stranger = block("471570037009999", "05", "38103", people=3)
    folder = tmp_path / "many"
    inputs = write_inputs(folder, many)
    rel = write_rel(folder / "rel.txt", [*many, stranger])
    result = build(*inputs.args(output), "--zcta-blocks", str(rel))
    assert result.exit_code == 0, result.output
    assert "warning: 1 of 1,501 rows of" in result.stdout
    assert lines(output) == [HEADER, "47,TN,37203,6"]


# --- inputs from the web ------------------------------------------------------------------------


class Handler(SimpleHTTPRequestHandler):
    """Serves a folder; /cut/NAME announces twice NAME's length and closes halfway."""

    def do_GET(self) -> None:
        if not self.path.startswith("/cut/"):
            super().do_GET()
            return
        content = Path(self.directory, self.path.removeprefix("/cut/")).read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(2 * len(content)))
        self.end_headers()
        self.wfile.write(content)
        self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def web(inputs: Inputs) -> Iterator[str]:
    """Serve the inputs' folder on 127.0.0.1; return its base URL."""
    handler = functools.partial(Handler, directory=str(inputs.blocks.parent))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_inputs_may_be_urls(inputs: Inputs, output: Path, web: str) -> None:
    args = ["--congress", "120", "--output", str(output)]
    args += ["--blocks", f"{web}/cd120.zip", "--earlier-blocks", f"{web}/cd119.zip"]
    args += ["--zcta-blocks", f"{web}/{inputs.rel.name}", "--population", f"{web}/population.csv"]
    result = build(*args)
    assert result.exit_code == 0, result.output
    assert lines(output) == WITH_POPULATION
    assert f"Blocks: 12 from {web}/cd120.zip (NationalCD120.txt)." in result.stdout


def test_a_missing_url_is_refused(inputs: Inputs, output: Path, web: str) -> None:
    result = build(*inputs.args(output), "--population", f"{web}/nothing.csv")
    refused(result, output, f"{web}/nothing.csv answered 404")


def test_a_download_cut_off_is_refused(inputs: Inputs, output: Path, web: str) -> None:
    result = build(*inputs.args(output), "--zcta-blocks", f"{web}/cut/{inputs.rel.name}")
    refused(result, output, f"download of {web}/cut/{inputs.rel.name} was cut off")


def test_a_download_past_the_size_limit_is_stopped(
    inputs: Inputs, web: str, tmp_path: Path
) -> None:
    with requests.Session() as http_session, pytest.raises(BlockTableError, match="more than 100"):
        fetch(f"{web}/{inputs.rel.name}", http_session, tmp_path, limit=100)


def test_a_long_census_api_answer_on_one_line_is_read_row_by_row(
    inputs: Inputs, output: Path, tmp_path: Path
) -> None:
    # Over a megabyte with no line ends: rows straddle the reader's window.
    rows = [["P1_001N", "state", "county", "tract", "block"]]
    rows += [
        [str(b.people), b.geoid[:2], b.geoid[2:5], b.geoid[5:11], b.geoid[11:]] for b in PLACES
    ]
    rows += [["7", "47", "999", f"{i:06d}", "1000"] for i in range(40_000)]
    population = tmp_path / "answer.json"
    population.write_text(json.dumps(rows), encoding="utf-8")
    assert population.stat().st_size > 1024 * 1024
    result = build(*inputs.args(output, population=False), "--population", str(population))
    assert result.exit_code == 0, result.output
    assert lines(output) == WITH_POPULATION
    assert "40,000 rows name blocks in no block file (not used)" in result.stdout
