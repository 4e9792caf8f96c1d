"""A supporter who reads only Uyghur, in either script, on a 390-pixel-wide phone, from a
partner's page to their members' letters and back to the campaign page (issue #23's "done
when").

With JavaScript: the partner's page (another site, 127.0.0.2, lang="ug") embeds the widget
with data-lang="ug"; the supporter pledges in it, presses "write to your members", and the
results page opens (members, letters, call scripts); from there, the campaign page.
Without JavaScript the widget's script cannot run: the partner's <noscript> link (README,
*Partners*) leads to the campaign page, whose form leads to the same results page.

At every step the page is lang="ug" dir="rtl" (or lang="ug-Latn" dir="ltr") and the
checker of the all-pages test (tests/i18n/untranslated.py) finds no English on it but what
is English on purpose (the letters to offices, the call scripts' English words, names in
<bdi>). Screenshots go to /tmp/shots/journey-*.png, to be looked at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from i18n.untranslated import report, untranslated
from pages import parse
from playwright.sync_api import Browser, Frame, Locator, Page, expect

from .journeys import SLUG, LiveServer, new_context, unique_email
from .test_widget import PARTNER_HOST, StaticSite

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SHOTS = Path("/tmp/shots")
# Each script, with its direction and the partner page's own words in it.
SCRIPTS = {
    "ug": ("rtl", "ئۇيغۇر جەمئىيىتى", "بارىن قوزغىلىڭىنى ئەسلەيمىز.", "ئىسمىڭىزنى قوشۇڭ"),
    "ug-Latn": ("ltr", "Uyghur jem'iyiti", "Barin qozghilingini esleymiz.", "Ismingizni qoshung"),
}


def partner_html(app_url: str, tag: str) -> str:
    """A Uyghur partner's page: its own words, the snippet with data-lang, and the
    <noscript> link for visitors without JavaScript."""
    direction, name, words, link = SCRIPTS[tag]
    return f"""<!doctype html>
<html lang="{tag}" dir="{direction}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{name}</title>
</head>
<body>
<h1>{name}</h1>
<p>{words}</p>
<div id="slot">
<script src="{app_url}/embed.js" data-campaign="{SLUG}" data-lang="{tag}" data-ref="partner-ug"
        async></script>
<noscript><a id="no-js" href="{app_url}/{tag}/c/{SLUG}">{link}</a></noscript>
</div>
</body>
</html>"""


@pytest.fixture(scope="module")
def partner() -> Iterator[StaticSite]:
    site = StaticSite(PARTNER_HOST)
    yield site
    site.close()


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"journey-{name}.png"), full_page=True)


class Journey:
    """The steps' findings: the journey goes on to its end, then fails with all of them
    (each step's English, so one run tells the translators everything left)."""

    def __init__(self, mode: str, tag: str) -> None:
        self.mode = f"{tag}-{mode}"
        self.tag = tag
        self.prefix = f"/{tag}"
        self.found: list[str] = []
        self.steps = 0

    def step(self, target: Page | Frame, label: str, shot: Page) -> None:
        """Screenshot the step, and read its page (or the widget's frame) as the reader."""
        self.steps += 1
        shoot(shot, f"{self.mode}-{self.steps}-{label.replace(' ', '-')}")
        self.read(target.content(), f"{label} ({self.mode})")

    def read(self, html: str, label: str, whole_page: bool = True) -> None:
        if whole_page:
            root = parse(html).one("html")
            found = (root.attrs.get("lang"), root.attrs.get("dir"))
            expected = (self.tag, SCRIPTS[self.tag][0])
            if found != expected:
                self.found.append(f"{label}: <html lang dir> is {found}, not {expected}")
        leftovers = untranslated(html, self.tag)
        if leftovers:
            self.found.append(report(label, leftovers))

    def assert_nothing_found(self) -> None:
        if self.found:
            pytest.fail("\n".join(self.found), pytrace=False)


def fill(target: Page | Frame | Locator, email: str, *, city: bool = False) -> None:
    """Fill the pledge form as the supporter does: their name typed in Uyghur."""
    target.locator("[name=name]").fill("ئامىنە تۇرسۇن")
    target.locator("[name=email]").fill(email)
    target.locator("[name=zip]").fill("98105")
    if city:
        target.locator("[name=city]").fill("Seattle")


def results_and_back(results: Page, live_server: LiveServer, journey: Journey) -> None:
    """The results page: members, letters, call scripts; then the campaign page."""
    expect(results.locator("section.member")).to_have_count(3)
    if journey.mode.endswith("-js"):
        for summary in results.locator(".call-script summary").all():
            summary.click()
    journey.step(results, "results page", results)
    back = results.locator(f"main a[href='{journey.prefix}/c/{SLUG}']").first
    with results.expect_navigation():
        back.click()
    assert results.url.split("#")[0] == live_server(f"{journey.prefix}/c/{SLUG}"), results.url
    journey.step(results, "campaign page", results)


@pytest.mark.parametrize("tag", list(SCRIPTS))
def test_with_javascript(
    browser: Browser, live_server: LiveServer, partner: StaticSite, tag: str
) -> None:
    journey = Journey("js", tag)
    context = new_context(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(partner.add(f"/{tag}-js.html", partner_html(live_server.url, tag)))
        frame_element = page.locator(".advocacy-widget iframe")
        expect(frame_element).to_be_visible()
        frame = frame_element.element_handle().content_frame()
        assert frame is not None
        frame.wait_for_selector("form button[type=submit]")
        assert frame.url.startswith(live_server(f"{journey.prefix}/c/{SLUG}/widget")), frame.url
        # What the widget's script puts on the partner's page (the frame's title) too.
        ours = page.locator(".advocacy-widget").evaluate("e => e.outerHTML")
        journey.read(ours, "the widget's frame on the partner's page", whole_page=False)
        journey.step(frame, "widget form", page)

        fill(frame, unique_email("journey-js"))
        frame.click("form button[type=submit]")
        frame.wait_for_selector("#thanks-heading")
        journey.step(frame, "widget thanks", page)

        with context.expect_page() as new_tab:
            frame.click("form.widget__handoff button[type=submit]")
        results = new_tab.value
        results.wait_for_load_state()
        assert results.url.split("#")[0] == live_server(f"{journey.prefix}/c/{SLUG}/thanks")
        results_and_back(results, live_server, journey)
    finally:
        context.close()
    journey.assert_nothing_found()


@pytest.mark.parametrize("tag", list(SCRIPTS))
def test_without_javascript(
    browser: Browser, live_server: LiveServer, partner: StaticSite, tag: str
) -> None:
    journey = Journey("nojs", tag)
    context = new_context(browser, viewport=PHONE, is_mobile=True, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(partner.add(f"/{tag}-nojs.html", partner_html(live_server.url, tag)))
        journey.steps += 1
        shoot(page, f"{journey.mode}-1-partner")
        with page.expect_navigation():
            page.click("#no-js")
        assert page.url.split("?")[0] == live_server(f"{journey.prefix}/c/{SLUG}"), page.url
        journey.step(page, "campaign page arriving", page)

        form = page.locator("form.pledge-form")
        fill(form, unique_email("journey-nojs"), city=True)
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        assert page.url.split("#")[0] == live_server(f"{journey.prefix}/c/{SLUG}/thanks"), page.url
        results_and_back(page, live_server, journey)
    finally:
        context.close()
    journey.assert_nothing_found()
