"""`advocacy campaigns dump SLUG`: a stored campaign as the TOML file that `campaigns load`
reads back into exactly what the database holds."""

from __future__ import annotations

import copy
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from pages import SLUG

from advocacy.campaigns.content import (
    CampaignContentError,
    dump_campaign,
    from_stored,
    load_campaign_file,
    parse_campaign,
    parse_stored_campaign,
    shipped_campaign_files,
    to_stored,
)
from advocacy.campaigns.service import get_campaign, upsert_campaign
from advocacy.db import get_session

SHIPPED = shipped_campaign_files()[0]
UYGHUR_SLUG = "uyghur-text"


def shipped_stored() -> dict[str, Any]:
    """The shipped campaign as the database stores it."""
    return to_stored(load_campaign_file(SHIPPED))


def uyghur_stored() -> dict[str, Any]:
    """A campaign in Uyghur (Arabic script), with every kind of text TOML must escape."""
    campaign = shipped_stored()
    campaign.update(
        slug=UYGHUR_SLUG,
        title='بارىن: «ئۇيغۇر سىياسىتى قانۇنى» "quoted"',
        tagline="Back\\slash, \"\"\"triple\"\"\" and '''single''' quotes, and a tab\there.",
        default=False,
        language="ug",
    )
    campaign["story"][0] = {
        "heading": "1990-يىلى 5-ئاپرېل: بارىن قوزغىلىڭى",
        "paragraphs": [
            "بارىن — قەشقەر ئەتراپىدىكى بىر يېزا. *ئۇيغۇر* [مەنبە](https://example.org/ug)",
            "First line\nsecond line\n\n- a list item\n- another",
            "\nStarts with a line break, ends with one\n",
            'Ends with a quote"',
            'Ends with three quotes"""',
            "Ends with a backslash\\",
            "A backslash before a line break \\\nand after it",
            "Zero-width joiner: ئ\u200dۇ, right-to-left mark \u200f, emoji 👩‍👩‍👧",
        ],
    }
    # A multi-line string would not keep these line ends: this table escapes them.
    campaign["story"][1]["paragraphs"].append("Windows line ends\r\nkept as they are\r\n")
    campaign["ask"]["heading"] = "ئىسمىڭىزنى قوشۇڭ"
    campaign["letter"]["values"]["uyghur_name"] = 'ئۇيغۇر "$" \\ ناملىرى'
    campaign["letter"]["introductions"] = [
        'مەن $place دا ياشايمەن، $$5 and "quotes" and \\backslashes\\.',
        *campaign["letter"]["introductions"],
    ]
    campaign["sources"].append(
        {"title": 'A "short" one', "publisher": "ئۇيغۇر", "date": "2024-04-05"}
    )
    return campaign


def round_trip(stored: dict[str, Any], tmp_path: Path) -> tuple[str, dict[str, Any]]:
    """Dump the content, load the file, store the result: the text and what is stored."""
    text = dump_campaign(stored)
    path = tmp_path / "campaign.toml"
    path.write_bytes(text.encode("utf-8"))
    return text, to_stored(load_campaign_file(path))


# --- the function -------------------------------------------------------------------------


@pytest.mark.parametrize("stored", [shipped_stored, uyghur_stored], ids=["shipped", "uyghur"])
def test_dump_then_load_gives_back_what_was_stored(stored: Any, tmp_path: Path) -> None:
    content = stored()
    assert parse_stored_campaign(content)  # content the loader accepts
    text, loaded = round_trip(content, tmp_path)
    assert loaded == content
    assert parse_stored_campaign(loaded) == parse_stored_campaign(content)
    # ...and dumping what was loaded writes the same bytes again.
    assert dump_campaign(loaded).encode("utf-8") == text.encode("utf-8")


def test_the_shipped_campaign_dumps_as_its_own_file_without_the_comments() -> None:
    # The file's order, tables and layout are kept: only comments and blank lines differ.
    def lines(text: str) -> list[str]:
        kept = (re.sub(r",\s+#.*$", ",", line) for line in text.splitlines())
        return [line for line in kept if line.strip() and not line.lstrip().startswith("#")]

    text = dump_campaign(shipped_stored())
    assert lines(text) == lines(SHIPPED.read_text(encoding="utf-8"))
    assert "#" not in "".join(line.split('"')[0] for line in text.splitlines())


def test_text_with_line_breaks_is_written_as_a_multi_line_string() -> None:
    text = dump_campaign(uyghur_stored())
    assert '    """\nFirst line\nsecond line\n\n- a list item\n- another""",\n' in text
    # Line ends that a multi-line string would not keep are escaped, in that table alone.
    second_story = text.split("[[story]]")[2]
    assert '"Windows line ends\\r\\nkept as they are\\r\\n"' in second_story
    assert '"""' not in second_story


def test_long_text_stays_on_one_line() -> None:
    text = dump_campaign(shipped_stored())
    status = parse_stored_campaign(shipped_stored()).bill.status
    assert f'status = "{status}"\n' in text


def test_keys_are_written_in_the_files_order_whatever_order_they_were_stored_in() -> None:
    def reversed_keys(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: reversed_keys(value[key]) for key in reversed(list(value))}
        if isinstance(value, list):
            return [reversed_keys(item) for item in value]
        return value

    shuffled = reversed_keys(shipped_stored())
    # [letter.values] names are the campaign's own: they keep the order they were given.
    shuffled["letter"]["values"] = shipped_stored()["letter"]["values"]
    assert dump_campaign(shuffled) == dump_campaign(shipped_stored())
    values = dict(reversed(list(shipped_stored()["letter"]["values"].items())))
    shuffled["letter"]["values"] = values
    assert (
        dump_campaign(shuffled)
        .split("[letter.values]\n")[1]
        .startswith(f"{next(iter(values))} = ")
    )


def test_a_short_table_in_a_list_keeps_its_place_in_the_file() -> None:
    # tomli-w alone would write short [[sources]] inline, ahead of [ask].
    campaign = shipped_stored()
    campaign["sources"] = [{"title": "A", "publisher": "B", "date": "2024-04-05"}]
    campaign["bill"]["timeline"] = [{"date": "2025-09-02", "text": "Passed."}]
    text = dump_campaign(campaign)
    headers = re.findall(r"^\[.*\]$", text, flags=re.MULTILINE)
    assert headers[:7] == [
        "[ask]",
        "[[story]]",
        "[[story]]",
        "[[story]]",
        "[bill]",
        "[[bill.timeline]]",
        "[[sources]]",
    ]
    assert headers[7] == "[letter]"


def test_content_without_a_next_congress_or_a_house_vote_dumps_and_loads(tmp_path: Path) -> None:
    campaign = shipped_stored()
    del campaign["next_congress"]
    del campaign["bill"]["house_passed"]
    del campaign["letter"]["house_had_no_vote"]
    text, loaded = round_trip(campaign, tmp_path)
    assert loaded == campaign
    assert "[next_congress" not in text and "house_passed =" not in text


def test_content_the_rules_refuse_is_written_all_the_same_to_be_mended() -> None:
    campaign = {**shipped_stored(), "colour": "red", "goal": "many"}
    text = dump_campaign(campaign)
    assert 'colour = "red"\n' in text and 'goal = "many"\n' in text
    with pytest.raises(CampaignContentError) as refused:
        parse_campaign(tomllib.loads(text))
    assert "colour: unknown key" in str(refused.value)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda c: c.update(goal=None), "goal: is empty (null), which a TOML file cannot hold"),
        (
            lambda c: c["story"][1]["paragraphs"].insert(0, "half \ud800 a pair"),
            "story[1].paragraphs[0]: holds half of a surrogate pair, which is not Unicode text",
        ),
        (
            lambda c: c["letter"]["values"].update({"bad\udfff": "x"}),
            "letter.values.bad\udfff (the key): holds half of a surrogate pair",
        ),
    ],
)
def test_content_toml_cannot_hold_is_refused_saying_where(change: Any, problem: str) -> None:
    campaign = copy.deepcopy(shipped_stored())
    change(campaign)
    with pytest.raises(CampaignContentError) as refused:
        dump_campaign(campaign, source="campaign 'x' as stored")
    assert problem in str(refused.value)
    assert str(refused.value).startswith("campaign 'x' as stored: ")


# --- the command ------------------------------------------------------------------------------


def store(app: Flask, content: dict[str, Any]) -> None:
    # upsert_campaign takes the TOML form (dates as dates), as `campaigns load` gives it.
    with app.app_context():
        upsert_campaign(get_session(), from_stored(content))
        get_session().commit()


def stored_content(app: Flask, slug: str) -> dict[str, Any]:
    with app.app_context():
        campaign = get_campaign(get_session(), slug)
        assert campaign is not None
        return copy.deepcopy(campaign.content)


def test_dump_writes_the_stored_campaign_to_standard_output(
    app: Flask, runner: FlaskCliRunner
) -> None:
    result = runner.invoke(args=["campaigns", "dump", SLUG])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == dump_campaign(stored_content(app, SLUG)).encode("utf-8")
    assert result.stderr == ""


def test_dump_to_a_file_then_load_gives_back_what_the_database_holds(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    store(app, uyghur_stored())
    before = stored_content(app, UYGHUR_SLUG)
    path = tmp_path / "in-git" / "uyghur.toml"
    path.parent.mkdir()
    result = runner.invoke(args=["campaigns", "dump", UYGHUR_SLUG, "--output", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote campaign {UYGHUR_SLUG!r} to {path}.\n"
    assert path.read_bytes().decode("utf-8") == dump_campaign(before)

    loaded = runner.invoke(args=["campaigns", "load", str(path)])
    assert loaded.exit_code == 0, loaded.output
    assert f"Updated campaign {UYGHUR_SLUG!r}" in loaded.output
    assert stored_content(app, UYGHUR_SLUG) == before
    # Dumped again, the same bytes: a campaign kept in git shows no change.
    again = runner.invoke(args=["campaigns", "dump", UYGHUR_SLUG])
    assert again.stdout_bytes == path.read_bytes()


def test_dump_writes_utf_8_to_standard_output_in_any_language(
    app: Flask, runner: FlaskCliRunner
) -> None:
    store(app, uyghur_stored())
    result = runner.invoke(args=["campaigns", "dump", UYGHUR_SLUG])
    assert result.exit_code == 0, result.output
    assert "بارىن — قەشقەر" in result.stdout_bytes.decode("utf-8")


def test_dump_of_an_unknown_slug_says_so_and_fails(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["campaigns", "dump", "no-such-campaign"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: no campaign has the slug 'no-such-campaign' (the stored ones are: {SLUG}).\n"
    )


def test_dump_of_a_slug_no_campaign_could_have_says_so_and_fails(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["campaigns", "dump", "Not A Slug\x00"])
    assert result.exit_code == 1
    assert "Error: no campaign has the slug" in result.stderr


def test_dump_to_a_folder_that_is_not_there_fails_clearly(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "missing" / "campaign.toml"
    result = runner.invoke(args=["campaigns", "dump", SLUG, "-o", str(path)])
    assert result.exit_code == 1
    assert f"Error: cannot write {path}: No such file or directory" in result.stderr
    assert not path.exists()


def test_dump_of_stored_content_load_would_refuse_writes_it_and_warns(
    app: Flask, runner: FlaskCliRunner
) -> None:
    with app.app_context():
        campaign = get_campaign(get_session(), SLUG)
        assert campaign is not None
        campaign.content = {**campaign.content, "goal": "many"}
        get_session().commit()
    result = runner.invoke(args=["campaigns", "dump", SLUG])
    assert result.exit_code == 1
    assert 'goal = "many"\n' in result.stdout
    assert "Warning: `advocacy campaigns load` would refuse it." in result.stderr
    assert "goal: must be a whole number" in result.stderr


def test_dump_of_content_toml_cannot_hold_writes_nothing_and_fails(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    with app.app_context():
        campaign = get_campaign(get_session(), SLUG)
        assert campaign is not None
        campaign.content = {**campaign.content, "tagline": None}
        get_session().commit()
    path = tmp_path / "campaign.toml"
    result = runner.invoke(args=["campaigns", "dump", SLUG, "--output", str(path)])
    assert result.exit_code == 1
    assert "tagline: is empty (null), which a TOML file cannot hold" in result.stderr
    assert not path.exists()
