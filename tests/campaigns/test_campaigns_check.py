"""`advocacy campaigns check` and the dashboard: warnings that a campaign's bill is dying."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from organizer_pages import signed_in_client
from pages import SLUG, page_text

from advocacy.campaigns.checks import content_warnings
from advocacy.campaigns.content import load_campaign_file, parse_campaign, shipped_campaign_files
from advocacy.campaigns.service import get_campaign, upsert_campaign
from advocacy.db import get_session

LAST_SECOND = datetime(2027, 1, 3, 16, 59, 59, tzinfo=UTC)
ENDED = datetime(2027, 1, 3, 17, 0, 0, tzinfo=UTC)
LONG_BEFORE = datetime(2026, 6, 1, tzinfo=UTC)
ENDS = (
    "bill facts need updating: H.R. 2635 and S. 1542 belong to the 119th Congress, "
    "which ends 2027-01-03 12:00 ET"
)
ENDED_TEXT = (
    "bill facts need updating: H.R. 2635 and S. 1542 belong to the 119th Congress, "
    "which ended 2027-01-03 12:00 ET"
)
NO_NEXT = "no next-Congress ask: add a [next_congress] table"


def check(app: Flask, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["campaigns", "check", *args])
    return result.exit_code, result.output


def add_bare_campaign(app: Flask) -> None:
    """Store the shipped campaign again, without [next_congress], as "no-next-congress"."""
    shipped = load_campaign_file(shipped_campaign_files()[0])
    bare = {k: v for k, v in shipped.items() if k != "next_congress"}
    with app.app_context():
        upsert_campaign(get_session(), dict(bare, slug="no-next-congress", default=False))
        get_session().commit()


# --- the command ----------------------------------------------------------------------------


def test_check_long_before_the_end_finds_nothing(make_app: Any) -> None:
    status, output = check(make_app(), "--at", "2026-06-01T00:00:00Z")
    assert status == 0, output
    assert output.splitlines() == [
        f"{SLUG}: Remember Baren: pass the Uyghur Policy Act",
        "  OK: nothing needs updating.",
    ]


@pytest.mark.parametrize(
    ("at", "warned"),
    [
        ("2026-11-04T16:59:59Z", False),  # 60 days and a second before the end
        ("2026-11-04T17:00:00Z", True),  # 60 days before
        ("2026-11-04T12:00:00-05:00", True),  # the same moment in Eastern time
    ],
)
def test_check_warns_from_60_days_before_the_end(make_app: Any, at: str, warned: bool) -> None:
    status, output = check(make_app(), "--at", at)
    assert status == 0, output
    assert (ENDS in output) is warned
    if warned:
        assert f"{ENDS} (in 60 days)." in output


def test_check_within_60_days_warns_but_succeeds(make_app: Any) -> None:
    # Without --at, the app's clock: the tests' snapshot moment, November 23, 2026.
    status, output = check(make_app())
    assert status == 0, output
    assert f"  Warning: {ENDS} (in 41 days)." in output
    status, output = check(make_app(), "--at", LAST_SECOND.isoformat())
    assert status == 0, output
    assert f"{ENDS} (today)." in output


def test_check_fails_once_the_bill_has_died(make_app: Any) -> None:
    status, output = check(make_app(), "--at", "2027-01-03T17:00:00Z")
    assert status == 1, output
    assert f"  Warning: {ENDED_TEXT}." in output
    assert "now ask for the bill to be reintroduced" in output
    # The app's clock is the default.
    status, output = check(make_app(CLOCK=lambda: ENDED))
    assert status == 1
    assert ENDED_TEXT in output


def test_check_warns_about_a_campaign_without_a_next_congress_ask(make_app: Any) -> None:
    app = make_app()
    add_bare_campaign(app)
    status, output = check(app, "--at", "2026-06-01T00:00:00Z")
    assert status == 0, output
    lines = output.splitlines()
    bare = lines.index("no-next-congress: Remember Baren: pass the Uyghur Policy Act")
    assert lines[bare + 1].startswith(f"  Warning: {NO_NEXT}")
    assert "built-in ask (reintroduce and pass the Uyghur Policy Act)" in lines[bare + 1]
    shipped = lines.index(f"{SLUG}: Remember Baren: pass the Uyghur Policy Act")
    assert lines[shipped + 1] == "  OK: nothing needs updating."
    assert output.count(NO_NEXT) == 1


def test_check_says_which_shared_letter_lists_name_the_old_bill(make_app: Any) -> None:
    app = make_app()
    shipped = load_campaign_file(shipped_campaign_files()[0])
    bare = {k: v for k, v in shipped.items() if k != "next_congress"}
    letter = dict(bare["letter"], bill_summaries=["Please pass $house_number."])
    with app.app_context():
        upsert_campaign(
            get_session(), dict(bare, slug="names-numbers", default=False, letter=letter)
        )
        get_session().commit()
    status, output = check(app, "--at", "2026-06-01T00:00:00Z")
    assert status == 0, output
    assert "The built-in ask keeps [letter]'s bill_summaries, which name the old bill." in output


def test_check_fails_on_stored_content_it_cannot_read(make_app: Any) -> None:
    app = make_app()
    with app.app_context():
        campaign = get_campaign(get_session(), SLUG)
        assert campaign is not None
        campaign.content = {**campaign.content, "goal": "many"}
        get_session().commit()
    status, output = check(app, "--at", "2026-06-01T00:00:00Z")
    assert status == 1
    assert "stored content is not valid: goal: must be a whole number" in output


def test_check_refuses_a_moment_it_cannot_read(make_app: Any) -> None:
    status, output = check(make_app(), "--at", "next tuesday")
    assert status == 2
    assert "is not an ISO date and time" in output


def test_load_prints_the_same_warnings(make_app: Any, tmp_path: Path) -> None:
    app = make_app(CLOCK=lambda: ENDED)
    text = shipped_campaign_files()[0].read_text("utf-8")
    path = tmp_path / "campaign.toml"
    path.write_text(text[: text.index("\n[next_congress]\n")] + "\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["campaigns", "load", str(path)])
    assert result.exit_code == 0, result.output
    assert f"Updated campaign '{SLUG}'" in result.output
    assert f"  Warning: {ENDED_TEXT}." in result.output
    assert f"  Warning: {NO_NEXT}" in result.output


# --- the dashboard --------------------------------------------------------------------------


def test_dashboard_warns_once_the_bill_has_died(make_app: Any) -> None:
    app = make_app(CLOCK=lambda: ENDED)
    client = signed_in_client(app)
    text = page_text(client.get(f"/organizers/c/{SLUG}/").get_data(as_text=True))
    assert "Campaign content needs attention" in text
    assert ENDED_TEXT in text
    index = page_text(client.get("/organizers/").get_data(as_text=True))
    assert f"Remember Baren: pass the Uyghur Policy Act : {ENDED_TEXT}" in index


def test_dashboard_warns_about_a_missing_next_congress_ask(make_app: Any) -> None:
    app = make_app(CLOCK=lambda: LONG_BEFORE)
    add_bare_campaign(app)
    client = signed_in_client(app)
    text = page_text(client.get("/organizers/c/no-next-congress/").get_data(as_text=True))
    assert NO_NEXT in text
    assert "bill facts need updating" not in text
    shipped = page_text(client.get(f"/organizers/c/{SLUG}/").get_data(as_text=True))
    assert "Campaign content needs attention" not in shipped


def test_lobby_report_after_the_end_tells_sponsors_to_reintroduce(make_app: Any) -> None:
    app = make_app(CLOCK=lambda: ENDED)
    client = signed_in_client(app)
    html = client.get(f"/organizers/c/{SLUG}/report/CA-40").get_data(as_text=True)
    text = page_text(html)
    assert "(H.R. 2635 / S. 1542, which died with the 119th Congress)" in text
    assert "the Senate Foreign Relations Committee never voted on it before the 119th" in text


def test_a_house_passage_day_still_to_come_is_warned_of() -> None:
    # The file is checked without a clock: a day that has not come yet would thank the
    # House for a vote it has not held.
    shipped = load_campaign_file(shipped_campaign_files()[0])
    content = parse_campaign(shipped)
    assert content_warnings(content, LONG_BEFORE) == []
    early = datetime(2025, 9, 2, 3, 0, tzinfo=UTC)  # the evening of September 1 in Washington
    assert content_warnings(content, early) == [
        "bill.house_passed is September 2, 2025, which has not come yet, but the letters "
        "already thank members of the House for passing H.R. 2635: give the day the House "
        "passed it, or leave bill.house_passed out until it has."
    ]
    assert content_warnings(content, datetime(2025, 9, 2, 4, 0, tzinfo=UTC)) == []
