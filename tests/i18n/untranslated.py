"""What English a rendered page in another language still shows: `untranslated(html, tag)`.

It reads what a person reads: the text between tags (the <title> included) and the
attributes read aloud or shown (title, alt, aria-label, placeholder, the value of
button-like inputs, the description a link preview shows). It does not read what no one
reads (script, style) nor what is English or Latin on purpose, by the conventions of
issue #23: an element with lang="en" (or "en-…") and everything inside it (a letter to an
office, the English words of a call script, a campaign field not yet translated), <bdi>
(names, bill numbers, ZIP codes, phone numbers, addresses) and translate="no".

Text inside an element with another language's lang (the switcher's "Uyghurche" on an
Arabic-script page) is read by that language's rules.

- ug (Arabic script): any word of two or more Latin letters is English left, but those
  in UG_ALLOWED.
- ug-Latn (ULY, made from the Arabic by rule): any Arabic-script character (to_latin turns
  every one into Latin: a letter left means text that never went through it); any word
  with a letter ULY never writes (a c outside ch, or v); and any word of ENGLISH_WORDS,
  common English words that are not Uyghur words in ULY spelling.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pages import Element, parse

# Latin-script words on an Arabic-script page that are Uyghur usage, not English left:
# "ZIP" is how the glossary writes the ZIP code beside its Uyghur name (پوچتا نومۇرى (ZIP)),
# the word supporters see on US forms and envelopes.
UG_ALLOWED = frozenset({"ZIP"})

# Common English words that are not Uyghur words in ULY spelling. Left out on purpose,
# because they are Uyghur words too: u (he, she), we (and), bu (this), men (I), at (name),
# on (ten), it (dog), is (smoke), in (den), or (pit), but (leg), her (every), his
# (feeling), yet (reach), here (bee), name (نامە, a letter, a book).
ENGLISH_WORDS = frozenset(
    """
    the and your you yours to of for with are was were this that these those please enter
    email address letter letters pledge pledges members member congress add send back page
    more not found what which will would should could have has from they their our about
    sorry thank thanks try again error required invalid code confirm confirmed withdraw
    privacy write call calls script district state street city share sign open closed
    ended campaign support supporter supporters policy act choose select all only when
    where who how why new now after before people representative senator senators
    """.split()
)

# Where a text's words are read: what no one reads, or what is English or Latin on purpose.
UNREAD_TAGS = frozenset({"script", "style"})
# Attributes people read or hear.
READ_ATTRIBUTES = ("title", "alt", "aria-label", "aria-description", "placeholder")
BUTTON_INPUTS = frozenset({"submit", "button", "reset"})
# <meta> whose content a person reads (search results, link previews).
READ_META = frozenset({"description", "og:title", "og:description", "og:image:alt"})

LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]{2,}")
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
# Arabic, Arabic Supplement, Arabic Presentation Forms A and B.
ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]+")
# ULY writes c only in ch, and never v.
NOT_ULY = re.compile(r"c(?!h)|v", re.IGNORECASE)


@dataclass(frozen=True)
class Leftover:
    """English (or untransliterated) text on a page: where, the text, the words found."""

    where: str
    text: str
    words: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.where}: {self.text!r} ({', '.join(self.words)})"


# Text between Unicode's first-strong isolate and pop-directional isolate: the plain-text
# <bdi>, for names where markup cannot go (a page's title, an attribute).
ISOLATED = re.compile("\u2068[^\u2068\u2069]*\u2069")


def untranslated(html: str, language: str) -> list[Leftover]:
    """Return the text a reader of language meets on this page that is not in it."""
    found: list[Leftover] = []
    for where, text, lang in _read(parse(html), [], language):
        words = foreign_words(ISOLATED.sub(" ", text), lang)
        if words:
            shown = " ".join(text.split())
            found.append(Leftover(where, shown[:160], tuple(words)))
    return found


def foreign_words(text: str, language: str) -> list[str]:
    """Return the words of text that are not language (ug or ug-Latn), in order."""
    if language == "ug":
        return [w for w in LATIN_WORD.findall(text) if w not in UG_ALLOWED]
    if language == "ug-Latn":
        words = ARABIC.findall(text)
        for word in WORD.findall(text):
            if word.lower() in ENGLISH_WORDS or NOT_ULY.search(word):
                words.append(word)
        return words
    raise ValueError(f"no rules for {language!r}")


def is_english(lang: str) -> bool:
    lang = lang.strip().lower()
    return lang == "en" or lang.startswith("en-")


def _read(element: Element, path: list[str], language: str) -> Iterator[tuple[str, str, str]]:
    """Yield (where, text, language) for each text node and read attribute under element."""
    attrs = element.attrs
    if element.tag in UNREAD_TAGS or element.tag == "bdi" or attrs.get("translate") == "no":
        return
    if element.tag == "textarea" and "readonly" not in attrs:
        # What the supporter typed, given back with the form: their words, as typed.
        return
    lang = attrs.get("lang")
    if lang is not None:
        if is_english(lang):
            return
        if lang in ("ug", "ug-Latn"):
            language = lang
    here = path + [_describe(element)] if element.tag != "#document" else path
    where = " > ".join(here[-4:]) or "(page)"
    for name in READ_ATTRIBUTES:
        if attrs.get(name, "").strip():
            yield f"{where} [{name}]", attrs[name], language
    if element.tag == "input" and attrs.get("type", "").lower() in BUTTON_INPUTS:
        if attrs.get("value", "").strip():
            yield f"{where} [value]", attrs["value"], language
    if element.tag == "meta" and (attrs.get("name") or attrs.get("property")) in READ_META:
        yield f"{where} [content]", attrs.get("content", ""), language
    for child in element.children:
        if isinstance(child, str):
            if child.strip():
                yield where, child, language
        else:
            yield from _read(child, here, language)


def _describe(element: Element) -> str:
    """A short name for an element in a failure's path: tag, id, or first class."""
    if element.attrs.get("id"):
        return f"{element.tag}#{element.attrs['id']}"
    if element.attrs.get("name"):
        return f"{element.tag}[name={element.attrs['name']}]"
    classes = element.attrs.get("class", "").split()
    return f"{element.tag}.{classes[0]}" if classes else element.tag


def report(label: str, leftovers: list[Leftover]) -> str:
    """A failure message listing each piece of English left on a page."""
    lines = [f"{len(leftovers)} untranslated text(s) on {label}:"]
    lines.extend(f"  - {leftover}" for leftover in leftovers)
    return "\n".join(lines)
