"""The languages the supporters' pages speak, read from `translations/languages.toml`.

English is the campaign's own language: it has no address prefix, no catalogue and no
entry in the file. Every other language is data (its tag, own name, direction, catalogue,
content table and CLDR locale), so adding one is a file's entry, not code; the only code a
language may need is a script made by rule from another (`script = "uly"`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
LANGUAGES_FILE = TRANSLATIONS / "languages.toml"
# Scripts made from a catalogue's text by rule (advocacy/i18n/uly.py).
SCRIPTS = frozenset({"uly"})


@dataclass(frozen=True, slots=True)
class Language:
    tag: str
    name: str
    dir: str = "ltr"
    catalogue: str = ""
    content: str = ""
    cldr: str = "en"
    script: str = ""
    font: str = ""

    @property
    def prefix(self) -> str:
        """The path in front of a page's English address: "" for English, "/ug" for ug."""
        return f"/{self.tag}" if self.catalogue else ""

    @property
    def is_english(self) -> bool:
        return not self.catalogue


ENGLISH = Language(tag="en", name="English")


class LanguagesFileError(ValueError):
    """languages.toml says something the service cannot serve."""


def parse(text: str) -> tuple[Language, ...]:
    """Return the languages a languages.toml text lists, English first."""
    entries = tomllib.loads(text).get("language", [])
    languages = [ENGLISH]
    for entry in entries:
        try:
            language = Language(**entry)
        except TypeError as error:
            raise LanguagesFileError(f"languages.toml: {error}") from error
        if not language.catalogue or not language.content:
            raise LanguagesFileError(
                f"languages.toml: {language.tag} needs a catalogue and content"
            )
        if language.dir not in ("ltr", "rtl"):
            raise LanguagesFileError(f"languages.toml: {language.tag}'s dir is ltr or rtl")
        if language.script and language.script not in SCRIPTS:
            raise LanguagesFileError(
                f"languages.toml: {language.tag}'s script {language.script!r} is not one of "
                f"{', '.join(sorted(SCRIPTS))}"
            )
        if any(known.tag.lower() == language.tag.lower() for known in languages):
            raise LanguagesFileError(f"languages.toml: {language.tag} is listed twice")
        languages.append(language)
    return tuple(languages)


@cache
def languages() -> tuple[Language, ...]:
    """Every language served, English first."""
    return parse(LANGUAGES_FILE.read_text(encoding="utf-8"))


def by_tag(tag: str) -> Language | None:
    """Return the language with this exact tag, or None."""
    return _by_tag().get(tag)


@cache
def _by_tag() -> dict[str, Language]:
    return {language.tag: language for language in languages()}


@cache
def tags() -> tuple[str, ...]:
    """Every served language's tag, English first."""
    return tuple(language.tag for language in languages())
