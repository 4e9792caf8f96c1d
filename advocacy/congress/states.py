"""US states, DC and the territories: USPS codes, names and Census FIPS codes."""

from __future__ import annotations

# code: (name, FIPS)
_STATES: dict[str, tuple[str, str]] = {
    "AL": ("Alabama", "01"),
    "AK": ("Alaska", "02"),
    "AZ": ("Arizona", "04"),
    "AR": ("Arkansas", "05"),
    "CA": ("California", "06"),
    "CO": ("Colorado", "08"),
    "CT": ("Connecticut", "09"),
    "DE": ("Delaware", "10"),
    "DC": ("District of Columbia", "11"),
    "FL": ("Florida", "12"),
    "GA": ("Georgia", "13"),
    "HI": ("Hawaii", "15"),
    "ID": ("Idaho", "16"),
    "IL": ("Illinois", "17"),
    "IN": ("Indiana", "18"),
    "IA": ("Iowa", "19"),
    "KS": ("Kansas", "20"),
    "KY": ("Kentucky", "21"),
    "LA": ("Louisiana", "22"),
    "ME": ("Maine", "23"),
    "MD": ("Maryland", "24"),
    "MA": ("Massachusetts", "25"),
    "MI": ("Michigan", "26"),
    "MN": ("Minnesota", "27"),
    "MS": ("Mississippi", "28"),
    "MO": ("Missouri", "29"),
    "MT": ("Montana", "30"),
    "NE": ("Nebraska", "31"),
    "NV": ("Nevada", "32"),
    "NH": ("New Hampshire", "33"),
    "NJ": ("New Jersey", "34"),
    "NM": ("New Mexico", "35"),
    "NY": ("New York", "36"),
    "NC": ("North Carolina", "37"),
    "ND": ("North Dakota", "38"),
    "OH": ("Ohio", "39"),
    "OK": ("Oklahoma", "40"),
    "OR": ("Oregon", "41"),
    "PA": ("Pennsylvania", "42"),
    "RI": ("Rhode Island", "44"),
    "SC": ("South Carolina", "45"),
    "SD": ("South Dakota", "46"),
    "TN": ("Tennessee", "47"),
    "TX": ("Texas", "48"),
    "UT": ("Utah", "49"),
    "VT": ("Vermont", "50"),
    "VA": ("Virginia", "51"),
    "WA": ("Washington", "53"),
    "WV": ("West Virginia", "54"),
    "WI": ("Wisconsin", "55"),
    "WY": ("Wyoming", "56"),
    "AS": ("American Samoa", "60"),
    "GU": ("Guam", "66"),
    "MP": ("Northern Mariana Islands", "69"),
    "PR": ("Puerto Rico", "72"),
    "VI": ("U.S. Virgin Islands", "78"),
}

STATE_NAMES: dict[str, str] = {code: name for code, (name, _fips) in _STATES.items()}
STATE_BY_FIPS: dict[str, str] = {fips: code for code, (_name, fips) in _STATES.items()}
# DC and the territories send a non-voting member to the House and no senators.
NON_STATES: frozenset[str] = frozenset({"DC", "AS", "GU", "MP", "PR", "VI"})


def state_name(code: str) -> str:
    """Return the full name for a USPS code, or the code itself when unknown."""
    return STATE_NAMES.get(code, code)


# Names that take "the" in a sentence: "I live in the District of Columbia".
_PROSE_NAMES: dict[str, str] = {
    "DC": "the District of Columbia",
    "MP": "the Northern Mariana Islands",
    "VI": "the U.S. Virgin Islands",
}


def state_prose_name(code: str) -> str:
    """Return the name as it reads in a sentence, or the code itself when unknown.

    "the District of Columbia", "the U.S. Virgin Islands", "Ohio": after a city the article
    drops, so callers write `name.removeprefix("the ")` there.
    """
    return _PROSE_NAMES.get(code) or STATE_NAMES.get(code, code)


def territory_for_zip(zip5: str) -> str | None:
    """Return the island territory whose ZIP range holds zip5.

    The ZIP-to-district file has no rows for Guam, the Northern Mariana Islands,
    American Samoa or the Virgin Islands, each of which has one at-large seat.
    """
    if not (len(zip5) == 5 and zip5.isdigit()):
        return None
    number = int(zip5)
    if 96910 <= number <= 96932:
        return "GU"
    if 96950 <= number <= 96952:
        return "MP"
    if number == 96799:
        return "AS"
    if 801 <= number <= 851:
        return "VI"
    return None
