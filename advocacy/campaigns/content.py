"""Read campaign content files (TOML) and check them against the page and letter schema."""

from __future__ import annotations

import datetime
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final

from advocacy.letters.drafting import validate_letter_material

SHIPPED_DIR: Final = Path(__file__).parent / "shipped"
SLUG_PATTERN: Final = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
BIOGUIDE_PATTERN: Final = re.compile(r"^[A-Z][0-9]{6}$")
# A BCP 47 tag as the page's lang attribute needs it: "en", "ug", "zh-Hant".
LANGUAGE_PATTERN: Final = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")

_TOP_KEYS: Final = frozenset(
    {"slug", "title", "tagline", "goal", "default", "language", "ask", "story", "bill",
     "sources", "letter"}
)  # fmt: skip
_ASK_KEYS: Final = frozenset({"heading", "paragraphs", "pledge_statement", "button"})
_STORY_KEYS: Final = frozenset({"heading", "paragraphs"})
_BILL_KEYS: Final = frozenset(
    {"short_title", "congress", "house_number", "senate_number", "house_url", "senate_url",
     "status", "provisions", "sponsors", "timeline"}
)  # fmt: skip
_TIMELINE_KEYS: Final = frozenset({"date", "text"})
_SOURCE_KEYS: Final = frozenset({"title", "publisher", "date", "url"})


class CampaignContentError(ValueError):
    """A campaign file that cannot be served, with every problem found in it."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{source}: campaign file is not valid:\n{lines}")


def shipped_campaign_files() -> list[Path]:
    """Return the campaign files that ship inside the package, in name order."""
    return sorted(SHIPPED_DIR.glob("*.toml"))


def load_campaign_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read and check one campaign file; raise CampaignContentError listing its problems."""
    source = os.fspath(path)
    try:
        raw = Path(source).read_bytes()
    except OSError as error:
        raise CampaignContentError(source, [f"cannot read the file: {error.strerror}"]) from error
    try:
        campaign = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise CampaignContentError(source, ["the file is not UTF-8 text"]) from error
    except tomllib.TOMLDecodeError as error:
        raise CampaignContentError(source, [f"not valid TOML: {error}"]) from error
    problems = validate_campaign(campaign)
    if problems:
        raise CampaignContentError(source, problems)
    # Optional keys get their defaults here so readers of the mapping need not.
    campaign.setdefault("default", False)
    campaign.setdefault("language", "en")
    return campaign


def validate_campaign(campaign: Mapping[str, Any]) -> list[str]:
    """Return every problem that keeps the campaign from being served, or an empty list."""
    problems: list[str] = []
    _unknown_keys(campaign, _TOP_KEYS, "", problems)

    slug = _text(campaign, "slug", "slug", problems)
    if slug is not None and not SLUG_PATTERN.match(slug):
        problems.append(
            f"slug: {slug!r} must be 1 to 63 lowercase letters, digits or hyphens, "
            "starting with a letter or digit"
        )
    _text(campaign, "title", "title", problems)
    _text(campaign, "tagline", "tagline", problems)
    goal = _whole_number(campaign, "goal", "goal", problems)
    if goal is not None and goal <= 0:
        problems.append("goal: must be a positive number of pledges")
    if "default" in campaign and not isinstance(campaign["default"], bool):
        problems.append("default: must be true or false")
    if "language" in campaign:
        language = _text(campaign, "language", "language", problems)
        if language is not None and not LANGUAGE_PATTERN.match(language):
            problems.append(f'language: {language!r} is not a language tag such as "en"')

    ask = _table(campaign, "ask", "ask", problems)
    if ask is not None:
        _unknown_keys(ask, _ASK_KEYS, "ask.", problems)
        _text(ask, "heading", "ask.heading", problems)
        _text_list(ask, "paragraphs", "ask.paragraphs", problems)
        _text(ask, "pledge_statement", "ask.pledge_statement", problems)
        _text(ask, "button", "ask.button", problems)

    for index, section in _tables(campaign, "story", "story", problems, required=True):
        where = f"story[{index}]"
        _unknown_keys(section, _STORY_KEYS, f"{where}.", problems)
        _text(section, "heading", f"{where}.heading", problems)
        _text_list(section, "paragraphs", f"{where}.paragraphs", problems)

    bill = _table(campaign, "bill", "bill", problems)
    if bill is not None:
        _check_bill(bill, problems)

    for index, source in _tables(campaign, "sources", "sources", problems, required=True):
        where = f"sources[{index}]"
        _unknown_keys(source, _SOURCE_KEYS, f"{where}.", problems)
        _text(source, "title", f"{where}.title", problems)
        _text(source, "publisher", f"{where}.publisher", problems)
        _date(source, "date", f"{where}.date", problems)
        if "url" in source:
            _url(source, "url", f"{where}.url", problems)

    problems.extend(validate_letter_material(campaign))
    # Both checks look at the bill facts letters use; report each problem once.
    return list(dict.fromkeys(problems))


def _check_bill(bill: Mapping[str, Any], problems: list[str]) -> None:
    _unknown_keys(bill, _BILL_KEYS, "bill.", problems)
    for key in ("short_title", "house_number", "senate_number", "status"):
        _text(bill, key, f"bill.{key}", problems)
    congress = _whole_number(bill, "congress", "bill.congress", problems)
    if congress is not None and congress <= 0:
        problems.append("bill.congress: must be a positive number, such as 119")
    _url(bill, "house_url", "bill.house_url", problems)
    _url(bill, "senate_url", "bill.senate_url", problems)
    _text_list(bill, "provisions", "bill.provisions", problems)
    sponsors = bill.get("sponsors")
    if sponsors is None:
        problems.append("bill.sponsors: missing (a list of bioguide IDs, may be empty)")
    elif not isinstance(sponsors, list):
        problems.append("bill.sponsors: must be a list of bioguide IDs")
    else:
        for index, bioguide in enumerate(sponsors):
            if not isinstance(bioguide, str) or not BIOGUIDE_PATTERN.match(bioguide):
                problems.append(
                    f"bill.sponsors[{index}]: {bioguide!r} is not a bioguide ID "
                    '(a capital letter and six digits, such as "K000397")'
                )
    for index, entry in _tables(bill, "timeline", "bill.timeline", problems, required=False):
        where = f"bill.timeline[{index}]"
        _unknown_keys(entry, _TIMELINE_KEYS, f"{where}.", problems)
        _date(entry, "date", f"{where}.date", problems)
        _text(entry, "text", f"{where}.text", problems)


def _unknown_keys(
    table: Mapping[str, Any], allowed: frozenset[str], prefix: str, problems: list[str]
) -> None:
    # A misspelt key would otherwise be silently ignored and its text never shown.
    for key in table:
        if key not in allowed:
            problems.append(
                f"{prefix}{key}: unknown key (expected one of: {', '.join(sorted(allowed))})"
            )


def _get(
    table: Mapping[str, Any],
    key: str,
    path: str,
    problems: list[str],
    accept: Callable[[object], bool],
    expected: str,
) -> Any:
    value = table.get(key)
    if value is None:
        problems.append(f"{path}: missing")
        return None
    if not accept(value):
        problems.append(f"{path}: must be {expected}")
        return None
    return value


def _text(table: Mapping[str, Any], key: str, path: str, problems: list[str]) -> str | None:
    value = _get(table, key, path, problems, lambda v: isinstance(v, str), "text")
    if value is not None and not value.strip():
        problems.append(f"{path}: must not be empty")
        return None
    return value if isinstance(value, str) else None


def _whole_number(
    table: Mapping[str, Any], key: str, path: str, problems: list[str]
) -> int | None:
    value = _get(
        table,
        key,
        path,
        problems,
        lambda v: isinstance(v, int) and not isinstance(v, bool),
        "a whole number",
    )
    return value if isinstance(value, int) else None


def _date(table: Mapping[str, Any], key: str, path: str, problems: list[str]) -> None:
    _get(
        table,
        key,
        path,
        problems,
        lambda v: isinstance(v, datetime.date) and not isinstance(v, datetime.datetime),
        "a date written as 2025-09-02, without quotes",
    )


def _url(table: Mapping[str, Any], key: str, path: str, problems: list[str]) -> None:
    value = _text(table, key, path, problems)
    if value is not None and not re.match(r"^https?://[^\s/]+\S*$", value):
        problems.append(f"{path}: {value!r} is not a web address starting with https://")


def _text_list(table: Mapping[str, Any], key: str, path: str, problems: list[str]) -> None:
    value = _get(table, key, path, problems, lambda v: isinstance(v, list), "a list of text")
    if value is None:
        return
    if not value:
        problems.append(f"{path}: needs at least one entry")
    for index, item in enumerate(value):
        if not isinstance(item, str):
            problems.append(f"{path}[{index}]: must be text")
        elif not item.strip():
            problems.append(f"{path}[{index}]: must not be empty")


def _table(
    table: Mapping[str, Any], key: str, path: str, problems: list[str]
) -> Mapping[str, Any] | None:
    value = table.get(key)
    if value is None:
        problems.append(f"{path}: missing table [{path}]")
        return None
    if not isinstance(value, Mapping):
        problems.append(f"{path}: must be a table [{path}]")
        return None
    return value


def _tables(
    table: Mapping[str, Any], key: str, path: str, problems: list[str], *, required: bool
) -> list[tuple[int, Mapping[str, Any]]]:
    value = table.get(key)
    if value is None:
        if required:
            problems.append(f"{path}: missing (one or more [[{path}]] tables)")
        return []
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        problems.append(f"{path}: must be written as [[{path}]] tables")
        return []
    if required and not value:
        problems.append(f"{path}: needs at least one [[{path}]] table")
    return list(enumerate(value))
