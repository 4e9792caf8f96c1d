"""Writing campaign content back out: the TOML file that loading reads in again.

`dump_campaign` takes a campaign as `Campaign.content` stores it and returns the text of a
campaign file that `load_campaign_file` turns back into exactly that content (through
`to_stored`), so a campaign can leave the database, live in git, be edited and be loaded
again. The keys come in the order a campaign file gives them (model.py), whatever order
the database kept; text with line breaks is written as a multi-line string; there are no
comments. The values themselves are written by tomli-w, the writer of the standard
library's own TOML reader.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from typing import Any, Final

import tomli_w

from advocacy.campaigns.content.load import CampaignContentError, from_stored
from advocacy.campaigns.content.model import (
    ASK_KEYS,
    BILL_KEYS,
    CAMPAIGN_KEYS,
    EXPLANATION_KEYS,
    KIND_SLOTS,
    LETTER_KEYS,
    NEXT_CONGRESS_KEYS,
    RECIPIENT_KINDS,
    SOURCE_KEYS,
    STORY_KEYS,
    TIMELINE_KEYS,
    TRANSLATED_BILL_KEYS,
    TRANSLATED_NEXT_CONGRESS_KEYS,
    TRANSLATION_KEYS,
)

# Each table's keys in file order, by its path (the keys leading to it; an array of tables
# such as [[story]] by its own name).
_ORDERS: Final[Mapping[tuple[str, ...], tuple[str, ...]]] = {
    (): CAMPAIGN_KEYS,
    ("ask",): ASK_KEYS,
    ("story",): STORY_KEYS,
    ("bill",): BILL_KEYS,
    ("bill", "timeline"): TIMELINE_KEYS,
    ("sources",): SOURCE_KEYS,
    ("letter",): LETTER_KEYS,
    ("next_congress",): NEXT_CONGRESS_KEYS,
    ("next_congress", "letter"): LETTER_KEYS,
}
_KINDS: Final = tuple(key for key in LETTER_KEYS if key in RECIPIENT_KINDS)
# A [translations.<key>] table's, by the path inside it.
_TRANSLATION_ORDERS: Final[Mapping[tuple[str, ...], tuple[str, ...]]] = {
    (): TRANSLATION_KEYS,
    ("ask",): ASK_KEYS,
    ("story",): STORY_KEYS,
    ("bill",): TRANSLATED_BILL_KEYS,
    ("bill", "timeline"): TIMELINE_KEYS,
    ("letter",): _KINDS,
    ("next_congress",): TRANSLATED_NEXT_CONGRESS_KEYS,
    ("next_congress", "letter"): _KINDS,
}
_LETTERS: Final = (("letter",), ("next_congress", "letter"))
_BARE_KEY: Final = re.compile(r"^[A-Za-z0-9_-]+$")
_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def dump_campaign(stored: Mapping[str, Any], *, source: str = "stored campaign content") -> str:
    """Return the campaign file for a campaign as Campaign.content stores it.

    Loading the file and storing the result (to_stored) gives back this content. Content
    the rules refuse is written all the same (to be mended in the file); content TOML
    cannot hold at all (an empty value, half of a surrogate pair) raises
    CampaignContentError naming where it is.
    """
    problems = _unwritable(stored, "")
    if problems:
        raise CampaignContentError(source, problems)
    campaign = _ordered(from_stored(stored), ())
    text = "\n".join(_chunks(campaign, ()))
    # The round trip is checked, not assumed: reading the file back costs a few milliseconds.
    if tomllib.loads(text) != campaign:
        raise CampaignContentError(source, ["cannot be written as TOML that reads back the same"])
    return text


def dump_table(table: Mapping[str, Any], path: tuple[str, ...], *, source: str) -> str:
    """Return one table of a campaign file as a TOML document of its own.

    table is in the TOML form (dates as dates) and path the keys leading to it in a
    campaign file (("letter",) for [letter]), which orders its keys as the file does;
    its own tables get headers relative to it ([values], [[timeline]]). The organizers'
    editor shows parts of a campaign this way, to be edited and read back with tomllib.
    Raise CampaignContentError for content TOML cannot hold, as dump_campaign does.
    """
    problems = _unwritable(table, ".".join(path))
    if problems:
        raise CampaignContentError(source, problems)
    ordered = _ordered(table, path)
    text = "\n".join(_chunks(ordered, ()))
    if tomllib.loads(text) != ordered:
        raise CampaignContentError(source, ["cannot be written as TOML that reads back the same"])
    return text


def _ordered(value: Any, path: tuple[str, ...]) -> Any:
    # The known keys in file order, then any others (content the rules refuse) as kept.
    if isinstance(value, Mapping):
        order = _ORDERS.get(path, ())
        if not order and path[:-1] in _LETTERS and path[-1] in RECIPIENT_KINDS:
            order = KIND_SLOTS
        if path[:1] == ("translations",) and len(path) > 1:
            inside = path[2:]
            order = _TRANSLATION_ORDERS.get(inside, ())
            if not order and inside[:-1] in _LETTERS and inside[-1] in RECIPIENT_KINDS:
                order = EXPLANATION_KEYS
        keys = [key for key in order if key in value] + [key for key in value if key not in order]
        return {key: _ordered(value[key], (*path, key)) for key in keys}
    if isinstance(value, list | tuple):
        return [_ordered(item, path) for item in value]
    return value


def _chunks(
    table: Mapping[str, Any], path: tuple[str, ...], *, aot: bool = False
) -> Iterator[str]:
    # One chunk per table, as tomli-w lays a document out: the table's header and values,
    # then its tables, each chunk after a blank line. Laid out here rather than by tomli-w,
    # which writes a short array of tables inline among the values, ahead of the tables
    # before it: [[sources]] with one short source would come before [ask].
    values = {key: value for key, value in table.items() if not _is_table(value)}
    tables = [(key, value) for key, value in table.items() if _is_table(value)]
    name = ".".join(_key(part) for part in path)
    # A table holding only tables needs no header of its own ([next_congress.letter]).
    header = f"[[{name}]]\n" if aot else f"[{name}]\n" if path and (values or not tables) else ""
    body = _values(values) if values else ""
    if header or body:
        yield header + body
    for key, value in tables:
        if isinstance(value, Mapping):
            yield from _chunks(value, (*path, key))
        else:
            for item in value:
                yield from _chunks(item, (*path, key), aot=True)


def _values(values: Mapping[str, Any]) -> str:
    # Text with line breaks reads best as a multi-line string, but tomli-w writes a "\r\n"
    # in one as a plain line break, which reads back as "\n": a table whose values would
    # not come back the same has every line break in it escaped instead.
    text = tomli_w.dumps(values, multiline_strings=True)
    if tomllib.loads(text) == values:
        return text
    return tomli_w.dumps(values)


def _is_table(value: object) -> bool:
    # A table, or an array of tables ([[story]]); an empty array stays a value, "[]".
    if isinstance(value, Mapping):
        return True
    return (
        isinstance(value, list | tuple)
        and bool(value)
        and all(isinstance(item, Mapping) for item in value)
    )


def _key(part: str) -> str:
    if _BARE_KEY.match(part):
        return part
    # tomli-w quotes a key as TOML needs: take its "key = 0" line apart.
    return tomli_w.dumps({part: 0}).removesuffix(" = 0\n")


def _unwritable(value: object, path: str) -> list[str]:
    # What TOML has no way to write, by where it is.
    if value is None:
        return [f"{path or 'the content'}: is empty (null), which a TOML file cannot hold"]
    if isinstance(value, str):
        if _SURROGATE.search(value):
            return [f"{path}: holds half of a surrogate pair, which is not Unicode text"]
        return []
    if isinstance(value, Mapping):
        problems = []
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if not isinstance(key, str):
                problems.append(f"{where}: a key must be text")
            else:
                problems.extend(_unwritable(key, f"{where} (the key)"))
                problems.extend(_unwritable(item, where))
        return problems
    if isinstance(value, list | tuple):
        return [p for i, item in enumerate(value) for p in _unwritable(item, f"{path}[{i}]")]
    return []
