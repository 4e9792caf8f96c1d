"""Hostile and unusual input to the campaign editor: script in every field, Uyghur and other
right-to-left text, emoji, halves of surrogate pairs, control characters, huge fields and
huge posts. Never a 500; a clear message beside the field; nothing typed lost; nothing
ever shown unescaped."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from editor_pages import (
    edit_path,
    field_error,
    field_value,
    form_values,
    press,
    save,
    stored,
    version_numbers,
)
from flask import Flask
from flask.testing import FlaskClient
from organizer_pages import signed_in_client
from pages import SLUG, page_text, parse

from advocacy.campaigns import versions
from advocacy.campaigns.service import get_stored_campaign
from advocacy.db import get_session
from advocacy.organizers.editor.layout import FIELD_MAX
from advocacy.organizers.editor.views import EDITOR_POST_MAX

SCRIPT = "<script>alert(document.cookie)</script>"
UYGHUR = "بارىن ئىنقىلابىنى ئەسلەيمىز"  # "We remember the Baren uprising"
EMOJI = "🕯️ Remember Baren 🇺🇸"


@pytest.fixture
def editor(app: Flask) -> FlaskClient:
    return signed_in_client(app)


def _editor_html(editor: FlaskClient) -> str:
    return editor.get(edit_path(SLUG)).get_data(as_text=True)


def test_script_in_every_field_is_refused_where_the_rules_refuse_it_and_never_runs(
    app: Flask, editor: FlaskClient
) -> None:
    html = _editor_html(editor)
    data = form_values(html)
    for name in data:
        if name not in ("csrf_token", "base_version", "default"):
            data[name] = SCRIPT
    response = editor.post(edit_path(SLUG), data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(document.cookie)&lt;/script&gt;" in page
    # The rules' words beside the fields that cannot take it, the text kept in all of them.
    assert "whole number" in field_error(page, "goal")
    assert "not a web address" in field_error(page, "bill-house_url")
    assert "not a bioguide ID" in field_error(page, "bill-sponsors")
    assert "not valid TOML" in field_error(page, "letter-shared")
    for name in data:
        if name not in ("csrf_token", "base_version", "default", "summary"):
            assert field_value(page, name) == SCRIPT, name
    assert version_numbers(app, SLUG) == [1]


def test_text_fields_take_script_as_text_and_the_public_page_escapes_it(
    app: Flask, editor: FlaskClient, client: FlaskClient
) -> None:
    response = save(editor, SLUG, {"title": SCRIPT, "tagline": SCRIPT, "ask-heading": SCRIPT})
    assert response.status_code == 303
    press(editor, edit_path(SLUG), "/publish", version="2")
    public = client.get(f"/c/{SLUG}").get_data(as_text=True)
    assert "<script>alert" not in public
    assert SCRIPT in page_text(public)
    for path in ("/organizers/campaigns", f"/organizers/c/{SLUG}/versions", edit_path(SLUG)):
        assert "<script>alert" not in editor.get(path).get_data(as_text=True)


def test_uyghur_right_to_left_text_and_emoji_are_kept_as_typed(
    app: Flask, editor: FlaskClient, client: FlaskClient
) -> None:
    changes = {
        "title": f"{UYGHUR} {EMOJI}",
        "story-0-heading": UYGHUR,
        "story-0-paragraphs": f"{UYGHUR}\n\n{EMOJI} — *{UYGHUR}*",
        "language": "ug",
    }
    assert save(editor, SLUG, changes).status_code == 303
    html = _editor_html(editor)
    for name, value in changes.items():
        assert field_value(html, name) == value
    assert parse(html).by_id("f-story-0-heading").attrs["dir"] == "auto"
    press(editor, edit_path(SLUG), "/publish", version="2")
    public = page_text(client.get(f"/c/{SLUG}").get_data(as_text=True))
    assert UYGHUR in public and EMOJI in public


def test_a_field_over_the_limit_is_refused_beside_it_and_kept(
    app: Flask, editor: FlaskClient
) -> None:
    huge = "Baren. " * (FIELD_MAX // 7 + 10)
    response = save(editor, SLUG, {"story-1-paragraphs": huge})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"a field takes at most {FIELD_MAX:,}" in field_error(page, "story-1-paragraphs")
    assert field_value(page, "story-1-paragraphs") == huge
    assert version_numbers(app, SLUG) == [1]


def test_a_post_over_the_editors_limit_gets_a_clear_413(app: Flask, editor: FlaskClient) -> None:
    data = form_values(_editor_html(editor))
    data["summary"] = "x" * 100
    body = "&".join(f"{quote(k)}={quote(v)}" for k, v in data.items())
    body += "&padding=" + "x" * EDITOR_POST_MAX
    response = editor.post(
        edit_path(SLUG), data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "more text than we can take" in page_text(response.get_data(as_text=True))
    assert version_numbers(app, SLUG) == [1]


def test_a_whole_uyghur_campaign_fits_a_post_larger_than_other_forms_may_be(
    app: Flask, editor: FlaskClient
) -> None:
    # 20,000 Arabic-script letters: 40 KB of UTF-8, 120 KB once form-encoded, over the
    # 64 KB other forms may be.
    paragraphs = "\n\n".join([UYGHUR * 25] * 30)
    response = save(editor, SLUG, {"story-0-paragraphs": paragraphs})
    assert response.status_code == 303
    assert version_numbers(app, SLUG) == [1, 2]


def test_halves_of_surrogate_pairs_and_control_characters_never_break_a_save(
    app: Flask, editor: FlaskClient
) -> None:
    data = form_values(_editor_html(editor))
    # Half a surrogate pair as no browser sends it (CESU-8 bytes), a NUL, a bell.
    body = "&".join(f"{quote(k)}={quote(v)}" for k, v in data.items() if k != "tagline")
    body += "&tagline=Baren%ED%A0%80%00%07 uprising"
    response = editor.post(
        edit_path(SLUG), data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 303
    with app.app_context():
        campaign = get_stored_campaign(get_session(), SLUG)
        assert campaign is not None
        latest = versions.latest_version(get_session(), campaign.id)
        assert latest is not None
        tagline = latest.content["tagline"]
    # What no text can hold is gone; the rest is as typed.
    assert "\x00" not in tagline and "\x07" not in tagline
    assert tagline.startswith("Baren") and tagline.endswith(" uprising")
    assert stored(app, SLUG)["published_version"] == 1


def test_numbers_beyond_what_the_database_and_calendar_hold_are_refused(
    app: Flask, editor: FlaskClient
) -> None:
    response = save(
        editor,
        SLUG,
        {"goal": "99999999999999999999", "bill-congress": "9999999", "bill-house_passed": ""},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "more than a goal may be (1,000,000,000)" in field_error(page, "goal")
    assert "not a Congress's number" in field_error(page, "bill-congress")
    assert field_value(page, "goal") == "99999999999999999999"
    assert version_numbers(app, SLUG) == [1]
