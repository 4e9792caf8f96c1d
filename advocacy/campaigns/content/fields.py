"""The small checks of one field or table of a campaign file, each adding its problem, with
its place, to a list: shared by the campaign's rules (rules.py) and its translations'
(translation_rules.py)."""

from __future__ import annotations

import datetime
import re
import string
from collections.abc import Callable, Mapping
from typing import Any

from advocacy.campaigns.content.model import (
    TEMPLATE_VARIABLES,
)
from advocacy.web.prose import ALLOWED_LINKS, refused_links


def _letter_variables(letter: Mapping[str, Any], problems: list[str]) -> set[str]:
    # The names a template may use: the built-in ones and the good ones of [letter.values].
    known = set(TEMPLATE_VARIABLES)
    values = letter.get("values", {})
    if not isinstance(values, Mapping):
        problems.append("letter.values: must be a table of names and text")
    else:
        for key, value in values.items():
            if not key.isidentifier() or not key.isascii():
                problems.append(
                    f"letter.values.{key}: a variable name may use only letters, digits "
                    "and underscores"
                )
            elif key in TEMPLATE_VARIABLES:
                problems.append(f"letter.values.{key}: ${key} is built in and cannot be redefined")
            elif not isinstance(value, str):
                problems.append(f"letter.values.{key}: must be text")
            else:
                known.add(key)
    return known


def _texts_in(value: object, path: str) -> list[tuple[str, str]]:
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, Mapping):
        return [pair for key, item in value.items() for pair in _texts_in(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [pair for i, item in enumerate(value) for pair in _texts_in(item, f"{path}[{i}]")]
    return []


def _variables_in(value: object) -> set[str]:
    if not isinstance(value, list):
        return set()
    names: set[str] = set()
    for item in value:
        if isinstance(item, str):
            template = string.Template(item)
            if template.is_valid():
                names.update(template.get_identifiers())
    return names


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


def _date(
    table: Mapping[str, Any], key: str, path: str, problems: list[str]
) -> datetime.date | None:
    value = _get(
        table,
        key,
        path,
        problems,
        lambda v: isinstance(v, datetime.date) and not isinstance(v, datetime.datetime),
        "a date written as 2025-09-02, without quotes",
    )
    return value if isinstance(value, datetime.date) else None


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


def _formatted(table: Mapping[str, Any], key: str, path: str, problems: list[str]) -> None:
    # The paragraphs the page shows formatted (advocacy.web.prose: emphasis, lists,
    # links); every other text is plain. A link the page would not make is refused here,
    # by the same parser and test, rather than left for a reader to find it dead.
    value = table.get(key)
    if not isinstance(value, list):
        return  # reported by _text_list
    for index, item in enumerate(value):
        for link in refused_links(item) if isinstance(item, str) else ():
            goes = f"goes to {link.address!r}" if link.address else "has no address"
            problems.append(
                f"{path}[{index}]: the link [{link.words}] {goes}: a link may go only to "
                f"{ALLOWED_LINKS}, written [words](https://example.org/page)"
            )


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


# --- [translations.<content>] ---------------------------------------------------------------
# The supporter-facing text in another language. Every field is optional; what is there
# must fit the English it translates (as many story sections, provisions; timeline dates
# the English has), and its letters' explanations may use only the letters' variables.


def _check_variables(
    text: str,
    where: str,
    known: set[str],
    problems: list[str],
    refused: Mapping[str, str] | None,
) -> None:
    template = string.Template(text)
    if not template.is_valid():
        problems.append(f"{where}: has a '$' that is not a variable (write $$ for a dollar sign)")
        return
    for name in template.get_identifiers():
        if refused is not None and name in refused:
            problems.append(
                f"{where}: ${name} names the old bill, which dies with {refused[name]}; "
                "the bill brought back in the next Congress gets a new number"
            )
        elif name not in known:
            problems.append(
                f"{where}: unknown variable ${name} (known: "
                + ", ".join(f"${k}" for k in sorted(known))
                + ")"
            )


def _optional_table(
    table: Mapping[str, Any], key: str, where: str, problems: list[str]
) -> Mapping[str, Any] | None:
    if key not in table:
        return None
    return _table(table, key, f"{where}.{key}", problems)


def _texts(
    table: Mapping[str, Any], keys: tuple[str, ...], where: str, problems: list[str]
) -> None:
    for key in keys:
        if key in table:
            _text(table, key, f"{where}.{key}", problems)


def _paragraphs(table: Mapping[str, Any], key: str, where: str, problems: list[str]) -> None:
    if key in table:
        _text_list(table, key, f"{where}.{key}", problems)
        _formatted(table, key, f"{where}.{key}", problems)
