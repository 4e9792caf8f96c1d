"""The editor's preview shows the partner widget as a version would draw it: the widget's
own template, marked a preview, no script, behind the organizers' sign-in, noindex, framed
only by the preview page itself."""

from __future__ import annotations

import pytest
from editor_pages import save
from flask import Flask
from flask.testing import FlaskClient
from organizer_pages import signed_in_client
from pages import SLUG, hidden_value, page_text, parse

WIDGET_PREVIEW = f"/organizers/c/{SLUG}/preview/widget"
NEW_TITLE = "Thirty-seven years after Baren"


@pytest.fixture
def editor(app: Flask) -> FlaskClient:
    return signed_in_client(app)


def test_a_stranger_is_sent_to_sign_in(client: FlaskClient) -> None:
    response = client.get(WIDGET_PREVIEW)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/organizers/login?next=")


def test_the_widget_preview_draws_a_saved_version_with_the_widgets_template(
    app: Flask, editor: FlaskClient, client: FlaskClient
) -> None:
    assert save(editor, SLUG, {"title": NEW_TITLE}).status_code == 303
    response = editor.get(WIDGET_PREVIEW + "?version=2")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = page_text(html)
    assert "Preview of the widget for version 2" in text
    assert "Not public, and nothing can be pledged from it." in text
    # The widget's own page: its frame's body, its title, its short form.
    root = parse(html)
    assert root.find_all("body")[0].attrs.get("class") == "widget-page"
    assert root.find_all("h1")[0].text().strip() == NEW_TITLE
    assert root.find_all("form")[0].attrs["action"] == f"/c/{SLUG}/widget"
    assert hidden_value(html, "started") == ""
    # No script runs, nothing indexes it, nothing keeps it, only the preview frames it.
    assert "<script" not in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert response.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers
    # The public widget still shows the live version.
    public = client.get(f"/c/{SLUG}/widget").get_data(as_text=True)
    assert NEW_TITLE not in public


def test_the_preview_page_frames_the_widget_and_links_to_it(editor: FlaskClient) -> None:
    html = editor.get(f"/organizers/c/{SLUG}/preview?version=1").get_data(as_text=True)
    frames = parse(html).find_all("iframe")
    assert len(frames) == 1
    assert frames[0].attrs["src"].startswith(WIDGET_PREVIEW + "?version=1")
    assert frames[0].attrs["src"].endswith("framed=1")
    assert frames[0].attrs["title"] == "Preview of the partner widget for version 1"
    assert any(
        a.attrs.get("href", "").startswith(WIDGET_PREVIEW) and "framed" not in a.attrs["href"]
        for a in parse(html).find_all("a")
    )
    # Framed, it has no way back of its own (the page around it has).
    framed = editor.get(frames[0].attrs["src"]).get_data(as_text=True)
    assert "Back to the preview" not in framed
    alone = editor.get(WIDGET_PREVIEW + "?version=1").get_data(as_text=True)
    assert "Back to the preview's letters" in alone


def test_a_version_that_does_not_exist_is_a_404(editor: FlaskClient) -> None:
    assert editor.get(WIDGET_PREVIEW + "?version=9").status_code == 404
