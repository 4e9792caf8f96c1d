"""Small extracts of the Census's block files, written in their real formats.

census.gov cannot be reached from the tests, so each test writes the few blocks it needs:

- a block equivalency file (BEF): `cdNNN.zip` holding `NationalCDNNN.txt` and a per-state
  member such as `47_TN_CD120.txt`, comma-separated with CRLF line ends, header
  `GEOID,CDFP`;
- the 2020 ZCTA-to-block relationship file: pipe-separated, a UTF-8 byte-order mark, the
  17 named columns in the Census's order, blocks in no ZIP area with empty ZIP columns;
- 2020 block population, as CSV (or pipe text) with a header, or as the Census API's JSON
  answer (an array of arrays, header first, one row per line).
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from advocacy.congress.states import STATE_BY_FIPS

REL_COLUMNS = (
    "OID_ZCTA5_20",
    "GEOID_ZCTA5_20",
    "NAMELSAD_ZCTA5_20",
    "AREALAND_ZCTA5_20",
    "AREAWATER_ZCTA5_20",
    "MTFCC_ZCTA5_20",
    "CLASSFP_ZCTA5_20",
    "FUNCSTAT_ZCTA5_20",
    "OID_TABBLOCK_20",
    "GEOID_TABBLOCK_20",
    "NAMELSAD_TABBLOCK_20",
    "AREALAND_TABBLOCK_20",
    "AREAWATER_TABBLOCK_20",
    "MTFCC_TABBLOCK_20",
    "FUNCSTAT_TABBLOCK_20",
    "AREALAND_PART",
    "AREAWATER_PART",
)


@dataclass(frozen=True)
class Block:
    """One 2020 census block: its district in each Congress's file, ZIP areas and people.

    parts: (ZCTA, land of the block in it, in square metres); empty: in no ZIP area.
    """

    geoid: str
    cd120: str
    cd119: str
    parts: tuple[tuple[str, int], ...]
    people: int = 0
    water: int = 0

    @property
    def land(self) -> int:
        return sum(land for _zcta, land in self.parts)

    def cd(self, congress: int) -> str:
        return self.cd120 if congress == 120 else self.cd119


def block(
    geoid: str, cd120: str, zcta: str | None, *, people: int = 0, land: int = 10_000, **kw: str
) -> Block:
    """Return a block wholly in one ZIP area (or none), in the same district in both files
    unless cd119 says otherwise."""
    parts = ((zcta, land),) if zcta else ()
    return Block(geoid, cd120, kw.get("cd119", cd120), parts, people)


# A few real-looking places, with the districts the research notes give for them.
NASHVILLE_HOME = block("470370195001000", "06", "37203", people=250, land=40_000, cd119="07")
# A rail yard in the same ZIP area: much land, nobody living there, in another district.
NASHVILLE_YARD = block("470370195002000", "05", "37203", people=0, land=90_000, cd119="07")
MEMPHIS = block("471570037001000", "05", "38103", people=120, cd119="09")
# A block split between two ZIP areas: its 40 people are shared by land, 3 to 1.
MEMPHIS_EDGE = Block("471570037001001", "05", "09", (("38103", 15_000), ("38104", 5_000)), 40)
# Fort Campbell's ZIP area lies in Kentucky and Tennessee.
CAMPBELL_KY = block("210470201001000", "01", "42223", people=900)
CAMPBELL_TN = block("471251001001000", "07", "42223", people=1_100)
# Austin: 78701 moves from TX-37 mostly to TX-10; people live in both parts.
AUSTIN_10 = block("484530011001000", "10", "78701", people=300, cd119="37")
AUSTIN_37 = block("484530011002000", "37", "78701", people=50)
# Kansas City: the Census's 120th file draws Missouri's 2025 map (MO-4 here), but Missouri
# keeps its 2022 lines (MO-5) for the 120th Congress.
KANSAS_CITY = block("290950159001000", "04", "64106", people=700, cd119="05")
WASHINGTON_DC = block("110010047011000", "98", "20001", people=500)
ANCHORAGE = block("020200011001000", "00", "99501", people=400)
NO_ZIP_AREA = block("470370195003000", "06", None)
LAKE = Block("470370195004000", "ZZ", "ZZ", (("37203", 0),), water=50_000)

PLACES = (
    ANCHORAGE,
    WASHINGTON_DC,
    CAMPBELL_KY,
    KANSAS_CITY,
    NASHVILLE_HOME,
    NASHVILLE_YARD,
    NO_ZIP_AREA,
    LAKE,
    CAMPBELL_TN,
    MEMPHIS,
    MEMPHIS_EDGE,
    AUSTIN_10,
    AUSTIN_37,
)


def bef_text(rows: Iterable[tuple[str, str]], header: str = "GEOID,CDFP") -> bytes:
    """Return a BEF's text: the header, then `GEOID,CDFP` rows, CRLF line ends."""
    return "".join(f"{line}\r\n" for line in [header, *(f"{g},{c}" for g, c in rows)]).encode()


def bef_rows(blocks: Iterable[Block], congress: int) -> list[tuple[str, str]]:
    return sorted((b.geoid, b.cd(congress)) for b in blocks)


def write_bef_zip(
    path: Path,
    congress: int,
    blocks: Iterable[Block],
    *,
    national: str | None = None,
    stored: bool = False,
) -> Path:
    """Write cdNNN.zip: NationalCDNNN.txt (or `national`) and a member per state."""
    rows = bef_rows(blocks, congress)
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w", compression=method) as archive:
        archive.writestr(national or f"NationalCD{congress}.txt", bef_text(rows))
        for fips in sorted({geoid[:2] for geoid, _cd in rows}):
            state = [row for row in rows if row[0][:2] == fips]
            archive.writestr(f"{fips}_{STATE_BY_FIPS[fips]}_CD{congress}.txt", bef_text(state))
    return path


def write_bef_text(path: Path, congress: int, blocks: Iterable[Block]) -> Path:
    path.write_bytes(bef_text(bef_rows(blocks, congress)))
    return path


def rel_line(zcta: str, geoid: str, block_land: int, land: int, water: int = 0) -> str:
    """Return one relationship row, every column filled as the Census fills it."""
    zcta_columns = (
        [f"2236387{zcta}", zcta, f"ZCTA5 {zcta}", "43128920", "119311", "G6350", "B5", "S"]
        if zcta
        else [""] * 8
    )
    block_columns = [
        f"2102057{geoid[-8:]}",
        geoid,
        f"Block {geoid[-4:]}",
        str(block_land),
        str(water),
        "G5040",
        "S",
        str(land),
        str(water if land == block_land else 0),
    ]
    return "|".join(zcta_columns + block_columns)


def rel_text(blocks: Iterable[Block], columns: Sequence[str] = REL_COLUMNS) -> bytes:
    """Return the relationship file's bytes: BOM, 17 columns, rows ordered by ZIP area."""
    lines = []
    for b in blocks:
        for zcta, land in b.parts or (("", b.land),):
            lines.append((zcta, b.geoid, rel_line(zcta, b.geoid, b.land, land, b.water)))
    body = [line for _z, _g, line in sorted(lines)]
    return ("\ufeff" + "\r\n".join(["|".join(columns), *body]) + "\r\n").encode()


def write_rel(path: Path, blocks: Iterable[Block]) -> Path:
    path.write_bytes(rel_text(blocks))
    return path


def write_population_csv(
    path: Path,
    blocks: Iterable[Block],
    *,
    columns: tuple[str, str] = ("GEOID20", "P1_001N"),
    delimiter: str = ",",
) -> Path:
    lines = [delimiter.join(columns), *(f"{b.geoid}{delimiter}{b.people}" for b in blocks)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_population_json(path: Path, blocks: Iterable[Block]) -> Path:
    """Write the Census API's answer for P1_001N by block: strings, header first."""
    rows = [["P1_001N", "state", "county", "tract", "block"]]
    rows += [
        [str(b.people), b.geoid[:2], b.geoid[2:5], b.geoid[5:11], b.geoid[11:]] for b in blocks
    ]
    text = "[" + ",\n".join(json.dumps(row) for row in rows) + "]"  # no line end, as the API
    path.write_text(text, encoding="utf-8")
    return path


@dataclass(frozen=True)
class Inputs:
    """Paths of one set of inputs written into a folder."""

    blocks: Path
    earlier: Path
    rel: Path
    population: Path

    def args(self, output: Path, *, population: bool = True) -> list[str]:
        args = ["--congress", "120", "--blocks", str(self.blocks)]
        args += ["--earlier-blocks", str(self.earlier), "--zcta-blocks", str(self.rel)]
        args += ["--output", str(output)]
        return args + (["--population", str(self.population)] if population else [])


def write_inputs(folder: Path, blocks: Sequence[Block] = PLACES) -> Inputs:
    """Write cd120.zip, cd119.zip, the relationship file and a population CSV."""
    folder.mkdir(parents=True, exist_ok=True)
    return Inputs(
        blocks=write_bef_zip(folder / "cd120.zip", 120, blocks),
        earlier=write_bef_zip(folder / "cd119.zip", 119, blocks),
        rel=write_rel(folder / "tab20_zcta520_tabblock20_natl.txt", blocks),
        population=write_population_csv(folder / "population.csv", blocks),
    )
