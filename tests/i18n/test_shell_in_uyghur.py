"""The site's shell in Uyghur (issue #23): error pages, the privacy page, the partner
widget and the share links speak the language of their address (/ug/ right to left,
/ug-Latn/ in Latin script), and what has no language (the organizers' room, the API)
answers in English.

Each test checks what a supporter would notice: the page's lang and dir, its words, and
that every link it gives (to share, to go on) stays in the language. The Uyghur is the
shipped catalogue's (advocacy/translations/ug); the Latin is made from it by rule.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from inbox import PUBLIC_URL
from pages import SLUG, Element, hidden_value, parse, pledge_fields

from advocacy.campaigns.service import get_campaign
from advocacy.campaigns.versions import close_campaign
from advocacy.db import get_session
from advocacy.i18n.uly import to_latin

CAMPAIGN = f"/c/{SLUG}"
WIDGET = f"{CAMPAIGN}/widget"
OWN_ORIGIN = "http://localhost"  # the test client's host, as the widget's frame sends it

# The Uyghur a supporter reads (the catalogue's words, as the glossary writes them).
NOT_FOUND = "بەت تېپىلمىدى"
ENDED = "بۇ ئاخىرلاشتى"
GO_ON = "پائالىيەت بېتىگە بېرىش"
PRIVACY = "شەخسىي ئۇچۇر بىخەتەرلىكى: سىز ھەققىڭىزدە نېمىلەرنى ساقلايمىز"
TOO_MANY = "ئۇلىنىشىڭىزدىن بەك كۆپ قېتىم سىنالدى."
# The shipped campaign's own title in Uyghur (its content's [translations.ug]).
UYGHUR_TITLE = "بارىننى ئەستە تۇتايلى: ئۇيغۇر سىياسىتى قانۇنى ماقۇللانسۇن"
SHARE_ASK = "ئىسمىڭىزنى قوشۇڭ ۋە كونگرېس ئەزالىرىڭىزغا خەت يېزىڭ:"


@pytest.fixture
def app(make_app: Any) -> Flask:
    # Share links come from the configured address, never from the request's Host.
    app: Flask = make_app(PUBLIC_URL=PUBLIC_URL)
    return app


def html_attrs(html: str) -> tuple[str, str]:
    root = parse(html).one("html")
    return root.attrs["lang"], root.attrs["dir"]


def close_the_campaign(app: Flask) -> None:
    with app.app_context():
        db = get_session()
        campaign = get_campaign(db, SLUG)
        assert campaign is not None
        close_campaign(db, campaign)
        db.commit()


def stylesheets(html: str) -> list[str]:
    return [link.attrs["href"] for link in parse(html).find_all("link", rel="stylesheet")]


def results_page(client: FlaskClient, prefix: str = "") -> str:
    """Pledge on the campaign page at prefix (/ug), and open the results page it leads to."""
    html = client.get(f"{prefix}{CAMPAIGN}").get_data(as_text=True)
    data = {
        "started": hidden_value(html, "started"),
        "ref": hidden_value(html, "ref"),
        **pledge_fields(),
    }
    sent = client.post(f"{prefix}{CAMPAIGN}", data=data)
    assert sent.status_code == 303, sent.get_data(as_text=True)[:2000]
    assert urlsplit(sent.headers["Location"]).path.startswith(f"{prefix}{CAMPAIGN}")
    return client.get(sent.headers["Location"]).get_data(as_text=True)


def share_block(html: str) -> Element:
    blocks = parse(html).find_all("section", **{"data-share": ""})
    assert len(blocks) == 1, "one share block on the page"
    return blocks[0]


# --- error pages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "lang", "direction"), [("/ug", "ug", "rtl"), ("/ug-Latn", "ug-Latn", "ltr")]
)
@pytest.mark.parametrize("path", ["/no-such-page", "/c/no-such-campaign"])
def test_a_page_not_found_answers_in_the_language_of_its_address(
    client: FlaskClient, prefix: str, lang: str, direction: str, path: str
) -> None:
    response = client.get(prefix + path)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert html_attrs(html) == (lang, direction)
    # The way on stays in the language.
    main = parse(html).one("main")
    assert [a.attrs["href"] for a in main.find_all("a")] == [f"{prefix}/"]


def test_a_page_not_found_says_so_in_uyghur_in_both_scripts(client: FlaskClient) -> None:
    arabic = parse(client.get("/ug/no-such-page").get_data(as_text=True))
    assert arabic.one("h1").squeezed() == NOT_FOUND
    assert arabic.one("main").one("a").squeezed() == GO_ON
    latin = parse(client.get("/ug-Latn/no-such-page").get_data(as_text=True))
    assert latin.one("h1").squeezed() == to_latin(NOT_FOUND, capitalize=True) == "Bet tépilmidi"


def test_a_closed_campaign_says_it_has_ended_in_uyghur(app: Flask) -> None:
    close_the_campaign(app)
    response = app.test_client().get(f"/ug{CAMPAIGN}")
    assert response.status_code == 410
    html = response.get_data(as_text=True)
    assert html_attrs(html) == ("ug", "rtl")
    page = parse(html)
    assert page.one("h1").squeezed() == ENDED
    assert "ended" not in page.one("main").squeezed()


def test_an_error_page_in_english_is_unchanged(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and html_attrs(html) == ("en", "ltr")
    assert parse(html).one("h1").squeezed() == "Page not found"


def test_the_organizers_room_has_no_language_and_the_api_none_either(
    client: FlaskClient,
) -> None:
    for prefix in ("/ug", "/ug-Latn"):
        response = client.get(f"{prefix}/organizers/")
        assert response.status_code == 308
        assert response.headers["Location"] == "/organizers/"
    # The API answers a prefixed address as one it does not have, in English.
    response = client.get(f"/ug/api/v1/campaigns/{SLUG}")
    assert response.status_code == 404
    assert response.get_json()["error"].startswith("We could not find that page.")


# --- the privacy page ------------------------------------------------------------------------


def test_the_privacy_page_speaks_the_language_and_keeps_its_links_in_it(
    client: FlaskClient,
) -> None:
    html = client.get("/ug/privacy").get_data(as_text=True)
    assert html_attrs(html) == ("ug", "rtl")
    page = parse(html)
    withdraw = page.one("section", **{"aria-labelledby": "withdraw"})
    link = withdraw.one("a", href=f"/ug{CAMPAIGN}/withdraw")
    # The campaign named by its own Uyghur title (from its content), not marked English.
    title = link.one("span")
    assert "lang" not in title.attrs and title.text() == UYGHUR_TITLE
    footer = page.one("footer", class_="site-footer")
    assert footer.find_all("a", href="/ug/privacy")


def test_the_privacy_page_is_in_uyghur_with_its_numbers_from_the_settings(
    make_app: Any,
) -> None:
    html = make_app(RETENTION_DAYS=120).test_client().get("/ug/privacy").get_data(as_text=True)
    page = parse(html)
    assert page.one("h1").squeezed() == PRIVACY
    short = page.one("section", **{"aria-labelledby": "short"}).squeezed()
    assert "ئىمزا قويغىنىڭىزدىن 120 كۈن كېيىن" in short
    sees = page.one("section", **{"aria-labelledby": "who-sees"}).squeezed()
    assert "8 سائەت" in sees  # an organizer's sign-in, in hours, said in Uyghur


# --- the widget ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "lang", "direction", "font"),
    [("/ug", "ug", "rtl", True), ("/ug-Latn", "ug-Latn", "ltr", False), ("", "en", "ltr", False)],
)
def test_the_widget_carries_its_language_direction_and_font(
    client: FlaskClient, prefix: str, lang: str, direction: str, font: bool
) -> None:
    response = client.get(f"{prefix}{WIDGET}?ref=partner.org")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html_attrs(html) == (lang, direction)
    assert any("lang-ug.css" in href for href in stylesheets(html)) is font
    # A framed page is no page for search engines: no hreflang alternates.
    assert not parse(html).find_all("link", rel="alternate")
    # Its form and links stay in its language.
    form = parse(html).by_class("widget__form")[0]
    assert form.attrs["action"] == f"{prefix}{WIDGET}"
    small = parse(html).by_class("widget__small")[0]
    assert small.one("a", href=f"{prefix}/privacy")


def test_a_widget_sent_too_often_says_so_in_uyghur_keeping_what_was_typed(
    make_app: Any,
) -> None:
    app = make_app(
        RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://", RATELIMIT_WRITE="1 per minute"
    )
    client = app.test_client()

    def send(email: str) -> Any:
        html = client.get(f"/ug{WIDGET}").get_data(as_text=True)
        data = {
            "started": hidden_value(html, "started"),
            "ref": "",
            "name": "Amina Tursun",
            "email": email,
            "zip": "98105",
        }
        return client.post(f"/ug{WIDGET}", data=data, headers={"Origin": OWN_ORIGIN})

    send("first@example.org")
    response = send("second@example.org")
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert html_attrs(html) == ("ug", "rtl")
    assert parse(html).by_id("email").attrs["value"] == "second@example.org"
    assert TOO_MANY in parse(html).by_id("error-summary").squeezed()


def test_a_closed_campaigns_widget_says_so_in_the_frame_in_uyghur(app: Flask) -> None:
    close_the_campaign(app)
    response = app.test_client().get(f"/ug{WIDGET}")
    assert response.status_code == 410
    html = response.get_data(as_text=True)
    assert html_attrs(html) == ("ug", "rtl")
    assert parse(html).one("h1").squeezed() == "بۇ پائالىيەت ئاخىرلاشتى"


# --- sharing ---------------------------------------------------------------------------------


def test_share_links_on_a_uyghur_results_page_lead_to_uyghur_pages(app: Flask) -> None:
    html = results_page(app.test_client(), "/ug")
    assert html_attrs(html) == ("ug", "rtl")
    block = share_block(html)
    copy = block.one("input", id="share-link").attrs["value"]
    assert copy == f"{PUBLIC_URL}/ug{CAMPAIGN}?ref=share-copy"
    assert block.attrs["data-share-url"] == f"{PUBLIC_URL}/ug{CAMPAIGN}?ref=share-native"
    whatsapp = next(a for a in block.find_all("a") if a.attrs["href"].startswith("https://wa.me/"))
    text = parse_qs(urlsplit(whatsapp.attrs["href"]).query)["text"][0]
    assert text.endswith(f"{PUBLIC_URL}/ug{CAMPAIGN}?ref=share-whatsapp")
    email = next(a for a in block.find_all("a") if a.attrs["href"].startswith("mailto:"))
    assert f"/ug{CAMPAIGN}?ref=share-email" in unquote(email.attrs["href"])
    # The text to copy is the supporter's to send: no page translator may change it.
    assert block.one("textarea").attrs["translate"] == "no"


def test_the_share_message_of_a_uyghur_page_is_in_uyghur(app: Flask) -> None:
    html = results_page(app.test_client(), "/ug")
    signal = share_block(html).one("textarea").text()
    assert SHARE_ASK in signal
    assert signal.endswith(f"{PUBLIC_URL}/ug{CAMPAIGN}?ref=share-signal")


def test_share_links_on_an_english_page_stay_english(app: Flask) -> None:
    html = results_page(app.test_client())
    copy = share_block(html).one("input", id="share-link").attrs["value"]
    assert copy == f"{PUBLIC_URL}{CAMPAIGN}?ref=share-copy"
