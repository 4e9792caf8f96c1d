"""The widget in the supporter's language: the loader's list of languages is the site's,
and each language's widget address answers in that language and direction.

How the loader picks a language on a partner's page (data-lang, the page's lang) is
tried in Chromium: tests/browser/test_embed_language.py.
"""

from __future__ import annotations

import json
import re

import pytest
from flask.testing import FlaskClient
from pages import SLUG, parse

from advocacy.i18n.languages import Language, languages

TRANSLATED = [language for language in languages() if not language.is_english]


def loader_languages(client: FlaskClient) -> dict[str, str]:
    """The loader's table of languages: lower-case tag → the address's language tag."""
    script = client.get("/embed.js").get_data(as_text=True)
    found = re.search(r"var LANGUAGES = (\{[^}]*\});", script)
    assert found, "embed.js no longer declares its LANGUAGES table"
    table: dict[str, str] = json.loads(found.group(1))
    return table


def test_the_loader_knows_every_language_the_site_serves_and_no_other(
    client: FlaskClient,
) -> None:
    table = loader_languages(client)
    assert set(table.values()) == {language.tag for language in TRANSLATED}
    for language in TRANSLATED:
        assert table[language.tag.lower()] == language.tag
    # Keys are lower case: the loader lower-cases the page's tag before looking it up.
    assert all(key == key.lower() for key in table)


@pytest.mark.parametrize("language", TRANSLATED, ids=lambda language: language.tag)
def test_each_languages_widget_answers_in_that_language_and_direction(
    client: FlaskClient, language: Language
) -> None:
    tag, direction = language.tag, language.dir
    response = client.get(f"/{tag}/c/{SLUG}/widget?ref=partner")
    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    html = page.one("html")
    assert (html.attrs["lang"], html.attrs["dir"]) == (tag, direction)
    # Its form posts back to the same language's address.
    form = page.one("form")
    assert form.attrs["action"] == f"/{tag}/c/{SLUG}/widget"
    assert "Set-Cookie" not in response.headers


def test_the_english_widget_stays_at_its_bare_address(client: FlaskClient) -> None:
    html = parse(client.get(f"/c/{SLUG}/widget").get_data(as_text=True)).one("html")
    assert html.attrs.get("dir", "ltr") == "ltr"
    assert html.attrs["lang"] == "en"
