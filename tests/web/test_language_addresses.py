"""A page per language at its own address: /ug/… (Uyghur, Arabic script, right to left),
/ug-Latn/… (Uyghur, Latin script), the bare path in English. No cookie chooses it."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient

from advocacy.i18n.languages import Language, by_tag
from advocacy.web.languages import format_date, format_list, format_number, speaking
from tests.pages import SLUG, parse

PUBLIC = "http://127.0.0.1:5000"


def html_of(client: FlaskClient, path: str, **headers: str) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    assert "Set-Cookie" not in response.headers
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "lang", "direction"),
    [
        (f"/c/{SLUG}", "en", "ltr"),
        (f"/ug/c/{SLUG}", "ug", "rtl"),
        (f"/ug-Latn/c/{SLUG}", "ug-Latn", "ltr"),
        ("/ug/", "ug", "rtl"),
        ("/ug", "ug", "rtl"),
        ("/ug/privacy", "ug", "rtl"),
        ("/ug-Latn/privacy", "ug-Latn", "ltr"),
    ],
)
def test_each_address_says_its_language_and_direction(
    client: FlaskClient, path: str, lang: str, direction: str
) -> None:
    html = parse(html_of(client, path)).one("html")
    assert (html.attrs["lang"], html.attrs["dir"]) == (lang, direction)


def test_a_pages_links_stay_in_its_language_and_static_files_have_one_address(
    client: FlaskClient,
) -> None:
    page = parse(html_of(client, f"/ug/c/{SLUG}"))
    form = page.one("form", id="pledge-form") if page.find_all("form", id="pledge-form") else None
    actions = [f.attrs.get("action", "") for f in page.find_all("form")]
    assert actions and all(action.startswith("/ug/") for action in actions), actions
    if form is not None:
        assert form.attrs["action"] == f"/ug/c/{SLUG}"
    stylesheets = [link.attrs["href"] for link in page.find_all("link", rel="stylesheet")]
    assert any(href.startswith("/static/css/site.css?v=") for href in stylesheets)
    assert not any(href.startswith("/ug/static/") for href in stylesheets)
    scripts = [script.attrs["src"] for script in page.find_all("script") if "src" in script.attrs]
    assert scripts and all(src.startswith("/static/") for src in scripts)


def test_the_switcher_names_each_language_in_itself_and_does_not_link_the_current_one(
    client: FlaskClient,
) -> None:
    switcher = parse(html_of(client, f"/ug/c/{SLUG}")).by_class("languages")[0]
    links = {a.text(): (a.attrs["href"], a.attrs["lang"]) for a in switcher.find_all("a")}
    assert links == {
        "English": (f"/c/{SLUG}", "en"),
        "Uyghurche": (f"/ug-Latn/c/{SLUG}", "ug-Latn"),
    }
    current = switcher.one("span", **{"aria-current": "true"})
    assert (current.text(), current.attrs["dir"]) == ("ئۇيغۇرچە", "rtl")


def test_hreflang_links_give_every_language_of_the_same_page(client: FlaskClient) -> None:
    for path in (f"/c/{SLUG}", f"/ug-Latn/c/{SLUG}"):
        alternates = {
            link.attrs["hreflang"]: link.attrs["href"]
            for link in parse(html_of(client, path)).find_all("link", rel="alternate")
        }
        assert alternates == {
            "en": f"{PUBLIC}/c/{SLUG}",
            "ug": f"{PUBLIC}/ug/c/{SLUG}",
            "ug-Latn": f"{PUBLIC}/ug-Latn/c/{SLUG}",
        }
    # The home page's alternates are the home page's, though it shows the same campaign.
    home = parse(html_of(client, "/ug/"))
    assert {link.attrs["href"] for link in home.find_all("link", rel="alternate")} == {
        f"{PUBLIC}/",
        f"{PUBLIC}/ug/",
        f"{PUBLIC}/ug-Latn/",
    }


def test_only_the_partners_ref_follows_a_visitor_to_another_language(client: FlaskClient) -> None:
    page = parse(html_of(client, f"/c/{SLUG}?ref=partner-news&utm_source=x&email=a@b.example"))
    hrefs = [a.attrs["href"] for a in page.by_class("languages")[0].find_all("a")]
    assert hrefs == [f"/ug/c/{SLUG}?ref=partner-news", f"/ug-Latn/c/{SLUG}?ref=partner-news"]


def test_the_font_is_loaded_on_arabic_script_pages_only(client: FlaskClient) -> None:
    def fonts(path: str) -> list[str]:
        links = parse(html_of(client, path)).find_all("link", rel="stylesheet")
        return [link.attrs["href"] for link in links if "lang-ug.css" in link.attrs["href"]]

    assert fonts(f"/ug/c/{SLUG}")
    assert not fonts(f"/c/{SLUG}")
    assert not fonts(f"/ug-Latn/c/{SLUG}")


def test_a_cached_page_in_one_language_is_never_served_in_another(client: FlaskClient) -> None:
    assert parse(html_of(client, f"/ug/c/{SLUG}")).one("html").attrs["lang"] == "ug"
    assert parse(html_of(client, f"/c/{SLUG}")).one("html").attrs["lang"] == "en"
    assert parse(html_of(client, f"/ug-Latn/c/{SLUG}")).one("html").attrs["lang"] == "ug-Latn"


def test_the_browsers_language_only_suggests_to_a_visitor_from_elsewhere(
    client: FlaskClient,
) -> None:
    def suggestion(path: str, **headers: str) -> list[tuple[str, str, str]]:
        page = parse(html_of(client, path, **headers))
        return [
            (p.attrs["lang"], p.attrs["dir"], p.one("a").attrs["href"])
            for p in page.by_class("language-suggestion")
        ]

    prefers_uyghur = {"Accept-Language": "ug-CN,ug;q=0.9,en;q=0.5"}
    assert suggestion(f"/c/{SLUG}", **prefers_uyghur) == [("ug", "rtl", f"/ug/c/{SLUG}")]
    # Still the English page: the header never chooses the language by itself.
    assert parse(html_of(client, f"/c/{SLUG}", **prefers_uyghur)).one("html").attrs["lang"] == "en"
    # Not again once the visitor moves about the site (or came back from another language).
    inside = {**prefers_uyghur, "Referer": f"http://localhost/ug/c/{SLUG}"}
    assert suggestion(f"/c/{SLUG}", **inside) == []
    assert suggestion(f"/c/{SLUG}", **{"Accept-Language": "en-US,en;q=0.9"}) == []
    assert suggestion(f"/ug/c/{SLUG}", **prefers_uyghur) == []
    assert suggestion(f"/ug/c/{SLUG}", **{"Accept-Language": "en"}) == [
        ("en", "ltr", f"/c/{SLUG}")
    ]
    # A visitor who did not ask gets the cached page without any offer.
    assert suggestion(f"/c/{SLUG}") == []


def test_the_organizers_room_and_the_api_have_no_language(client: FlaskClient) -> None:
    response = client.get("/ug/organizers/login?next=/organizers/")
    assert response.status_code == 308
    assert response.headers["Location"] == "/organizers/login?next=/organizers/"
    assert client.get("/ug-Latn/organizers/").headers["Location"] == "/organizers/"
    assert client.get(f"/ug/api/v1/campaigns/{SLUG}").status_code == 404
    assert client.get(f"/api/v1/campaigns/{SLUG}").status_code == 200


def test_a_language_that_is_not_served_is_not_an_address(client: FlaskClient) -> None:
    assert client.get(f"/kk/c/{SLUG}").status_code == 404
    assert client.get(f"/ugx/c/{SLUG}").status_code == 404


def test_a_shared_cache_never_keeps_a_page_offering_one_visitors_language(
    client: FlaskClient,
) -> None:
    offered = client.get(f"/c/{SLUG}", headers={"Accept-Language": "ug"})
    assert offered.headers["Cache-Control"].startswith("private, max-age=")
    plain = client.get(f"/c/{SLUG}", headers={"Accept-Language": "en"})
    assert plain.headers["Cache-Control"].startswith("public, max-age=")
    assert client.get(f"/ug/c/{SLUG}").headers["Cache-Control"].startswith("public, max-age=")


def test_a_page_answering_a_form_links_to_the_nearest_page_in_each_language(
    client: FlaskClient,
) -> None:
    # The widget's handoff refused (a forged token): an answer to a POST, with no address
    # of its own; its language links lead to the campaign page, which has one.
    response = client.post(f"/ug/c/{SLUG}/results/handoff", data={"token": "forged"})
    assert response.status_code == 400
    switcher = parse(response.get_data(as_text=True)).by_class("languages")[0]
    hrefs = sorted(a.attrs["href"] for a in switcher.find_all("a"))
    assert hrefs == [f"/c/{SLUG}", f"/ug-Latn/c/{SLUG}"]
    for href in hrefs:
        assert client.get(href).status_code == 200


def test_lists_and_dates_follow_the_language_not_cldrs_english_gaps(app: Flask) -> None:
    states = ["Washington", "Oregon", "Idaho"]
    with app.app_context():
        with speaking(language("ug")):
            joined = format_list(states)
            # CLDR's Uyghur list pattern says "and" in English: ours is the catalogue's.
            assert joined == "Washington، Oregon ۋە Idaho"
            assert format_date(date(2027, 1, 3)) == "3-يانۋار، 2027"
            assert format_number(10000) == "10,000"
        with speaking(language("ug-Latn")):
            assert format_list(states) == "Washington, Oregon we Idaho"
            assert format_date(date(2027, 1, 3)) == "3-yanwar, 2027"
        assert format_list(states) == "Washington, Oregon and Idaho"
        assert format_list(["Washington"]) == "Washington"
        assert format_list([]) == ""


def language(tag: str) -> Language:
    found = by_tag(tag)
    assert found is not None
    return found


def test_an_error_page_offers_no_other_language(client: FlaskClient) -> None:
    response = client.get("/c/no-such-campaign", headers={"Accept-Language": "ug"})
    assert response.status_code == 404
    assert parse(response.get_data(as_text=True)).by_class("language-suggestion") == []
