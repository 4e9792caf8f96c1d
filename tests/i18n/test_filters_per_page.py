"""A template's words are worked out for each page, in its language, not once for all."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.pages import SLUG, parse

EXAMPLE = "K7QX2-M9PDA-3VW8E-TB6HJ"


def test_a_page_first_shown_in_english_isolates_its_example_in_uyghur(
    client: FlaskClient,
) -> None:
    # The example code is a constant in the template: Jinja could work its filter out at
    # compile time, in the language of the first page shown, and keep it for all.
    english = parse(client.get(f"/c/{SLUG}/withdraw").get_data(as_text=True))
    assert not [b for b in english.find_all("bdi") if b.text() == EXAMPLE]
    for prefix in ("/ug", "/ug-Latn"):
        page = parse(client.get(f"{prefix}/c/{SLUG}/withdraw").get_data(as_text=True))
        hint = page.by_id("code-hint")
        assert [b.attrs["dir"] for b in hint.find_all("bdi") if b.text() == EXAMPLE] == ["ltr"]
