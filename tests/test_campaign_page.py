"""The campaign page: the shipped campaign, readable, with its story, facts and form."""

from __future__ import annotations

from pathlib import Path

from conftest import base_config
from flask.testing import FlaskClient
from pages import SLUG, submit_pledge

from advocacy import create_app


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
    assert 'name="csrf_token"' in html


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
