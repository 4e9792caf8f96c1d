"""Catalogues: compiled from .po, refused when stale, and the Latin made from the Arabic."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from advocacy.i18n.catalogues import (
    CatalogueError,
    compile_all,
    load,
    reviewer_status,
    with_reviewer_status,
    writer,
)
from advocacy.i18n.languages import Language

UYGHUR = Language(tag="ug", name="ئۇيغۇرچە", dir="rtl", catalogue="ug", content="ug", cldr="ug")
LATIN = Language(
    tag="ug-Latn", name="Uyghurche", catalogue="ug", content="ug", cldr="ug", script="uly"
)

PO = r"""msgid ""
msgstr ""
"Language: ug\n"
"Content-Type: text/plain; charset=utf-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"
"X-Reviewer-Status: awaiting review\n"

msgid "Add my name"
msgstr "ئىسمىمنى قوشۇش"

#, python-format
msgid "%(count)s person"
msgid_plural "%(count)s people"
msgstr[0] "%(count)s كىشى"
msgstr[1] "%(count)s كىشى"

#, fuzzy
msgid "Send"
msgstr "ئەۋەتىش"

msgid "Not yet"
msgstr ""
"""


def write_catalogue(folder: Path, text: str = PO) -> Path:
    po = folder / "ug" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(text, encoding="utf-8")
    return po


def test_a_compiled_catalogue_translates_and_leaves_the_rest_in_english(tmp_path: Path) -> None:
    write_catalogue(tmp_path)
    assert [mo.name for mo in compile_all(tmp_path)] == ["messages.mo"]
    messages = load(UYGHUR, tmp_path)
    assert messages.gettext("Add my name") == "ئىسمىمنى قوشۇش"
    assert messages.ngettext("%(count)s person", "%(count)s people", 5) == "%(count)s كىشى"
    # Fuzzy: the English changed under it, so the English is shown, not a stale translation.
    assert messages.gettext("Send") == "Send"
    assert messages.gettext("Not yet") == "Not yet"


def test_the_latin_script_is_made_from_the_arabic_by_rule(tmp_path: Path) -> None:
    write_catalogue(tmp_path)
    compile_all(tmp_path)
    latin = load(LATIN, tmp_path)
    assert latin.gettext("Add my name") == "Ismimni qoshush"
    assert latin.ngettext("%(count)s person", "%(count)s people", 2) == "%(count)s kishi"
    assert latin.gettext("Not yet") == "Not yet"
    # The Arabic is untouched by the Latin's making.
    assert load(UYGHUR, tmp_path).gettext("Add my name") == "ئىسمىمنى قوشۇش"


def test_a_catalogue_changed_since_it_was_compiled_is_refused(tmp_path: Path) -> None:
    po = write_catalogue(tmp_path)
    with pytest.raises(CatalogueError, match="advocacy i18n compile"):
        load(UYGHUR, tmp_path)
    compile_all(tmp_path)
    mo = po.with_suffix(".mo")
    os.utime(po, (mo.stat().st_mtime + 10, mo.stat().st_mtime + 10))
    with pytest.raises(CatalogueError, match="older than its .po"):
        load(UYGHUR, tmp_path)


def test_a_missing_catalogue_is_named(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="there is no catalogue"):
        load(UYGHUR, tmp_path)


def test_the_reviewer_status_survives_a_rewritten_header() -> None:
    assert reviewer_status(PO) == "awaiting review"
    reviewed = with_reviewer_status(PO, "reviewed by Aynur on 2026-12-20")
    assert reviewer_status(reviewed) == "reviewed by Aynur on 2026-12-20"
    assert reviewed.count("X-Reviewer-Status") == 1
    # pybabel's update drops header fields it does not know: put it back.
    dropped = PO.replace('"X-Reviewer-Status: awaiting review\\n"\n', "")
    assert reviewer_status(dropped) == ""
    restored = with_reviewer_status(dropped, "awaiting review")
    assert reviewer_status(restored) == "awaiting review"
    assert restored.index("X-Reviewer-Status") < restored.index('msgid "Add my name"')


def test_the_shipped_catalogue_says_who_reviewed_it() -> None:
    shipped = Path(__file__).resolve().parents[2] / "advocacy/translations/ug/LC_MESSAGES"
    status = reviewer_status((shipped / "messages.po").read_text(encoding="utf-8"))
    assert status == "awaiting review" or status.startswith("reviewed by ")


def test_the_latin_writes_the_names_the_catalogue_lists_with_capitals(tmp_path: Path) -> None:
    write_catalogue(tmp_path)
    (tmp_path / "ug" / "names.txt").write_text(
        "# names\nئۇيغۇر سىياسىتى قانۇنى\nئۇيغۇر\nبارىن  # a township\n", encoding="utf-8"
    )
    write = writer(LATIN, tmp_path)
    # A name of several words, each with a capital, with its suffix; a name's suffixes.
    assert write("بۇ ئۇيغۇر سىياسىتى قانۇنىنى قوللايدۇ") == "Bu Uyghur Siyasiti Qanunini qollaydu"
    assert write("بىز بارىننى ۋە ئۇيغۇرلارنى ئەسلەيمىز") == "Biz Barinni we Uyghurlarni esleymiz"
    # Only at a word's start: the same letters inside a word are not a name.
    assert write("سابارىن") == "Sabarin"
    assert writer(UYGHUR, tmp_path)("ئۇيغۇر") == "ئۇيغۇر"
    # Without a list, sentences still start with a capital.
    assert writer(LATIN, tmp_path / "nowhere")("بىز ئۇيغۇرلار") == "Biz uyghurlar"


def test_the_shipped_names_are_uyghur_letters() -> None:
    from advocacy.i18n.catalogues import names
    from advocacy.i18n.uly import foreign_letters

    listed = names("ug")
    assert "ئۇيغۇر" in listed and "شەرقىي تۈركىستان" in listed
    assert not [letter for name in listed for letter in foreign_letters(name)]
