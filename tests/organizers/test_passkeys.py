"""Organizers' passkeys through the app: adding one, signing in with it, asking again
before the contacts' export, the owners' switch for passwords; a software authenticator
answers as a device would, and py_webauthn checks its answers as it would a browser's."""

from __future__ import annotations

import json
import re
from typing import Any

import pyotp
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from organizer_pages import EMAIL, PASSWORD, create_organizer, login
from pages import SLUG, hidden_value, page_text
from soft_authenticator import SoftAuthenticator, b64url, unb64url

from advocacy.config import ConfigError
from advocacy.db import get_session
from advocacy.models import (
    AuditEvent,
    Organizer,
    OrganizerPasskey,
    OrganizerSession,
    WebAuthnChallenge,
)
from advocacy.organizers import accounts, passkeys

PUBLIC_URL = "https://act.example.org"
ORIGIN = PUBLIC_URL
EXPORT = f"/organizers/c/{SLUG}/pledges.csv"


@pytest.fixture
def site(make_app: Any) -> Flask:
    app: Flask = make_app(PUBLIC_URL=PUBLIC_URL)
    return app


def _token(client: FlaskClient, path: str = "/organizers/account/passkeys") -> str:
    """The page's CSRF token: a form's field, or the passkey form's data-csrf for the script."""
    html = client.get(path).get_data(as_text=True)
    found = re.search(r'data-csrf="([^"]+)"', html)
    return found.group(1) if found else hidden_value(html, "csrf_token")


def _post_json(client: FlaskClient, path: str, token: str, body: dict[str, Any]) -> Any:
    return client.post(path, json=body, headers={"X-CSRFToken": token})


def _signed_in(app: Flask, email: str = EMAIL, **kwargs: Any) -> FlaskClient:
    create_organizer(app, email, **kwargs)
    client = app.test_client()
    assert login(client, email).status_code == 303
    return client


def add_passkey(
    client: FlaskClient, device: SoftAuthenticator, name: str = "Laptop", origin: str = ORIGIN
) -> Any:
    token = _token(client)
    options = _post_json(client, "/organizers/account/passkeys/options", token, {}).get_json()
    credential = device.create(options, origin)
    return _post_json(
        client, "/organizers/account/passkeys", token, {"name": name, "credential": credential}
    )


def sign_in_answer(client: FlaskClient, device: SoftAuthenticator, origin: str = ORIGIN) -> Any:
    token = _token(client, "/organizers/login")
    options = _post_json(client, "/organizers/login/passkey/options", token, {}).get_json()
    return token, device.get(options, origin)


def _events(app: Flask) -> list[str]:
    with app.app_context():
        return list(get_session().scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_passkey_added_then_signs_in_a_fresh_browser_without_a_password(site: Flask) -> None:
    client = _signed_in(site)
    device = SoftAuthenticator()
    added = add_passkey(client, device, "Work laptop")
    assert added.status_code == 200, added.get_data(as_text=True)
    assert added.get_json() == {"redirect": "/organizers/account/passkeys"}
    listing = page_text(client.get("/organizers/account/passkeys").get_data(as_text=True))
    assert "Work laptop" in listing and "not used yet" in listing

    browser = site.test_client()
    assert browser.get("/organizers/").status_code == 302
    token, answer = sign_in_answer(browser, device)
    signed = _post_json(
        browser, "/organizers/login/passkey", token, {"credential": answer, "next": EXPORT}
    )
    assert signed.status_code == 200, signed.get_data(as_text=True)
    assert signed.get_json() == {"redirect": EXPORT}
    assert "SameSite=Strict" in signed.headers["Set-Cookie"]
    assert browser.get("/organizers/").status_code == 200
    assert "last used" in page_text(
        browser.get("/organizers/account/passkeys").get_data(as_text=True)
    )
    assert _events(site)[-3:] == ["passkey added", "passkey used to sign in", "sign-in"]


def test_an_answer_made_for_another_origin_is_refused_with_a_clear_message(site: Flask) -> None:
    client = _signed_in(site)
    device = SoftAuthenticator()
    assert add_passkey(client, device).status_code == 200
    browser = site.test_client()
    token, answer = sign_in_answer(browser, device, origin="https://act-example.org")
    refused = _post_json(browser, "/organizers/login/passkey", token, {"credential": answer})
    assert refused.status_code == 401
    message = refused.get_json()["error"]
    assert "made for another site (https://act-example.org)" in message
    assert f"Sign in only at {ORIGIN}" in message
    assert browser.get("/organizers/").status_code == 302


def test_a_tampered_client_data_origin_fails_the_signature_check(site: Flask) -> None:
    """The origin rewritten to ours after signing: the signature no longer matches."""
    client = _signed_in(site)
    device = SoftAuthenticator()
    assert add_passkey(client, device).status_code == 200
    browser = site.test_client()
    token, answer = sign_in_answer(browser, device, origin="https://evil.example.net")
    data = json.loads(unb64url(answer["response"]["clientDataJSON"]))
    data["origin"] = ORIGIN
    answer["response"]["clientDataJSON"] = b64url(json.dumps(data).encode())
    refused = _post_json(browser, "/organizers/login/passkey", token, {"credential": answer})
    assert refused.status_code == 401
    assert refused.get_json()["error"] == passkeys.NOT_VERIFIED


def test_a_replayed_answer_is_refused(site: Flask) -> None:
    client = _signed_in(site)
    device = SoftAuthenticator()
    assert add_passkey(client, device).status_code == 200
    browser = site.test_client()
    token, answer = sign_in_answer(browser, device)
    first = _post_json(browser, "/organizers/login/passkey", token, {"credential": answer})
    assert first.status_code == 200
    thief = site.test_client()
    thief_token = _token(thief, "/organizers/login")
    again = _post_json(thief, "/organizers/login/passkey", thief_token, {"credential": answer})
    assert again.status_code == 401
    assert again.get_json()["error"] == passkeys.EXPIRED
    assert thief.get("/organizers/").status_code == 302


def test_an_expired_challenge_is_refused(site: Flask) -> None:
    client = _signed_in(site)
    device = SoftAuthenticator()
    assert add_passkey(client, device).status_code == 200
    browser = site.test_client()
    token, answer = sign_in_answer(browser, device)
    with site.app_context():
        get_session().execute(
            sa.update(WebAuthnChallenge).values(expires_at=sa.func.current_timestamp())
        )
        get_session().commit()
    refused = _post_json(browser, "/organizers/login/passkey", token, {"credential": answer})
    assert refused.status_code == 401
    assert refused.get_json()["error"] == passkeys.EXPIRED


def test_a_passkey_of_a_disabled_account_signs_no_one_in(site: Flask) -> None:
    client = _signed_in(site)
    device = SoftAuthenticator()
    assert add_passkey(client, device).status_code == 200
    with site.app_context():
        accounts.disable_organizer(get_session(), EMAIL)
        get_session().commit()
    browser = site.test_client()
    token, answer = sign_in_answer(browser, device)
    refused = _post_json(browser, "/organizers/login/passkey", token, {"credential": answer})
    assert refused.status_code == 401
    assert refused.get_json()["error"] == passkeys.UNKNOWN


def test_adding_needs_a_name_and_the_csrf_token(site: Flask) -> None:
    client = _signed_in(site)
    device = SoftAuthenticator()
    unnamed = add_passkey(client, device, name="   ")
    assert unnamed.status_code == 422
    assert unnamed.get_json()["error"] == "Give the passkey a name, such as the device it is on."
    no_token = client.post("/organizers/account/passkeys/options", json={})
    assert no_token.status_code == 400
    garbled = _post_json(
        client, "/organizers/account/passkeys", _token(client), {"name": "X", "credential": {}}
    )
    assert garbled.status_code == 422
    assert garbled.get_json()["error"] == passkeys.NOT_UNDERSTOOD
    with site.app_context():
        assert get_session().scalar(sa.select(sa.func.count(OrganizerPasskey.id))) == 0


def test_removing_a_passkey_and_the_last_one_kept_while_passwords_are_off(site: Flask) -> None:
    client = _signed_in(site)
    device = SoftAuthenticator()
    assert add_passkey(client, device, "Laptop").status_code == 200
    assert add_passkey(client, device, "Phone").status_code == 200
    token = _token(client, "/organizers/account/sign-in")
    off = client.post(
        "/organizers/account/sign-in", data={"csrf_token": token, "passwords": "off"}
    )
    assert off.status_code == 303
    with site.app_context():
        ids = list(get_session().scalars(sa.select(OrganizerPasskey.id).order_by("id")))
    for passkey_id in ids:
        client.post(
            f"/organizers/account/passkeys/{passkey_id}/remove",
            data={"csrf_token": _token(client)},
        )
    page = page_text(client.get("/organizers/account/passkeys").get_data(as_text=True))
    assert "This is your only passkey, and password sign-in is switched off" in page
    assert "1 passkey" in page and "Phone" in page and "Laptop" not in page
    assert "passkey removed" in _events(site)


def test_password_sign_in_refused_when_switched_off_and_back_on_from_the_command_line(
    site: Flask,
) -> None:
    client = _signed_in(site)
    token = _token(client, "/organizers/account/sign-in")
    refused = client.post(
        "/organizers/account/sign-in", data={"csrf_token": token, "passwords": "off"}
    )
    assert refused.status_code == 303
    page = page_text(client.get("/organizers/account/sign-in").get_data(as_text=True))
    assert "Add a passkey to your own account first" in page
    assert "Now: passwords or passkeys." in page

    assert add_passkey(client, SoftAuthenticator()).status_code == 200
    client.post(
        "/organizers/account/sign-in",
        data={"csrf_token": _token(client, "/organizers/account/sign-in"), "passwords": "off"},
    )
    stranger = site.test_client()
    form = stranger.get("/organizers/login").get_data(as_text=True)
    assert 'name="password"' not in form
    answer = stranger.post(
        "/organizers/login",
        data={
            "csrf_token": _token(stranger, "/organizers/login"),
            "email": EMAIL,
            "password": PASSWORD,
        },
    )
    assert answer.status_code == 403
    assert "Signing in with a password is switched off here" in answer.get_data(as_text=True)
    assert "password sign-in switched off" in _events(site)

    runner: FlaskCliRunner = site.test_cli_runner()
    result = runner.invoke(args=["organizers", "passwords", "on"])
    assert result.exit_code == 0, result.output
    assert login(site.test_client()).status_code == 303


def test_the_command_line_refuses_passwords_off_while_no_owner_has_a_passkey(
    site: Flask,
) -> None:
    create_organizer(site)
    result = site.test_cli_runner().invoke(args=["organizers", "passwords", "off"])
    assert result.exit_code == 1
    assert "No active owner has a passkey" in result.output
    assert login(site.test_client()).status_code == 303


def test_only_owners_reach_the_switch(site: Flask) -> None:
    editor = _signed_in(site, "editor@example.org", roles={SLUG: "editor"})
    assert editor.get("/organizers/account/sign-in").status_code == 403
    assert editor.get("/organizers/account/passkeys").status_code == 200


# --- asking again before the contacts' export -----------------------------------------------


def _download(client: FlaskClient) -> Any:
    token = hidden_value(client.get(f"/organizers/c/{SLUG}/").get_data(as_text=True), "csrf_token")
    return client.post(EXPORT, data={"csrf_token": token})


def test_the_export_asks_for_a_code_after_a_password_sign_in(site: Flask) -> None:
    create_organizer(site)
    with site.app_context():
        uri = accounts.enroll_totp(get_session(), EMAIL)
        get_session().commit()
    totp = pyotp.parse_uri(uri)
    client = site.test_client()
    assert login(client, code=totp.now()).status_code == 303
    # Signing in with the code just now counts.
    assert _download(client).status_code == 200
    with site.app_context():
        get_session().execute(sa.update(OrganizerSession).values(stepped_up_at=None))
        get_session().commit()
    held = _download(client)
    assert held.status_code == 303 and held.headers["Location"].endswith(EXPORT)
    page = client.get(EXPORT)
    text = page_text(page.get_data(as_text=True))
    assert "Confirm it is you" in text and "a one-time code" in text
    token = hidden_value(page.get_data(as_text=True), "csrf_token")
    step = f"/organizers/c/{SLUG}/step-up"
    wrong = client.post(step, data={"csrf_token": token, "answer": "000000"})
    assert wrong.status_code == 422
    assert "That is not right" in page_text(wrong.get_data(as_text=True))
    reused = client.post(step, data={"csrf_token": token, "answer": totp.now()})
    # The code that signed in was claimed: it cannot confirm again.
    assert reused.status_code == 422
    with site.app_context():
        get_session().execute(sa.update(Organizer).values(totp_last_step=None))
        get_session().commit()
    right = client.post(step, data={"csrf_token": token, "answer": totp.now()})
    assert right.status_code == 303 and right.headers["Location"].endswith(EXPORT)
    assert "Download the pledges" in page_text(client.get(EXPORT).get_data(as_text=True))
    assert _download(client).status_code == 200
    assert "step-up for export (code)" in _events(site)


def test_the_export_takes_the_organizers_own_passkey_again(site: Flask) -> None:
    client = _signed_in(site)
    device = SoftAuthenticator()
    assert add_passkey(client, device).status_code == 200
    other = _signed_in(site, "other@example.org")
    stranger_device = SoftAuthenticator()
    assert add_passkey(other, stranger_device).status_code == 200
    assert _download(client).status_code == 303  # a password sign-in: not fresh
    page = client.get(EXPORT).get_data(as_text=True)
    assert "Use your passkey" in page
    token = hidden_value(page, "csrf_token")
    # Someone else's passkey does not confirm this organizer.
    options = _post_json(client, "/organizers/step-up/options", token, {}).get_json()
    assert [c["id"] for c in options["allowCredentials"]] == [
        b64url(device.passkeys[0].credential_id)
    ]
    answer = stranger_device.get({**options, "rpId": "act.example.org"}, ORIGIN)
    refused = _post_json(client, "/organizers/step-up/passkey", token, {"credential": answer})
    assert refused.status_code == 401
    assert _download(client).status_code == 303
    options = _post_json(client, "/organizers/step-up/options", token, {}).get_json()
    answer = device.get(options, ORIGIN)
    taken = _post_json(
        client, "/organizers/step-up/passkey", token, {"credential": answer, "next": EXPORT}
    )
    assert taken.status_code == 200 and taken.get_json() == {"redirect": EXPORT}
    exported = _download(client)
    assert exported.status_code == 200
    assert exported.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "step-up for export (passkey)" in _events(site)


def test_an_account_without_passkey_or_code_confirms_with_its_password(site: Flask) -> None:
    client = _signed_in(site)
    page = client.get(EXPORT).get_data(as_text=True)
    assert "neither a passkey nor a one-time code" in page_text(page)
    token = hidden_value(page, "csrf_token")
    step = f"/organizers/c/{SLUG}/step-up"
    assert client.post(step, data={"csrf_token": token, "answer": "wrong"}).status_code == 422
    assert client.post(step, data={"csrf_token": token, "answer": PASSWORD}).status_code == 303
    assert _download(client).status_code == 200


def test_viewers_get_no_step_up_page_but_the_refusal_they_always_did(site: Flask) -> None:
    viewer = _signed_in(site, "viewer@example.org", roles={SLUG: "viewer"})
    assert viewer.get(EXPORT).status_code == 403
    token = _token(viewer)
    step = viewer.post(f"/organizers/c/{SLUG}/step-up", data={"csrf_token": token, "answer": "x"})
    assert step.status_code == 403


# --- the relying party ----------------------------------------------------------------------


def test_the_rp_id_comes_from_the_public_address_and_a_wrong_override_stops_the_start(
    make_app: Any,
) -> None:
    config = {"PUBLIC_URL": "https://act.example.org:8443", "ORGANIZERS_WEBAUTHN_RP_ID": ""}
    assert passkeys.relying_party(config) == passkeys.RelyingParty(
        "act.example.org", "https://act.example.org:8443"
    )
    parent = {**config, "ORGANIZERS_WEBAUTHN_RP_ID": "example.org"}
    assert passkeys.relying_party(parent).rp_id == "example.org"
    with pytest.raises(ConfigError, match="ORGANIZERS_WEBAUTHN_RP_ID must be the host"):
        make_app(PUBLIC_URL="https://act.example.org", ORGANIZERS_WEBAUTHN_RP_ID="ample.org")


HOSTILE_CREDENTIALS: list[Any] = [
    {},
    {"id": 5, "rawId": [1], "type": "public-key", "response": "x"},
    {"id": "AA", "rawId": "AA", "type": "public-key", "response": {"clientDataJSON": "!!"}},
    {
        "id": "AA",
        "rawId": "AA",
        "type": "public-key",
        "response": {
            "clientDataJSON": b64url(b"not json"),
            "authenticatorData": "AA",
            "signature": "AA",
        },
    },
    {
        "id": "AA",
        "rawId": "AA",
        "type": "public-key",
        "response": {
            "clientDataJSON": b64url(json.dumps({"type": "webauthn.get"}).encode()),
            "authenticatorData": "AA",
            "signature": "AA",
        },
    },
]


@pytest.mark.parametrize("credential", HOSTILE_CREDENTIALS)
def test_a_malformed_answer_is_a_4xx_with_a_message_never_a_500(
    site: Flask, credential: Any
) -> None:
    client = _signed_in(site)
    token = _token(client)
    for path, body in (
        ("/organizers/account/passkeys", {"name": "Laptop", "credential": credential}),
        ("/organizers/login/passkey", {"credential": credential, "next": {"a": 1}}),
        ("/organizers/step-up/passkey", {"credential": credential}),
    ):
        answer = _post_json(client, path, token, body)
        assert answer.status_code in (401, 422), (path, answer.status_code)
        assert answer.get_json()["error"] in (passkeys.NOT_UNDERSTOOD, passkeys.EXPIRED)
    not_an_object = _post_json(client, "/organizers/login/passkey", token, ["x"])
    assert not_an_object.status_code == 400


def test_the_passkeys_page_says_when_the_public_address_is_numeric(make_app: Any) -> None:
    numeric = _signed_in(make_app(PUBLIC_URL="http://127.0.0.1:5000"))
    page = page_text(numeric.get("/organizers/account/passkeys").get_data(as_text=True))
    assert "Browsers accept passkeys only for a site reached by its name" in page
