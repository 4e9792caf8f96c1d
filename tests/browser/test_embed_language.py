"""The loader picks the widget's language on a partner's page, in Chromium.

data-lang on the tag chooses it; without it the widget follows the partner page's lang
when that is one of ours (ug and ug-Arab: Arabic script; ug-Latn: Latin script) and is
English otherwise. The partner's page is served from another site (http://127.0.0.2), so
the widget is a cross-site frame, as on a real partner's site.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count

import pytest
from playwright.sync_api import Page

from .journeys import SLUG, LiveServer
from .test_widget import PARTNER_HOST, StaticSite

pytestmark = pytest.mark.browser

_pages = count(1)


@pytest.fixture(scope="module")
def partner() -> Iterator[StaticSite]:
    """The partner's site: another site than the app's, on loopback too (a page from a
    public address may not load from loopback: Chromium's Private Network Access)."""
    site = StaticSite(PARTNER_HOST)
    yield site
    site.close()


def open_partner_page(page: Page, partner: StaticSite, body: str) -> None:
    """Open a partner's page; wait for the loader to give the frame its address."""
    page.goto(partner.add(f"/page-{next(_pages)}", body))
    page.wait_for_function("() => document.querySelector('.advocacy-widget iframe[src]')")


def partner_page(
    page: Page, partner: StaticSite, app_url: str, *, html_lang: str | None, tag_attrs: str = ""
) -> None:
    """Open a partner's page with one widget tag, in html_lang (None: no lang)."""
    lang = f' lang="{html_lang}"' if html_lang is not None else ""
    body = f"""<!doctype html>
<html{lang}><head><meta charset="utf-8"><title>Partner</title></head>
<body><h1>Partner</h1>
<script src="{app_url}/embed.js" data-campaign="{SLUG}" data-ref="p" {tag_attrs} async></script>
</body></html>"""
    open_partner_page(page, partner, body)


def frame_src(page: Page) -> str:
    src: str = page.locator(".advocacy-widget iframe").get_attribute("src") or ""
    return src


@pytest.mark.parametrize(
    ("html_lang", "tag_attrs", "prefix"),
    [
        ("ug", "", "/ug"),
        ("ug-Arab", "", "/ug"),
        ("ug-CN", "", "/ug"),
        ("ug-Latn", "", "/ug-Latn"),
        ("UG-latn-US", "", "/ug-Latn"),
        # Uyghur in Cyrillic is not a script the site writes: English, not Arabic script.
        ("ug-Cyrl", "", ""),
        ("en", "", ""),
        ("fr", "", ""),
        (None, "", ""),
        ("constructor", "", ""),
        # data-lang wins over the page's lang, either way.
        ("en", 'data-lang="ug"', "/ug"),
        ("fr", 'data-lang="ug-Latn"', "/ug-Latn"),
        ("ug", 'data-lang="en"', ""),
        ("ug", 'data-lang="ug-Latn"', "/ug-Latn"),
        # An empty data-lang is no choice: the page's lang decides.
        ("ug", 'data-lang=""', "/ug"),
    ],
)
def test_the_widget_speaks_the_tags_or_the_pages_language(
    page: Page,
    partner: StaticSite,
    live_server: LiveServer,
    html_lang: str | None,
    tag_attrs: str,
    prefix: str,
) -> None:
    partner_page(page, partner, live_server.url, html_lang=html_lang, tag_attrs=tag_attrs)
    assert frame_src(page) == live_server(f"{prefix}/c/{SLUG}/widget?ref=p")
    # The link for a browser without frames goes to the same language's campaign page.
    fallback = page.locator(".advocacy-widget iframe a").get_attribute("href")
    assert fallback == live_server(f"{prefix}/c/{SLUG}?ref=p")


def test_a_uyghur_partner_page_frames_the_right_to_left_widget(
    page: Page, partner: StaticSite, live_server: LiveServer
) -> None:
    partner_page(page, partner, live_server.url, html_lang="ug")
    frame = page.frame_locator(".advocacy-widget iframe")
    html = frame.locator("html")
    assert html.get_attribute("lang") == "ug"
    assert html.get_attribute("dir") == "rtl"
    # Its form sends to the same language's widget, so errors and thanks stay in Uyghur.
    action = frame.locator("form").first.get_attribute("action")
    assert action == f"/ug/c/{SLUG}/widget"


def test_the_nearest_lang_around_the_tag_counts(
    page: Page, partner: StaticSite, live_server: LiveServer
) -> None:
    # An English page with a Uyghur section, the tag inside it.
    body = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>P</title></head>
<body><section lang="ug"><h2>ئۇيغۇرچە</h2>
<script src="{live_server.url}/embed.js" data-campaign="{SLUG}" async></script></section>
</body></html>"""
    open_partner_page(page, partner, body)
    assert frame_src(page).startswith(live_server(f"/ug/c/{SLUG}/widget"))
