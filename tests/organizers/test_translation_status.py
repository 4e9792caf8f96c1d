"""Organizers see which translations no native speaker has reviewed; supporters never do."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from advocacy.organizers.translations import statuses
from tests.organizer_pages import signed_in_client
from tests.pages import SLUG, page_text, parse

SHIPPED = Path(__file__).resolve().parents[2] / "advocacy/translations"


def test_the_dashboard_says_the_uyghur_translation_awaits_review(app: Flask) -> None:
    client = signed_in_client(app)
    page = parse(client.get("/organizers/").get_data(as_text=True))
    notice = page.by_id("translation-ug")
    text = notice.squeezed()
    assert "Translation awaiting review" in text
    assert "no native speaker has reviewed" in text
    names = {a.attrs["lang"]: (a.text(), a.attrs["href"]) for a in notice.find_all("a")}
    assert names == {"ug": ("ئۇيغۇرچە", "/ug/"), "ug-Latn": ("Uyghurche", "/ug-Latn/")}


def test_supporters_are_not_told(app: Flask) -> None:
    client = app.test_client()
    for path in (f"/ug/c/{SLUG}", f"/ug-Latn/c/{SLUG}", f"/c/{SLUG}", "/ug/privacy"):
        text = page_text(client.get(path).get_data(as_text=True))
        assert "awaiting review" not in text
        assert "awaiting" not in text.lower()


def test_a_reviewed_catalogue_is_no_longer_flagged(tmp_path: Path) -> None:
    folder = tmp_path / "translations"
    po = folder / "ug" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    shipped = (SHIPPED / "ug/LC_MESSAGES/messages.po").read_text(encoding="utf-8")
    po.write_text(
        shipped.replace(
            "X-Reviewer-Status: awaiting review",
            "X-Reviewer-Status: reviewed by Aynur on 2027-01-10",
        ),
        encoding="utf-8",
    )
    (status,) = statuses(folder)
    assert [language.tag for language in status.languages] == ["ug", "ug-Latn"]
    assert status.status == "reviewed by Aynur on 2027-01-10"
    assert not status.awaiting_review
    (shipped_status,) = statuses(SHIPPED)
    assert shipped_status.awaiting_review
