"""A member of Congress as the rest of the service sees one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, Literal

Chamber = Literal["house", "senate"]
# Each chamber's own "who represents me" pages: where a supporter goes when our data has
# no contact details for a member yet (new members, in the first days of a Congress).
CHAMBER_FINDERS: dict[str, str] = {
    "house": "https://www.house.gov/representatives/find-your-representative",
    "senate": "https://www.senate.gov/senators/senators-contact.htm",
}
# A Bioguide ID: a capital letter and six digits, such as "K000397".
BIOGUIDE_PATTERN = re.compile(r"^[A-Z][0-9]{6}$")
# The House members who have no vote when the full House passes a bill: the titles the
# directory gives DC's and the territories' delegates and Puerto Rico's resident
# commissioner (advocacy.representatives.directory.NON_VOTING_TITLES).
NON_VOTING_HOUSE_TITLES: Final = frozenset({"Delegate", "Resident Commissioner"})


@dataclass(frozen=True, slots=True)
class Legislator:
    """One sitting member, built from the last term in congress-legislators."""

    bioguide: str
    name: str  # official_full, or "first last" when the file lacks it
    last_name: str  # for salutations: "Dear Senator Cantwell,"
    chamber: Chamber
    # "Senator", "Representative", "Delegate" or "Resident Commissioner"
    title: str
    state: str  # USPS code: "WA", "DC", "PR"
    district: int | None  # None for senators; 0 for at-large seats and non-voting members
    party: str
    phone: str | None
    url: str | None
    contact_form: str | None
    address: str | None  # Washington office mailing address, one line as in the data
    office: str | None  # building and room, e.g. "511 Hart Senate Office Building"
    # The day the member's unbroken service in this chamber began, as of the term this was
    # built from: that term's start, or an earlier term's when the terms follow on from
    # one another (a re-elected member's new term still says they served before it).
    # None when the data does not say.
    serving_since: date | None = None

    @property
    def has_floor_vote(self) -> bool:
        """Tell whether the member votes when their chamber passes a bill."""
        return self.chamber == "senate" or self.title not in NON_VOTING_HOUSE_TITLES

    def could_vote_on(self, day: date) -> bool:
        """Tell whether the member had a vote in their chamber on a day: serving by then.

        A member whose start of service is unknown is taken not to have had one, so that
        nobody is thanked for a vote they may not have cast.
        """
        return self.has_floor_vote and self.serving_since is not None and self.serving_since <= day

    @property
    def chamber_finder(self) -> str:
        """Return the chamber's own directory, for when the member's details are missing."""
        return CHAMBER_FINDERS[self.chamber]

    def to_api(self) -> dict[str, Any]:
        """Return the public JSON shape (LEGISLATOR in advocacy/api/openapi.py)."""
        return {
            "bioguide": self.bioguide,
            "name": self.name,
            "chamber": self.chamber,
            "state": self.state,
            "district": self.district,
            "party": self.party,
            "phone": self.phone,
            "url": self.url,
            "contact_form": self.contact_form,
            "address": self.address,
        }
