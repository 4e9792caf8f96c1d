"""Page weight: what a supporter's phone downloads for the campaign page, the results page
and the widget, in each language, stays within a budget (README, "Fonts").

Counted uncompressed, as a browser with an empty cache fetches it: the HTML, every
stylesheet (print's too: browsers fetch it at low priority), script and image it
references, and every font those stylesheets name (both weights, whether or not the page
uses bold: an upper bound). English and Latin-script Uyghur pages must name no font at
all. Chromium's own downloads are checked in tests/browser/test_rtl.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from flask.testing import FlaskClient
from pages import SLUG, hidden_value, parse, pledge_fields

ROOT = Path(__file__).resolve().parents[2]
# The budget per page, uncompressed. The Uyghur font (two weights of about 14 KB) is what
# the Uyghur pages add; the rest is the page itself, which varies with the campaign's text.
BUDGET_BYTES = 150 * 1024
PREFIXES = {"en": "", "ug": "/ug", "ug-Latn": "/ug-Latn"}
FONT_STYLESHEET = "lang-ug.css"
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")


def fetch(client: FlaskClient, url: str) -> bytes:
    path = urlsplit(url)
    # Static files are streamed from disk: close each answer, or its file stays open.
    with client.get(path.path + (f"?{path.query}" if path.query else "")) as response:
        assert response.status_code == 200, url
        return response.get_data()


def downloads(client: FlaskClient, url: str, html: bytes) -> dict[str, int]:
    """Every file the page makes a browser fetch, with its size: the page itself first."""
    sizes = {url: len(html)}
    page = parse(html.decode())
    referenced = [link.attrs["href"] for link in page.find_all("link", rel="stylesheet")]
    referenced += [s.attrs["src"] for s in page.find_all("script") if "src" in s.attrs]
    referenced += [
        i.attrs["src"] for i in page.find_all("img") if not i.attrs["src"].startswith("data:")
    ]
    for ref in referenced:
        address = urljoin(url, ref)
        body = fetch(client, address)
        sizes[address] = len(body)
        if address.split("?")[0].endswith(".css"):
            for font in CSS_URL.findall(body.decode()):
                font_address = urljoin(address, font)
                sizes[font_address] = len(fetch(client, font_address))
    return sizes


def campaign_page(client: FlaskClient, prefix: str) -> tuple[str, bytes]:
    url = f"http://localhost{prefix}/c/{SLUG}"
    return url, fetch(client, url)


def widget(client: FlaskClient, prefix: str) -> tuple[str, bytes]:
    url = f"http://localhost{prefix}/c/{SLUG}/widget?ref=partner"
    return url, fetch(client, url)


def results_page(client: FlaskClient, prefix: str) -> tuple[str, bytes]:
    """Pledge on the campaign page in this language; return the results page it opens."""
    html = client.get(f"{prefix}/c/{SLUG}").get_data(as_text=True)
    data = {
        "started": hidden_value(html, "started"),
        "ref": "",
        **pledge_fields(email=f"weight-{prefix.strip('/') or 'en'}@example.org"),
    }
    answer = client.post(f"{prefix}/c/{SLUG}", data=data, follow_redirects=True)
    assert answer.status_code == 200
    assert answer.request.path == f"{prefix}/c/{SLUG}/thanks"
    return f"http://localhost{answer.request.path}", answer.get_data()


PAGES = {"campaign": campaign_page, "results": results_page, "widget": widget}


@pytest.mark.parametrize("tag", list(PREFIXES))
@pytest.mark.parametrize("name", list(PAGES))
def test_each_page_in_each_language_stays_within_the_budget(
    client: FlaskClient, name: str, tag: str
) -> None:
    url, html = PAGES[name](client, PREFIXES[tag])
    sizes = downloads(client, url, html)
    total = sum(sizes.values())
    listing = "\n".join(f"{size:>8} {address}" for address, size in sizes.items())
    assert total <= BUDGET_BYTES, f"{name} ({tag}) weighs {total} bytes:\n{listing}"
    fonts = [address for address in sizes if "/static/fonts/" in address]
    stylesheets = [address for address in sizes if FONT_STYLESHEET in address]
    if tag == "ug":
        assert len(fonts) == 2 and len(stylesheets) == 1, listing
    else:
        # English and Latin-script pages pay nothing for the Arabic-script font.
        assert fonts == [] and stylesheets == [], listing


def test_the_fonts_are_small_woff2_with_their_licence_beside_them() -> None:
    fonts = ROOT / "static" / "fonts"
    for weight in ("regular", "bold"):
        data = (fonts / f"noto-sans-arabic-ug-{weight}.woff2").read_bytes()
        assert data[:4] == b"wOF2"
        assert len(data) < 30 * 1024
    licence = (fonts / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Copyright 2015-2020 Google LLC" in licence


def test_the_stylesheets_unicode_range_is_the_subsets_characters() -> None:
    # scripts/subset_font.py prints the range of the characters it keeps; the stylesheet
    # must say the same, or a page would fetch the font for nothing (or fall back).
    printed = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "subset_font.py"), "--unicode-range"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    css = (ROOT / "static" / "css" / FONT_STYLESHEET).read_text(encoding="utf-8")
    ranges = re.findall(r"unicode-range:\s*([^;]+);", css)
    assert ranges == [printed, printed]
    assert css.count("font-display: swap") == 2
