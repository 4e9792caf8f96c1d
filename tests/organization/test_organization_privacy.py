"""The privacy page: what is kept and for how long, from the settings in force; who sees it;
what partners and the geocoder receive; how to withdraw; whom to ask; the organization's
own words, escaped. Public, the same for everyone, and nothing from other sites."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from organization_pages import IDENTITY, set_identity
from pages import SLUG, Element, parse

from advocacy.pledges.handoff import WIDGET_VISIT_LIFETIME
from advocacy.pledges.visits import VISIT_LIFETIME

CAMPAIGN_TITLE = "Remember Baren: pass the Uyghur Policy Act"


def _section(html: str, heading_id: str) -> str:
    """The text of the section a heading labels, as a reader sees it."""
    for section in parse(html).find_all("section"):
        if section.attrs.get("aria-labelledby") == heading_id:
            return _reads(section)
    raise AssertionError(f"no section labelled {heading_id!r}")


def _reads(element: Element) -> str:
    return re.sub(r"\( ", "(", re.sub(r" ([.,:;)])", r"\1", element.squeezed()))


def _privacy(client: FlaskClient) -> str:
    response = client.get("/privacy")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_page_is_linked_from_every_public_page(client: FlaskClient) -> None:
    for path in (f"/c/{SLUG}", "/", f"/c/{SLUG}/withdraw", f"/c/{SLUG}/confirm", "/nope"):
        assert 'href="/privacy"' in client.get(path).get_data(as_text=True), path


@pytest.mark.parametrize("days", [365, 90, 30])
def test_the_days_kept_follow_the_settings(make_app: Any, days: int) -> None:
    app = make_app(RETENTION_DAYS=days, PLEDGE_CONFIRM_DAYS=days // 10 + 1)
    html = _privacy(app.test_client())
    confirm = days // 10 + 1
    kept = _section(html, "how-long")
    assert f"your city and ZIP code are cleared {days} days after you signed" in kept
    assert f"Words you agreed to have quoted: {days} days after you signed, even if" in kept
    assert f"is deleted {confirm} days after our last email to you" in kept
    assert f"We clear your city and ZIP code {days} days after you sign." in _section(
        html, "short"
    )


def test_a_setting_from_the_environment_is_what_the_page_says(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADVOCACY_RETENTION_DAYS", "180")
    monkeypatch.setenv("ADVOCACY_MAIL_PER_ADDRESS_PER_DAY", "2")
    html = _privacy(make_app().test_client())
    assert "cleared 180 days after you signed" in _section(html, "how-long")
    assert "at most 2 emails a day to one address" in _section(html, "withdraw")


def test_the_results_page_lifetime_is_the_one_the_code_applies(client: FlaskClient) -> None:
    days = VISIT_LIFETIME.days
    assert f"Your page of letters: {days} days." in _section(_privacy(client), "how-long")


def test_what_is_kept_matches_the_pledge(client: FlaskClient) -> None:
    kept = _section(_privacy(client), "kept")
    for item in (
        "a scrambled fingerprint of your email address (a keyed hash)",
        "only if you agreed that the organizers may contact you: your name and email "
        "address, locked (sealed) with the organization's public key",
        "your ZIP code and city, your state and congressional district",
        "We keep it only if you tick the box saying it may be quoted",
        "whether you agreed that the organizers may contact you",
        "the partner website the form was on",
        "when you signed, and when you confirmed from your email",
    ):
        assert item in kept, item
    assert "We do not keep your street address with your pledge." in kept
    assert "scrambled fingerprint" in kept  # the codes' hashes, not the codes


def test_who_sees_what_and_what_partners_receive(client: FlaskClient) -> None:
    html = _privacy(client)
    sees = _section(html, "who-sees")
    assert "only of people who agreed to be contacted" in sees
    assert "every download is recorded" in sees
    assert "Never a name, an email address or a street address" in sees
    assert "Each sign-in lasts at most 8 hours" in sees
    assert _section(html, "partners").startswith("What partner websites receive Nothing personal")


def test_the_census_geocoder_is_named_with_what_it_receives(make_app: Any) -> None:
    # The tests' apps point the geocoder at this machine; an installation's default is the
    # Census Bureau's.
    census = make_app(GEOCODER_URL=None)
    others = _section(_privacy(census.test_client()), "others")
    assert "The US Census Bureau, only if you type a street address" in others
    assert "your street, city, state and ZIP code (geocoding.geo.census.gov)" in others
    assert "If you give only a ZIP code, nothing is sent anywhere" in others
    elsewhere = make_app(GEOCODER_URL="https://geocoder.example.net/geocoder")
    others = _section(_privacy(elsewhere.test_client()), "others")
    assert "The address service at geocoder.example.net" in others


def test_how_to_withdraw_links_each_campaigns_withdraw_page(client: FlaskClient) -> None:
    html = _privacy(client)
    section = parse(html).one("section", **{"aria-labelledby": "withdraw"})
    link = section.one("a", href=f"/c/{SLUG}/withdraw")
    assert link.text() == f"Withdraw from “{CAMPAIGN_TITLE}”"
    assert client.get(f"/c/{SLUG}/withdraw").status_code == 200


def test_no_contact_set_says_so_for_the_operator(client: FlaskClient) -> None:
    contact = _section(_privacy(client), "contact")
    assert contact.startswith("Who to ask Not yet set")
    assert "advocacy organization set" in contact


def test_the_contact_and_the_organizations_own_words(app: Flask) -> None:
    set_identity(app)
    html = _privacy(app.test_client())
    contact = _section(html, "contact")
    assert f"Write to {IDENTITY['name']}:" in contact
    assert "Email: privacy@uda.example.org" in contact  # the privacy contact, not the other
    assert "Post: PO Box 1234 Washington, DC 20013" in contact
    own = _section(html, "own-words")
    assert own == f"From {IDENTITY['name']} {IDENTITY['privacy_text']}"


def test_the_contact_email_serves_when_no_privacy_email_is_given(app: Flask) -> None:
    set_identity(app, **{**IDENTITY, "privacy_email": ""})
    assert "Email: contact@uda.example.org" in _section(_privacy(app.test_client()), "contact")


def test_the_organizations_words_are_paragraphs_of_escaped_text(app: Flask) -> None:
    set_identity(
        app,
        name="Org",
        privacy_text='First <b>bold</b> <a href="https://evil.example">link</a>\n\n'
        "Second <script>alert(1)</script>\nsame paragraph",
    )
    html = _privacy(app.test_client())
    section = parse(html).one("section", **{"aria-labelledby": "own-words"})
    paragraphs = section.find_all("p")
    assert [p.text() for p in paragraphs] == [
        'First <b>bold</b> <a href="https://evil.example">link</a>',
        "Second <script>alert(1)</script>\nsame paragraph",
    ]
    assert not section.find_all("b") and not section.find_all("script")
    assert "https://evil.example" not in [a.attrs.get("href") for a in section.find_all("a")]


def test_the_page_is_accessible_in_its_structure(client: FlaskClient) -> None:
    page = parse(_privacy(client))
    assert len(page.find_all("h1")) == 1
    assert page.find_all("main") and page.find_all("header") and page.find_all("footer")
    for section in page.find_all("section"):
        labelled = section.attrs.get("aria-labelledby")
        assert labelled and page.by_id(labelled).tag in ("h2", "h3"), labelled


def test_nothing_is_loaded_from_another_site_and_the_headers_are_the_sites(
    client: FlaskClient,
) -> None:
    response = client.get("/privacy")
    page = parse(response.get_data(as_text=True))
    for element in page.iter():
        for attribute in ("src", "href"):
            value = element.attrs.get(attribute, "")
            # The page in other languages (hreflang) is named, not loaded, and absolute.
            if element.tag == "link" and element.attrs.get("rel") == "alternate":
                continue
            if element.tag in ("script", "img", "link", "iframe") and value:
                assert value.startswith(("/", "data:")), (element.tag, value)
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert "Set-Cookie" not in response.headers
    again = client.get("/privacy", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_an_organizers_sign_in_lasts_as_the_setting_says(make_app: Any) -> None:
    for hours, said in ((1, "1 hour"), (0.5, "30 minutes"), (12, "12 hours")):
        html = _privacy(make_app(ORGANIZERS_SESSION_HOURS=hours).test_client())
        assert f"Each sign-in lasts at most {said}." in _section(html, "who-sees")


def test_the_results_page_is_said_to_be_locked_with_the_browsers_key(client: FlaskClient) -> None:
    kept = _section(_privacy(client), "kept")
    assert "a key made for you alone, which we do not keep: your browser holds it" in kept
    assert f"for {VISIT_LIFETIME.days} days, so that your page of letters keeps working" in kept
    minutes = WIDGET_VISIT_LIFETIME.seconds // 60
    assert f"which works for {minutes} minutes" in kept


def test_quoted_words_are_said_to_outlive_a_withdrawal(make_app: Any) -> None:
    html = _privacy(make_app(RETENTION_DAYS=120).test_client())
    kept = _section(html, "kept")
    assert "withdrawing your pledge cannot find them to remove them" in kept
    assert "We delete them 120 days after you signed" in kept
    withdraw = _section(html, "withdraw")
    assert "Words you agreed to have quoted are kept apart and stay" in withdraw


def test_without_the_organizations_key_no_name_or_email_is_said_to_be_kept(
    make_app: Any,
) -> None:
    html = _privacy(make_app(CONTACT_PUBLIC_KEY=None).test_client())
    assert "so it keeps no name and no email address at all" in _section(html, "short")
    kept = _section(html, "kept")
    assert "locked (sealed)" not in kept
    assert "We do not keep your street address with your pledge, nor your name or email" in kept
    assert "There are no names or email addresses to download" in _section(html, "who-sees")


def test_the_small_number_and_the_onion_address_follow_the_settings(make_app: Any) -> None:
    onion = "http://uyghurpledgexyz.onion"
    html = _privacy(make_app(LOBBY_SMALL_NUMBER=5, ONION_LOCATION=onion).test_client())
    sees = _section(html, "who-sees")
    assert "fewer than 5 people who signed is shown as “fewer than 5”" in sees
    assert f"an onion service for Tor Browser: {onion}" in _section(html, "short")
    assert "onion service" not in _section(_privacy(make_app().test_client()), "short")
