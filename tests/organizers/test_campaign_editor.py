"""The campaign editor, as an organizer uses it: start a campaign from scratch or as a copy,
edit it, see each problem beside its field with nothing typed lost, save drafts that the
public never sees, publish, read the history's diffs, roll back, close; and a door that
stays shut to everyone else."""

from __future__ import annotations

import pytest
from editor_pages import (
    audit_actions,
    copy_campaign,
    edit_path,
    field_error,
    field_value,
    form_values,
    new_campaign,
    press,
    save,
    stored,
    version_numbers,
)
from flask import Flask
from flask.testing import FlaskClient
from organizer_pages import signed_in_client
from pages import SLUG, hidden_value, page_text, parse, pledge_fields, table_rows

SHIPPED_TAGLINE = "The House has passed the Uyghur Policy Act, and now the Senate must act."
NEW_TAGLINE = "Thirty-seven years after Baren, the Senate still has not voted."


@pytest.fixture
def editor(app: Flask) -> FlaskClient:
    return signed_in_client(app)


def _text(response: object) -> str:
    return response.get_data(as_text=True)  # type: ignore[attr-defined]


# --- the door ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/organizers/campaigns",
        f"/organizers/c/{SLUG}/edit",
        f"/organizers/c/{SLUG}/versions",
        f"/organizers/c/{SLUG}/versions/1",
        f"/organizers/c/{SLUG}/preview",
        f"/organizers/c/{SLUG}/preview/page",
    ],
)
def test_every_editor_page_sends_a_stranger_to_sign_in(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/organizers/login?next=")


@pytest.mark.parametrize(
    "path",
    [
        "/organizers/campaigns/new",
        "/organizers/campaigns/copy",
        f"/organizers/c/{SLUG}/edit",
        f"/organizers/c/{SLUG}/publish",
        f"/organizers/c/{SLUG}/close",
    ],
)
def test_a_stranger_changes_nothing(app: Flask, client: FlaskClient, path: str) -> None:
    response = client.post(path, data={"version": "1", "latest": "1", "title": "Hijacked"})
    # Refused by the CSRF check, or sent to sign in: either way nothing happens.
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert "/organizers/login" in response.headers["Location"]
    assert version_numbers(app, SLUG) == [1]
    assert stored(app, SLUG)["status"] == "live"


def test_a_save_without_its_csrf_token_is_refused_and_saves_nothing(
    app: Flask, editor: FlaskClient
) -> None:
    data = form_values(_text(editor.get(edit_path(SLUG))))
    data["tagline"] = NEW_TAGLINE
    del data["csrf_token"]
    response = editor.post(edit_path(SLUG), data=data)
    assert response.status_code == 400
    data["csrf_token"] = "not-the-token"
    assert editor.post(edit_path(SLUG), data=data).status_code == 400
    assert version_numbers(app, SLUG) == [1]


@pytest.mark.parametrize("action", ["publish", "close", "../campaigns/new"])
def test_other_changes_without_a_csrf_token_are_refused(
    app: Flask, editor: FlaskClient, action: str
) -> None:
    path = f"/organizers/c/{SLUG}/{action}".replace(f"/c/{SLUG}/../", "/")
    response = editor.post(
        path, data={"version": "1", "latest": "1", "new-slug": "x", "new-title": "X"}
    )
    assert response.status_code == 400
    assert stored(app, SLUG)["status"] == "live"
    assert version_numbers(app, SLUG) == [1]


def test_changes_are_posts_only(editor: FlaskClient) -> None:
    for path in ("publish", "close"):
        assert editor.get(f"/organizers/c/{SLUG}/{path}").status_code == 405


# --- the list, a new campaign, a copy ----------------------------------------------------------


def test_the_list_shows_each_campaign_with_its_status(editor: FlaskClient) -> None:
    html = _text(editor.get("/organizers/campaigns"))
    row = page_text(html)
    assert "Remember Baren" in row and "Live" in row and "Live: version 1" in row


def test_a_campaign_from_scratch_is_a_draft_nobody_else_sees(
    app: Flask, editor: FlaskClient, client: FlaskClient
) -> None:
    response = new_campaign(editor, "east-turkistan-week", "East Turkistan Week")
    assert response.status_code == 303
    assert response.headers["Location"] == edit_path("east-turkistan-week")
    html = _text(editor.get(response.headers["Location"]))
    assert "saved as version 1, a draft" in page_text(html)
    assert field_value(html, "title") == "East Turkistan Week"
    # The skeleton already passes the rules: it can be saved and previewed at once.
    assert editor.get("/organizers/c/east-turkistan-week/preview").status_code == 200
    listing = page_text(_text(editor.get("/organizers/campaigns")))
    assert "East Turkistan Week" in listing and "Draft" in listing

    # The public knows nothing of a draft: page, widget, stats, letters, pledges.
    assert client.get("/c/east-turkistan-week").status_code == 404
    assert client.get("/c/east-turkistan-week/widget").status_code == 404
    assert client.get("/api/v1/campaigns/east-turkistan-week").status_code == 404
    pledge = client.post("/api/v1/campaigns/east-turkistan-week/pledges", json=pledge_fields())
    assert pledge.status_code == 404
    assert stored(app, "east-turkistan-week")["status"] == "draft"
    assert audit_actions(app, "east-turkistan-week") == ["campaign create"]

    # Published, it is served.
    press(editor, edit_path("east-turkistan-week"), "/publish")
    page = client.get("/c/east-turkistan-week")
    assert page.status_code == 200 and "East Turkistan Week" in page_text(_text(page))
    # The shipped campaign still answers at "/": a new campaign never takes it unasked.
    assert "Remember Baren" in page_text(_text(client.get("/")))


@pytest.mark.parametrize(
    ("slug", "title", "field", "message"),
    [
        (SLUG, "Another", "new-slug", "already has the address"),
        ("Not A Slug!", "Another", "new-slug", "lowercase letters, digits and hyphens"),
        ("fine-slug", "", "new-title", "Give the campaign a title"),
        ("fine-slug", "x" * 201, "new-title", "at most 200 characters"),
    ],
)
def test_a_new_campaign_is_refused_beside_its_field(
    app: Flask, editor: FlaskClient, slug: str, title: str, field: str, message: str
) -> None:
    response = new_campaign(editor, slug, title)
    assert response.status_code == 422
    html = _text(response)
    error = parse(html).by_id(f"{field}-error").text()
    assert message in error
    # What was typed is still there.
    assert parse(html).by_id("new-slug").attrs["value"] == slug.strip()


def test_a_copy_has_the_other_campaigns_content_under_its_own_name(
    app: Flask, editor: FlaskClient, client: FlaskClient
) -> None:
    response = copy_campaign(editor, SLUG, "baren-2027", "Remember Baren, 2027")
    assert response.status_code == 303
    original, copy = stored(app, SLUG)["content"], stored(app, "baren-2027")["content"]
    assert copy["slug"] == "baren-2027" and copy["title"] == "Remember Baren, 2027"
    assert copy["default"] is False
    assert {k: v for k, v in copy.items() if k not in ("slug", "title", "default")} == {
        k: v for k, v in original.items() if k not in ("slug", "title", "default")
    }
    assert stored(app, "baren-2027")["status"] == "draft"
    assert client.get("/c/baren-2027").status_code == 404
    history = page_text(_text(editor.get("/organizers/c/baren-2027/versions")))
    assert f"Copied from {SLUG} version 1" in history
    assert audit_actions(app, "baren-2027") == ["campaign copy"]


# --- editing: problems beside their fields, nothing lost -----------------------------------------


def test_an_unchanged_save_saves_nothing(app: Flask, editor: FlaskClient) -> None:
    response = save(editor, SLUG, {})
    assert response.status_code == 303
    assert "Nothing had changed" in page_text(_text(editor.get(edit_path(SLUG))))
    assert version_numbers(app, SLUG) == [1]


def test_an_invalid_save_keeps_everything_typed_and_says_why_beside_each_field(
    app: Flask, editor: FlaskClient
) -> None:
    html = _text(editor.get(edit_path(SLUG)))
    asks = field_value(html, "letter-senate-asks")
    typed = {
        "tagline": NEW_TAGLINE,
        "title": "   ",
        "goal": "lots",
        "story-0-paragraphs": "A first paragraph.\n\nSee [the report](javascript:alert(1)).",
        "letter-senate-asks": asks + "\n\nPlease back $nonsense_variable now.",
        "bill-house_url": "congress.gov/bill",
        "sources-0-date": "April 2023",
        "letter-shared": "introductions = [\n",
    }
    response = save(editor, SLUG, typed, page=html)
    assert response.status_code == 422
    page = _text(response)
    # Each rule's own words, beside the field it is about.
    assert field_error(page, "title") == "Must not be empty"
    assert "whole number" in field_error(page, "goal")
    assert "Paragraph 2" in field_error(page, "story-0-paragraphs")
    assert "a link may go only to" in field_error(page, "story-0-paragraphs")
    senate = field_error(page, "letter-senate-asks")
    assert senate.startswith(f"Line {asks.count(chr(10)) + 3}:")
    assert "unknown variable $nonsense_variable" in senate
    assert "not a web address" in field_error(page, "bill-house_url")
    assert "a date written as 2025-09-02" in field_error(page, "sources-0-date")
    assert "not valid TOML" in field_error(page, "letter-shared")
    # A summary at the top links to each field.
    links = [a.attrs["href"] for a in parse(page).by_id("error-summary").find_all("a")]
    assert {"#f-title", "#f-goal", "#f-story-0-paragraphs", "#f-letter-senate-asks"} <= set(links)
    # Nothing typed is lost, the valid fields included.
    for name, value in typed.items():
        assert field_value(page, name) == value.strip() or field_value(page, name) == value
    assert field_value(page, "bill-short_title") == "Uyghur Policy Act"
    assert parse(page).by_id("f-title").attrs.get("aria-invalid") == "true"
    assert version_numbers(app, SLUG) == [1]


def test_a_problem_in_a_later_section_is_shown_beside_that_sections_field(
    editor: FlaskClient,
) -> None:
    # The first story section emptied (removed): the second's problem is still shown at
    # the second section's own field, not at the first's.
    response = save(
        editor,
        SLUG,
        {"story-0-heading": "", "story-0-paragraphs": "", "story-1-heading": ""},
    )
    assert response.status_code == 422
    page = _text(response)
    assert field_error(page, "story-1-heading") == "Must not be empty"
    assert field_error(page, "story-0-heading") == ""


# --- drafts, publishing, history, rollback -----------------------------------------------------


def test_a_draft_save_leaves_the_public_page_alone_until_published(
    app: Flask, editor: FlaskClient, client: FlaskClient
) -> None:
    # The public page is cached: seen once before the change, as a busy page would be.
    assert SHIPPED_TAGLINE in page_text(_text(client.get(f"/c/{SLUG}")))
    response = save(editor, SLUG, {"tagline": NEW_TAGLINE, "summary": "A sharper tagline"})
    assert response.status_code == 303
    assert version_numbers(app, SLUG) == [1, 2]
    public = page_text(_text(client.get(f"/c/{SLUG}")))
    assert SHIPPED_TAGLINE in public and NEW_TAGLINE not in public
    assert stored(app, SLUG)["published_version"] == 1

    response = press(editor, edit_path(SLUG), "/publish", version="2")
    assert response.status_code == 303
    assert "Version 2 is live" in page_text(_text(editor.get(edit_path(SLUG))))
    public = page_text(_text(client.get(f"/c/{SLUG}")))
    assert NEW_TAGLINE in public and SHIPPED_TAGLINE not in public
    assert audit_actions(app, SLUG) == ["campaign save v2", "campaign publish v2"]


def test_the_history_shows_each_change_as_a_diff(app: Flask, editor: FlaskClient) -> None:
    save(editor, SLUG, {"tagline": NEW_TAGLINE, "summary": "A sharper tagline"})
    html = _text(editor.get(f"/organizers/c/{SLUG}/versions"))
    text = page_text(html)
    assert "A sharper tagline" in text and "organizer@example.org" in text
    removed = [d.text() for d in parse(html).find_all("del")]
    added = [i.text() for i in parse(html).find_all("ins")]
    assert any(line.startswith("-tagline = ") and "Senate must act" in line for line in removed)
    assert f'+tagline = "{NEW_TAGLINE}"' in added
    # Only the changed line and its neighbours: not the whole file.
    assert len(removed) == 1 and len(added) == 1
    one = _text(editor.get(f"/organizers/c/{SLUG}/versions/2?against=1"))
    assert f'+tagline = "{NEW_TAGLINE}"' in [i.text() for i in parse(one).find_all("ins")]


def test_the_history_escapes_what_it_shows(app: Flask, editor: FlaskClient) -> None:
    save(editor, SLUG, {"tagline": "<script>alert('x')</script> & more"})
    html = _text(editor.get(f"/organizers/c/{SLUG}/versions"))
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(" in html


def test_rolling_back_publishes_the_earlier_version_as_a_new_one(
    app: Flask, editor: FlaskClient, client: FlaskClient
) -> None:
    save(editor, SLUG, {"tagline": NEW_TAGLINE})
    press(editor, edit_path(SLUG), "/publish", version="2")
    assert NEW_TAGLINE in page_text(_text(client.get(f"/c/{SLUG}")))

    response = press(editor, f"/organizers/c/{SLUG}/versions", "/publish", version="1")
    assert response.status_code == 303
    assert version_numbers(app, SLUG) == [1, 2, 3]
    state = stored(app, SLUG)
    assert state["published_version"] == 3
    public = page_text(_text(client.get(f"/c/{SLUG}")))
    assert SHIPPED_TAGLINE in public and NEW_TAGLINE not in public
    history = page_text(_text(editor.get(f"/organizers/c/{SLUG}/versions")))
    assert "Rolled back to version 1" in history
    assert audit_actions(app, SLUG)[-1] == "campaign rollback to v1 as v3"


def test_publishing_over_a_save_not_yet_seen_is_refused(app: Flask, editor: FlaskClient) -> None:
    history = _text(editor.get(f"/organizers/c/{SLUG}/versions"))
    save(editor, SLUG, {"tagline": NEW_TAGLINE})
    # The button on the page shown before that save: roll back to 1, seen as the newest.
    data = {"csrf_token": hidden_value(history, "csrf_token"), "version": "1", "latest": "1"}
    response = editor.post(f"/organizers/c/{SLUG}/publish", data=data)
    assert response.status_code == 303
    assert "Nothing was published" in page_text(_text(editor.get(response.headers["Location"])))
    assert stored(app, SLUG)["published_version"] == 1
    assert version_numbers(app, SLUG) == [1, 2]


# --- closing ------------------------------------------------------------------------------------


def test_a_closed_campaign_says_it_has_ended_and_takes_no_pledges(
    app: Flask, editor: FlaskClient, client: FlaskClient
) -> None:
    response = press(editor, edit_path(SLUG), "/close")
    assert response.status_code == 303
    page = client.get(f"/c/{SLUG}")
    assert page.status_code == 410
    assert "This campaign has ended" in page_text(_text(page))
    # Partners' frames say so too, in the frame's own small page.
    widget = client.get(f"/c/{SLUG}/widget?ref=partner.org")
    assert widget.status_code == 410
    assert "This campaign has ended" in page_text(_text(widget))
    assert "frame-ancestors *" in widget.headers["Content-Security-Policy"]
    assert "site-header" not in _text(widget)
    refused = client.post(f"/api/v1/campaigns/{SLUG}/pledges", json=pledge_fields())
    assert refused.status_code == 410 and "has ended" in refused.get_json()["error"]
    letter = client.post(
        f"/api/v1/campaigns/{SLUG}/letters",
        json={"bioguide": "C000127", "name": "A", "city": "Seattle", "state": "WA", "note": ""},
    )
    assert letter.status_code == 410
    # Its count stays public, and a supporter can still take their name back.
    assert client.get(f"/api/v1/campaigns/{SLUG}").status_code == 200
    assert client.get(f"/c/{SLUG}/withdraw").status_code == 200
    assert audit_actions(app, SLUG) == ["campaign close"]

    # Publishing opens it again.
    press(editor, edit_path(SLUG), "/publish", version="1")
    assert client.get(f"/c/{SLUG}").status_code == 200
    assert stored(app, SLUG)["status"] == "live"


def test_the_campaigns_dashboard_lists_who_changed_it_and_when(
    app: Flask, editor: FlaskClient
) -> None:
    dashboard = f"/organizers/c/{SLUG}"
    assert "Nobody has changed this campaign" in page_text(_text(editor.get(dashboard)))
    save(editor, SLUG, {"tagline": NEW_TAGLINE, "summary": "A sharper tagline"})
    press(editor, edit_path(SLUG), "/publish", version="2")
    changes = [row[1:] for row in table_rows(_text(editor.get(dashboard)), "changes-table")]
    assert changes == [
        ["organizer@example.org", "campaign publish v2"],
        ["organizer@example.org", "campaign save v2"],
    ]
