"""Campaign versions from the command line: `advocacy campaigns load` records a version by
the command line and publishes it (load is live, as before); `campaigns dump` writes the
live version, or any version with --version N; the shipped campaign starts the history."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from editor_pages import edit_path, form_values, save, stored, version_numbers
from flask import Flask
from flask.testing import FlaskCliRunner
from organizer_pages import signed_in_client
from pages import SLUG, page_text

from advocacy.campaigns import versions
from advocacy.campaigns.content import (
    dump_campaign,
    from_stored,
    load_campaign_file,
    shipped_campaign_files,
    to_stored,
    validate_campaign,
)
from advocacy.campaigns.service import get_stored_campaign
from advocacy.db import get_session
from advocacy.models import Campaign, CampaignVersion

SHIPPED = shipped_campaign_files()[0]


def _history(app: Flask, slug: str = SLUG) -> list[tuple[int, str, str]]:
    with app.app_context():
        rows = get_session().execute(
            sa.select(CampaignVersion.number, CampaignVersion.author, CampaignVersion.summary)
            .join(Campaign, Campaign.id == CampaignVersion.campaign_id)
            .where(Campaign.slug == slug)
            .order_by(CampaignVersion.number)
        )
        return [tuple(row) for row in rows]


def _edited_file(tmp_path: Path, tagline: str) -> Path:
    text = SHIPPED.read_text("utf-8").replace(
        'tagline = "In 1990, China', f'tagline = "{tagline} In 1990, China', 1
    )
    path = tmp_path / "edited.toml"
    path.write_text(text, "utf-8")
    return path


def test_the_shipped_campaign_starts_its_history_live(app: Flask) -> None:
    assert _history(app) == [(1, "the command line", f"Installed from {SHIPPED.name}")]
    assert stored(app, SLUG)["published_version"] == 1
    assert stored(app, SLUG)["status"] == "live"


def test_loading_a_file_records_a_version_by_the_command_line_and_publishes_it(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = _edited_file(tmp_path, "Loaded.")
    result = runner.invoke(args=["campaigns", "load", str(path)])
    assert result.exit_code == 0, result.output
    assert "live as version 2" in result.output
    assert _history(app)[-1] == (2, "the command line", "Loaded from edited.toml")
    assert stored(app, SLUG)["published_version"] == 2
    assert stored(app, SLUG)["content"]["tagline"].startswith("Loaded.")
    # The same file again adds no copy of itself.
    assert runner.invoke(args=["campaigns", "load", str(path)]).exit_code == 0
    assert version_numbers(app, SLUG) == [1, 2]


def test_a_load_while_an_editor_is_editing_makes_their_save_a_conflict(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    editor = signed_in_client(app)
    page = editor.get(edit_path(SLUG)).get_data(as_text=True)
    runner.invoke(args=["campaigns", "load", str(_edited_file(tmp_path, "Loaded."))])
    response = save(editor, SLUG, {"ask-heading": "Typed in the browser"}, page)
    assert response.status_code == 409
    assert "the command line saved version 2" in page_text(response.get_data(as_text=True))


def test_dump_writes_the_live_version_not_a_newer_draft(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    editor = signed_in_client(app)
    save(editor, SLUG, {"tagline": "A draft nobody sees yet."})
    live = runner.invoke(args=["campaigns", "dump", SLUG])
    assert live.exit_code == 0, live.output
    assert "A draft nobody sees yet." not in live.output
    draft = runner.invoke(args=["campaigns", "dump", SLUG, "--version", "2"])
    assert draft.exit_code == 0, draft.output
    assert 'tagline = "A draft nobody sees yet."' in draft.output
    # The file of a version loads back to exactly that version's content.
    path = tmp_path / "v2.toml"
    path.write_text(draft.output, "utf-8")
    with app.app_context():
        campaign = get_stored_campaign(get_session(), SLUG)
        assert campaign is not None
        version = versions.get_version(get_session(), campaign.id, 2)
        assert version is not None
        assert to_stored(load_campaign_file(path)) == version.content


def test_dump_of_a_version_that_is_not_there_says_which_are(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["campaigns", "dump", SLUG, "--version", "9"])
    assert result.exit_code == 1
    assert "has no version 9 (its versions: 1 to 1)" in result.output


def test_dump_of_a_draft_asks_for_a_version(app: Flask, runner: FlaskCliRunner) -> None:
    editor = signed_in_client(app)
    html = editor.get("/organizers/campaigns").get_data(as_text=True)
    data = form_values(html, "/campaigns/new")
    data.update({"new-slug": "a-draft", "new-title": "A draft"})
    assert editor.post("/organizers/campaigns/new", data=data).status_code == 303
    result = runner.invoke(args=["campaigns", "dump", "a-draft"])
    assert result.exit_code == 1 and "never been published" in result.output
    result = runner.invoke(args=["campaigns", "dump", "a-draft", "--version", "1"])
    assert result.exit_code == 0 and 'title = "A draft"' in result.output


def test_a_new_campaigns_skeleton_passes_the_rules_and_dumps(app: Flask) -> None:
    content = versions.new_campaign_content("skeleton", "The skeleton", 119)
    assert validate_campaign(from_stored(content)) == []
    assert 'slug = "skeleton"' in dump_campaign(content)


@pytest.mark.parametrize("title_length", [200, 201])
def test_a_title_longer_than_the_column_is_refused_by_the_rules(title_length: int) -> None:
    content = load_campaign_file(SHIPPED)
    content["title"] = "x" * title_length
    problems = validate_campaign(content)
    if title_length <= 200:
        assert problems == []
    else:
        assert problems == ["title: has 201 characters; a title may have at most 200"]
