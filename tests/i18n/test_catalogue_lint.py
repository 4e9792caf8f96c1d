"""The Uyghur catalogue's lint: letters Uyghur does not write, the reviewer status, and
placeholders, each at its line; and `advocacy i18n lint` over files."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from advocacy.cli import cli
from advocacy.i18n.lint import Problem, problems

HEADER = """\
# Uyghur translations for advocacy.
msgid ""
msgstr ""
"Project-Id-Version: advocacy 0.1.0\\n"
"Language: ug\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"X-Reviewer-Status: {status}\\n"
"""

BODY = """
#: templates/campaigns/page.html:12
msgid "Find your members of Congress"
msgstr "پارلامېنت ئەزالىرىڭىزنى تېپىڭ"

#: templates/pledges/results.html:4
#, python-format
msgid "Your letter to %(name)s"
msgstr "%(name)sغا يازغان خېتىڭىز"

#: templates/pledges/results.html:9
msgid "Dear {title} {last_name},"
msgstr "ھۆرمەتلىك {title} {last_name}،"

#: advocacy/pledges/views.py:40
#, python-format
msgid "One member"
msgid_plural "%(num)d members"
msgstr[0] "بىر ئەزا"
msgstr[1] "%(num)d ئەزا"

msgctxt "button"
msgid ""
"Pledge "
"now"
msgstr ""
"ھازىر "
"ۋەدە بېرىڭ"

#: templates/thanks.html:3
msgid "Share $short_title"
msgstr ""

#~ msgid "Old text"
#~ msgstr "ته"
"""


def catalogue(status: str = "awaiting review", body: str = BODY) -> str:
    return HEADER.format(status=status) + body


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    "status",
    ["awaiting review", "reviewed by Dilnur Abdulla on 2026-11-30", "reviewed by X on 2026-01-01"],
)
def test_a_good_catalogue_has_no_problems(status: str) -> None:
    # An untranslated entry, an entry with a context, an obsolete one with Arabic ه
    # (obsolete entries are comments, never shown): none is a problem.
    assert problems(catalogue(status)) == []


@pytest.mark.parametrize(
    ("letter", "hint"),
    [
        ("\u062b", ""),  # ث
        ("\u062d", ""),  # ح
        ("\u0630", ""),  # ذ
        ("\u0635", ""),  # ص
        ("\u0636", ""),  # ض
        ("\u0637", ""),  # ط
        ("\u0638", ""),  # ظ
        ("\u0639", ""),  # ع
        ("\u0629", "ە (U+06D5)"),  # ة
        ("\u0647", "ە (U+06D5) for e and ھ (U+06BE) for h"),  # Arabic ه
        ("\u06cc", "ى (U+0649) for i and ي (U+064A) for y"),  # Persian ی
        ("\u06a9", "ك (U+0643)"),  # Persian ک
    ],
)
def test_a_letter_uyghur_does_not_write_is_flagged_at_its_line(letter: str, hint: str) -> None:
    body = BODY.replace("تېپىڭ", f"تې{letter}ىڭ")
    text = catalogue(body=body)
    (problem,) = problems(text)
    assert problem.line == line_of(text, 'msgstr "پارلامېنت')
    assert f"U+{ord(letter):04X}" in problem.message
    assert hint in problem.message


def test_letters_are_found_on_continuation_lines_and_in_the_header() -> None:
    body = BODY.replace('"ۋەدە بېرىڭ"', '"ۋەدە بې\u0647ىڭ"')
    text = catalogue(body=body).replace("Language: ug", "Language-Team: ئۇيغۇرچ\u0647")
    assert [p.line for p in problems(text)] == [
        line_of(text, "Language-Team"),
        line_of(text, "ۋەدە"),
    ]


def test_uyghur_letters_that_look_arabic_are_not_flagged() -> None:
    # ك (U+0643), ي (U+064A), ى (U+0649), ە (U+06D5), ھ (U+06BE), ئ (U+0626): all Uyghur.
    body = BODY.replace("بىر ئەزا", "كىيىم ھەئە")
    assert problems(catalogue(body=body)) == []


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("reviewed", "write `awaiting review` or `reviewed by NAME on YYYY-MM-DD`"),
        ("reviewed by Dilnur", "write `awaiting review`"),
        ("reviewed by Dilnur on 2026-13-40", "2026-13-40 is not a date"),
        ("", "write `awaiting review`"),
    ],
)
def test_a_wrong_reviewer_status_is_flagged(status: str, expected: str) -> None:
    text = catalogue(status)
    (problem,) = problems(text)
    assert problem.line == line_of(text, "X-Reviewer-Status")
    assert expected in problem.message


def test_a_missing_reviewer_status_is_flagged() -> None:
    text = catalogue().replace('"X-Reviewer-Status: awaiting review\\n"\n', "")
    assert problems(text) == [
        Problem(
            line_of(text, 'msgstr ""'),
            "no X-Reviewer-Status header: add `X-Reviewer-Status: awaiting review` "
            "until a native speaker has reviewed it",
        )
    ]


def test_a_catalogue_without_a_header_is_flagged() -> None:
    (problem,) = problems(BODY)
    assert problem.line == 1
    assert "no header entry" in problem.message


@pytest.mark.parametrize(
    ("translation", "expected"),
    [
        ('"يازغان خېتىڭىز"', "placeholder missing: %(name)s"),
        ('"%(nam)sغا يازغان خېتىڭىز"', "placeholder missing: %(name)s"),
        ('"%(nam)sغا يازغان خېتىڭىز"', "placeholder not in the English: %(nam)s"),
        ('"%(name)dغا يازغان خېتىڭىز"', "placeholder not in the English: %(name)d"),
    ],
)
def test_a_placeholder_missing_or_altered_is_flagged(translation: str, expected: str) -> None:
    body = BODY.replace('"%(name)sغا يازغان خېتىڭىز"', translation)
    text = catalogue(body=body)
    found = problems(text)
    assert expected in [problem.message for problem in found]
    assert {problem.line for problem in found} == {line_of(text, "يازغان خېتىڭىز")}


def test_brace_placeholders_are_compared_too() -> None:
    text = catalogue(body=BODY.replace("{title} {last_name}،", "{title} {lastname}،"))
    assert [(p.line, p.message) for p in problems(text)] == [
        (line_of(text, "ھۆرمەتلىك"), "placeholder missing: {last_name}"),
        (line_of(text, "ھۆرمەتلىك"), "placeholder not in the English: {lastname}"),
    ]


def test_plural_forms_each_keep_their_placeholders() -> None:
    # The singular form may leave out the count; the plural form may not.
    body = BODY.replace('"%(num)d ئەزا"', '"ئەزالار"')
    text = catalogue(body=body)
    assert problems(text) == [Problem(line_of(text, "msgstr[1]"), "placeholder missing: %(num)d")]
    assert problems(catalogue(body=BODY.replace('"بىر ئەزا"', '"%(num)d ئەزا"'))) == []


def test_a_broken_file_is_one_problem_at_its_line() -> None:
    text = catalogue() + '\nmsgid "Typed"\nmgstr "x"\n'
    assert problems(text) == [
        Problem(line_of(text, "mgstr"), "not a valid .po file: Unknown or misformatted keyword")
    ]
    text = catalogue() + '\nmsgid "Typed"\n'
    assert problems(text) == [
        Problem(line_of(text, '"Typed"'), "not a valid .po file: missing msgstr for msgid 'Typed'")
    ]


def test_the_command_lists_problems_and_fails(tmp_path: Path) -> None:
    good = tmp_path / "good.po"
    good.write_text(catalogue(), encoding="utf-8")
    bad = tmp_path / "bad.po"
    bad_text = catalogue(body=BODY.replace("تېپىڭ", "تې\u0647ىڭ"))
    bad.write_text(bad_text, encoding="utf-8")

    result = CliRunner().invoke(cli, ["i18n", "lint", str(good), str(bad)])

    assert result.exit_code == 1
    line = line_of(bad_text, 'msgstr "پارلامېنت')
    assert result.output.splitlines() == [
        f"{bad}:{line}: ه (U+0647 arabic letter heh) is not Uyghur: "
        "Uyghur writes ە (U+06D5) for e and ھ (U+06BE) for h"
    ]


def test_the_command_passes_clean_catalogues(tmp_path: Path) -> None:
    good = tmp_path / "good.po"
    good.write_text(catalogue(), encoding="utf-8")
    result = CliRunner().invoke(cli, ["i18n", "lint", str(good)])
    assert result.exit_code == 0
    assert "no problems" in result.output


def test_the_command_reports_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    broken = tmp_path / "broken.po"
    broken.write_bytes(catalogue().encode("utf-8") + b"\xff")
    result = CliRunner().invoke(cli, ["i18n", "lint", str(broken)])
    assert result.exit_code == 1
    assert f"{broken}:1: not UTF-8" in result.output


def test_the_command_needs_a_path() -> None:
    result = CliRunner().invoke(cli, ["i18n", "lint"])
    assert result.exit_code == 2
