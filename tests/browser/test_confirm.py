"""The pages a supporter reaches from their email: the code arrives in the link's fragment
and a small script puts it into the form; without JavaScript the page asks for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, BrowserContext, Page, expect

from advocacy.db import get_session
from advocacy.models import Campaign

from .journeys import (
    SLUG,
    LiveServer,
    assert_no_axe_violations,
    mailed_codes,
    new_context,
    pledge,
    unique_email,
)

pytestmark = pytest.mark.browser

CONFIRM = f"/c/{SLUG}/confirm"
WITHDRAW = f"/c/{SLUG}/withdraw"


@pytest.fixture
def no_js(browser: Browser) -> Iterator[BrowserContext]:
    ctx = new_context(browser, java_script_enabled=False)
    yield ctx
    ctx.close()


def counted(live_server: LiveServer) -> int:
    """The campaign's count, read from the database (pages may come from a cache)."""
    with live_server.app.app_context():
        count = get_session().scalar(sa.select(Campaign.pledge_count).where(Campaign.slug == SLUG))
    return int(count or 0)


def test_the_link_fills_in_the_code_and_the_supporter_presses_confirm(
    live_server: LiveServer, page: Page
) -> None:
    email = unique_email("confirm")
    pledge(page, live_server.url, email=email)
    expect(page.locator(".confirm-notice")).to_contain_text("check your email")
    before = counted(live_server)
    code, _ = mailed_codes(live_server, email)
    assert code

    page.goto(live_server(f"{CONFIRM}#{code}"))
    expect(page.locator("h1")).to_have_text("Confirm your pledge")
    # The script took the code from the fragment into the form, and out of the address.
    expect(page.locator("#code")).to_be_hidden()
    assert page.locator("#code").input_value() == code
    expect(page.get_by_text("The code from your email is filled in.")).to_be_visible()
    assert "#" not in page.url
    assert page.evaluate("location.hash") == ""
    assert_no_axe_violations(page, "the confirm page, filled in")
    # Opening the page counted nothing: the supporter's press does.
    assert counted(live_server) == before
    page.get_by_role("button", name="Confirm my pledge").click()
    expect(page.locator("h1")).to_have_text("Your pledge is confirmed")
    assert_no_axe_violations(page, "the confirmed page")
    assert counted(live_server) == before + 1

    # The same link again (a new tab, as from the email): used up, and it says so
    # without telling anything else.
    page.goto("about:blank")
    page.goto(live_server(f"{CONFIRM}#{code}"))
    page.get_by_role("button", name="Confirm my pledge").click()
    expect(page.locator("h1")).to_have_text("This code does not confirm a pledge")
    assert_no_axe_violations(page, "the used-code page")


def test_without_javascript_the_page_asks_for_the_code(
    live_server: LiveServer, page: Page, no_js: BrowserContext
) -> None:
    email = unique_email("nojs")
    pledge(page, live_server.url, email=email)
    code, _ = mailed_codes(live_server, email)
    assert code

    plain = no_js.new_page()
    plain.goto(live_server(f"{CONFIRM}#{code}"))
    field = plain.locator("#code")
    expect(field).to_be_visible()
    expect(field).to_have_value("")
    expect(plain.get_by_text("It is in the email we sent you")).to_be_visible()
    # A mistyped code: the message beside the field.
    field.fill("12345")
    plain.get_by_role("button", name="Confirm my pledge").click()
    expect(plain.locator("#code-error")).to_contain_text("20 letters and digits")
    # Typed as read off the email, in lower case, without the dashes.
    plain.locator("#code").fill(code.replace("-", " ").lower())
    plain.get_by_role("button", name="Confirm my pledge").click()
    expect(plain.locator("h1")).to_have_text("Your pledge is confirmed")


def test_the_confirm_page_with_a_wrong_code_passes_axe(
    live_server: LiveServer, page: Page
) -> None:
    page.goto(live_server(CONFIRM))
    expect(page.locator("#code")).to_be_visible()
    assert_no_axe_violations(page, "the confirm page, empty")
    page.get_by_role("button", name="Confirm my pledge").click()
    expect(page.locator("#error-summary")).to_be_focused()
    assert_no_axe_violations(page, "the confirm page with an error")


def test_the_withdraw_link_from_the_email(live_server: LiveServer, page: Page) -> None:
    email = unique_email("withdraw-link")
    pledge(page, live_server.url, email=email)
    _, code = mailed_codes(live_server, email)
    page.goto(live_server(f"{WITHDRAW}#{code}"))
    expect(page.locator("h1")).to_have_text("Withdraw your pledge?")
    expect(page.locator("#code")).to_be_hidden()
    assert "#" not in page.url
    page.get_by_role("button", name="Withdraw my pledge").click()
    expect(page.locator("h1")).to_have_text("Your pledge is withdrawn")
