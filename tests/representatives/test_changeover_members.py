"""Who is shown around a swearing-in, with the real members builds of the last changeover.

The three builds of legislators-current.json from January 2025 (tests/fixtures/transition)
are read with the ZIP table shipped in the package: 98105 is WA-7, 25301 is WV-1 on both
maps. The clock is set around noon Eastern on January 3, 2025, when the 119th Congress was
sworn in.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from data_files import ZCTA_FILE
from fake_geocoder import FakeGeocoder

from advocacy.representatives.directory import Directory
from advocacy.representatives.finder import RepresentativeFinder
from advocacy.representatives.lookup import Lookup

BUILDS = Path(__file__).resolve().parents[1] / "fixtures" / "transition"
OLD = BUILDS / "legislators-current.2024-12-18.json.gz"  # the 118th
FIRST = BUILDS / "legislators-current.2025-01-04.json.gz"  # the first 119th build
COMPLETE = BUILDS / "legislators-current.2025-01-22.json.gz"

BEFORE_NOON = datetime(2025, 1, 3, 16, 59, 59, tzinfo=UTC)
NOON = datetime(2025, 1, 3, 17, 0, 0, tzinfo=UTC)
NEXT_DAY = datetime(2025, 1, 4, 15, 0, tzinfo=UTC)

JAYAPAL, CANTWELL, MURRAY = "J000298", "C000127", "M001111"
CAPITO, MANCHIN, JUSTICE = "C001047", "M001183", "J000312"


# These tests look up by ZIP code: a request to the geocoder fails them.
NO_GEOCODER = AssertionError("these tests look up by ZIP code")


def finder(build: Path, moment: datetime) -> RepresentativeFinder:
    directory = Directory.from_files(build, ZCTA_FILE)
    return RepresentativeFinder(directory, FakeGeocoder(NO_GEOCODER), clock=lambda: moment)


def bioguides(lookup: Lookup) -> list[str]:
    return [m.bioguide for m in lookup.legislators]


@pytest.mark.parametrize(("build", "congress"), [(OLD, 118), (FIRST, 119), (COMPLETE, 119)])
def test_each_build_knows_its_congress(build: Path, congress: int) -> None:
    assert Directory.from_files(build, ZCTA_FILE).members_congress == congress


def test_the_old_build_before_noon_shows_the_sitting_members() -> None:
    lookup = finder(OLD, BEFORE_NOON).find(zip5="98105")
    assert (lookup.congress, lookup.district) == (118, 7)
    assert bioguides(lookup) == [JAYAPAL, CANTWELL, MURRAY]
    assert lookup.pending == ()


def test_the_old_build_after_noon_shows_only_terms_that_continue() -> None:
    lookup = finder(OLD, NOON).find(zip5="98105")
    assert (lookup.congress, lookup.district) == (119, 7)
    # Jayapal's and Cantwell's terms in this build ended at noon: they were re-elected,
    # but the file does not say so yet. Never show an ended term.
    assert bioguides(lookup) == [MURRAY]
    assert lookup.pending == ("house", "senate")
    assert not lookup.vacant


def test_the_first_new_build_shows_the_new_terms_and_the_gap_in_west_virginia() -> None:
    seattle = finder(FIRST, NEXT_DAY).find(zip5="98105")
    assert bioguides(seattle) == [JAYAPAL, CANTWELL, MURRAY]
    assert seattle.pending == ()
    # New terms in this build have no phone yet: the page sends people to house.gov.
    assert seattle.house_member is not None and seattle.house_member.phone is None
    assert seattle.house_member.chamber_finder.startswith("https://www.house.gov/")

    charleston = finder(FIRST, NEXT_DAY).find(zip5="25301")
    assert [m.bioguide for m in charleston.senators] == [CAPITO]
    assert charleston.pending == ("senate",)  # one seat missing, not "one senator"
    assert MANCHIN not in bioguides(charleston)


def test_a_new_build_read_before_noon_shows_re_elected_members_in_their_old_term() -> None:
    # A build merged early lists the new terms, which start only at noon: until then the
    # members sit in the terms before (kept from the file), with the old details.
    lookup = finder(FIRST, BEFORE_NOON).find(zip5="98105")
    assert (lookup.congress, bioguides(lookup)) == (118, [JAYAPAL, CANTWELL, MURRAY])
    assert lookup.house_member is not None and lookup.house_member.phone is not None
    # In West Virginia the outgoing senator is not in the file any more.
    assert finder(FIRST, BEFORE_NOON).find(zip5="25301").pending == ("senate",)


def test_the_complete_build_has_everyone() -> None:
    charleston = finder(COMPLETE, datetime(2025, 1, 22, 18, tzinfo=UTC)).find(zip5="25301")
    assert sorted(m.bioguide for m in charleston.senators) == sorted([CAPITO, JUSTICE])
    assert charleston.pending == ()
    assert charleston.house_member is not None


def test_the_results_page_points_to_the_chambers_while_details_are_missing(
    make_app: Callable[..., Any],
) -> None:
    from pages import SLUG, submit_pledge

    app = make_app(LEGISLATORS_PATH=str(FIRST), CLOCK=lambda: NEXT_DAY)
    client = app.test_client()
    assert submit_pledge(client, street="", zip="25301", city="", state="").status_code == 303
    page = client.get(f"/c/{SLUG}/thanks").get_data(as_text=True)
    assert "One of West Virginia's Senate seats is missing from our data" in page
    assert "senate.gov lists every senator" in page
    assert "house.gov lists every member's contacts" in page
