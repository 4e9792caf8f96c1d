"""Bad input in a real browser: the summary takes focus, each message sits by its field."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .journeys import (
    CAMPAIGN,
    SPLIT_ZIP,
    SUBMIT,
    LiveServer,
    pledge,
    submit_pledge,
    tab_to,
    unique_email,
)

pytestmark = pytest.mark.browser


def assert_field_error(
    page: Page, name: str, message: str, form: str = "form.pledge-form"
) -> None:
    """The field is marked invalid, described by its message, which sits just above it."""
    field = page.locator(f"{form} #{name}")
    error = page.locator(f"#{name}-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(message)
    expect(field).to_have_attribute("aria-invalid", "true")
    described = (field.get_attribute("aria-describedby") or "").split()
    assert f"{name}-error" in described, described
    for id_ in described:
        assert page.locator(f"#{id_}").count() == 1, f"{name}: aria-describedby {id_} is missing"
    # Beside the field: the same .field wrapper, directly above the input.
    wrapper = page.locator(f"{form} .field").filter(has=page.locator(f"#{name}"))
    expect(wrapper).to_have_count(1)
    expect(wrapper.locator(f"#{name}-error")).to_have_count(1)
    error_box, field_box = error.bounding_box(), field.bounding_box()
    assert error_box and field_box
    gap = field_box["y"] - (error_box["y"] + error_box["height"])
    assert 0 <= gap <= 24, (name, error_box, field_box)


def test_empty_form_shows_a_focused_summary_and_errors_beside_the_fields(
    live_server: LiveServer, page: Page
):
    page.goto(live_server(CAMPAIGN))
    response = submit_pledge(page)
    assert response is not None and response.status == 422
    assert page.title().startswith("Error: ")

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # form.js, also after the scroll to #act
    assert summary.get_attribute("role") == "alert"
    links = summary.locator("a")
    assert [link.get_attribute("href") for link in links.all()] == ["#name", "#email", "#zip"]

    assert_field_error(page, "name", "Please enter your name.")
    assert_field_error(page, "email", "Please enter your email address.")
    assert_field_error(page, "zip", "Please enter your 5-digit ZIP code.")
    # The email hint stays described alongside the error.
    assert "email-hint" in (page.locator("#email").get_attribute("aria-describedby") or "")
    for name in ("street", "city", "state", "note"):
        assert page.locator(f"#{name}").get_attribute("aria-invalid") is None, name
        assert page.locator(f"#{name}-error").count() == 0, name

    # From the summary, the keyboard reaches each field through its link.
    tab_to(page, "#error-summary a[href='#email']")
    page.keyboard.press("Enter")
    expect(page.locator("#email")).to_be_focused()


def test_fixing_some_fields_keeps_everything_typed(live_server: LiveServer, page: Page):
    page.goto(live_server(CAMPAIGN))
    typed = {
        "name": "Amina <b>Tursun</b>",
        "email": "amina@",
        "street": "1301 4th Ave",
        "city": "Seattle",
        "zip": "981",
        "note": "Line one.\nLine two, with 'quotes' & <tags>.",
    }
    for name, value in typed.items():
        page.fill(f"form.pledge-form [name={name}]", value)
    page.select_option("#state", "WA")
    page.check("#consent")

    response = submit_pledge(page)
    assert response is not None and response.status == 422
    expect(page.locator("#error-summary")).to_be_focused()
    assert page.locator("#error-summary li").count() == 2
    assert_field_error(page, "email", "Please enter an email address like name@example.org.")
    assert_field_error(page, "zip", "Please enter a 5-digit ZIP code, like 98101.")
    for name, value in typed.items():
        expect(page.locator(f"form.pledge-form [name={name}]")).to_have_value(value)
    expect(page.locator("#state")).to_have_value("WA")
    expect(page.locator("#consent")).to_be_checked()
    assert page.locator("#name").get_attribute("aria-invalid") is None

    # Correct the two fields, and the pledge goes through.
    page.fill("#email", "amina.fixed@example.org")
    page.fill("#zip", "98105")
    with page.expect_navigation():
        page.click(SUBMIT)
    assert "/thanks" in page.url, page.url


def test_refine_form_errors_take_focus_and_keep_the_address(live_server: LiveServer, page: Page):
    pledge(page, live_server.url, email=unique_email("refine-errors"), zip=SPLIT_ZIP)
    refine = page.locator("section.refine")
    expect(refine.locator("#zip")).to_have_value(SPLIT_ZIP)
    refine.locator("#city").fill("Seattle")
    refine.locator("#zip").fill("9810")
    with page.expect_navigation() as navigation:
        refine.get_by_role("button", name="Find my House member").click()
    assert navigation.value is not None and navigation.value.status == 422
    page.wait_for_load_state("load")

    summary = refine.locator("#error-summary")
    expect(summary).to_be_focused()  # form.js, after the scroll to #address
    assert [a.get_attribute("href") for a in summary.locator("a").all()] == ["#street", "#zip"]
    assert_field_error(page, "street", "Please enter your street address.", form="section.refine")
    assert_field_error(
        page, "zip", "Please enter a 5-digit ZIP code, like 98101.", form="section.refine"
    )
    expect(refine.locator("#city")).to_have_value("Seattle")
    expect(refine.locator("#zip")).to_have_value("9810")
    # The letters are still there, under the form's errors.
    expect(page.locator("textarea[data-letter-body]")).to_have_count(2)
