"""axe-core (WCAG 2.2 A/AA and best practices) on every state a supporter can reach, in
every language (issue #23): English, Uyghur in Arabic script (right to left) and in Latin
script. The words are the catalogue's: outside English, a state is told by its structure
(tests/i18n/test_every_page_translated.py reads what each page says)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from event_pages import add_event
from playwright.sync_api import Locator, Page, expect

from .journeys import (
    CAMPAIGN,
    SLUG,
    SPLIT_ZIP,
    THANKS,
    LiveServer,
    assert_no_axe_violations,
    fill_pledge,
    mailed_codes,
    submit_pledge,
    unique_email,
)

pytestmark = pytest.mark.browser

# Each language's address prefix and direction (advocacy/translations/languages.toml).
LANGUAGES = {"en": ("", "ltr"), "ug": ("/ug", "rtl"), "ug-Latn": ("/ug-Latn", "ltr")}


@pytest.fixture(params=list(LANGUAGES))
def lang(request: pytest.FixtureRequest) -> str:
    tag: str = request.param
    return tag


def at(lang: str, path: str) -> str:
    """The page's address in the language."""
    return LANGUAGES[lang][0] + path


def says(lang: str, locator: Locator, english: str) -> None:
    """The element shows this English text on the English page, and is there in any other."""
    if lang == "en":
        expect(locator).to_have_text(english)
    else:
        expect(locator).to_be_visible()


def check(page: Page, lang: str, label: str) -> None:
    """The page is in the language (lang and dir), and axe finds nothing on it."""
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("html")).to_have_attribute("dir", LANGUAGES[lang][1])
    assert_no_axe_violations(page, f"{label} ({lang})")


def pledge(page: Page, server: LiveServer, lang: str, **fields: str) -> None:
    """Load the campaign page in the language, fill the form, submit; end on the results."""
    page.goto(server(at(lang, CAMPAIGN)))
    fill_pledge(page, **fields)
    submit_pledge(page)
    assert page.url.split("#")[0] == server(at(lang, THANKS)), page.url


def test_campaign_page(live_server: LiveServer, page: Page, lang: str):
    page.goto(live_server(at(lang, "/")))
    expect(page.locator("form.pledge-form")).to_be_visible()
    check(page, lang, "the campaign page")


def test_campaign_page_with_errors(live_server: LiveServer, page: Page, lang: str):
    page.goto(live_server(at(lang, CAMPAIGN)))
    page.fill("#email", "not-an-address")
    submit_pledge(page)
    expect(page.locator("#error-summary")).to_be_focused()
    check(page, lang, "the campaign page with errors")


def test_thanks_page_with_letters(live_server: LiveServer, page: Page, lang: str):
    pledge(page, live_server, lang, email=unique_email("axe"))
    expect(page.locator("section.member")).to_have_count(3)
    # Include the call scripts and a copy status message in the check.
    for summary in page.locator(".call-script summary").all():
        summary.click()
    page.locator("[data-copy]").first.click()
    expect(page.locator("[data-copy-status]").first).not_to_be_empty()
    check(page, lang, "the thanks page")


def test_refine_form_when_the_zip_spans_districts(live_server: LiveServer, page: Page, lang: str):
    pledge(page, live_server, lang, email=unique_email("refine"), zip=SPLIT_ZIP, city="")
    notice = page.locator(".notice")
    if lang == "en":
        expect(notice).to_contain_text("crosses district lines")
    expect(page.locator("section.member")).to_have_count(2)  # the senators only
    expect(page.locator("section.refine form")).to_be_visible()
    check(page, lang, "the thanks page asking for the street")

    # The refine form sent empty: its own errors.
    refine = page.locator("section.refine")
    refine.locator("#street").fill("")
    with page.expect_navigation() as navigation:
        refine.locator("button[type=submit]").click()
    assert navigation.value is not None and navigation.value.status == 422
    expect(refine.locator("#street-error")).to_be_visible()
    check(page, lang, "the refine form with errors")

    # With a street, the geocoder (unreachable here) fails and the page says so.
    refine.locator("#street").fill("1301 4th Ave")
    refine.locator("#city").fill("Seattle")
    with page.expect_navigation():
        refine.locator("button[type=submit]").click()
    if lang == "en":
        expect(page.locator(".notice")).to_contain_text("is not answering right now")
    expect(page.locator("section.refine form")).to_be_visible()
    check(page, lang, "the thanks page after the geocoder failed")


def test_not_found_page(live_server: LiveServer, page: Page, lang: str):
    response = page.goto(live_server(at(lang, "/c/no-such-campaign")))
    assert response is not None and response.status == 404
    says(lang, page.locator("h1"), "Page not found")
    check(page, lang, "the 404 page")


def shoot(page: Page, name: str) -> None:
    """Keep a screenshot to look at, when ADVOCACY_SCREENSHOTS names a folder."""
    shots = os.environ.get("ADVOCACY_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / name), full_page=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_withdraw_pages(live_server: LiveServer, page: Page, width: int, lang: str):
    page.set_viewport_size({"width": width, "height": 900})
    email = unique_email("withdraw")
    pledge(page, live_server, lang, email=email)
    _, code = mailed_codes(live_server, email)  # from the supporter's email
    withdraw = at(lang, f"/c/{SLUG}/withdraw")
    button = page.locator("form[data-code-form] button[type=submit]")
    page.goto(live_server(f"{withdraw}#{code}"))
    says(lang, page.locator("h1"), "Withdraw your pledge?")
    check(page, lang, "the withdraw page")
    with page.expect_navigation():
        button.click()
    says(lang, page.locator("h1"), "Your pledge is withdrawn")
    check(page, lang, "the withdrawn page")
    shoot(page, f"handoff-withdrawn-{lang}-{width}.png")
    # The same link again: nothing left to withdraw, and the page says so.
    page.goto("about:blank")  # else only the fragment would change: no new page
    page.goto(live_server(f"{withdraw}#{code}"))
    with page.expect_navigation():
        button.click()
    says(lang, page.locator("h1"), "There is no pledge to withdraw with this code")
    check(page, lang, "the withdraw page with nothing to withdraw")
    shoot(page, f"handoff-withdraw-nothing-{lang}-{width}.png")
    # A link of the first releases: the same words whether or not a pledge went.
    page.goto(live_server(f"{withdraw}/AbCdEfGhIjKlMnOpQrStUvWxYz012-_9"))
    with page.expect_navigation():
        button.click()
    says(lang, page.locator("h1"), "No pledge is left under this link")
    check(page, lang, "the withdraw page for an earlier release's link")
    shoot(page, f"handoff-withdraw-legacy-{lang}-{width}.png")


@pytest.mark.parametrize("width", [390, 1280])
def test_widget_handoff_pages(live_server: LiveServer, page: Page, width: int, lang: str):
    size = {"width": width, "height": 900}
    page.set_viewport_size(size)
    page.goto(live_server(at(lang, f"/c/{SLUG}/widget")))
    page.fill("#name", "Amina Tursun")
    page.fill("#email", unique_email("handoff-axe"))
    page.fill("#zip", "98105")
    page.click("button[type=submit]")
    expect(page.locator("#thanks-heading")).to_be_focused()
    check(page, lang, "the widget's thank-you with its handoff button")
    shoot(page, f"handoff-widget-thanks-{lang}-{width}.png")
    button = page.locator("form.widget__handoff button[type=submit]")
    if lang == "en":
        expect(button).to_have_accessible_name("Write to your members (opens in a new tab)")
    with page.context.expect_page() as new_tab:
        button.click()
    results = new_tab.value
    results.set_viewport_size(size)
    results.wait_for_load_state()
    expect(results.locator("section.member")).to_have_count(3)
    check(results, lang, "the results page reached from the widget")
    shoot(results, f"handoff-results-{lang}-{width}.png")
    with page.context.expect_page() as new_tab:
        button.click()
    refused = new_tab.value
    refused.set_viewport_size(size)
    refused.wait_for_load_state()
    says(lang, refused.locator("h1"), "This button has been used or has expired")
    check(refused, lang, "the refused handoff")
    shoot(refused, f"handoff-refused-{lang}-{width}.png")


def test_withdraw_page_without_a_code(live_server: LiveServer, page: Page, lang: str):
    page.goto(live_server(at(lang, f"/c/{SLUG}/withdraw")))
    expect(page.locator("#code")).to_be_visible()
    check(page, lang, "the withdraw page asking for the code")


def test_confirm_pages(live_server: LiveServer, page: Page, lang: str):
    email = unique_email("axe-confirm")
    pledge(page, live_server, lang, email=email)
    code, _ = mailed_codes(live_server, email)
    confirm = live_server(at(lang, f"/c/{SLUG}/confirm#{code}"))
    button = page.locator("form[data-code-form] button[type=submit]")
    page.goto(confirm)
    says(lang, page.locator("h1"), "Confirm your pledge")
    check(page, lang, "the confirm page")
    with page.expect_navigation():
        button.click()
    says(lang, page.locator("h1"), "Your pledge is confirmed")
    check(page, lang, "the confirmed page")
    page.goto("about:blank")
    page.goto(confirm)
    with page.expect_navigation():
        button.click()
    says(lang, page.locator("h1"), "This code does not confirm a pledge")
    check(page, lang, "the page for a used or made-up code")


@pytest.mark.parametrize(
    ("zip5", "notice"),
    [("78701", "Texas has new congressional districts"), ("98105", "still loading")],
)
def test_thanks_page_after_the_swearing_in(
    live_server: LiveServer, page: Page, zip5: str, notice: str, lang: str
):
    clock = live_server.app.config["CLOCK"]
    live_server.app.config["CLOCK"] = lambda: datetime(2027, 1, 3, 17, tzinfo=UTC)
    try:
        pledge(page, live_server, lang, email=unique_email("changeover"), zip=zip5, street="")
        if lang == "en":
            expect(page.locator(".notice")).to_contain_text(notice)
        expect(page.locator(".notice")).to_be_visible()
        check(page, lang, f"the thanks page after the swearing-in ({zip5})")
    finally:
        live_server.app.config["CLOCK"] = clock


def test_event_page(live_server: LiveServer, page: Page, lang: str):
    # An event's page (/e/<code>): the event, the campaign's ask and the pledge form.
    code = add_event(live_server.app)
    page.goto(live_server(at(lang, f"/e/{code}")))
    expect(page.locator("form.pledge-form")).to_be_visible()
    check(page, lang, "an event's page")
