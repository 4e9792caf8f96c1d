"""Message catalogues: compiled from the translators' .po files, and loaded for a language.

`compile_all` turns each `translations/<catalogue>/LC_MESSAGES/messages.po` into its .mo
(scripts/bootstrap runs it through `advocacy i18n compile`, so a fresh clone's two
commands do it). `load` gives a language its messages: the .mo as compiled, or, for a
script made by rule, the same messages written in that script (ULY Latin from the
Arabic). A catalogue whose .mo is missing or older than its .po is refused at start,
rather than serving yesterday's words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from advocacy.i18n import uly
from advocacy.i18n.languages import TRANSLATIONS, Language

DOMAIN = "messages"
NAMES_FILE = "names.txt"


class CatalogueError(RuntimeError):
    """A catalogue cannot be served as it is."""


def po_path(catalogue: str, folder: Path = TRANSLATIONS) -> Path:
    return folder / catalogue / "LC_MESSAGES" / f"{DOMAIN}.po"


AWAITING_REVIEW = "awaiting review"


def all_po_files(folder: Path = TRANSLATIONS) -> list[Path]:
    """Every catalogue's .po under folder."""
    return sorted(folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def compile_all(folder: Path = TRANSLATIONS) -> list[Path]:
    """Compile every .po under folder into the .mo beside it; return the .mo files written.

    Fuzzy entries (a translation the English changed under) are left out, so the page
    shows the English rather than a translation of something else.
    """
    written = []
    for po in all_po_files(folder):
        with po.open("rb") as file:
            catalog = read_po(file)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as file:
            write_mo(file, catalog, use_fuzzy=False)
        written.append(mo)
    return written


def _compiled(language: Language, folder: Path) -> Path:
    po = po_path(language.catalogue, folder)
    mo = po.with_suffix(".mo")
    if not po.exists():
        raise CatalogueError(f"{language.tag}: there is no catalogue {po}")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        raise CatalogueError(
            f"{language.tag}: {mo} is missing or older than its .po; run "
            "`advocacy i18n compile` (scripts/bootstrap does)"
        )
    return mo


def names(catalogue: str, folder: Path = TRANSLATIONS) -> list[str]:
    """The proper names a catalogue's language writes with a capital in Latin script
    (`<catalogue>/names.txt`, one per line, in the catalogue's script; # starts a note)."""
    path = folder / catalogue / NAMES_FILE
    if not path.exists():
        return []
    lines = (line.split("#", 1)[0].strip() for line in path.read_text("utf-8").splitlines())
    return [line for line in lines if line]


def writer(language: Language, folder: Path = TRANSLATIONS) -> Callable[[str], str]:
    """How the language writes text given in its catalogue's script: ULY Latin made by
    rule, sentences and listed names with capitals; as it is for any other language."""
    if language.script != "uly":
        return str
    pattern = uly.names_pattern(names(language.catalogue, folder))

    def write(text: str) -> str:
        return uly.capitalize_names(uly.to_latin(text, capitalize=True), pattern)

    return write


def load(language: Language, folder: Path = TRANSLATIONS) -> Translations:
    """Return the language's messages (raises CatalogueError if they were not compiled)."""
    with _compiled(language, folder).open("rb") as file:
        translations = Translations(file, domain=DOMAIN)
    if language.script:
        # Every message in the language's script: keys are msgids (or (msgid, plural
        # index)), values the catalogue's translations; the header (key "") stays.
        write = writer(language, folder)
        catalog = translations._catalog  # noqa: SLF001 (gettext's own table)
        for key, text in list(catalog.items()):
            if key != "" and isinstance(text, str):
                catalog[key] = write(text)
    return translations


REVIEWER_STATUS = re.compile(r'^"X-Reviewer-Status:[ \t]*(.*?)\\n"$', re.MULTILINE)


def reviewer_status(po_text: str) -> str:
    """Return a catalogue's reviewer status ("awaiting review", "reviewed by …"), or ""."""
    found = REVIEWER_STATUS.search(po_text)
    return found.group(1).strip() if found else ""


def with_reviewer_status(po_text: str, status: str) -> str:
    """Return the catalogue with its header's reviewer status set to status.

    pybabel's update rewrites the header with the fields it knows, and this is not one.
    """
    line = f'"X-Reviewer-Status: {status}\\n"'
    if REVIEWER_STATUS.search(po_text):
        return REVIEWER_STATUS.sub(lambda _: line, po_text, count=1)
    end = po_text.index("\n\n", po_text.index('msgid ""'))
    return po_text[:end] + "\n" + line + po_text[end:]


def language_status(language: Language, folder: Path = TRANSLATIONS) -> str:
    """The reviewer status of the catalogue a language is served from."""
    return reviewer_status(po_path(language.catalogue, folder).read_text(encoding="utf-8"))
