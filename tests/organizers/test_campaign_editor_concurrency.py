"""Two editors on one campaign: the second save is not applied over the first, the second
editor is told who saved and shown the difference, and keeps what they typed; saves racing
at the same instant to a live server: one is kept, the other told."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import requests
from editor_pages import edit_path, field_value, form_values, save, stored, version_numbers
from flask import Flask
from flask.testing import FlaskClient
from organizer_pages import PASSWORD, create_organizer, live_server, login, signed_in_client
from pages import SLUG, parse

from advocacy.campaigns import versions
from advocacy.campaigns.service import get_stored_campaign
from advocacy.db import get_session

SECOND = "second.editor@example.org"


def _second_editor(app: Flask) -> FlaskClient:
    create_organizer(app, SECOND)
    client = app.test_client()
    assert login(client, SECOND, PASSWORD).status_code == 303
    return client


def test_the_second_save_is_not_applied_and_the_second_editor_keeps_their_text(
    app: Flask,
) -> None:
    first = signed_in_client(app)
    second = _second_editor(app)
    # Both open the editor on version 1.
    first_page = first.get(edit_path(SLUG)).get_data(as_text=True)
    second_page = second.get(edit_path(SLUG)).get_data(as_text=True)

    assert (
        save(first, SLUG, {"tagline": "The first editor's tagline."}, first_page).status_code
        == 303
    )
    typed = {
        "tagline": "The second editor's tagline.",
        "ask-heading": "Sign the pledge today",
    }
    response = save(second, SLUG, typed, second_page)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    conflict = parse(html).by_id("conflict").squeezed()
    assert "organizer@example.org saved version 2" in conflict
    assert "Nothing of yours was saved" in conflict
    # The difference between their text and the version saved first.
    removed = [d.text() for d in parse(html).by_id("conflict").find_all("del")]
    added = [i.text() for i in parse(html).by_id("conflict").find_all("ins")]
    assert '-tagline = "The first editor\'s tagline."' in removed
    assert '+tagline = "The second editor\'s tagline."' in added
    assert '+heading = "Sign the pledge today"' in added
    # Everything typed is still in the form.
    for name, value in typed.items():
        assert field_value(html, name) == value
    # Nothing overwritten: version 2 is the first editor's, and nothing is live but 1.
    assert version_numbers(app, SLUG) == [1, 2]
    assert stored(app, SLUG)["published_version"] == 1
    with app.app_context():
        campaign = get_stored_campaign(get_session(), SLUG)
        assert campaign is not None
        latest = versions.latest_version(get_session(), campaign.id)
        assert latest is not None and latest.content["tagline"] == "The first editor's tagline."

    # Having seen the difference, the second editor saves again, knowingly: version 3.
    again = second.post(edit_path(SLUG), data=form_values(html))
    assert again.status_code == 303
    assert version_numbers(app, SLUG) == [1, 2, 3]


def test_saves_racing_at_the_same_instant_keep_one_and_tell_the_other(app: Flask) -> None:
    create_organizer(app)
    create_organizer(app, SECOND)
    with live_server(app) as base:
        browsers = []
        for email in ("organizer@example.org", SECOND):
            browser = requests.Session()
            page = browser.get(f"{base}/organizers/login", timeout=10).text
            token = parse(page).one("input", name="csrf_token").attrs["value"]
            signed = browser.post(
                f"{base}/organizers/login",
                data={"csrf_token": token, "email": email, "password": PASSWORD, "code": ""},
                allow_redirects=False,
                timeout=30,
            )
            assert signed.status_code == 303
            form = form_values(browser.get(f"{base}{edit_path(SLUG)}", timeout=30).text)
            form["tagline"] = f"Saved by {email}."
            browsers.append((browser, form))
        barrier = threading.Barrier(2)

        def post(index: int) -> int:
            browser, form = browsers[index]
            barrier.wait()
            response = browser.post(
                f"{base}{edit_path(SLUG)}", data=form, allow_redirects=False, timeout=60
            )
            return response.status_code

        with ThreadPoolExecutor(2) as pool:
            statuses = sorted(pool.map(post, range(2)))
    assert statuses == [303, 409]
    assert version_numbers(app, SLUG) == [1, 2]
