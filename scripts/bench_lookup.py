"""Time in-process representative look-ups from a ZIP and from a district.

Usage: python scripts/bench_lookup.py [LEGISLATORS_JSON ZCTA_CSV] [-n N]

Without file arguments it times the snapshot shipped in the package (the `.gz` files in
advocacy/representatives/snapshot/); plain or `.gz` copies may be given instead.

Each look-up is what the service does per request once the directory is loaded: the
districts of a ZIP, then the House member and the senators of the (single) district; or
the member and senators of a known (state, district). A plain dict access timed in the
same run is the baseline, so the ratio holds across machines.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

from advocacy.congress.states import STATE_NAMES
from advocacy.representatives.datafiles import SNAPSHOT_DIR
from advocacy.representatives.directory import Directory, parse_zcta, read_data_file


def per_call_us(fn: Callable[[], object], n: int, repeat: int = 5) -> float:
    """Return the best of several runs, in microseconds per call."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, time.perf_counter() - start)
    return best / n * 1e6


def main(argv: list[str] | None = None) -> int:
    """Load the directory, time the look-ups and print the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "legislators", nargs="?", type=Path, default=SNAPSHOT_DIR / "legislators-current.json.gz"
    )
    parser.add_argument("zcta", nargs="?", type=Path, default=SNAPSHOT_DIR / "zccd.csv.gz")
    parser.add_argument("-n", type=int, default=200_000, help="look-ups per timed run")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    directory = Directory.from_files(args.legislators, args.zcta)
    load_ms = (time.perf_counter() - start) * 1e3
    zip_count = len(directory.zip_tables[directory.zip_congress])
    print(f"loaded {len(directory)} members, {zip_count} ZCTAs in {load_ms:.0f} ms")

    rng = random.Random(119)
    text = read_data_file(args.zcta).decode("utf-8-sig")
    known = sorted(parse_zcta(io.StringIO(text, newline="")))
    # Mostly real ZIPs, with a few unknown ones as the API sees them.
    zips = rng.choices(known, k=1000) + ["00000"] * 24
    rng.shuffle(zips)
    states = sorted(s for s in STATE_NAMES if directory.is_known_state(s))
    all_seats = [(s, d) for s in states for d in directory.districts(s)]
    seats = rng.choices(all_seats, k=1024)
    baseline = {z: i for i, z in enumerate(zips)}
    i = 0

    def from_zip() -> object:
        nonlocal i
        i = (i + 1) & 1023
        found = directory.seats_by_table(zips[i]).get(directory.zip_congress, ())
        if len(found) == 1:
            state, district = found[0]
            return directory.house_member(state, district), directory.senators(state)
        return found

    def from_district() -> object:
        nonlocal i
        i = (i + 1) & 1023
        state, district = seats[i]
        return directory.house_member(state, district), directory.senators(state)

    def dict_lookup() -> object:
        nonlocal i
        i = (i + 1) & 1023
        return baseline.get(zips[i])

    base = per_call_us(dict_lookup, args.n)
    print(f"{'baseline dict.get':<28}{base:8.3f} µs")
    for label, fn in (("look-up from ZIP", from_zip), ("look-up from district", from_district)):
        us = per_call_us(fn, args.n)
        print(f"{label:<28}{us:8.3f} µs  ({us / base:.1f}x baseline, {us / 1000:.5f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
