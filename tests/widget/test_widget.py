"""The partner widget: the loader, the framed page, its cookie-free form and its guard."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from contact_keys import hashed, opened
from flask import Flask
from flask.testing import FlaskClient
from inbox import confirm_waiting
from pages import SLUG, hidden_value, submit_pledge, without_handoff
from werkzeug.test import TestResponse

from advocacy import create_app
from advocacy.config import ConfigError
from advocacy.db import get_session
from advocacy.models import Campaign, Pledge
from advocacy.pledges import guard
from advocacy.pledges.sealing import Contact
from advocacy.web import formguard
from advocacy.web.security import allows_framing
from advocacy.widget.framing import parse_origins, widget_policy

WIDGET = f"/c/{SLUG}/widget"
OTHER_SLUG = "another-campaign"
OWN_ORIGIN = "http://localhost"  # the test client's host
# The start of a token window, well inside it, so tests never straddle two windows.
T0 = 1_800_000_000 - 1_800_000_000 % formguard.WINDOW_SECONDS
SECRET = "test-secret-key-not-for-production"


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> dict[str, float]:
    """Fix the widget's clock a few seconds into a window; tests move it by hand."""
    clock = {"now": float(T0 + 5)}
    monkeypatch.setattr(guard, "now", lambda: clock["now"])
    return clock


def pledges(app: Flask) -> list[Pledge]:
    with app.app_context():
        return list(get_session().scalars(sa.select(Pledge).order_by(Pledge.id)))


def count(app: Flask) -> int:
    with app.app_context():
        value = get_session().scalar(sa.select(Campaign.pledge_count).where(Campaign.slug == SLUG))
        return int(value or 0)


def widget_fields(**fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"name": "Amina Tursun", "email": "amina@example.org", "zip": "98105"}
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def post_widget(
    client: FlaskClient,
    *,
    page_url: str = WIDGET + "?ref=partner.org",
    origin: str | None = OWN_ORIGIN,
    token: str | None = None,
    **fields: Any,
) -> TestResponse:
    """Load the widget, then post its form as the browser in the frame would."""
    html = client.get(page_url).get_data(as_text=True)
    data = {
        "started": hidden_value(html, "started") if token is None else token,
        "ref": hidden_value(html, "ref"),
        **widget_fields(**fields),
    }
    headers = {"Origin": origin} if origin is not None else {}
    return client.post(WIDGET, data=data, headers=headers)


def assert_frameable(response: TestResponse, ancestors: str = "*") -> None:
    policy = response.headers["Content-Security-Policy"]
    assert f"frame-ancestors {ancestors};" in policy
    assert "X-Frame-Options" not in response.headers
    # Otherwise as strict as the site's.
    for directive in ("script-src 'self'", "form-action 'self'", "default-src 'self'"):
        assert directive in policy


def assert_not_frameable(response: TestResponse) -> None:
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def assert_no_cookie(response: TestResponse) -> None:
    assert "Set-Cookie" not in response.headers
    # The session was never touched, so nothing says the page varies by cookie.
    assert "Cookie" not in response.headers.get("Vary", "")


# --- the token -------------------------------------------------------------------------------


def check(token: str, slug: str = SLUG, now: float = T0 + 5, **options: Any) -> Any:
    settings = {"min_seconds": 0.0, "max_age_seconds": 3600, **options}
    return formguard.check_bound_submission(
        SECRET, guard.WIDGET.salt, slug, token, "", now=now, **settings
    )


def test_a_token_is_the_same_for_a_whole_window_and_changes_with_the_next(
    frozen_clock: dict[str, float],
) -> None:
    first = guard.WIDGET.issue_token(SECRET, SLUG)
    frozen_clock["now"] = T0 + formguard.WINDOW_SECONDS - 1
    assert guard.WIDGET.issue_token(SECRET, SLUG) == first
    frozen_clock["now"] = T0 + formguard.WINDOW_SECONDS
    assert guard.WIDGET.issue_token(SECRET, SLUG) != first


def test_a_valid_token_is_accepted_and_may_be_used_again() -> None:
    token = guard.WIDGET.issue_token(SECRET, SLUG)
    assert check(token).ok
    assert check(token, now=T0 + 600).ok  # the same token, later, within its life


def test_an_expired_token_is_refused() -> None:
    token = guard.WIDGET.issue_token(SECRET, SLUG)
    verdict = check(token, now=T0 + 3601)
    assert not verdict.ok
    assert "open for a long time" in verdict.message


def test_a_tampered_token_is_refused() -> None:
    token = guard.WIDGET.issue_token(SECRET, SLUG)
    payload, signature = token.rsplit(".", 1)
    assert not check(payload + "." + signature[::-1]).ok
    assert not check(token[:-2]).ok
    assert not check("").ok
    # A token we never signed, claiming this campaign and an old start.
    forged = formguard.issue_bound_token("another-secret", guard.WIDGET.salt, SLUG, T0 - 600)
    assert not check(forged).ok
    # The campaign page's token does not make a widget token.
    assert not check(formguard.issue_bound_token(SECRET, guard.CAMPAIGN_PAGE.salt, SLUG, T0)).ok


def test_another_campaigns_token_is_refused() -> None:
    other = guard.WIDGET.issue_token(SECRET, OTHER_SLUG)
    assert check(other, OTHER_SLUG).ok
    assert not check(other, SLUG).ok
    assert not check(guard.WIDGET.issue_token(SECRET, SLUG), OTHER_SLUG).ok


def test_the_fill_time_is_measured_from_the_windows_end() -> None:
    # The page may have been served at any moment of its window, so a bot that fetched it
    # late in the window gains nothing (tests/web/test_form_tokens.py has more).
    token = guard.WIDGET.issue_token(SECRET, SLUG)
    end = T0 + formguard.WINDOW_SECONDS
    verdict = check(token, now=end + 1, min_seconds=2)
    assert not verdict.ok and "quicker than we expected" in verdict.message
    assert check(token, now=end + 2, min_seconds=2).ok


def test_origin_check() -> None:
    own = "https://advocacy.example/"
    assert not formguard.is_foreign_origin(None, None, own)
    assert not formguard.is_foreign_origin("https://advocacy.example", None, own)
    assert not formguard.is_foreign_origin("HTTPS://Advocacy.Example", None, own)
    for foreign in (
        "https://partner.org",
        "http://advocacy.example",
        "https://advocacy.example:8443",
        "https://advocacy.example.evil.org",
        "null",
        "",
    ):
        assert formguard.is_foreign_origin(foreign, None, own), foreign
    # A browser that says the post is cross-site is believed, whatever the Origin.
    assert formguard.is_foreign_origin(None, "cross-site", own)
    assert not formguard.is_foreign_origin(None, "same-origin", own)


# --- the loader ------------------------------------------------------------------------------


def test_embed_js_is_a_small_cacheable_script_without_cookies(client: FlaskClient) -> None:
    response = client.get("/embed.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    script = response.get_data(as_text=True)
    assert len(script.encode()) < 8 * 1024
    # One function expression run at once: no global names.
    code = re.sub(r"/\*.*?\*/", "", script, flags=re.S).strip()
    assert code.startswith("(function () {") and code.endswith("})();")
    assert "advocacy:pledged" in script and "event.origin" in script
    assert "event.source !== frame.contentWindow" in script
    assert response.headers["Cache-Control"].startswith("public, max-age=300")
    assert response.headers["ETag"]
    assert_no_cookie(response)


def test_embed_js_answers_a_revalidation_with_304(client: FlaskClient) -> None:
    etag = client.get("/embed.js").headers["ETag"]
    again = client.get("/embed.js", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert_no_cookie(again)


# --- the widget page -------------------------------------------------------------------------


def test_widget_page_shows_the_campaign_count_and_a_short_form(
    app: Flask, client: FlaskClient
) -> None:
    submit_pledge(client, email="first@example.org")  # through the main form
    confirm_waiting(app)  # counted once confirmed from the mailbox
    response = client.get(WIDGET + "?ref=partner.org")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Remember Baren: pass the Uyghur Policy Act</h1>" in html
    assert "<strong>1</strong> person has added their name. Our goal: 10,000." in html
    assert '<progress max="10000" value="1" aria-labelledby="progress-label">' in html
    form = html[html.index("<form") : html.index("</form>")]
    assert f'action="{WIDGET}"' in form and 'method="post"' in form
    names = re.findall(r'<input[^>]*name="([^"]+)"', form)
    assert sorted(names) == sorted(
        ["started", "ref", "contact_me_by_fax_only", "name", "email", "zip", "consent"]
    )
    consent = re.search(r'<input[^>]*name="consent"[^>]*>', form)
    assert consent and "checked" not in consent.group(0)
    assert hidden_value(html, "ref") == "partner.org"
    assert "csrf_token" not in html


def test_widget_page_is_cacheable_with_etag_304_and_a_short_max_age(
    client: FlaskClient, frozen_clock: dict[str, float]
) -> None:
    first = client.get(WIDGET + "?ref=partner.org")
    assert first.headers["Cache-Control"] == f"public, max-age={formguard.WINDOW_SECONDS - 5}"
    assert_no_cookie(first)
    frozen_clock["now"] = T0 + formguard.WINDOW_SECONDS - 1  # later in the same window
    again = client.get(
        WIDGET + "?ref=partner.org", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    assert again.headers["Cache-Control"] == "public, max-age=1"
    assert_no_cookie(again)
    frozen_clock["now"] = T0 + formguard.WINDOW_SECONDS  # the next window: a new token
    renewed = client.get(
        WIDGET + "?ref=partner.org", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert renewed.status_code == 200
    assert renewed.headers["ETag"] != first.headers["ETag"]


def test_widget_page_reads_only_the_campaign_row(app: Flask, client: FlaskClient) -> None:
    client.get(WIDGET)  # warm: content parsed, data files loaded
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    engine = app.extensions["advocacy.engine"]
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(WIDGET).status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1 and "FROM campaigns" in selects[0], statements
    assert not [s for s in statements if not s.lstrip().upper().startswith(("SELECT", "BEGIN"))]


def test_ref_is_cut_to_the_columns_length(client: FlaskClient) -> None:
    html = client.get(WIDGET + "?ref=" + "r" * 100).get_data(as_text=True)
    assert hidden_value(html, "ref") == "r" * 64


def test_unknown_campaign_widget_is_a_404_inside_the_frame(client: FlaskClient) -> None:
    response = client.get("/c/no-such-campaign/widget")
    assert response.status_code == 404
    assert_frameable(response)


# --- framing, per route ----------------------------------------------------------------------


def test_only_the_widget_may_be_framed(app: Flask, client: FlaskClient) -> None:
    assert_frameable(client.get(WIDGET))
    assert_frameable(post_widget(client, email="frame@example.org"))
    assert_frameable(post_widget(client, name=""))  # an error inside the frame shows too

    submit_pledge(client, email="main@example.org")
    for path in (f"/c/{SLUG}", "/", f"/c/{SLUG}/thanks", f"/api/v1/campaigns/{SLUG}", "/healthz"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_not_frameable(response)
    assert_not_frameable(client.get("/embed.js"))


def test_the_allow_list_names_who_may_frame_the_widget(make_app: Any) -> None:
    app = make_app(WIDGET_ALLOWED_ORIGINS="https://partner.org, https://*.example.net")
    client = app.test_client()
    assert_frameable(client.get(WIDGET), "https://partner.org https://*.example.net")
    assert_not_frameable(client.get(f"/c/{SLUG}"))


def test_allowed_origins_setting_is_checked() -> None:
    assert parse_origins("") == ()
    assert parse_origins(" https://a.org,https://b.org:8443/  http://c.org ") == (
        "https://a.org",
        "https://b.org:8443",
        "http://c.org",
    )
    assert "frame-ancestors *;" in widget_policy("")
    assert allows_framing(widget_policy(""))
    assert allows_framing(widget_policy("https://a.org"))
    assert not allows_framing("default-src 'self'; frame-ancestors 'none'")
    assert not allows_framing("default-src 'self'")
    for bad in ("partner.org", "https://partner.org/path", "javascript:alert(1)", "*", "'self'"):
        with pytest.raises(ValueError):
            parse_origins(bad)


def test_a_bad_allowed_origins_setting_stops_the_app(tmp_path: Any) -> None:
    from apps import base_config

    config = {**base_config(tmp_path, "sqlite://"), "WIDGET_ALLOWED_ORIGINS": "partner.org"}
    with pytest.raises(ConfigError, match="ADVOCACY_WIDGET_ALLOWED_ORIGINS"):
        create_app(config)


# --- the widget's form -----------------------------------------------------------------------


def test_a_pledge_through_the_widget_records_the_ref_and_bumps_the_count(
    app: Flask, client: FlaskClient
) -> None:
    response = post_widget(client, consent="y")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert_no_cookie(response)
    html = response.get_data(as_text=True)
    assert "Thank you. Now check your email to confirm." in html
    # Not counted until confirmed from the mailbox, which holds the only withdraw link.
    assert "<strong>0</strong> people have added their name" in html
    assert "withdraw/" not in html
    assert "data-pledged" in html
    # "Write to your members": a form that opens this pledge's results page in a new tab.
    handoff = re.search(r'<form class="widget__handoff" ([^>]*)>', html)
    assert handoff, html
    assert f'action="/c/{SLUG}/results/handoff"' in handoff.group(1)
    assert 'method="post"' in handoff.group(1) and 'target="_blank"' in handoff.group(1)
    assert "Write to your members" in html
    # Nothing typed travels in a URL.
    for typed in ("Amina", "amina", "98105"):
        assert all(typed not in href for href in re.findall(r'href="([^"]*)"', html))

    [pledge] = pledges(app)
    assert opened(pledge) == Contact("Amina Tursun", "amina@example.org")
    assert (pledge.email_hash, pledge.zip, pledge.ref) == (
        hashed("amina@example.org"),
        "98105",
        "partner.org",
    )
    assert (pledge.state, pledge.district, pledge.consent) == ("WA", 7, True)
    assert count(app) == 0
    assert confirm_waiting(app) == 1
    assert count(app) == 1
    # The campaign page and the stats API count it too.
    stats = client.get(f"/api/v1/campaigns/{SLUG}").get_json()
    assert stats["pledge_count"] == 1


def test_consent_is_off_unless_ticked(app: Flask, client: FlaskClient) -> None:
    post_widget(client)
    assert pledges(app)[0].consent is False


def test_a_repeat_email_gets_the_same_answer_as_a_new_one(app: Flask, client: FlaskClient) -> None:
    post_widget(client, email="amina@example.org")
    new = post_widget(client, email="other@example.org")
    repeat = post_widget(client, email=" AMINA@example.org ")
    assert new.status_code == repeat.status_code == 200
    # Both in the same token window: byte for byte the same page, but for the handoff's
    # token, which names a new random visit for each.
    assert hidden_value(repeat.get_data(as_text=True), "token") != hidden_value(
        new.get_data(as_text=True), "token"
    )
    assert without_handoff(repeat.get_data(as_text=True)) == without_handoff(
        new.get_data(as_text=True)
    )
    assert {k: v for k, v in repeat.headers if k != "Date"} == {
        k: v for k, v in new.headers if k != "Date"
    }
    assert count(app) == 0 and len(pledges(app)) == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Please enter your name."),
        ("email", "not-an-email", "Please enter an email address like name@example.org."),
        ("zip", "9810", "Please enter a 5-digit ZIP code, like 98101."),
        ("zip", "00000", "We could not find ZIP code 00000."),
    ],
)
def test_bad_input_gets_a_message_beside_the_field_and_422(
    app: Flask, client: FlaskClient, field: str, value: str, message: str
) -> None:
    typed = {"name": "Gülnar Ömer", "email": "gulnar@example.org", "zip": "98105", field: value}
    response = post_widget(client, **typed)
    assert response.status_code == 422
    assert response.headers["Cache-Control"] == "no-store"
    assert_no_cookie(response)
    assert_frameable(response)
    html = response.get_data(as_text=True)
    error_at = html.index(f'id="{field}-error"')
    assert message in html[error_at : error_at + 400]
    field_tag = re.search(rf'<input[^>]*id="{field}"[^>]*>', html)
    assert field_tag and 'aria-invalid="true"' in field_tag.group(0)
    assert f"{field}-error" in field_tag.group(0)
    assert 'id="error-summary"' in html
    # What was typed is kept, and the partner's ref with it.
    for name, text in typed.items():
        assert re.search(rf'<input[^>]*name="{name}" value="{re.escape(text)}"', html), name
    assert hidden_value(html, "ref") == "partner.org"
    assert pledges(app) == []


def test_the_honeypot_is_refused(app: Flask, client: FlaskClient) -> None:
    response = post_widget(client, contact_me_by_fax_only="call me")
    assert response.status_code == 422
    assert "could not accept this submission" in response.get_data(as_text=True)
    assert pledges(app) == []


def test_a_form_sent_too_fast_is_refused_then_accepted(
    make_app: Any, frozen_clock: dict[str, float]
) -> None:
    app = make_app(MIN_FILL_SECONDS=10)
    client = app.test_client()
    frozen_clock["now"] = T0 + 3
    token = hidden_value(client.get(WIDGET).get_data(as_text=True), "started")
    response = post_widget(client, token=token)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "quicker than we expected" in html
    assert 'value="Amina Tursun"' in html
    assert pledges(app) == []
    # Ten seconds after the latest moment that page could have been served: accepted.
    frozen_clock["now"] = T0 + formguard.WINDOW_SECONDS + 10
    assert post_widget(client, token=token).status_code == 200
    assert len(pledges(app)) == 1


def test_an_expired_form_is_sent_back_with_a_fresh_token(
    app: Flask, client: FlaskClient, frozen_clock: dict[str, float]
) -> None:
    token = hidden_value(client.get(WIDGET).get_data(as_text=True), "started")
    frozen_clock["now"] = T0 + app.config["FORM_MAX_AGE_SECONDS"] + 60
    response = post_widget(client, token=token)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "open for a long time" in html
    fresh = hidden_value(html, "started")
    assert fresh != token
    assert post_widget(client, token=fresh).status_code == 200
    assert len(pledges(app)) == 1


@pytest.mark.parametrize("token", ["", "forged", "eyJmb3IiOiJ4In0.bad"])
def test_a_missing_or_forged_token_is_refused(app: Flask, client: FlaskClient, token: str) -> None:
    response = post_widget(client, token=token)
    assert response.status_code == 422
    assert "Please check the form and send it again." in response.get_data(as_text=True)
    assert pledges(app) == []


def test_a_token_for_another_campaign_is_refused(app: Flask, client: FlaskClient) -> None:
    other = guard.WIDGET.issue_token(app.config["SECRET_KEY"], OTHER_SLUG)
    response = post_widget(client, token=other)
    assert response.status_code == 422
    assert pledges(app) == []
    # The same form with this campaign's token, sent twice (replay within its life): fine.
    token = guard.WIDGET.issue_token(app.config["SECRET_KEY"], SLUG)
    assert post_widget(client, token=token, email="a@example.org").status_code == 200
    assert post_widget(client, token=token, email="b@example.org").status_code == 200
    assert len(pledges(app)) == 2


def test_the_main_forms_start_token_does_not_pass_the_widget(
    app: Flask, client: FlaskClient
) -> None:
    main = hidden_value(client.get(f"/c/{SLUG}").get_data(as_text=True), "started")
    assert post_widget(client, token=main).status_code == 422
    assert pledges(app) == []


# --- the Origin check ------------------------------------------------------------------------


def test_a_post_from_our_own_origin_is_accepted(app: Flask, client: FlaskClient) -> None:
    assert post_widget(client, origin=OWN_ORIGIN).status_code == 200
    assert len(pledges(app)) == 1


@pytest.mark.parametrize("origin", ["https://partner.org", "http://localhost:8080", "null"])
def test_a_post_from_another_origin_is_forbidden(
    app: Flask, client: FlaskClient, origin: str
) -> None:
    response = post_widget(client, origin=origin)
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert "can only be sent from the campaign&#39;s own pledge form" in html
    assert "Nothing was recorded" in html
    assert_no_cookie(response)
    assert pledges(app) == []


def test_a_post_without_origin_needs_a_valid_token(app: Flask, client: FlaskClient) -> None:
    assert post_widget(client, origin=None, token="forged").status_code == 422
    assert pledges(app) == []
    assert post_widget(client, origin=None).status_code == 200
    assert len(pledges(app)) == 1


def test_a_widget_token_does_not_open_the_campaign_pages_form(make_app: Any) -> None:
    app = make_app()
    client = app.test_client()
    assert post_widget(client).status_code == 200
    refused = client.post(f"/c/{SLUG}", data=widget_fields(email="main@example.org"))
    assert refused.status_code == 422
    assert "send it again" in refused.get_data(as_text=True)
    assert len(pledges(app)) == 1


# --- rate limits -----------------------------------------------------------------------------


def test_widget_posts_are_rate_limited_and_keep_what_was_typed(make_app: Any) -> None:
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_WRITE="2 per minute")
    client = app.test_client()
    for n in range(2):
        assert post_widget(client, email=f"p{n}@example.org").status_code == 200
    response = post_widget(client, email="p3@example.org")
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "Please wait a minute" in html
    assert 'value="p3@example.org"' in html
    assert_frameable(response)
    assert_no_cookie(response)
    assert len(pledges(app)) == 2
    # Reading the widget is not a write and stays open.
    assert client.get(WIDGET).status_code == 200
