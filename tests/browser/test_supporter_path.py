"""The supporter's whole path in a real browser: by keyboard alone, and without JavaScript."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .journeys import (
    CAMPAIGN,
    ONE_DISTRICT_ZIP,
    THANKS,
    WA_MEMBERS,
    LiveServer,
    active_element,
    fill_pledge,
    new_context,
    pledge,
    submit_pledge,
    tab_to,
    unique_email,
)

pytestmark = pytest.mark.browser


def assert_three_letters(page: Page) -> None:
    members = page.locator("section.member")
    expect(members).to_have_count(3)
    headings = " | ".join(members.locator("h3").all_inner_texts())
    for name in WA_MEMBERS:
        assert name in headings, headings
    letters = page.locator("textarea[data-letter-body]")
    expect(letters).to_have_count(3)
    for letter in letters.all():
        assert letter.input_value().startswith("Dear "), letter.input_value()[:80]
        # Each letter is a labelled form field.
        assert page.locator(f"label[for='{letter.get_attribute('id')}']").count() == 1


def test_keyboard_only_from_campaign_page_to_copied_letter(live_server: LiveServer, page: Page):
    page.goto(live_server(CAMPAIGN))

    # The first Tab reaches the skip link, which is then shown; Enter moves focus to main.
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, box
    page.keyboard.press("Enter")
    page.wait_for_url("**#main")
    expect(page.locator("main#main")).to_be_focused()

    # Tab on from main into the form; every stop on the way shows, with a focus ring.
    stops = tab_to(page, "#name") + [active_element(page)]
    assert len(stops) > 3, stops
    for stop in stops:
        assert stop["visible"] and stop["ring"], stop
    page.keyboard.type("Amina Tursun")
    email = unique_email("keyboard")
    order = []
    for text in (email, None, "Seattle", "Washington", ONE_DISTRICT_ZIP, "My family is there."):
        page.keyboard.press("Tab")
        stop = active_element(page)
        assert stop["visible"] and stop["ring"], stop
        order.append(stop["id"])
        if text:
            page.keyboard.type(text)
    assert order == ["email", "street", "city", "state", "zip", "note"], order
    expect(page.locator("#state")).to_have_value("WA")  # type-ahead in the closed select

    # May the note be quoted: off unless ticked, and left so here.
    page.keyboard.press("Tab")
    expect(page.locator("#quote")).to_be_focused()
    expect(page.locator("#quote")).not_to_be_checked()
    page.keyboard.press("Tab")
    expect(page.locator("#consent")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator("#consent")).to_be_checked()

    page.keyboard.press("Tab")
    expect(page.locator("form.pledge-form button[type=submit]")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    assert page.url.split("#")[0] == live_server(THANKS), page.url

    assert_three_letters(page)
    copy_buttons = page.locator("[data-copy]")
    expect(copy_buttons).to_have_count(3)
    for button in copy_buttons.all():
        expect(button).to_be_visible()

    # Edit the first letter by keyboard, then copy it by keyboard.
    first = page.locator("section.member").first
    textarea = first.locator("textarea")
    tab_to(page, f"#{textarea.get_attribute('id')}")
    page.keyboard.press("Control+End")
    page.keyboard.type("\nP.S. Written with the keyboard.")
    stops = tab_to(page, "section.member:first-of-type [data-copy]") + [active_element(page)]
    for stop in stops:
        assert stop["visible"] and stop["ring"], stop
    page.keyboard.press("Enter")

    status = first.get_by_role("status")
    expect(status).to_have_text("Letter copied. Paste it into the contact form.")
    assert status.get_attribute("aria-live") == "polite"
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == textarea.input_value()
    assert copied.startswith("Dear ") and copied.endswith("P.S. Written with the keyboard.")
    # The printed copy follows the edit.
    expect(first.locator("[data-print-body]")).to_contain_text("P.S. Written with the keyboard.")

    # Space works on the next Copy button too.
    tab_to(page, "section.member:nth-of-type(2) [data-copy]")
    page.keyboard.press("Space")
    second = page.locator("section.member").nth(1)
    expect(second.get_by_role("status")).to_have_text(
        "Letter copied. Paste it into the contact form."
    )
    assert (
        page.evaluate("navigator.clipboard.readText()") == second.locator("textarea").input_value()
    )


def test_without_javascript_the_whole_path_works(
    live_server: LiveServer, browser: Browser, tmp_path: Path
):
    context = new_context(browser, java_script_enabled=False, accept_downloads=True)
    try:
        page = context.new_page()
        page.goto(live_server(CAMPAIGN))
        fill_pledge(page, email=unique_email("nojs"), state="WA", note="No scripts here.")
        response = submit_pledge(page)
        assert response is not None and response.status == 200
        assert page.url.split("#")[0] == live_server(THANKS), page.url
        expect(page.locator("h1")).to_have_text("Thank you, Amina Tursun!")
        assert_three_letters(page)

        # The Copy button needs the script: without it, it stays hidden.
        for button in page.locator("[data-copy]").all():
            expect(button).to_be_hidden()

        # The letter text can be selected (and so copied) by hand.
        textarea = page.locator("textarea[data-letter-body]").first
        expect(textarea).to_be_editable()
        assert textarea.evaluate("el => getComputedStyle(el).userSelect") != "none"
        textarea.focus()
        page.keyboard.press("Control+A")
        selected = textarea.evaluate("el => [el.selectionStart, el.selectionEnd, el.value.length]")
        assert selected[0] == 0 and selected[1] == selected[2] > 100, selected

        # Download sends the letter as edited in the page, as plain text.
        edited = textarea.input_value() + "\n\nP.S. Edited without JavaScript."
        textarea.fill(edited)
        member = page.locator("section.member").first
        with page.expect_download() as waiting:
            member.get_by_role("button", name="Download").click()
        download = waiting.value
        assert download.suggested_filename.endswith(".txt"), download.suggested_filename
        assert download.suggested_filename.startswith("letter-to-")
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        # The letter as edited, then the note of who drafted it (tests/organization).
        letter, separator, note = saved.read_text(encoding="utf-8").partition("\n\n-- \n")
        assert letter == edited.rstrip() and separator and note.endswith("/privacy\n")

        # Contact and call links are plain links.
        open_link = member.get_by_role("link", name=re.compile(r"^Open (contact form|website)"))
        assert (open_link.get_attribute("href") or "").startswith("https://")
        call = member.get_by_role("link", name="Call")
        assert (call.get_attribute("href") or "").startswith("tel:+1")
    finally:
        context.close()


RTL_NAME = "ئۇيغۇر تۇرسۇن"
RTL_NOTE = "مېنىڭ ئائىلەم ئۇيغۇر ئېلىدا. بۇ قانۇن بىز ئۈچۈن مۇھىم."


def test_right_to_left_name_and_note_survive_the_round_trip(live_server: LiveServer, page: Page):
    page.goto(live_server(CAMPAIGN))
    for field in ("#name", "#email", "#street", "#city", "#zip", "#note"):
        assert page.locator(field).get_attribute("dir") == "auto", field

    # First a failed submit (no ZIP): the Uyghur text comes back unchanged and right to left.
    fill_pledge(page, name=RTL_NAME, note=RTL_NOTE, zip="", email=unique_email("rtl"))
    response = submit_pledge(page)
    assert response is not None and response.status == 422
    expect(page.locator("#name")).to_have_value(RTL_NAME)
    expect(page.locator("#note")).to_have_value(RTL_NOTE)
    assert page.locator("#name").evaluate("el => el.matches(':dir(rtl)')")
    assert page.locator("#note").evaluate("el => el.matches(':dir(rtl)')")

    page.fill("#zip", ONE_DISTRICT_ZIP)
    submit_pledge(page)
    assert page.url.split("#")[0] == live_server(THANKS), page.url

    heading = page.locator("h1")
    assert heading.get_attribute("dir") == "auto"
    expect(heading).to_have_text(f"Thank you, {RTL_NAME}!")
    for letter in page.locator("textarea[data-letter-body]").all():
        assert letter.get_attribute("dir") == "auto"
        text = letter.input_value()
        assert RTL_NAME in text and RTL_NOTE in text, text
    printed = page.locator("[data-print-body]").first
    assert printed.get_attribute("dir") == "auto"
    # In the printed letter the note is its own paragraph, set right to left; the rest is not.
    note = printed.locator("p", has_text=RTL_NOTE)
    expect(note).to_have_count(1)
    assert note.evaluate("el => el.matches(':dir(rtl)')")
    assert printed.locator("p").first.evaluate("el => el.matches(':dir(ltr)')")
    script = page.locator(".call-script p").first
    assert script.get_attribute("dir") == "auto"


def test_thanks_page_without_a_pledge_goes_back_to_the_form(live_server: LiveServer, page: Page):
    page.goto(live_server(THANKS))
    assert page.url == live_server(CAMPAIGN), page.url


def test_pledging_again_with_the_same_email_looks_the_same(live_server: LiveServer, page: Page):
    email = unique_email("twice")
    pledge(page, live_server.url, email=email)
    first = page.locator("h1").inner_text()
    pledge(page, live_server.url, email=email.upper())
    # Whether an email had pledged is never told, not even to the person typing it.
    expect(page.locator("h1")).to_have_text(first)
    expect(page.locator("main")).not_to_contain_text("already")
