"""The campaign page: the shipped campaign, readable, with its story, facts and form."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from html import unescape
from pathlib import Path
from typing import Any

from apps import base_config
from flask.testing import FlaskClient
from inbox import confirm_waiting
from pages import SLUG, hidden_value, pledge_fields, submit_pledge

from advocacy import create_app
from advocacy.campaigns.content import load_campaign_file, shipped_campaign_files
from advocacy.campaigns.service import upsert_campaign
from advocacy.db import get_session
from advocacy.web import formguard

# The 119th Congress, and H.R. 2635 and S. 1542 with it, ends at noon Eastern.
LAST_SECOND = datetime(2027, 1, 3, 16, 59, 59, tzinfo=UTC)
ENDED = datetime(2027, 1, 3, 17, 0, 0, tzinfo=UTC)


def test_home_page_serves_the_shipped_campaign(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Uyghur Policy Act" in html
    assert client.get(f"/c/{SLUG}").get_data(as_text=True).count("<h1>") == 1


def test_page_tells_the_story_and_the_facts_with_sources(client: FlaskClient) -> None:
    html = client.get(f"/c/{SLUG}").get_data(as_text=True)
    for fact in ("April 5, 1990", "Baren", "H.R. 2635", "S. 1542", "September 2, 2025"):
        assert fact in html, fact
    assert "congress.gov/bill/119th-congress/house-bill/2635" in html
    assert "Sources" in html


def test_page_has_the_form_with_every_field_and_consent_unticked(client: FlaskClient) -> None:
    html = client.get(f"/c/{SLUG}").get_data(as_text=True)
    for name in ("name", "email", "zip", "street", "city", "state", "note", "consent", "ref"):
        assert f'name="{name}"' in html, name
    consent = html[html.index('name="consent"') - 200 : html.index('name="consent"') + 200]
    assert "checked" not in consent
    assert 'name="started"' in html  # the signed token that guards the form


def test_page_is_the_same_for_everyone_and_sets_no_cookie(client: FlaskClient) -> None:
    # Within one form token window (a new window is a new page, with a new token): asked
    # again when the two requests straddled a window's end.
    for _ in range(3):
        window = formguard.window_start(time.time())
        first = client.get(f"/c/{SLUG}")
        second = client.get(f"/c/{SLUG}", headers={"Cookie": "session=someone-else"})
        if formguard.window_start(time.time()) == window:
            break
    assert "Set-Cookie" not in first.headers and "Cookie" not in first.headers.get("Vary", "")
    assert first.headers["Cache-Control"].startswith("public, max-age=")
    assert 0 < int(first.headers["Cache-Control"].rsplit("=", 1)[1]) <= 60
    assert first.get_data() == second.get_data()
    again = client.get(f"/c/{SLUG}", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_a_post_from_another_site_is_refused(client: FlaskClient) -> None:
    html = client.get(f"/c/{SLUG}").get_data(as_text=True)
    data = {**pledge_fields(), "started": hidden_value(html, "started")}
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        response = client.post(f"/c/{SLUG}", data=data, headers=headers)
        assert response.status_code == 403
        assert "Nothing was recorded" in response.get_data(as_text=True)
    assert (
        client.post(f"/c/{SLUG}", data=data, headers={"Origin": "http://localhost"}).status_code
        == 303
    )


def test_ref_from_the_page_url_is_carried_in_a_hidden_field(client: FlaskClient) -> None:
    html = client.get(f"/c/{SLUG}?ref=partner-site").get_data(as_text=True)
    assert 'name="ref" type="hidden" value="partner-site"' in html


def test_ref_longer_than_64_characters_is_cut(client: FlaskClient) -> None:
    html = client.get(f"/c/{SLUG}?ref={'x' * 200}").get_data(as_text=True)
    assert f'value="{"x" * 64}"' in html
    assert "x" * 65 not in html


def test_progress_bar_counts_pledges_against_the_goal(client: FlaskClient) -> None:
    html = client.get(f"/c/{SLUG}").get_data(as_text=True)
    assert "<strong>0</strong> people have added their name" in html
    assert 'max="10000"' in html
    submit_pledge(client)
    confirm_waiting(client.application)  # counted once confirmed from the mailbox
    html = client.get(f"/c/{SLUG}").get_data(as_text=True)
    assert "<strong>1</strong> person has added their name" in html


def test_unknown_campaign_is_a_404_page(client: FlaskClient) -> None:
    response = client.get("/c/no-such-campaign")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_pages_carry_security_headers(client: FlaskClient) -> None:
    response = client.get(f"/c/{SLUG}")
    headers = response.headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_healthz_answers_ok_when_the_database_answers(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"
    assert response.get_json()["database"] == "ok"


def test_healthz_answers_503_when_the_database_is_gone(tmp_path: Path) -> None:
    config = base_config(tmp_path, "sqlite:////nonexistent-dir/never/here.sqlite3")
    response = create_app(config).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unavailable"}


# --- once the bill's Congress has ended -----------------------------------------------------


def page_text(client: FlaskClient, slug: str = SLUG) -> str:
    """The page's text as a reader sees it: tags removed, spaces squeezed."""
    html = client.get(f"/c/{slug}").get_data(as_text=True)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def test_a_second_before_the_end_the_page_asks_for_the_bill_numbers(make_app: Any) -> None:
    client = make_app(CLOCK=lambda: LAST_SECOND).test_client()
    text = page_text(client)
    assert "cosponsor S. 1542 and to pass H.R. 2635" in text
    assert "Where it stands" in text
    assert "died with" not in text


def test_after_the_end_the_page_asks_for_the_bill_to_be_reintroduced(make_app: Any) -> None:
    client = make_app(CLOCK=lambda: ENDED).test_client()
    text = page_text(client)
    ask = section(text, "Add your name", "I stand with the Uyghur people")
    assert "needs to be introduced again in the new Congress" in ask
    assert "reintroduce the Uyghur Policy Act" in ask
    for number in ("S. 1542", "H.R. 2635"):
        assert number not in ask
    assert "cosponsor S. 1542" not in text
    assert "The Uyghur Policy Act died in the Senate" in section(text, "Remember Baren", "people")
    # The bill facts are history now.
    bill = section(text, "What the Uyghur Policy Act does", "Add your name")
    assert "Where it stands" not in bill
    assert "What happened in the 119th Congress" in bill
    assert (
        "H.R. 2635 and S. 1542 died with the 119th Congress, which ended on January 3, 2027"
        in bill
    )
    assert "January 3, 2027 : The 119th Congress ended, and H.R. 2635 and S. 1542 died" in bill
    assert "Read the bills of the 119th Congress on congress.gov" in bill
    html = client.get(f"/c/{SLUG}").get_data(as_text=True)
    assert (
        'content="In 1990, China&#39;s army crushed the Baren uprising. The Uyghur Policy Act died'
        in html
    )


def test_after_the_end_without_a_next_congress_table_a_built_in_ask(make_app: Any) -> None:
    app = make_app(CLOCK=lambda: ENDED)
    shipped = load_campaign_file(shipped_campaign_files()[0])
    bare = {k: v for k, v in shipped.items() if k != "next_congress"}
    with app.app_context():
        upsert_campaign(get_session(), dict(bare, slug="no-next-congress", default=False))
        get_session().commit()
    text = page_text(app.test_client(), "no-next-congress")
    ask = section(text, "Add your name", "I stand with the Uyghur people")
    assert "we ask Congress to reintroduce the Uyghur Policy Act and pass it" in ask
    assert "The 119th Congress ended on January 3, 2027" in ask
    for number in ("S. 1542", "H.R. 2635"):
        assert number not in ask
    assert "cosponsor S. 1542" not in text
    assert "Ask your members of Congress to reintroduce it and pass it." in text
    assert "H.R. 2635 and S. 1542 died with the 119th Congress" in text


def test_static_files_have_versioned_addresses_cached_for_a_year(client: FlaskClient) -> None:
    html = client.get(f"/c/{SLUG}").get_data(as_text=True)
    found = re.search(r'href="(/static/css/site\.css\?v=([0-9a-f]{12}))"', html)
    assert found, "the stylesheet's address carries its version"
    with client.get(found.group(1)) as versioned:
        assert versioned.status_code == 200
        assert versioned.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    for other in ("/static/css/site.css", "/static/css/site.css?v=000000000000"):
        with client.get(other) as response:
            assert "immutable" not in response.headers.get("Cache-Control", "")


def test_the_campaign_page_with_its_assets_weighs_under_60_kb(client: FlaskClient) -> None:
    html = client.get(f"/c/{SLUG}").get_data(as_text=True)
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert assets
    total = len(html.encode())
    for address in assets:
        with client.get(unescape(address)) as response:
            total += len(response.get_data())
    assert total < 60 * 1024, total
