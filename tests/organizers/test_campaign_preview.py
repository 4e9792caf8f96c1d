"""The preview before publishing: a version's letters to real members of each kind, and its
campaign page, at a moment the editor chooses; marked a preview, kept from search engines
and from anyone not signed in."""

from __future__ import annotations

import re

import pytest
from editor_pages import save
from flask import Flask
from flask.testing import FlaskClient
from organizer_pages import signed_in_client
from pages import SLUG, Element, page_text, parse

PREVIEW = f"/organizers/c/{SLUG}/preview"
# Noon Eastern on January 3, 2027 ends the 119th Congress, and H.R. 2635 and S. 1542 with it.
AFTER_CHANGEOVER = "2027-01-03T12:30"
BEFORE_CHANGEOVER = "2027-01-03T11:30"


@pytest.fixture
def editor(app: Flask) -> FlaskClient:
    return signed_in_client(app)


def _samples(html: str) -> dict[str, Element]:
    """The preview's sample letters by their role ("A delegate": its article)."""
    found = {}
    for article in parse(html).by_class("org-sample"):
        heading = article.find_all("h3")[0].squeezed()
        found[heading.split(":")[0]] = article
    return found


def _letter(article: Element) -> str:
    return article.by_class("org-letter")[0].squeezed()


def test_the_preview_shows_the_letters_to_each_kind_of_member(editor: FlaskClient) -> None:
    response = editor.get(PREVIEW)
    assert response.status_code == 200
    samples = _samples(response.get_data(as_text=True))

    senator = samples["A senator asked to cosponsor"]
    assert "[letter.senate]" in senator.squeezed()
    assert "S. 1542" in _letter(senator) and "Dear Senator" in _letter(senator)

    sponsor = samples["A House sponsor, thanked"]
    assert "[letter.house_sponsor]" in sponsor.squeezed()
    assert sponsor.find_all("h3")[0].squeezed().split(": ")[1] in (
        "Representative Ami Bera",
        "Representative Young Kim",
    )

    voter = samples["A House member who voted on the bill"]
    assert "[letter.house]" in voter.squeezed()
    # The data has no roll-call votes, and the preview says what that means.
    assert "no roll-call votes" in voter.squeezed()
    assert "voted no on September 2, 2025 gets this same letter" in voter.squeezed()

    delegate = samples["A delegate"]
    assert "Delegate Eleanor Holmes Norton" in delegate.squeezed()
    assert "[letter.house_had_no_vote]" in delegate.squeezed()
    assert "Dear Delegate Norton" in _letter(delegate)
    # Every one signed by the sample supporter, dated by the app's clock.
    for article in samples.values():
        if article.by_class("org-letter"):
            assert "Sample Supporter" in _letter(article)
            # ...closing with a place and ZIP, as an office expects of a constituent.
            assert re.search(r"Sample City, [A-Z]{2} 00000", _letter(article))
            assert "November 23, 2026" in _letter(article)


def test_the_preview_at_a_chosen_moment_after_the_changeover_asks_again(
    editor: FlaskClient,
) -> None:
    before = editor.get(f"{PREVIEW}?at={BEFORE_CHANGEOVER}").get_data(as_text=True)
    after = editor.get(f"{PREVIEW}?at={AFTER_CHANGEOVER}").get_data(as_text=True)
    assert "January 3, 2027, 11:30 a.m. Eastern" in page_text(before)
    assert "January 3, 2027, 12:30 p.m. Eastern" in page_text(after)

    senate_before = _letter(_samples(before)["A senator asked to cosponsor"])
    senate_after = _letter(_samples(after)["A senator asked to cosponsor"])
    assert "S. 1542" in senate_before
    # The bill died with the 119th Congress: its numbers are gone, the ask is to bring it back.
    assert "S. 1542" not in senate_after and "H.R. 2635" not in senate_after
    assert "reintroduce" in senate_after.lower() or "introduced again" in senate_after.lower()
    assert "The 119th Congress has ended by then" in page_text(after)

    # The delegate, thanked for nothing before, is asked like any member after.
    assert "[letter.house_had_no_vote]" in _samples(before)["A delegate"].squeezed()
    assert "[letter.house]" in _samples(after)["A delegate"].squeezed()
    # The snapshot has no member of the 120th House: the preview says who stands in.
    assert "Nobody of this kind sits at that moment" in _samples(after)["A delegate"].squeezed()


def test_a_moment_that_is_not_one_is_refused_beside_its_field(editor: FlaskClient) -> None:
    response = editor.get(f"{PREVIEW}?at=tomorrow+at+noon")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Give a date and time such as 2027-01-03T12:30" in parse(html).by_id("at-error").text()
    assert parse(html).by_id("at").attrs["value"] == "tomorrow at noon"
    assert _samples(html)  # the preview for now is still shown


def test_a_saved_draft_is_previewed_as_it_will_go_while_the_public_page_is_unchanged(
    editor: FlaskClient, client: FlaskClient
) -> None:
    tagline = "A draft tagline, seen only in the preview."
    save(editor, SLUG, {"tagline": tagline})
    preview = editor.get(f"{PREVIEW}?version=2").get_data(as_text=True)
    assert tagline in page_text(preview)
    page = editor.get(f"{PREVIEW}/page?version=2&at={BEFORE_CHANGEOVER}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert tagline in page_text(html)
    assert tagline not in page_text(client.get(f"/c/{SLUG}").get_data(as_text=True))


def test_the_preview_pages_are_marked_kept_from_search_engines_and_run_no_script(
    editor: FlaskClient,
) -> None:
    for path in (PREVIEW, f"{PREVIEW}/page"):
        response = editor.get(path)
        html = response.get_data(as_text=True)
        tree = parse(html)
        assert "noindex" in response.headers["X-Robots-Tag"]
        assert response.headers["Cache-Control"] == "no-store"
        robots = [m for m in tree.find_all("meta") if m.attrs.get("name") == "robots"]
        assert robots and "noindex" in robots[0].attrs["content"]
        banner = tree.by_class("org-preview-banner")[0].squeezed()
        assert banner.startswith("Preview") and "Not public" in banner
        assert "Preview" in tree.find_all("title")[0].text()
    page = parse(editor.get(f"{PREVIEW}/page").get_data(as_text=True))
    assert page.find_all("script") == []
    # The page's own template: the story and the pledge form, with no token to pledge with.
    assert page.find_all("form", class_="pledge-form")
    assert page.one("input", name="started").attrs.get("value", "") == ""


def test_an_unknown_version_is_a_404(editor: FlaskClient) -> None:
    assert editor.get(f"{PREVIEW}?version=99").status_code == 404
    assert editor.get(f"/organizers/c/{SLUG}/versions/99").status_code == 404
    assert editor.get("/organizers/c/no-such-campaign/preview").status_code == 404
