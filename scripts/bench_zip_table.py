"""Time `build-zip-table` on a synthetic input the size of the Census's national files.

    .venv/bin/python scripts/bench_zip_table.py [--blocks 8200000] [--no-population]
                                                [--dir DIR] [--keep]

Writes into a temporary folder (under DIR or TMPDIR; deleted afterwards unless --keep):

- cd120.zip and cd119.zip, each holding NationalCDNNN.txt: `--blocks` blocks (8.2 million,
  as the real files) across the real states' FIPS codes, CRLF, header GEOID,CDFP;
- tab20_zcta520_tabblock20_natl.txt: the relationship file's 17 columns with values of
  the real widths (about 1.1 GB at full size): every ZIP area of the shipped table, its
  blocks drawn from the districts the shipped table gives it; 3.5% of blocks also in a
  second ZIP area, 2% in none, 0.1% in no district (ZZ);
- population.csv (GEOID20,P1_001N), a third of blocks with nobody, unless --no-population.

The states the changed-states table gives a new map for the 120th get other district
numbers in cd120.zip, and so does Missouri, whose 119th lines (cd119.zip) the build must
use; so the build's comparison with the shipped table passes as a real one would.

The blocks of a ZIP area are scattered through its state's GEOIDs, so no relationship row
finds its block next to the one before: the look-up's worst case.

Then runs the build as a subprocess, as `advocacy data build-zip-table` would, and
reports the time to generate, the build's wall time and its peak resident memory
(`getrusage(RUSAGE_CHILDREN).ru_maxrss`).
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import IO

from advocacy.congress.maps import load_map_table
from advocacy.congress.states import STATE_BY_FIPS, STATE_NAMES
from advocacy.representatives.datafiles import snapshot_zip_table

REL_HEADER = (
    "OID_ZCTA5_20|GEOID_ZCTA5_20|NAMELSAD_ZCTA5_20|AREALAND_ZCTA5_20|AREAWATER_ZCTA5_20|"
    "MTFCC_ZCTA5_20|CLASSFP_ZCTA5_20|FUNCSTAT_ZCTA5_20|OID_TABBLOCK_20|GEOID_TABBLOCK_20|"
    "NAMELSAD_TABBLOCK_20|AREALAND_TABBLOCK_20|AREAWATER_TABBLOCK_20|MTFCC_TABBLOCK_20|"
    "FUNCSTAT_TABBLOCK_20|AREALAND_PART|AREAWATER_PART"
)
BUILD = (
    "from advocacy.representatives.datafiles.blocktable_command import build_zip_table_command; "
    "build_zip_table_command()"
)
SPLIT_SHARE = 0.035
NO_ZCTA_SHARE = 0.02
NO_DISTRICT_SHARE = 0.001
BATCH = 50_000
FIPS = {code: fips for fips, code in STATE_BY_FIPS.items()}


def geoid(fips: str, i: int) -> str:
    """Return the i-th block GEOID of a state, in GEOID order: county, tract, block."""
    county, tract, block = 1 + 2 * (i // 100_000), 100 * (1 + (i // 1000) % 100), 1000 + i % 1000
    return f"{fips}{county:03d}{tract:06d}{block:04d}"


class Writers:
    """The four output files, written in batches."""

    def __init__(self, folder: Path, population: bool) -> None:
        self.archives = {
            congress: zipfile.ZipFile(folder / f"cd{congress}.zip", "w", zipfile.ZIP_DEFLATED)
            for congress in (120, 119)
        }
        self.bef: dict[int, IO[bytes]] = {
            congress: archive.open(f"NationalCD{congress}.txt", "w", force_zip64=True)
            for congress, archive in self.archives.items()
        }
        self.rel = (folder / "tab20_zcta520_tabblock20_natl.txt").open("w", encoding="utf-8")
        self.rel.write("\ufeff" + REL_HEADER + "\r\n")
        self.population = (folder / "population.csv").open("w") if population else None
        for stream in self.bef.values():
            stream.write(b"GEOID,CDFP\r\n")
        if self.population:
            self.population.write("GEOID20,P1_001N\n")

    def close(self) -> None:
        for stream in self.bef.values():
            stream.close()
        for archive in self.archives.values():
            archive.close()
        self.rel.close()
        if self.population:
            self.population.close()


def plan_states() -> dict[str, list[tuple[str, list[int]]]]:
    """Return each state's ZIP areas with their districts there, from the shipped table."""
    by_state: dict[str, list[tuple[str, list[int]]]] = defaultdict(list)
    for zcta, seats in sorted(snapshot_zip_table().items()):
        districts: dict[str, list[int]] = defaultdict(list)
        for state, district in seats:
            districts[state].append(district)
        for state, found in districts.items():
            by_state[state].append((zcta, found))
    return by_state


def renumber(districts: list[int], seats: int) -> list[int]:
    """Return other district numbers, as a new map would give."""
    return [d if seats <= 1 else d % seats + 1 for d in districts]


def write_state(
    out: Writers,
    code: str,
    zctas: list[tuple[str, list[int]]],
    blocks: int,
    redrawn: bool,
    rng: random.Random,
) -> int:
    """Write one state's blocks to every file; return the relationship rows written."""
    fips = FIPS[code]
    seats = max(d for _z, found in zctas for d in found)
    # Each ZIP area gets a share of the state's blocks; a block's owner is shuffled so a
    # ZIP area's blocks lie far apart in GEOID order (the look-up's worst case).
    weights = [rng.uniform(0.2, 1.8) for _ in zctas]
    scale = blocks * (1 - NO_ZCTA_SHARE) / sum(weights)
    owners = [z for z, w in enumerate(weights) for _ in range(max(1, round(w * scale)))]
    owners += [-1] * (blocks - len(owners)) if blocks > len(owners) else []
    rng.shuffle(owners)
    members: list[list[int]] = [[] for _ in zctas]
    cd119 = bytearray(len(owners))
    people = [0] * len(owners)
    land = [0] * len(owners)
    for i, owner in enumerate(owners):
        found = zctas[owner][1] if owner >= 0 else [zctas[0][1][0]]
        # Most of a ZIP area's blocks lie in its first district.
        district = found[0] if rng.random() < 0.8 else found[rng.randrange(len(found))]
        cd119[i] = 255 if rng.random() < NO_DISTRICT_SHARE else district
        people[i] = 0 if rng.random() < 0.33 else rng.randint(1, 60)
        land[i] = rng.randint(1_000, 400_000)
        if owner >= 0:
            members[owner].append(i)
    ids = [geoid(fips, i) for i in range(len(owners))]
    new_numbers = {d: renumber([d], seats)[0] for d in range(seats + 1)} if redrawn else {}
    for start in range(0, len(ids), BATCH):
        chunk = range(start, min(start + BATCH, len(ids)))
        for congress, stream in out.bef.items():
            lines = []
            for i in chunk:
                d = cd119[i]
                if congress == 120 and d != 255:
                    d = new_numbers.get(d, d)
                lines.append(f"{ids[i]},{'ZZ' if d == 255 else f'{d:02d}'}\r\n")
            stream.write("".join(lines).encode())
        if out.population:
            out.population.write("".join(f"{ids[i]},{people[i]}\n" for i in chunk))
    rows = 0
    lines = []
    for z, (zcta, _found) in enumerate(zctas):
        head = _zcta_columns(zcta, rng.randint(10**6, 10**9), rng.randint(0, 10**7))
        neighbour = zctas[(z + 1) % len(zctas)][0]
        for i in members[z]:
            block_land, part = land[i], land[i]
            if rng.random() < SPLIT_SHARE:
                part = block_land * 2 // 3
                other = _zcta_columns(neighbour, 123_456_789, 1_234_567)
                lines.append(other + _block_columns(ids[i], block_land, block_land - part))
                rows += 1
            lines.append(head + _block_columns(ids[i], block_land, part))
            rows += 1
            if len(lines) >= BATCH:
                out.rel.write("".join(lines))
                lines = []
    lines += [
        "||||||||" + _block_columns(ids[i], land[i], land[i])
        for i, o in enumerate(owners)
        if o < 0
    ]
    rows += sum(1 for o in owners if o < 0)
    out.rel.write("".join(lines))
    return rows


def _zcta_columns(zcta: str, land: int, water: int) -> str:
    return f"22363870{zcta}|{zcta}|ZCTA5 {zcta}|{land}|{water}|G6350|B5|S|"


def _block_columns(block: str, block_land: int, part: int) -> str:
    return f"2102057{block[-8:]}|{block}|Block {block[-4:]}|{block_land}|0|G5040|S|{part}|0\r\n"


def generate(folder: Path, total: int, population: bool, seed: int) -> dict[str, int]:
    """Write the synthetic inputs; return counts."""
    rng = random.Random(seed)
    states = plan_states()
    maps = load_map_table()
    # Every state with a row for the 120th Congress: on a new map, or kept on its previous one.
    redrawn = {c.state for c in maps.changes if c.congress == 120}
    zcta_count = sum(len(z) for z in states.values())
    out = Writers(folder, population)
    rows = 0
    written = 0
    try:
        for code in sorted(states, key=FIPS.__getitem__):
            share = round(total * len(states[code]) / zcta_count)
            print(f"  {STATE_NAMES[code]}: {share:,} blocks", file=sys.stderr)
            rows += write_state(out, code, states[code], share, code in redrawn, rng)
            written += share
    finally:
        out.close()
    return {"blocks": written, "rel_rows": rows, "zctas": len(snapshot_zip_table())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=8_200_000)
    parser.add_argument("--no-population", action="store_true")
    parser.add_argument("--dir", type=Path, default=None, help="where the temporary folder goes")
    parser.add_argument("--keep", action="store_true", help="keep the files (prints where)")
    parser.add_argument("--seed", type=int, default=120)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-zip-table-", dir=args.dir) as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        counts = generate(folder, args.blocks, not args.no_population, args.seed)
        generated = time.perf_counter() - started
        sizes = {p.name: p.stat().st_size for p in sorted(folder.iterdir())}
        command = [sys.executable, "-c", BUILD, "--congress", "120"]
        command += ["--blocks", str(folder / "cd120.zip")]
        command += ["--earlier-blocks", str(folder / "cd119.zip")]
        command += ["--zcta-blocks", str(folder / "tab20_zcta520_tabblock20_natl.txt")]
        if not args.no_population:
            command += ["--population", str(folder / "population.csv")]
        command += ["--output", str(folder / "zccd120.csv")]
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True)
        built = time.perf_counter() - started
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        for line in result.stdout.splitlines():
            if not line.startswith(("warning: the table has no ZIP areas", "note:")):
                print(f"  | {line}")
        if result.returncode:
            print(result.stderr[-3000:], file=sys.stderr)
        print(f"blocks: {counts['blocks']:,}; relationship rows: {counts['rel_rows']:,}; ")
        print(f"ZIP areas: {counts['zctas']:,}")
        for name, size in sizes.items():
            print(f"  {name}: {size / 1e6:,.1f} MB")
        print(f"generate: {generated:.1f} s")
        print(f"build: {built:.1f} s (exit status {result.returncode})")
        print(f"peak RSS of the build: {peak_kib / 1024:,.0f} MiB")
        if args.keep:
            kept = Path(tempfile.mkdtemp(prefix="bench-zip-table-kept-", dir=args.dir))
            for path in folder.iterdir():
                path.rename(kept / path.name)
            print(f"files kept in {kept}")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
