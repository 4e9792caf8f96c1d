"""Which text the campaign page shows in a language: each field's translation, or the
English standing in for it, marked so the page can say so.

A campaign's content may carry [translations.<content>] (advocacy.campaigns.content,
`Translation`); every field of it is optional. `page_text` pairs each supporter-facing
field with what a page in one language shows: the translation when there is one, else
the English with `english=True`, which the page shows in an element of its own
(`lang="en" dir="ltr"`) under one note per block saying it is not yet translated.
`explanations` gives the text that explains, in the language, the English letter and
call script one kind of member gets. Nothing here knows of requests or HTML.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Generic, TypeVar

from advocacy.campaigns.content import CampaignContent, Explanation, Translation
from advocacy.campaigns.lifecycle import PageCopy

T = TypeVar("T")
NOT_TRANSLATED = Translation()


@dataclass(frozen=True, slots=True)
class Shown(Generic[T]):
    """A field as the page shows it: the translation, or (english=True) the English."""

    value: T
    english: bool = False


def _shown(translated: T | None, english: T) -> Shown[T]:
    return Shown(english, english=True) if translated is None else Shown(translated)


@dataclass(frozen=True, slots=True)
class SectionText:
    """One story section as shown."""

    heading: Shown[str]
    paragraphs: Shown[tuple[str, ...]]

    @property
    def english(self) -> bool:
        return self.heading.english or self.paragraphs.english


@dataclass(frozen=True, slots=True)
class TimelineText:
    date: datetime.date
    text: Shown[str]


@dataclass(frozen=True, slots=True)
class PageText:
    """Every supporter-facing field of the campaign page as a page in one language shows
    it. On an English page nothing is marked: English is the campaign's own language."""

    title: Shown[str]
    tagline: Shown[str]
    ask_heading: Shown[str]
    ask_paragraphs: Shown[tuple[str, ...]]
    pledge_statement: Shown[str]
    button: Shown[str]
    story: tuple[SectionText, ...]
    short_title: Shown[str]
    status: Shown[str]
    provisions: Shown[tuple[str, ...]]
    timeline: tuple[TimelineText, ...]

    @property
    def header_english(self) -> bool:
        """Whether the page's header (title, tagline) has English standing in."""
        return self.title.english or self.tagline.english

    @property
    def ask_english(self) -> bool:
        return any(
            shown.english
            for shown in (self.ask_heading, self.ask_paragraphs, self.pledge_statement)
        )

    @property
    def bill_english(self) -> bool:
        """Whether the bill's section (provisions, status, timeline) has English in it."""
        return (
            self.provisions.english
            or self.status.english
            or any(entry.text.english for entry in self.timeline)
        )


def translation_of(content: CampaignContent, language: str) -> Translation | None:
    """The campaign's [translations.<language>], or None for English ("" or "en")."""
    if language in ("", "en"):
        return None
    return content.translations.get(language, NOT_TRANSLATED)


def page_text(content: CampaignContent, copy: PageCopy, language: str) -> PageText:
    """Return the page's text in a language (a content key, "" for English).

    copy gives the ask in force (the bill's, or the next Congress's once it has died):
    its translation is the one shown, and the built-in ask has none.
    """
    found = translation_of(content, language)
    t = NOT_TRANSLATED if found is None else found
    english = found is None

    def shown(translated: T | None, original: T) -> Shown[T]:
        return Shown(original) if english else _shown(translated, original)

    if copy.bill_current:
        tagline, status, paragraphs = t.tagline, t.status, t.ask_paragraphs
    elif copy.built_in_ask:
        tagline = status = paragraphs = None
    else:
        tagline, status, paragraphs = t.next_tagline, t.next_status, t.next_ask_paragraphs
    sections = [*t.story] + [None] * (len(content.story) - len(t.story))
    used: dict[datetime.date, int] = {}
    timeline = []
    for entry in content.bill.timeline:
        texts = t.timeline.get(entry.date, ())
        index = used.get(entry.date, 0)
        used[entry.date] = index + 1
        text = texts[index] if index < len(texts) else None
        timeline.append(TimelineText(entry.date, shown(text, entry.text)))
    return PageText(
        title=shown(t.title, content.title),
        tagline=shown(tagline, copy.tagline),
        ask_heading=shown(t.ask_heading, content.ask.heading),
        ask_paragraphs=shown(paragraphs, copy.ask_paragraphs),
        pledge_statement=shown(t.pledge_statement, content.ask.pledge_statement),
        button=shown(t.button, content.ask.button),
        story=tuple(
            SectionText(
                heading=shown(section.heading if section else None, english_section.heading),
                paragraphs=shown(
                    section.paragraphs if section else None, english_section.paragraphs
                ),
            )
            for section, english_section in zip(sections, content.story, strict=True)
        ),
        short_title=shown(t.short_title, content.bill.short_title),
        status=shown(status, copy.status),
        provisions=shown(t.provisions, content.bill.provisions),
        timeline=tuple(timeline),
    )


def explanations(
    content: CampaignContent, language: str, kind: str, bill_current: bool
) -> Explanation | None:
    """Return what explains, in a language, the letter and call one kind of member gets
    (templates with the letters' variables; a field None when not translated), or None
    on an English page, where the letter speaks for itself.

    bill_current: the letter makes the bill's ask, not the next Congress's.
    """
    found = translation_of(content, language)
    if found is None:
        return None
    table = found.letter if bill_current else found.next_letter
    if not bill_current and content.next_congress is None:
        return Explanation()  # the built-in ask's letters, which no translation covers
    return table.get(kind, Explanation())
