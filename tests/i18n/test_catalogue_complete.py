"""Every message the code and templates can show has its Uyghur in the catalogue (issue #23).

The messages are extracted here, in process, as `advocacy i18n extract` does (the mapping
in pyproject.toml's [tool.babel], the keyword lazy_gettext besides Babel's own), so a
message marked since the catalogue was last updated is found missing too. Each shipped
catalogue must then translate every one of them (no empty or fuzzy entry), keep nothing
the code no longer says, pass the lint, and be compiled.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords
from babel.messages.pofile import read_po

from advocacy.i18n.catalogues import all_po_files
from advocacy.i18n.lint import problems

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = all_po_files()
# How many messages a failure lists (the count is always given).
SHOWN = 40

Key = str | tuple[str, str]  # a msgid, or (context, msgid)


def mapping() -> tuple[list[tuple[str, str]], dict[str, dict[str, Any]]]:
    """The method map and options map of pyproject.toml's [[tool.babel.mappings]]."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    method_map: list[tuple[str, str]] = []
    options_map: dict[str, dict[str, Any]] = {}
    for entry in config["tool"]["babel"]["mappings"]:
        options = dict(entry)
        method = options.pop("method")
        patterns = options.pop("pattern")
        for pattern in [patterns] if isinstance(patterns, str) else patterns:
            method_map.append((pattern, method))
            options_map[pattern] = options
    return method_map, options_map


@pytest.fixture(scope="module")
def extracted() -> Catalog:
    """The messages of the code and templates, each with where it is."""
    method_map, options_map = mapping()
    keywords = {**DEFAULT_KEYWORDS, **parse_keywords(["lazy_gettext"])}
    catalog = Catalog()
    for filename, line, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        catalog.add(message, None, [(filename, line)], auto_comments=comments, context=context)
    return catalog


def read(po: Path) -> Catalog:
    with po.open("rb") as file:
        return read_po(file)


def key(message: Message) -> Key:
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return (message.context, msgid) if message.context else msgid


def translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(strings) and all(s.strip() for s in strings)


def listing(messages: list[Message]) -> str:
    """The messages grouped by the file they are in, the first SHOWN of them."""
    by_file: dict[str, list[str]] = defaultdict(list)
    for message in messages[:SHOWN]:
        where = message.locations[0][0] if message.locations else "(no location)"
        by_file[where].append(repr(key(message))[:120])
    lines = []
    for where, keys in sorted(by_file.items()):
        lines.append(f"  {where}:")
        lines.extend(f"    {k}" for k in keys)
    if len(messages) > SHOWN:
        lines.append(f"  … and {len(messages) - SHOWN} more")
    return "\n".join(lines)


def test_messages_are_extracted(extracted: Catalog) -> None:
    # The mapping reaches both the code and the templates.
    files = {location[0] for message in extracted for location in message.locations}
    assert any(f.startswith("advocacy/") for f in files), sorted(files)[:5]
    assert any(f.startswith("templates/") for f in files), sorted(files)[:5]


def test_there_is_a_uyghur_catalogue() -> None:
    assert any(po.parent.parent.name == "ug" for po in CATALOGUES), CATALOGUES


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: po.parent.parent.name)
def test_every_message_is_translated(extracted: Catalog, po: Path) -> None:
    catalogue = read(po)
    missing, empty, fuzzy = [], [], []
    for message in extracted:
        if not message.id:
            continue
        entry = catalogue.get(
            message.id[0] if isinstance(message.id, tuple) else message.id, context=message.context
        )
        if entry is None:
            missing.append(message)
        elif not translated(entry):
            empty.append(message)
        elif entry.fuzzy:
            fuzzy.append(message)
    wrong = [
        (f"{len(missing)} message(s) not in the catalogue (run `advocacy i18n extract`)", missing),
        (f"{len(empty)} message(s) not translated", empty),
        (f"{len(fuzzy)} fuzzy translation(s): the English changed, check them", fuzzy),
    ]
    report = [f"{title}:\n{listing(found)}" for title, found in wrong if found]
    total = sum(1 for message in extracted if message.id)
    if report:
        pytest.fail(f"{po}, of {total} messages:\n" + "\n".join(report), pytrace=False)


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: po.parent.parent.name)
def test_no_entry_is_left_from_old_code(extracted: Catalog, po: Path) -> None:
    catalogue = read(po)
    wanted = {key(message) for message in extracted if message.id}
    stale = [m for m in catalogue if m.id and key(m) not in wanted]
    obsolete = list(catalogue.obsolete.values())
    assert not stale and not obsolete, (
        f"{po}: {len(stale)} entr(y/ies) the code no longer says, {len(obsolete)} obsolete (#~):\n"
        + listing(stale + obsolete)
    )


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: po.parent.parent.name)
def test_the_catalogue_passes_the_lint(po: Path) -> None:
    found = problems(po.read_text(encoding="utf-8"))
    assert not found, "\n".join(f"{po}:{p.line}: {p.message}" for p in found)


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: po.parent.parent.name)
def test_the_catalogue_is_compiled(po: Path) -> None:
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run `advocacy i18n compile`"
    assert mo.stat().st_mtime >= po.stat().st_mtime, (
        f"{mo} is older than its .po: run `advocacy i18n compile`"
    )
