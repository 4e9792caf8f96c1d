"""Organizers' accounts and access: the locked room around supporters' data."""

from __future__ import annotations

import re
import uuid
from typing import Any
from urllib.parse import parse_qs, urlparse

import pyotp
import pytest
from flask import Flask
from organizer_pages import EMAIL, PASSWORD, create_organizer, login, signed_in_client
from pages import SLUG, hidden_value

from advocacy.db import get_session
from advocacy.models import AuditEvent, Organizer
from advocacy.organizers import accounts

PAGES = [
    "/organizers/",
    f"/organizers/c/{SLUG}/",
    f"/organizers/c/{SLUG}/report",
    f"/organizers/c/{SLUG}/report/WA-7",
]
EXPORTS = [
    f"/organizers/c/{SLUG}/pledges.csv",
    f"/organizers/c/{SLUG}/pledges.csv?consented=1",
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
    response = client.get(path)
    assert response.status_code == 401
    assert response.headers["Cache-Control"] == "no-store"
    assert "supporter" not in response.get_data(as_text=True).lower()


def test_every_organizer_route_is_covered_by_the_anonymous_checks(app: Flask) -> None:
    rules = {r.rule for r in app.url_map.iter_rules() if r.rule.startswith("/organizers")}
    assert rules == {
        "/organizers/login",
        "/organizers/logout",
        "/organizers/",
        "/organizers/c/<slug>/",
        "/organizers/c/<slug>/pledges.csv",
        "/organizers/c/<slug>/districts.csv",
        "/organizers/c/<slug>/report",
        "/organizers/c/<slug>/report/<seat>",
    }


def test_a_forged_session_cookie_is_not_enough(app: Flask) -> None:
    organizer_id = create_organizer(app)
    client = app.test_client()
    with client.session_transaction() as session:
        session["organizer"] = {"id": organizer_id, "v": 99, "t": 0}
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
    assert client.get("/organizers/").status_code == 200
    assert client.get(f"/organizers/c/{SLUG}/districts.csv").status_code == 200

    result = app.test_cli_runner().invoke(args=["organizers", "disable", EMAIL])
    assert result.exit_code == 0

    assert client.get("/organizers/").status_code == 302
    assert client.get(f"/organizers/c/{SLUG}/pledges.csv").status_code == 401
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
    with client.session_transaction() as session:
        # Only who and which session: no email, no password, nothing else.
        assert set(session["organizer"]) == {"id", "v", "t"}
    with app.app_context():
        actions = [e.action for e in get_session().query(AuditEvent)]
    assert actions == ["sign-in"]


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
    with client.session_transaction() as session:
        data = session["organizer"]
        data["t"] -= 3601
        session["organizer"] = data
    assert client.get("/organizers/").status_code == 302


# --- throttling -----------------------------------------------------------------------------


def _limited(make_app: Any, **limits: str) -> Flask:
    app: Flask = make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_KEY_PREFIX=f"organizers-{uuid.uuid4().hex}",
        **limits,
    )
    return app


def test_repeated_failures_on_one_account_are_throttled(make_app: Any) -> None:
    app = _limited(
        make_app,
        ORGANIZERS_ACCOUNT_LIMIT="3 per 15 minutes",
        ORGANIZERS_LOGIN_LIMIT="100 per minute",
    )
    create_organizer(app)
    for _ in range(3):
        assert login(app.test_client(), EMAIL, "wrong password here").status_code == 401
    # The right password is refused too now, from any client, for this account only.
    throttled = login(app.test_client(), EMAIL, PASSWORD)
    assert throttled.status_code == 429
    assert "Please slow down" in throttled.get_data(as_text=True)
    create_organizer(app, "other@example.org")
    assert login(app.test_client(), "other@example.org", PASSWORD).status_code == 303


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
