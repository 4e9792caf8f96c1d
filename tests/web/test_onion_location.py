"""Serving the site as an onion service: public pages name the same page at the onion
address (ADVOCACY_ONION_LOCATION) in an Onion-Location header, as Tor Browser expects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from apps import base_config
from pages import SLUG

from advocacy import create_app
from advocacy.config import ConfigError

ONION = "http://uyghurpledgexyz2tk4sd7bfaqdoytm5ldkaucvtbtnhw7fyf6l3bbeuhjyd.onion"


def test_public_pages_name_themselves_at_the_onion_address(make_app: Any) -> None:
    client = make_app(ONION_LOCATION=ONION + "/").test_client()
    for path in (f"/c/{SLUG}", "/privacy", f"/c/{SLUG}/withdraw", f"/c/{SLUG}/widget", "/"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert answer.headers["Onion-Location"] == ONION + path
    # A page that is not there is still a page of this site.
    assert client.get("/c/nope").headers["Onion-Location"] == ONION + "/c/nope"
    # The path as a browser would send it, percent-encoded; the query string is left off.
    answer = client.get("/c/ئۇيغۇر?ref=partner")
    assert answer.headers["Onion-Location"] == ONION + "/c/%D8%A6%DB%87%D9%8A%D8%BA%DB%87%D8%B1"


def test_no_header_for_what_is_not_a_public_page(make_app: Any) -> None:
    client = make_app(ONION_LOCATION=ONION).test_client()
    for path in (f"/api/v1/campaigns/{SLUG}", "/healthz", "/organizers/login", "/embed.js"):
        answer = client.get(path)
        assert answer.status_code < 400, path
        assert "Onion-Location" not in answer.headers, path


def test_no_header_without_the_setting(client: Any) -> None:
    assert "Onion-Location" not in client.get(f"/c/{SLUG}").headers


@pytest.mark.parametrize(
    "value",
    [
        "https://act.example.org",  # not an onion service
        "uyghurpledge.onion",  # no scheme
        "ftp://uyghurpledge.onion",
        "http://uyghurpledge.onion/c/page",  # a path: the page's own is appended
        "http://uyghurpledge.onion?x=1",
        "http://uyghurpledge.onion#top",
        "http://.onion",
        "http://onion.example.org",
    ],
)
def test_anything_but_an_onion_address_is_refused_at_start(tmp_path: Path, value: str) -> None:
    config = {
        **base_config(tmp_path, f"sqlite:///{tmp_path / 'x.sqlite3'}"),
        "ONION_LOCATION": value,
    }
    with pytest.raises(ConfigError, match="ADVOCACY_ONION_LOCATION must be an onion service"):
        create_app(config)


def test_the_setting_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADVOCACY_ONION_LOCATION", "https://uyghurpledge.onion/")
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'x.sqlite3'}"))
    assert app.config["ONION_LOCATION"] == "https://uyghurpledge.onion"
