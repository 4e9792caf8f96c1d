"""Organizers' accounts and access: the locked room around supporters' data."""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import pyotp
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from limits import parse_many
from organizer_pages import (
    EMAIL,
    PASSWORD,
    create_organizer,
    download,
    login,
    seed_pledges,
    signed_in_client,
)
from pages import SLUG, hidden_value

from advocacy.config import ConfigError
from advocacy.db import get_session
from advocacy.models import AuditEvent, Organizer, OrganizerSession
from advocacy.organizers import accounts, signin, throttle

PAGES = [
    "/organizers/",
    f"/organizers/c/{SLUG}/",
    f"/organizers/c/{SLUG}/report",
    f"/organizers/c/{SLUG}/report/WA-7",
    # Lobby packets: the list, a state's, a senator's.
    f"/organizers/c/{SLUG}/packets",
    f"/organizers/c/{SLUG}/packets/WA",
    f"/organizers/c/{SLUG}/packets/WA/senator/M001111",
    # A GET at an export's address shows the page with its button; only a POST downloads.
    f"/organizers/c/{SLUG}/pledges.csv",
    f"/organizers/c/{SLUG}/districts.csv",
    # Who runs the site (advocacy/organization/settings.py, behind the same door).
    "/organizers/organization",
    "/organizers/organization/logo",
    # People: owners invite organizers and give them roles.
    "/organizers/people",
    # The campaign editor (advocacy/organizers/editor), its history and its preview.
    "/organizers/campaigns",
    f"/organizers/c/{SLUG}/edit",
    f"/organizers/c/{SLUG}/versions",
    f"/organizers/c/{SLUG}/versions/1",
    f"/organizers/c/{SLUG}/preview",
    f"/organizers/c/{SLUG}/preview/page",
    # A campaign's events, a poster and its QR code.
    f"/organizers/c/{SLUG}/events",
    f"/organizers/c/{SLUG}/events/K7QX2M/poster",
    f"/organizers/c/{SLUG}/events/K7QX2M/qr.svg",
    # The organizer's passkeys; the owners' switch for password sign-in.
    "/organizers/account/passkeys",
    "/organizers/account/sign-in",
]
EXPORTS = [
    f"/organizers/c/{SLUG}/pledges.csv",
    f"/organizers/c/{SLUG}/districts.csv",
]


def _organizer(app: Flask, email: str = EMAIL) -> Organizer:
    with app.app_context():
        organizer = accounts.find_organizer(get_session(), email)
        assert organizer is not None
        return organizer


# --- anonymous access -----------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_pages_redirect_to_the_sign_in_page(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    location = urlparse(response.headers["Location"])
    assert location.path == "/organizers/login"
    assert parse_qs(location.query).get("next") == [path.split("?")[0]]
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", EXPORTS)
def test_anonymous_exports_answer_401(client: Any, path: str) -> None:
    # A token from the sign-in page gets past the CSRF check; no session gets further.
    token = hidden_value(client.get("/organizers/login").get_data(as_text=True), "csrf_token")
    response = client.post(path, data={"csrf_token": token})
    assert response.status_code == 401
    assert response.headers["Cache-Control"] == "no-store"
    assert "supporter" not in response.get_data(as_text=True).lower()


def test_every_organizer_route_is_covered_by_the_anonymous_checks(app: Flask) -> None:
    routes = {
        (r.rule, r.endpoint, method)
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/organizers")
        for method in (r.methods or set()) - {"HEAD", "OPTIONS"}
    }
    assert routes == {
        ("/organizers/login", "organizers.login", "GET"),
        ("/organizers/login", "organizers.login", "POST"),
        ("/organizers/logout", "organizers.logout", "POST"),
        ("/organizers/", "organizers.index", "GET"),
        ("/organizers/", "organizers.confirm_map", "POST"),
        ("/organizers/c/<slug>/", "organizers.campaign", "GET"),
        # The exports: a page with the button (GET), the download itself (POST only).
        ("/organizers/c/<slug>/pledges.csv", "organizers.pledges_csv_page", "GET"),
        ("/organizers/c/<slug>/pledges.csv", "organizers.pledges_csv", "POST"),
        ("/organizers/c/<slug>/districts.csv", "organizers.districts_csv_page", "GET"),
        ("/organizers/c/<slug>/districts.csv", "organizers.districts_csv", "POST"),
        ("/organizers/c/<slug>/report", "organizers.report", "GET"),
        ("/organizers/c/<slug>/report/<seat>", "organizers.report_seat", "GET"),
        ("/organizers/c/<slug>/packets", "organizers.packet_list", "GET"),
        ("/organizers/c/<slug>/packets/<state>", "organizers.state_packets", "GET"),
        (
            "/organizers/c/<slug>/packets/<state>/senator/<bioguide>",
            "organizers.senator_packet",
            "GET",
        ),
        # Who runs the site: the organization's settings and its logo.
        ("/organizers/organization", "organizers.organization.settings", "GET"),
        ("/organizers/organization", "organizers.organization.save_settings", "POST"),
        ("/organizers/organization/logo", "organizers.organization.logo", "GET"),
        ("/organizers/organization/logo", "organizers.organization.save_logo", "POST"),
        # The campaign editor: the list, new and copied drafts, saves, publishing (and
        # rollback), closing, the history and the preview.
        ("/organizers/campaigns", "organizers.campaign_list", "GET"),
        ("/organizers/campaigns/new", "organizers.new_campaign", "POST"),
        ("/organizers/campaigns/copy", "organizers.copy_campaign", "POST"),
        ("/organizers/c/<slug>/edit", "organizers.edit_campaign", "GET"),
        ("/organizers/c/<slug>/edit", "organizers.save_campaign", "POST"),
        ("/organizers/c/<slug>/publish", "organizers.publish_campaign", "POST"),
        ("/organizers/c/<slug>/close", "organizers.close_campaign", "POST"),
        ("/organizers/c/<slug>/versions", "organizers.campaign_versions", "GET"),
        ("/organizers/c/<slug>/versions/<int:number>", "organizers.campaign_version", "GET"),
        ("/organizers/c/<slug>/preview", "organizers.preview_campaign", "GET"),
        ("/organizers/c/<slug>/preview/page", "organizers.preview_page", "GET"),
        ("/organizers/c/<slug>/preview/widget", "organizers.preview_widget", "GET"),
        ("/organizers/campaigns/home", "organizers.choose_home", "POST"),
        # A campaign's events: the list and a new one, each one's poster and QR code.
        ("/organizers/c/<slug>/events", "organizers.events_page", "GET"),
        ("/organizers/c/<slug>/events", "organizers.create_event_view", "POST"),
        ("/organizers/c/<slug>/events/<code>/poster", "organizers.event_poster", "GET"),
        ("/organizers/c/<slug>/events/<code>/qr.svg", "organizers.event_qr", "GET"),
        # People (owners only): invitations, roles, disabling; an invitation's own page
        # (for someone with no account yet, so it needs no session).
        ("/organizers/people", "organizers.people_page", "GET"),
        ("/organizers/people/invite", "organizers.invite", "POST"),
        ("/organizers/people/<int:organizer_id>/roles", "organizers.change_roles", "POST"),
        ("/organizers/people/<int:organizer_id>/disable", "organizers.disable", "POST"),
        ("/organizers/people/<int:organizer_id>/enable", "organizers.enable", "POST"),
        ("/organizers/invitation/<token>", "organizers.invitation", "GET"),
        ("/organizers/invitation/<token>", "organizers.invitation", "POST"),
        # Passkeys: the organizer's own (list, add, remove), the owners' switch for password
        # sign-in, signing in with one (no session needed), and asking again before the
        # contacts' export (a code on the export's own campaign, or a passkey).
        ("/organizers/account/passkeys", "organizers.passkeys_page", "GET"),
        ("/organizers/account/passkeys", "organizers.passkey_add", "POST"),
        ("/organizers/account/passkeys/options", "organizers.passkey_add_options", "POST"),
        (
            "/organizers/account/passkeys/<int:passkey_id>/remove",
            "organizers.passkey_remove",
            "POST",
        ),
        ("/organizers/account/sign-in", "organizers.sign_in_switch", "GET"),
        ("/organizers/account/sign-in", "organizers.sign_in_switch", "POST"),
        ("/organizers/login/passkey/options", "organizers.passkey_sign_in_options", "POST"),
        ("/organizers/login/passkey", "organizers.passkey_sign_in", "POST"),
        ("/organizers/c/<slug>/step-up", "organizers.step_up_code", "POST"),
        ("/organizers/step-up/options", "organizers.step_up_options", "POST"),
        ("/organizers/step-up/passkey", "organizers.step_up_passkey", "POST"),
    }
    # Every POST that downloads answers 401 to someone not signed in.
    downloads = {endpoint for _rule, endpoint, method in routes if endpoint.endswith("_csv")}
    assert downloads == signin.EXPORT_ENDPOINTS


def test_throttle_settings_that_do_not_parse_stop_the_app(make_app: Any) -> None:
    with pytest.raises(ConfigError, match="ADVOCACY_ORGANIZERS_ACCOUNT_CEILING"):
        make_app(ORGANIZERS_ACCOUNT_CEILING="lots")


def test_a_forged_session_cookie_is_not_enough(app: Flask) -> None:
    organizer_id = create_organizer(app)
    client = app.test_client()
    client.set_cookie(signin.COOKIE, "a token the server never issued", path=signin.COOKIE_PATH)
    assert client.get("/organizers/").status_code == 302
    client.delete_cookie(signin.COOKIE, path=signin.COOKIE_PATH)
    # Nor is a session of the old shape (id, version, time of sign-in), signed or not.
    with client.session_transaction() as session:
        session["organizer"] = {"id": organizer_id, "v": 1, "t": 2e9}
    assert client.get("/organizers/").status_code == 302


# --- the command line -----------------------------------------------------------------------


def test_cli_creates_an_organizer_with_a_password_from_stdin(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["organizers", "create", "Lead@Example.org", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "lead@example.org" in result.output
    organizer = _organizer(app, "lead@example.org")
    assert organizer.active and organizer.totp_secret is None
    assert PASSWORD not in organizer.password_hash
    assert organizer.password_hash.startswith("$argon2")
    # Signing in works with the address in any case.
    assert login(app.test_client(), "LEAD@example.ORG", PASSWORD).status_code == 303


def test_cli_create_prompts_for_the_password_twice(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["organizers", "create", "prompted@example.org"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert _organizer(app, "prompted@example.org").active


def test_cli_refuses_a_short_password_a_duplicate_and_a_non_address(app: Flask) -> None:
    runner = app.test_cli_runner()
    short = runner.invoke(
        args=["organizers", "create", "short@example.org", "--password-stdin"],
        input="elevenchars\n",
    )
    assert short.exit_code == 1
    assert "at least 12 characters" in short.output
    with app.app_context():
        assert accounts.find_organizer(get_session(), "short@example.org") is None

    create_organizer(app)
    twice = runner.invoke(
        args=["organizers", "create", EMAIL.upper(), "--password-stdin"], input=PASSWORD + "\n"
    )
    assert twice.exit_code == 1 and "already exists" in twice.output
    bad = runner.invoke(
        args=["organizers", "create", "not-an-address", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert bad.exit_code == 1 and "not an email address" in bad.output


def test_cli_lists_and_disables_organizers(app: Flask) -> None:
    runner = app.test_cli_runner()
    assert "No organizers yet" in runner.invoke(args=["organizers", "list"]).output
    create_organizer(app)
    create_organizer(app, "second@example.org")
    listed = runner.invoke(args=["organizers", "list"]).output
    assert "organizer@example.org\tactive\tpassword only" in listed
    assert "second@example.org\tactive" in listed

    result = runner.invoke(args=["organizers", "disable", "Second@example.org"])
    assert result.exit_code == 0, result.output
    assert "second@example.org\tdisabled" in runner.invoke(args=["organizers", "list"]).output
    missing = runner.invoke(args=["organizers", "disable", "nobody@example.org"])
    assert missing.exit_code == 1


def test_disabling_ends_a_live_session_at_its_next_request(app: Flask) -> None:
    client = signed_in_client(app)
    second = app.test_client()
    assert login(second).status_code == 303
    assert client.get("/organizers/").status_code == 200
    assert download(client, f"/organizers/c/{SLUG}/districts.csv").status_code == 200
    token = hidden_value(client.get("/organizers/").get_data(as_text=True), "csrf_token")

    result = app.test_cli_runner().invoke(args=["organizers", "disable", EMAIL])
    assert result.exit_code == 0
    assert _session_rows(app) == 0

    assert client.get("/organizers/").status_code == 302
    assert second.get("/organizers/").status_code == 302
    exported = client.post(f"/organizers/c/{SLUG}/pledges.csv", data={"csrf_token": token})
    assert exported.status_code == 401
    # And the disabled account cannot sign in again; the answer is the generic one.
    response = login(client)
    assert response.status_code == 401
    assert "Those sign-in details are not right" in response.get_data(as_text=True)


# --- signing in and out ---------------------------------------------------------------------


def _refusal(response: Any) -> str:
    html = response.get_data(as_text=True)
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert match, html
    return match.group(0)


def test_sign_in_lands_on_the_dashboard_and_sets_no_store(app: Flask) -> None:
    create_organizer(app)
    client = app.test_client()
    page = client.get("/organizers/login")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert 'name="email"' in html and 'name="password"' in html and 'type="password"' in html

    response = login(client)
    assert response.status_code == 303
    assert response.headers["Location"] == "/organizers/"
    dashboard = client.get("/organizers/")
    assert dashboard.status_code == 200
    assert dashboard.headers["Cache-Control"] == "no-store"
    assert "Uyghur Policy Act" in dashboard.get_data(as_text=True)
    # Only the session's random token, in its own cookie: nothing in the Flask session.
    cookie = client.get_cookie(signin.COOKIE, path=signin.COOKIE_PATH)
    assert cookie is not None
    token = cookie.value
    with client.session_transaction() as session:
        assert "organizer" not in session
    with app.app_context():
        db = get_session()
        actions = [e.action for e in db.query(AuditEvent)]
        rows = list(db.scalars(sa.select(OrganizerSession)))
    assert actions == ["sign-in"]
    # The database keeps the token's hash, never the token.
    assert [row.token_hash for row in rows] == [hashlib.sha256(token.encode()).hexdigest()]


def test_sign_in_goes_to_the_requested_organizer_page_only(app: Flask) -> None:
    create_organizer(app)
    target = f"/organizers/c/{SLUG}/"
    assert login(app.test_client(), next_path=target).headers["Location"] == target
    for outside in ("https://evil.example/", "//evil.example/organizers/", "/c/" + SLUG):
        response = login(app.test_client(), next_path=outside)
        assert response.headers["Location"] == "/organizers/"


def test_wrong_password_and_unknown_email_get_the_same_answer(app: Flask) -> None:
    create_organizer(app)
    wrong = login(app.test_client(), EMAIL, "not the password at all")
    unknown = login(app.test_client(), "nobody@example.org", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert _refusal(wrong) == _refusal(unknown)
    assert "Those sign-in details are not right" in _refusal(wrong)
    # The address typed comes back; the password never does.
    assert PASSWORD not in unknown.get_data(as_text=True)


def test_sign_in_without_a_csrf_token_is_refused(app: Flask) -> None:
    create_organizer(app)
    client = app.test_client()
    response = client.post("/organizers/login", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/organizers/").status_code == 302


def test_sign_out_is_a_post_with_csrf(app: Flask) -> None:
    client = signed_in_client(app)
    html = client.get("/organizers/").get_data(as_text=True)
    assert client.get("/organizers/logout").status_code == 405
    assert client.post("/organizers/logout", data={}).status_code == 400
    assert client.get("/organizers/").status_code == 200
    token = hidden_value(html, "csrf_token")
    response = client.post("/organizers/logout", data={"csrf_token": token})
    assert response.status_code == 303
    assert client.get("/organizers/").status_code == 302


def test_a_session_ends_after_the_configured_hours(make_app: Any) -> None:
    app = make_app(ORGANIZERS_SESSION_HOURS=1)
    client = signed_in_client(app)
    assert client.get("/organizers/").status_code == 200
    _age_sessions(app, timedelta(hours=1, seconds=1))
    assert client.get("/organizers/").status_code == 302


def _age_sessions(app: Flask, by: timedelta) -> None:
    with app.app_context():
        db = get_session()
        for row in db.scalars(sa.select(OrganizerSession)):
            row.created_at = row.created_at - by
        db.commit()


def _session_rows(app: Flask) -> int:
    with app.app_context():
        return get_session().scalar(sa.select(sa.func.count()).select_from(OrganizerSession)) or 0


def _sign_out(client: FlaskClient) -> None:
    token = hidden_value(client.get("/organizers/").get_data(as_text=True), "csrf_token")
    assert client.post("/organizers/logout", data={"csrf_token": token}).status_code == 303


def _copy_cookie(source: FlaskClient, target: FlaskClient) -> None:
    source.get("/organizers/")  # a page: the Flask session (its CSRF token) exists too
    for name, path in (("session", "/"), (signin.COOKIE, signin.COOKIE_PATH)):
        cookie = source.get_cookie(name, path=path)
        assert cookie is not None, name
        target.set_cookie(name, cookie.value, path=path)


def test_signing_out_ends_the_session_for_a_copied_cookie_too(app: Flask) -> None:
    """The adversary's case: a cookie copied before sign-out downloaded pledges.csv after."""
    client = signed_in_client(app)
    seed_pledges(app)
    thief = app.test_client()
    _copy_cookie(client, thief)
    assert thief.get("/organizers/").status_code == 200  # the copy works while signed in
    stolen_token = hidden_value(thief.get("/organizers/").get_data(as_text=True), "csrf_token")

    _sign_out(client)
    assert _session_rows(app) == 0

    assert thief.get("/organizers/").status_code == 302
    response = thief.post(f"/organizers/c/{SLUG}/pledges.csv", data={"csrf_token": stolen_token})
    assert response.status_code == 401
    assert "@example.org" not in response.get_data(as_text=True)


def test_signing_out_in_one_browser_leaves_the_others_signed_in(app: Flask) -> None:
    client = signed_in_client(app)
    other = app.test_client()
    assert login(other).status_code == 303
    _sign_out(client)
    assert client.get("/organizers/").status_code == 302
    assert other.get("/organizers/").status_code == 200
    assert _session_rows(app) == 1


def test_new_one_time_code_secret_ends_every_session(app: Flask) -> None:
    client = signed_in_client(app)
    assert app.test_cli_runner().invoke(args=["organizers", "totp", EMAIL]).exit_code == 0
    assert client.get("/organizers/").status_code == 302
    assert _session_rows(app) == 0


def test_signing_in_clears_the_organizers_expired_sessions(make_app: Any) -> None:
    app = make_app(ORGANIZERS_SESSION_HOURS=1)
    signed_in_client(app)
    _age_sessions(app, timedelta(hours=2))
    assert login(app.test_client()).status_code == 303
    assert _session_rows(app) == 1


# --- throttling -----------------------------------------------------------------------------


def _limited(make_app: Any, **limits: str) -> Flask:
    app: Flask = make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_KEY_PREFIX=f"organizers-{uuid.uuid4().hex}",
        **limits,
    )
    return app


def _from(app: Flask, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_repeated_failures_on_one_account_are_throttled(make_app: Any) -> None:
    app = _limited(
        make_app,
        ORGANIZERS_ACCOUNT_LIMIT="3 per 15 minutes",
        ORGANIZERS_LOGIN_LIMIT="100 per minute",
    )
    create_organizer(app)
    for _ in range(3):
        assert login(app.test_client(), EMAIL, "wrong password here").status_code == 401
    # The right password is refused too now, from this address, for this account only.
    throttled = login(app.test_client(), EMAIL, PASSWORD)
    assert throttled.status_code == 429
    assert "Please slow down" in throttled.get_data(as_text=True)
    assert "too many sign-in attempts" in _refusal(throttled)
    create_organizer(app, "other@example.org")
    assert login(app.test_client(), "other@example.org", PASSWORD).status_code == 303


def test_wrong_guesses_from_one_address_do_not_lock_the_organizer_out(make_app: Any) -> None:
    """The adversary's lock-out: 5 wrong guesses kept the organizer out for 15 minutes."""
    app = _limited(make_app, ORGANIZERS_LOGIN_LIMIT="100 per minute")
    create_organizer(app)
    attacker = _from(app, "203.0.113.66")
    for _ in range(5):
        assert login(attacker, EMAIL, "wrong password here").status_code == 401
    assert login(attacker, EMAIL, PASSWORD).status_code == 429
    # The organizer, elsewhere, signs in at once.
    assert login(_from(app, "198.51.100.7"), EMAIL, PASSWORD).status_code == 303


def test_a_browser_that_signed_in_before_gets_in_past_the_account_ceiling(
    make_app: Any,
) -> None:
    app = _limited(
        make_app,
        ORGANIZERS_LOGIN_LIMIT="100 per minute",
        ORGANIZERS_ACCOUNT_LIMIT="2 per 15 minutes",
        ORGANIZERS_ACCOUNT_CEILING="7 per 15 minutes",
    )
    create_organizer(app)
    laptop = _from(app, "198.51.100.7")
    assert login(laptop).status_code == 303
    device = laptop.get_cookie(throttle.DEVICE_COOKIE, path=throttle.DEVICE_COOKIE_PATH)
    assert device is not None and device.http_only and device.same_site == "Strict"
    _sign_out(laptop)

    # Guesses from many addresses use up the account's ceiling for unknown browsers (the
    # laptop's first sign-in, from a browser unknown then, counted as one)...
    for n in range(3):
        for _ in range(2):
            guess = login(_from(app, f"203.0.113.{n}"), EMAIL, "wrong guess, wrong")
            assert guess.status_code == 401
    assert login(_from(app, "203.0.113.99"), EMAIL, PASSWORD).status_code == 429
    assert login(_from(app, "198.51.100.8"), EMAIL, PASSWORD).status_code == 429
    # ...but the organizer's own browser, which signed in before, gets in from anywhere.
    laptop.environ_base["REMOTE_ADDR"] = "192.0.2.10"
    assert login(laptop).status_code == 303


def test_the_device_cookie_is_signed_and_bound_to_its_account(make_app: Any) -> None:
    app = _limited(
        make_app,
        ORGANIZERS_LOGIN_LIMIT="100 per minute",
        ORGANIZERS_ACCOUNT_LIMIT="1 per 15 minutes",
        ORGANIZERS_ACCOUNT_CEILING="1 per 15 minutes",
    )
    create_organizer(app)
    create_organizer(app, "other@example.org")
    browser = app.test_client()
    assert login(browser, "other@example.org").status_code == 303
    cookie = browser.get_cookie(throttle.DEVICE_COOKIE, path=throttle.DEVICE_COOKIE_PATH)
    assert cookie is not None
    # A stranger uses up EMAIL's ceiling.
    assert login(_from(app, "203.0.113.5"), EMAIL, "wrong guess, wrong").status_code == 401
    # other@'s device cookie earns no trust for EMAIL, nor does a tampered one.
    assert login(browser, EMAIL).status_code == 429
    forged = _from(app, "192.0.2.44")
    forged.set_cookie(
        throttle.DEVICE_COOKIE, cookie.value[:-2] + "xx", path=throttle.DEVICE_COOKIE_PATH
    )
    assert login(forged, EMAIL).status_code == 429


def test_unknown_addresses_are_throttled_like_real_ones(make_app: Any) -> None:
    app = _limited(
        make_app,
        ORGANIZERS_ACCOUNT_LIMIT="2 per 15 minutes",
        ORGANIZERS_LOGIN_LIMIT="100 per minute",
    )
    for _ in range(2):
        assert login(app.test_client(), "ghost@example.org", PASSWORD).status_code == 401
    assert login(app.test_client(), "ghost@example.org", PASSWORD).status_code == 429


def test_successful_sign_ins_do_not_use_up_the_account_limit(make_app: Any) -> None:
    app = _limited(
        make_app,
        ORGANIZERS_ACCOUNT_LIMIT="2 per 15 minutes",
        ORGANIZERS_LOGIN_LIMIT="100 per minute",
    )
    create_organizer(app)
    for _ in range(4):
        assert login(app.test_client()).status_code == 303


def test_the_throttle_counts_in_memory_when_its_store_does_not_answer(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Nothing listens on port 1: each Redis call fails at once.
    counter = throttle.SignInThrottle(
        "redis://127.0.0.1:1/0", {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}, "t"
    )
    limits = parse_many("2 per minute")
    with caplog.at_level(logging.WARNING):
        assert [counter.take(limits, "k") for _ in range(3)] == [True, True, False]
    warnings = [r for r in caplog.records if r.name == "advocacy.organizers.throttle"]
    assert len(warnings) == 1 and "memory" in warnings[0].getMessage()


def test_many_attempts_from_one_address_are_throttled(make_app: Any) -> None:
    app = _limited(
        make_app,
        ORGANIZERS_ACCOUNT_LIMIT="100 per minute",
        ORGANIZERS_LOGIN_LIMIT="3 per minute",
    )
    client = app.test_client()
    for index in range(3):
        assert login(client, f"guess{index}@example.org", PASSWORD).status_code == 401
    assert login(client, "guess9@example.org", PASSWORD).status_code == 429


# --- one-time codes -------------------------------------------------------------------------


def _enrol(app: Flask) -> str:
    result = app.test_cli_runner().invoke(args=["organizers", "totp", EMAIL])
    assert result.exit_code == 0, result.output
    uri = result.stdout.strip()
    assert uri.startswith("otpauth://totp/")
    secret = parse_qs(urlparse(uri).query)["secret"][0]
    assert _organizer(app).totp_secret == secret
    return secret


def test_totp_enrolment_prints_a_provisioning_uri(app: Flask) -> None:
    create_organizer(app)
    secret = _enrol(app)
    uri = pyotp.TOTP(secret).provisioning_uri(name=EMAIL, issuer_name=accounts.TOTP_ISSUER)
    assert app.test_cli_runner().invoke(args=["organizers", "list"]).output.count("one-time code")
    assert "organizer%40example.org" in uri
    missing = app.test_cli_runner().invoke(args=["organizers", "totp", "nobody@example.org"])
    assert missing.exit_code == 1


def test_totp_sign_in_needs_a_valid_code_once(app: Flask) -> None:
    create_organizer(app)
    secret = _enrol(app)

    no_code = login(app.test_client())
    assert no_code.status_code == 401
    assert "six-digit code" in _refusal(no_code)

    wrong = login(
        app.test_client(), code="000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    )
    assert wrong.status_code == 401
    assert "That code is not right" in _refusal(wrong)

    code = pyotp.TOTP(secret).now()
    client = app.test_client()
    assert login(client, code=code).status_code == 303
    assert client.get("/organizers/").status_code == 200
    # The same code cannot be used a second time.
    assert login(app.test_client(), code=code).status_code == 401


def test_a_wrong_password_with_a_good_code_gets_the_generic_answer(app: Flask) -> None:
    create_organizer(app)
    secret = _enrol(app)
    response = login(
        app.test_client(), password="wrong password, right code", code=pyotp.TOTP(secret).now()
    )
    assert "Those sign-in details are not right" in _refusal(response)


def test_require_2fa_refuses_an_organizer_without_totp(make_app: Any) -> None:
    app = make_app(ORGANIZERS_REQUIRE_2FA="true")
    assert app.config["ORGANIZERS_REQUIRE_2FA"] is True
    create_organizer(app)
    refused = login(app.test_client())
    assert refused.status_code == 401
    message = _refusal(refused)
    assert "advocacy organizers totp" in message and "administrator" in message
    # Someone who does not know the password learns nothing about it.
    assert "totp" not in _refusal(login(app.test_client(), password="not the password"))

    secret = _enrol(app)
    assert login(app.test_client(), code=pyotp.TOTP(secret).now()).status_code == 303
