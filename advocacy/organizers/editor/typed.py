"""What an organizer typed into the editor: read back into campaign content (`assemble`),
and the campaign rules' problems put beside the fields they belong to (`place`).

The fields themselves, and content shown as text, are `layout.py`'s.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from advocacy.campaigns.content import KIND_SLOTS, LETTER_KEYS, from_stored
from advocacy.organizers.editor.layout import (
    FIELD_MAX,
    KIND_TITLES,
    SOURCE_KEYS,
    SOURCES_MAX,
    STORY_MAX,
    Field,
    Path,
    PathPart,
    Section,
    all_fields,
    at,
    sections,
)
from advocacy.web.inputs import CONTROL_BUT_NEWLINE

_SURROGATE: Final = re.compile("[\ud800-\udfff]")
_BLANK_LINE: Final = re.compile(r"\n[ \t]*\n")
_WHOLE_NUMBER: Final = re.compile(r"^[+-]?[0-9][0-9,_ ]*$")
_ISO_DATE: Final = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_PATH_PART: Final = re.compile(r"\[([0-9]+)\]|\.?([^.\[]+)")

# --- text to content ----------------------------------------------------------------------


def clean(text: str) -> str:
    """Return typed text as campaign text: "\\n" line breaks, no control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _SURROGATE.sub("\ufffd", CONTROL_BUT_NEWLINE.sub("", text))


def read_values(form: Mapping[str, str]) -> tuple[dict[str, str], int, int]:
    """Return each field's cleaned text from a posted form, and the sections it has."""
    story_count = _count(form, "story", ("heading", "paragraphs"), STORY_MAX)
    source_count = _count(form, "sources", ("title", "publisher", "date", "url"), SOURCES_MAX)
    # One empty section or source to add one, as the page had when it was served.
    values = {
        item.name: clean(form.get(item.name, ""))
        for item in all_fields(sections(story_count, source_count))
    }
    story_count = _with_room(values, "story", ("heading", "paragraphs"), story_count, STORY_MAX)
    source_count = _with_room(
        values, "sources", ("title", "publisher", "date", "url"), source_count, SOURCES_MAX
    )
    return values, story_count, source_count


def _count(form: Mapping[str, str], prefix: str, names: tuple[str, ...], most: int) -> int:
    count = 0
    while count < most and any(f"{prefix}-{count}-{name}" in form for name in names):
        count += 1
    return count


def _with_room(
    values: dict[str, str], prefix: str, names: tuple[str, ...], count: int, most: int
) -> int:
    last_used = count > 0 and any(values[f"{prefix}-{count - 1}-{n}"].strip() for n in names)
    if (count == 0 or last_used) and count < most:
        for name in names:
            values[f"{prefix}-{count}-{name}"] = ""
        count += 1
    return count


@dataclass
class Assembled:
    """The campaign as typed (a TOML file's mapping), and what the editor itself refused."""

    content: dict[str, Any]
    # The editor's own problems by field name: a TOML box that does not read, a field too
    # long. The campaign rules' come after (place).
    problems: dict[str, list[str]]
    # The content's story section (or source) index -> the form's: emptied ones are left out.
    story_index: list[int]
    source_index: list[int]
    # For list fields: the item's index -> its line (or paragraph) number in the field.
    item_lines: dict[str, list[int]]
    # The TOML boxes that did not read: the base version's content stands in for them.
    unread: list[Field]


def assemble(
    values: Mapping[str, str],
    story_count: int,
    source_count: int,
    *,
    base: Mapping[str, Any],
) -> Assembled:
    """Build the campaign from the fields' text.

    base is the stored content the editor started from: a TOML box that does not read is
    replaced by its part of it, so that the rest can still be checked.
    """
    layout = sections(story_count, source_count)
    base_content = from_stored(base)
    result = Assembled({}, {}, [], [], {}, [])
    for item in all_fields(layout):
        text = values.get(item.name, "")
        if len(text) > FIELD_MAX:
            result.problems.setdefault(item.name, []).append(
                f"This has {len(text):,} characters; a field takes at most {FIELD_MAX:,}. "
                "Shorten it (nothing was saved)."
            )
    content: dict[str, Any] = {}
    by_name = {item.name: item for item in all_fields(layout)}

    def value(name: str) -> Any:
        item = by_name[name]
        parsed = _parse(item, values.get(name, ""), result, base_content)
        if (
            parsed is None
            and not item.optional
            and item.kind in ("line", "text", "number", "date")
        ):
            # Sent empty rather than left out: the rules say "must not be empty".
            return ""
        return parsed

    for name in ("slug", "title", "tagline", "goal", "default", "language"):
        _put(content, name, value(name))
    content["ask"] = _table(("heading", "paragraphs", "pledge_statement", "button"), "ask", value)
    content["story"] = []
    for index in range(story_count):
        names = (f"story-{index}-heading", f"story-{index}-paragraphs")
        if any(values.get(n, "").strip() for n in names):
            result.story_index.append(index)
            content["story"].append({"heading": value(names[0]), "paragraphs": value(names[1])})
    bill = _table(
        ("short_title", "congress", "house_number", "senate_number", "house_url",
         "senate_url", "status"),
        "bill",
        value,
    )  # fmt: skip
    _put(bill, "house_passed", value("bill-house_passed"))
    bill["provisions"] = value("bill-provisions")
    bill["sponsors"] = value("bill-sponsors") or []
    timeline = value("bill-timeline")
    if isinstance(timeline, Mapping) and "timeline" in timeline:
        bill["timeline"] = timeline["timeline"]
    content["bill"] = bill
    content["sources"] = []
    for index in range(source_count):
        source_names = [f"sources-{index}-{key}" for key in SOURCE_KEYS]
        if any(values.get(n, "").strip() for n in source_names):
            result.source_index.append(index)
            source: dict[str, Any] = {}
            for key, name in zip(SOURCE_KEYS, source_names, strict=True):
                _put(source, key, value(name))
            content["sources"].append(source)
    letter: dict[str, Any] = dict(value("letter-shared") or {})
    for kind in (key for key in LETTER_KEYS if key in KIND_TITLES):
        kind_names = [f"letter-{kind}-{slot}" for slot in KIND_SLOTS]
        if kind == "house_had_no_vote" and not any(values.get(n, "").strip() for n in kind_names):
            continue
        letter[kind] = {
            slot: value(name) for slot, name in zip(KIND_SLOTS, kind_names, strict=True)
        }
    content["letter"] = letter
    next_names = ("tagline", "status", "ask_paragraphs", "letter")
    if any(values.get(f"next_congress-{key}", "").strip() for key in next_names):
        next_congress: dict[str, Any] = {}
        for key in next_names:
            _put(next_congress, key, value(f"next_congress-{key}"))
        content["next_congress"] = next_congress
    for item in all_fields(layout):
        if item.path[:1] == ("translations",):
            translation = value(item.name)
            if translation is not None:
                content.setdefault("translations", {})[item.path[1]] = translation
    result.content = content
    return result


def _put(table: dict[str, Any], key: str, value: Any) -> None:
    # None: an optional field left empty, whose key the content does without.
    if value is not None:
        table[key] = value


def _table(keys: tuple[str, ...], prefix: str, value: Callable[[str], Any]) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for key in keys:
        _put(table, key, value(f"{prefix}-{key}"))
    return table


def _parse(item: Field, text: str, result: Assembled, base: Mapping[str, Any]) -> Any:
    # The value the content gets for a field's text; None: the field is empty. Text that
    # is not what the rules want (a goal of "many") goes in as text, so that the rules
    # themselves say what is wrong, in their words.
    kind = item.kind
    if kind == "check":
        return text == "on"
    stripped = text.strip()
    if kind in ("line", "text"):
        return stripped or None
    if kind == "number":
        if _WHOLE_NUMBER.match(stripped):
            return int(re.sub(r"[,_ ]", "", stripped))
        return stripped or None
    if kind == "date":
        if _ISO_DATE.match(stripped):
            try:
                return datetime.date.fromisoformat(stripped)
            except ValueError:
                pass  # 2025-02-30: the rules say it is not a date
        return stripped or None
    if kind == "lines":
        numbered = [(n, line.strip()) for n, line in enumerate(text.split("\n"), 1)]
        kept = [(n, line) for n, line in numbered if line]
        result.item_lines[item.name] = [n for n, _ in kept]
        return [line for _, line in kept] or (None if item.optional else [])
    if kind == "paragraphs":
        blocks = [block.strip() for block in _BLANK_LINE.split(text)]
        paragraphs = [block for block in blocks if block]
        result.item_lines[item.name] = list(range(1, len(paragraphs) + 1))
        return paragraphs or (None if item.optional else [])
    return _parse_toml(item, text, result, base)


def _parse_toml(item: Field, text: str, result: Assembled, base: Mapping[str, Any]) -> Any:
    if not text.strip():
        return None
    try:
        table: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        result.problems.setdefault(item.name, []).append(f"This is not valid TOML: {error}.")
        result.unread.append(item)
        stand_in = at(base, item.path)
        if not isinstance(stand_in, Mapping):
            return None
        return {k: v for k, v in stand_in.items() if not item.keys or k in item.keys}
    if item.keys:
        for key in table:
            if key not in item.keys:
                where = ".".join(str(part) for part in item.path)
                elsewhere = key in KIND_TITLES and item.name == "letter-shared"
                result.problems.setdefault(item.name, []).append(
                    f"[{key}] is edited in its own fields below, not here."
                    if elsewhere
                    else f"{where}.{key}: unknown key here (expected one of: "
                    f"{', '.join(item.keys)})."
                )
        table = {k: v for k, v in table.items() if k in item.keys}
    return table


# --- problems beside their fields ---------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One problem: where it is shown (a field, a section, or only at the top)."""

    message: str
    field: Field | None = None
    section: Section | None = None
    # The field's name as the summary at the top gives it: "Story section 2 · Heading".
    label: str = ""

    @property
    def anchor(self) -> str:
        if self.field is not None:
            return self.field.id
        if self.section is not None:
            return self.section.id
        return "campaign-problems"

    @property
    def where(self) -> str:
        if self.label:
            return self.label
        if self.field is not None:
            return self.field.label
        return self.section.title if self.section is not None else "The campaign"


def parse_path(path: str) -> Path:
    """Return a rule's path ("story[0].paragraphs[4]") as parts: ("story", 0, ...)."""
    parts: list[PathPart] = []
    for index, key in _PATH_PART.findall(path):
        parts.append(int(index) if index else key)
    return tuple(parts)


def place(rule_problems: list[str], assembled: Assembled, layout: list[Section]) -> list[Problem]:
    """Return the editor's and the rules' problems, each beside the field it is about.

    The rules' problems about a TOML box that did not read are left out: the base
    version stood in for it, so they would be about text nobody typed.
    """
    fields = all_fields(layout)
    every_section = [s for section in layout for s in section.all_sections()]
    # Each field by its group's title too: several groups have a field called "The ask".
    labels = {
        item.name: f"{section.title} · {item.label}"
        for section in every_section
        for item in section.fields
    }
    placed = [
        Problem(message, field=item, label=labels[item.name])
        for item in fields
        for message in assembled.problems.get(item.name, [])
    ]
    for text in rule_problems:
        where, _, message = text.partition(": ")
        path = _form_path(parse_path(where), assembled)
        owner = _longest(fields, path, lambda item: item.path)
        if owner is not None:
            if owner in assembled.unread:
                continue
            worded = _worded(owner, path, where, message, assembled)
            placed.append(Problem(worded, field=owner, label=labels[owner.name]))
            continue
        section = _longest(every_section, path, lambda section: section.path)
        if section is not None and section.path:
            placed.append(Problem(text, section=section))
        else:
            placed.append(Problem(text))
    return placed


def _form_path(path: Path, assembled: Assembled) -> Path:
    # The content's story[1] may be the form's section 2, when section 1 was emptied.
    if len(path) > 1 and isinstance(path[1], int):
        index = {"story": assembled.story_index, "sources": assembled.source_index}.get(
            str(path[0])
        )
        if index is not None and path[1] < len(index):
            return (path[0], index[path[1]], *path[2:])
    return path


def _longest(items: list[Any], path: Path, path_of: Any) -> Any:
    best = None
    for item in items:
        own = path_of(item)
        if path[: len(own)] == own and (best is None or len(own) > len(path_of(best))):
            best = item
    return best


def _worded(owner: Field, path: Path, where: str, message: str, assembled: Assembled) -> str:
    # Beside the field, its own words: "Line 3: ..." rather than letter.senate.asks[2].
    rest = path[len(owner.path) :]
    if owner.kind == "toml":
        return f"{where}: {message}"
    if rest and isinstance(rest[0], int) and owner.kind in ("lines", "paragraphs"):
        lines = assembled.item_lines.get(owner.name, [])
        number = lines[rest[0]] if rest[0] < len(lines) else rest[0] + 1
        noun = "Line" if owner.kind == "lines" else "Paragraph"
        return f"{noun} {number}: {message}"
    return message[:1].upper() + message[1:]
