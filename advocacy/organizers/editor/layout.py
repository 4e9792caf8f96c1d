"""The editor's fields: where each sits in a campaign's content, text both ways, and problems.

A campaign file holds plain text (titles, paragraphs, the letters' alternatives), a few
numbers and dates, and a few deep structures. The editor shows each piece of text as a
field of its own: an input, or a textarea where a list is one item per line (letter
alternatives, provisions, sponsors) or one paragraph per blank-line-separated block
(the story, the ask). The deep structures that fit no simple field (the bill's
timeline, the parts every letter shares with their [values], the next Congress's
letters) are each a TOML box, written by `dump_table` and read back by tomllib, so they
round-trip as `advocacy campaigns dump` and `load` do.

`assemble` turns what was typed into the campaign's mapping as a TOML file gives it
(dates as dates), which the caller checks with the campaign rules themselves
(`validate_campaign`, as `advocacy campaigns check` does); `place` then puts each
problem beside the field its path (`story[0].paragraphs[4]`) belongs to, in the
field's own words ("Paragraph 5: must not be empty"). Nothing here writes anything.

Text is kept as typed, but for what no campaign text can hold: line breaks become "\\n",
and control characters (a NUL, which PostgreSQL refuses) are dropped. Story sections and
sources have one empty set of fields more than the campaign has, to add one; emptying all
of a section's or source's fields removes it.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from advocacy.campaigns.content import (
    KIND_SLOTS,
    LETTER_KEYS,
    SHARED_SLOTS,
    CampaignContentError,
    dump_table,
    from_stored,
)
from advocacy.web.inputs import CONTROL_BUT_NEWLINE

Kind = Literal["line", "text", "number", "check", "date", "lines", "paragraphs", "toml"]
PathPart = str | int
Path = tuple[PathPart, ...]

# The most characters one field takes: the shipped campaign's longest (the next Congress's
# letters) holds about 5,500. Longer text is refused beside its field (and kept in it), not
# cut.
FIELD_MAX: Final = 50_000
# Fields beyond these are not read: a post cannot make the page build a million fields.
STORY_MAX: Final = 40
SOURCES_MAX: Final = 60

_SURROGATE: Final = re.compile("[\ud800-\udfff]")
_BLANK_LINE: Final = re.compile(r"\n[ \t]*\n")
_WHOLE_NUMBER: Final = re.compile(r"^[+-]?[0-9][0-9,_ ]*$")
_ISO_DATE: Final = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_SCALARS: Final = ("line", "text", "number", "date")
SOURCE_KEYS: Final = ("title", "publisher", "date", "url")
_PATH_PART: Final = re.compile(r"\[([0-9]+)\]|\.?([^.\[]+)")

KIND_TITLES: Final[Mapping[str, str]] = {
    "senate": "Senators asked to cosponsor",
    "senate_sponsor": "Senators who sponsor the bill",
    "house": "House members who voted on it (or all of the House, before a House vote)",
    "house_had_no_vote": "House members who had no vote on it",
    "house_sponsor": "House members who sponsor the bill",
}
_KIND_HINTS: Final[Mapping[str, str]] = {
    "senate": "Senators who are not in the bill's sponsors.",
    "senate_sponsor": "Senators whose bioguide ID is in the bill's sponsors: thank them.",
    "house": "Members of the House who are not sponsors. Once the House has passed the bill "
    "(the bill's House passage date), only those who had a vote that day get this: the "
    "data has no roll-call votes, so a member who voted no gets it too.",
    "house_had_no_vote": "Only when the bill gives the day the House passed it: delegates, "
    "the resident commissioner, and members sworn in after it, who must not be thanked for "
    "a vote they did not have. Leave all three empty otherwise.",
    "house_sponsor": "Members of the House whose bioguide ID is in the bill's sponsors.",
}
_SLOT_LABELS: Final[Mapping[str, str]] = {
    "subjects": "Subject lines",
    "asks": "The ask",
    "call_scripts": "Call scripts",
}
ONE_PER_LINE: Final = (
    "One alternative per line; each letter picks one. Variables such as $short_title or "
    "$recipient are filled in for each member."
)
PARAGRAPHS: Final = (
    "A blank line starts a new paragraph. *Emphasis*, lists (lines starting with - ) and "
    "[links](https://example.org) work; nothing else is formatted."
)


@dataclass(frozen=True)
class Field:
    """One input of the editor, and the place in the content it edits."""

    name: str
    path: Path
    label: str
    kind: Kind
    hint: str = ""
    # Empty, the key is left out (a default or nothing applies) rather than sent empty.
    optional: bool = False
    # A TOML box's keys at its path; empty: any key (the rules say which are known).
    keys: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"f-{self.name}"


@dataclass
class Section:
    """A group of fields on the page, with its own heading; problems about it as a whole
    (a table missing) are shown under the heading."""

    id: str
    title: str
    path: Path
    hint: str = ""
    fields: list[Field] = field(default_factory=list)
    parts: list[Section] = field(default_factory=list)

    def all_fields(self) -> list[Field]:
        return [*self.fields, *(f for part in self.parts for f in part.all_fields())]

    def all_sections(self) -> list[Section]:
        return [self, *(s for part in self.parts for s in part.all_sections())]


def sections(story_count: int, source_count: int) -> list[Section]:
    """Return the editor's sections, with this many story sections and sources shown."""
    story = Section(
        "story",
        "The story",
        ("story",),
        "Each section has a heading and paragraphs. To remove a section, empty both of its "
        "fields; the last one is empty, to add a section.",
    )
    for index in range(story_count):
        story.parts.append(
            Section(
                f"story-{index}",
                f"Story section {index + 1}",
                ("story", index),
                fields=[
                    Field(
                        f"story-{index}-heading", ("story", index, "heading"), "Heading", "line"
                    ),
                    Field(
                        f"story-{index}-paragraphs",
                        ("story", index, "paragraphs"),
                        "Paragraphs",
                        "paragraphs",
                        PARAGRAPHS,
                    ),
                ],
            )
        )
    sources = Section(
        "sources",
        "Sources",
        ("sources",),
        "Cited at the foot of the page. To remove one, empty its fields; the last one is "
        "empty, to add a source.",
    )
    for index in range(source_count):
        sources.parts.append(
            Section(
                f"sources-{index}",
                f"Source {index + 1}",
                ("sources", index),
                fields=[
                    Field(f"sources-{index}-title", ("sources", index, "title"), "Title", "line"),
                    Field(
                        f"sources-{index}-publisher",
                        ("sources", index, "publisher"),
                        "Publisher",
                        "line",
                    ),
                    Field(f"sources-{index}-date", ("sources", index, "date"), "Date", "date"),
                    Field(
                        f"sources-{index}-url",
                        ("sources", index, "url"),
                        "Web address",
                        "line",
                        "Optional: starting with https://.",
                        optional=True,
                    ),
                ],
            )
        )
    letter = Section(
        "letter",
        "Letters and call scripts",
        ("letter",),
        "Every letter is put together from these parts, one alternative of each chosen per "
        "supporter and member, so that offices do not receive the same letter twice.",
        fields=[
            Field(
                "letter-shared",
                ("letter",),
                "The parts every letter shares (TOML)",
                "toml",
                "introductions, openings, backgrounds, bill_summaries, closings and sign_offs: "
                "lists of alternatives, one line each. Under [values], variables of your own "
                'for the templates, such as house_passed_on = "September 2, 2025".',
                optional=True,
                keys=(*SHARED_SLOTS, "values"),
            )
        ],
    )
    for kind in (key for key in LETTER_KEYS if key in KIND_TITLES):
        letter.parts.append(
            Section(
                f"letter-{kind}",
                KIND_TITLES[kind],
                ("letter", kind),
                _KIND_HINTS[kind],
                fields=[
                    Field(
                        f"letter-{kind}-{slot}",
                        ("letter", kind, slot),
                        _SLOT_LABELS[slot],
                        "lines",
                        ONE_PER_LINE,
                        optional=kind == "house_had_no_vote",
                    )
                    for slot in KIND_SLOTS
                ],
            )
        )
    return [
        Section(
            "campaign",
            "The campaign",
            (),
            fields=[
                Field(
                    "slug",
                    ("slug",),
                    "Web address",
                    "line",
                    "The campaign's page is /c/ followed by this: 1 to 63 lowercase letters, "
                    "digits and hyphens. Changed, it takes effect when the version is "
                    "published, and the old address keeps working: the page redirects, "
                    "and the API and partners' widgets answer there as before.",
                ),
                Field(
                    "title",
                    ("title",),
                    "Title",
                    "line",
                    "At the top of the page and in the browser's tab; at most 200 characters.",
                ),
                Field(
                    "tagline",
                    ("tagline",),
                    "Tagline",
                    "text",
                    "One or two sentences under the title, while the bill is alive.",
                ),
                Field(
                    "goal",
                    ("goal",),
                    "Goal",
                    "number",
                    "The number of pledges the campaign aims for, such as 10000.",
                ),
                Field(
                    "language",
                    ("language",),
                    "Language",
                    "line",
                    'The page\'s language tag, such as "en" or "ug". Empty: English.',
                    optional=True,
                ),
                Field(
                    "default",
                    ("default",),
                    "Make this campaign the site's home page when this version is published",
                    "check",
                    "Unticked, publishing leaves the home page as it is; the list of "
                    "campaigns chooses it too.",
                ),
            ],
        ),
        Section(
            "ask",
            "The ask, beside the pledge form",
            ("ask",),
            fields=[
                Field("ask-heading", ("ask", "heading"), "Heading", "line"),
                Field(
                    "ask-paragraphs",
                    ("ask", "paragraphs"),
                    "Paragraphs",
                    "paragraphs",
                    PARAGRAPHS + " While the bill is alive; after, the next Congress's ask.",
                ),
                Field(
                    "ask-pledge_statement",
                    ("ask", "pledge_statement"),
                    "What a supporter pledges",
                    "text",
                ),
                Field("ask-button", ("ask", "button"), "The button's words", "line"),
            ],
        ),
        story,
        Section(
            "bill",
            "The bill",
            ("bill",),
            "Its numbers belong to one Congress and die with it: from the end of that "
            "Congress the page and the letters make the next Congress's ask (below).",
            fields=[
                Field(
                    "bill-short_title",
                    ("bill", "short_title"),
                    "Short title",
                    "line",
                    "Such as Uyghur Policy Act.",
                ),
                Field(
                    "bill-congress",
                    ("bill", "congress"),
                    "Congress",
                    "number",
                    "The Congress its numbers belong to, such as 119.",
                ),
                Field(
                    "bill-house_number",
                    ("bill", "house_number"),
                    "House bill number",
                    "line",
                    "Such as H.R. 2635.",
                ),
                Field(
                    "bill-senate_number",
                    ("bill", "senate_number"),
                    "Senate bill number",
                    "line",
                    "Such as S. 1542.",
                ),
                Field(
                    "bill-house_url", ("bill", "house_url"), "House bill on congress.gov", "line"
                ),
                Field(
                    "bill-senate_url",
                    ("bill", "senate_url"),
                    "Senate bill on congress.gov",
                    "line",
                ),
                Field("bill-status", ("bill", "status"), "Where it stands", "text"),
                Field(
                    "bill-house_passed",
                    ("bill", "house_passed"),
                    "The day the House passed it",
                    "date",
                    "Empty if the House has not passed it. Members of the House with a vote "
                    "that day are thanked for passing it; the others get the letter for "
                    "members who had no vote.",
                    optional=True,
                ),
                Field(
                    "bill-provisions",
                    ("bill", "provisions"),
                    "What it does",
                    "lines",
                    "One provision per line.",
                ),
                Field(
                    "bill-sponsors",
                    ("bill", "sponsors"),
                    "Sponsors and cosponsors",
                    "lines",
                    "Bioguide IDs, one per line, such as K000397: their letters "
                    "thank them instead of asking. May be empty.",
                    optional=True,
                ),
                Field(
                    "bill-timeline",
                    ("bill",),
                    "Timeline (TOML)",
                    "toml",
                    "One [[timeline]] table per event, with date = 2025-09-02 (no quotes) "
                    'and text = "What happened.". May be empty.',
                    optional=True,
                    keys=("timeline",),
                ),
            ],
        ),
        sources,
        letter,
        Section(
            "next_congress",
            "After the bill's Congress ends",
            ("next_congress",),
            "What the page and the letters ask once the bill has died with its Congress: "
            "reintroduce and pass it. Leave every field here empty to use a short built-in "
            "ask. None of it may name the old bill's numbers.",
            fields=[
                Field(
                    "next_congress-tagline",
                    ("next_congress", "tagline"),
                    "Tagline",
                    "text",
                    optional=True,
                ),
                Field(
                    "next_congress-status",
                    ("next_congress", "status"),
                    "What happened to the bill",
                    "text",
                    optional=True,
                ),
                Field(
                    "next_congress-ask_paragraphs",
                    ("next_congress", "ask_paragraphs"),
                    "The ask's paragraphs",
                    "paragraphs",
                    PARAGRAPHS,
                    optional=True,
                ),
                Field(
                    "next_congress-letter",
                    ("next_congress", "letter"),
                    "Its letters (TOML)",
                    "toml",
                    "A [senate], [senate_sponsor], [house] and [house_sponsor] table, each "
                    "with subjects, asks and call_scripts; it may also replace any of the "
                    "parts every letter shares.",
                    optional=True,
                ),
            ],
        ),
    ]


def all_fields(layout: list[Section]) -> list[Field]:
    return [f for section in layout for f in section.all_fields()]


# --- content to text ----------------------------------------------------------------------


def _at(content: Any, path: Path) -> Any:
    for part in path:
        if isinstance(part, int):
            if not isinstance(content, list) or part >= len(content):
                return None
            content = content[part]
        else:
            if not isinstance(content, Mapping):
                return None
            content = content.get(part)
    return content


def _text_of(item: Field, value: Any) -> str:
    if value is None:
        return ""
    if item.kind == "check":
        return "on" if value is True else ""
    if item.kind in ("lines", "paragraphs"):
        if not isinstance(value, list):
            return str(value)
        joiner = "\n" if item.kind == "lines" else "\n\n"
        return joiner.join(str(entry) for entry in value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _toml_of(item: Field, table: Any) -> str:
    if not isinstance(table, Mapping):
        return ""
    chosen = {k: v for k, v in table.items() if not item.keys or k in item.keys}
    if not chosen:
        return ""
    path = tuple(str(part) for part in item.path)
    try:
        return dump_table(chosen, path, source=item.label)
    except CampaignContentError as error:
        # Content TOML cannot hold: the box says so, and saving it asks for a fix.
        return "\n".join(f"# {problem}" for problem in error.problems) + "\n"


def values_from_content(stored: Mapping[str, Any]) -> tuple[dict[str, str], int, int]:
    """Return each field's text for stored content, and how many story sections and
    sources to show (one more than it has, to add one)."""
    content = from_stored(stored)
    story = content.get("story")
    sources = content.get("sources")
    story_count = min((len(story) if isinstance(story, list) else 0) + 1, STORY_MAX)
    source_count = min((len(sources) if isinstance(sources, list) else 0) + 1, SOURCES_MAX)
    values = {}
    for item in all_fields(sections(story_count, source_count)):
        value = _at(content, item.path)
        values[item.name] = _toml_of(item, value) if item.kind == "toml" else _text_of(item, value)
    return values, story_count, source_count


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
        stand_in = _at(base, item.path)
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
