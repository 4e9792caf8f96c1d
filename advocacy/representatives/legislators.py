"""A member of Congress as the rest of the service sees one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

Chamber = Literal["house", "senate"]
# Each chamber's own "who represents me" pages: where a supporter goes when our data has
# no contact details for a member yet (new members, in the first days of a Congress).
CHAMBER_FINDERS: dict[str, str] = {
    "house": "https://www.house.gov/representatives/find-your-representative",
    "senate": "https://www.senate.gov/senators/senators-contact.htm",
}
# A Bioguide ID: a capital letter and six digits, such as "K000397".
BIOGUIDE_PATTERN = re.compile(r"^[A-Z][0-9]{6}$")


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

    @property
    def chamber_finder(self) -> str:
        """Return the chamber's own directory, for when the member's details are missing."""
        return CHAMBER_FINDERS[self.chamber]

    def to_api(self) -> dict[str, Any]:
        """Return the public JSON shape documented in DESIGN.md."""
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
