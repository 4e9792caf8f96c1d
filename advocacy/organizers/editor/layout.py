"""The editor's fields: where each sits in a campaign's content, and content shown as text.

A campaign file holds plain text (titles, paragraphs, the letters' alternatives), a few
numbers and dates, and a few deep structures. The editor shows each piece of text as a
field of its own: an input, or a textarea where a list is one item per line (letter
alternatives, provisions, sponsors) or one paragraph per blank-line-separated block
(the story, the ask). The deep structures that fit no simple field (the bill's
timeline, the parts every letter shares with their [values], the next Congress's
letters) are each a TOML box, written by `dump_table` and read back by tomllib, so they
round-trip as `advocacy campaigns dump` and `load` do.

`typed.assemble` turns what was typed into the campaign's mapping as a TOML file gives it
(dates as dates), which the caller checks with the campaign rules themselves
(`validate_campaign`, as `advocacy campaigns check` does); `typed.place` then puts each
problem beside the field its path (`story[0].paragraphs[4]`) belongs to, in the
field's own words ("Paragraph 5: must not be empty"). Nothing here writes anything.

Text is kept as typed, but for what no campaign text can hold: line breaks become "\\n",
and control characters (a NUL, which PostgreSQL refuses) are dropped. Story sections and
sources have one empty set of fields more than the campaign has, to add one; emptying all
of a section's or source's fields removes it.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
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
from advocacy.i18n.languages import languages

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

_SCALARS: Final = ("line", "text", "number", "date")
SOURCE_KEYS: Final = ("title", "publisher", "date", "url")

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


TRANSLATION_HINT: Final = (
    "The campaign's words in this language, as [translations.{key}] of a campaign file "
    "without its header: title and tagline; [ask]; one [[story]] per English section, in "
    "order; [bill] (short_title, status, provisions) and [[bill.timeline]] entries "
    "(date and text, matched by date); [letter.senate] and each other kind with "
    "letter_explanation and call_explanation (what the English letter and call say; "
    "variables such as $recipient allowed); [next_congress]. Every part is optional: "
    "what is left out shows in English, marked as not yet translated."
)


def translation_keys() -> list[tuple[str, str]]:
    """Each content key of languages.toml with the names of the languages that read it."""
    names: dict[str, list[str]] = {}
    for language in languages():
        if language.content:
            names.setdefault(language.content, []).append(language.name)
    return [(key, " / ".join(found)) for key, found in names.items()]


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
        Section(
            "translations",
            "Translations",
            ("translations",),
            "The page in other languages. Letters stay in English, which offices read; "
            "each language explains them. The preview shows the page in each language.",
            fields=[
                Field(
                    f"translations-{key}",
                    ("translations", key),
                    f"{name} ({key}, TOML)",
                    "toml",
                    TRANSLATION_HINT.format(key=key),
                    optional=True,
                )
                for key, name in translation_keys()
            ],
        ),
    ]


def all_fields(layout: list[Section]) -> list[Field]:
    return [f for section in layout for f in section.all_fields()]


# --- content to text ----------------------------------------------------------------------


def at(content: Any, path: Path) -> Any:
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
        value = at(content, item.path)
        values[item.name] = _toml_of(item, value) if item.kind == "toml" else _text_of(item, value)
    return values, story_count, source_count
