"""Right to left in Chromium: the Uyghur (Arabic script) pages read from the right, at a
phone's width and a desktop's, in the font we serve; the Latin-script and English pages
read from the left and load no font.

Every page is also saved as a screenshot in /tmp/shots/ (ug, ug-Latn and en; the
campaign page and the results page; 390 and 1280 px wide), for a person to look at.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, Response, expect

from .journeys import CAMPAIGN, LiveServer, new_context, pledge, unique_email

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")
WIDTHS = {"390": (390, 844), "1280": (1280, 900)}
# The address prefix of each language: English has none.
PREFIXES = {"ug": "/ug", "ug-Latn": "/ug-Latn", "en": ""}
FONT_FAMILY = "Ug Noto Sans Arabic"  # static/css/lang-ug.css's name for the subset


@pytest.fixture(params=list(WIDTHS))
def sized(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[str, Page]]:
    """A page at one of the widths (a phone's is a phone: touch, mobile viewport)."""
    width, height = WIDTHS[request.param]
    phone = width < 600
    context = new_context(
        browser,
        viewport={"width": width, "height": height},
        is_mobile=phone,
        has_touch=phone,
    )
    yield request.param, context.new_page()
    context.close()


def fonts_fetched(page: Page) -> list[str]:
    """Start recording the fonts the page downloads; return the (growing) list."""
    fetched: list[str] = []

    def seen(response: Response) -> None:
        if response.request.resource_type == "font" and response.ok:
            fetched.append(response.url)

    page.on("response", seen)
    return fetched


def layout(page: Page) -> dict[str, Any]:
    """The page's direction, its h1's alignment and where its text sits, and overflow."""
    described: dict[str, Any] = page.evaluate(
        """() => {
            const h1 = document.querySelector("main h1");
            const style = getComputedStyle(h1);
            const range = document.createRange();
            range.selectNodeContents(h1);
            const text = range.getBoundingClientRect();
            const box = h1.getBoundingClientRect();
            return {
                dir: document.documentElement.getAttribute("dir"),
                direction: style.direction,
                textAlign: style.textAlign,
                // How far the heading's text stands from each edge of its own box.
                fromStart: Math.round(text.left - box.left),
                fromEnd: Math.round(box.right - text.right),
                scrollWidth: document.scrollingElement.scrollWidth,
                width: document.documentElement.clientWidth,
            };
        }"""
    )
    return described


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def font_ready(page: Page, selector: str = "h1") -> bool:
    """Whether our Uyghur font has loaded and drew the Uyghur letters of the first element
    matching selector (Chromium says which fonts drew a node's glyphs: a font installed on
    the machine, even the same Noto, is not a web font)."""
    page.evaluate("() => document.fonts.ready")
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()
    return any(font["isCustomFont"] and "Arabic" in font["familyName"] for font in used)


def test_the_uyghur_campaign_page_reads_from_the_right(
    live_server: LiveServer, sized: tuple[str, Page]
) -> None:
    width, page = sized
    fonts = fonts_fetched(page)
    page.goto(live_server("/ug" + CAMPAIGN))
    found = layout(page)
    assert found["dir"] == "rtl" and found["direction"] == "rtl"
    assert found["textAlign"] in ("start", "right")
    # The heading's text starts at the right edge of its box (a short line shows it).
    assert found["fromEnd"] <= 1, found
    assert found["scrollWidth"] <= found["width"], f"scrolls sideways: {found}"
    # Both weights: the heading in bold, the tagline in regular.
    assert font_ready(page, "main h1"), "the Uyghur font did not draw the heading"
    assert font_ready(page, "main .tagline"), "the Uyghur font did not draw the tagline"
    assert fonts and all("/static/fonts/noto-sans-arabic-ug-" in url for url in fonts), fonts
    shoot(page, f"ug-campaign-{width}")
    assert filled_side(page) == "right"


def filled_side(page: Page) -> str:
    """Which end of the campaign's progress bar its fill starts from, read off its pixels
    (a native bar draws its fill out of the DOM's reach). A third of the goal is set so
    the fill shows on a fresh campaign."""
    bar = page.locator("main .progress progress").first
    bar.evaluate("el => { el.value = el.max / 3; }")
    image = Image.open(io.BytesIO(bar.screenshot())).convert("RGB")
    row = image.height // 2
    edge = 4  # inside the rounded ends

    def darkness(x: int) -> int:
        return 765 - sum(image.getpixel((x, row)))  # type: ignore[arg-type]

    left, right = darkness(edge), darkness(image.width - 1 - edge)
    assert abs(left - right) > 200, f"no filled end to tell apart ({left}, {right})"
    return "left" if left > right else "right"


@pytest.mark.parametrize("tag", ["ug-Latn", "en"])
def test_latin_script_pages_read_from_the_left_and_load_no_font(
    live_server: LiveServer, sized: tuple[str, Page], tag: str
) -> None:
    width, page = sized
    fonts = fonts_fetched(page)
    page.goto(live_server(PREFIXES[tag] + CAMPAIGN))
    page.evaluate("() => document.fonts.ready")
    found = layout(page)
    assert found["direction"] == "ltr"
    assert found["fromStart"] <= 1, found
    assert found["scrollWidth"] <= found["width"], f"scrolls sideways: {found}"
    assert fonts == []
    shoot(page, f"{tag}-campaign-{width}")
    assert filled_side(page) == "left"


@pytest.mark.parametrize("tag", list(PREFIXES))
def test_the_results_page_in_each_language(
    live_server: LiveServer, sized: tuple[str, Page], tag: str
) -> None:
    width, page = sized
    pledge(page, live_server.url + PREFIXES[tag], email=unique_email(f"rtl-{tag}-{width}"))
    expect(page.locator("section.member")).to_have_count(3)
    found = layout(page)
    assert found["direction"] == ("rtl" if tag == "ug" else "ltr")
    assert found["scrollWidth"] <= found["width"], f"scrolls sideways: {found}"
    if tag == "ug":
        assert font_ready(page, "nav.languages [aria-current]")
    shoot(page, f"{tag}-results-{width}")


@pytest.mark.parametrize("tag", list(PREFIXES))
def test_the_widget_in_each_language(live_server: LiveServer, browser: Browser, tag: str) -> None:
    # The frame is up to 28rem wide on a partner's page: a phone's width is its width.
    context = new_context(browser, viewport={"width": 390, "height": 844})
    page = context.new_page()
    fonts = fonts_fetched(page)
    page.goto(live_server(f"{PREFIXES[tag]}{CAMPAIGN}/widget"))
    direction = page.evaluate("() => getComputedStyle(document.body).direction")
    assert direction == ("rtl" if tag == "ug" else "ltr")
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert width <= 390
    # The font comes only for Uyghur letters to draw (its unicode-range).
    uyghur = page.evaluate(r"() => /[\u0626-\u06d5]/.test(document.body.innerText)")
    if tag == "ug" and uyghur:
        assert font_ready(page)
    else:
        page.evaluate("() => document.fonts.ready")
        assert fonts == []
    shoot(page, f"{tag}-widget-390")
    context.close()
