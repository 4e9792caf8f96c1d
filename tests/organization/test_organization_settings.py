"""The settings pages in the organizers' room: who may use them, what a save does, and
hostile input (huge fields, markup, broken and right-to-left text, files) answered with a
message beside the field and a 4xx, never a 500, and nothing typed lost."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlparse

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from organization_pages import (
    IDENTITY,
    LOGO,
    SETTINGS,
    jpeg_with_exif,
    png,
    png_declaring,
    post_settings,
    settings_fields,
    upload_logo,
)
from organizer_pages import EMAIL, signed_in_client
from pages import SLUG, hidden_value, parse
from sqlalchemy.orm import undefer

from advocacy.db import get_session
from advocacy.models import AuditEvent, Organization
from advocacy.organization.logo import LOGO_MAX_BYTES

CAMPAIGN = f"/c/{SLUG}"


def _error(html: str, field: str) -> str:
    """The message beside a field (the template's <p id="FIELD-error">)."""
    return parse(html).by_id(f"{field}-error").squeezed()


def _stored(app: Flask) -> Organization | None:
    with app.app_context():
        return get_session().get(Organization, 1, options=[undefer(Organization.logo_png)])


def _actions(app: Flask) -> list[str]:
    with app.app_context():
        return list(
            get_session().scalars(
                sa.select(AuditEvent.action)
                .where(AuditEvent.action.startswith("organization"))
                .order_by(AuditEvent.id)
            )
        )


# --- the door -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", [SETTINGS, LOGO])
def test_not_signed_in_is_sent_to_sign_in(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    location = urlparse(response.headers["Location"])
    assert location.path == "/organizers/login" and location.query == f"next={path}"
    assert response.headers["Cache-Control"] == "no-store"


def test_a_post_without_a_session_saves_nothing(app: Flask, client: FlaskClient) -> None:
    token = hidden_value(client.get("/organizers/login").get_data(as_text=True), "csrf_token")
    response = client.post(SETTINGS, data={**IDENTITY, "csrf_token": token})
    assert response.status_code == 302
    assert "/organizers/login" in response.headers["Location"]
    upload = client.post(
        LOGO,
        data={"csrf_token": token, "action": "upload", "logo": (io.BytesIO(png()), "l.png")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302
    assert _stored(app) is None


def test_a_post_without_the_csrf_token_is_refused(app: Flask) -> None:
    client = signed_in_client(app)
    data = settings_fields(client)
    del data["csrf_token"]
    response = client.post(SETTINGS, data=data)
    assert response.status_code == 400
    assert "expired or was sent from somewhere else" in response.get_data(as_text=True)
    upload = client.post(
        LOGO,
        data={"action": "upload", "logo": (io.BytesIO(png()), "logo.png")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 400
    assert _stored(app) is None


def test_a_post_another_site_started_is_refused(app: Flask) -> None:
    client = signed_in_client(app)
    response = client.post(
        SETTINGS, data=settings_fields(client), headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert response.status_code == 403
    assert _stored(app) is None


def test_a_get_changes_nothing(app: Flask) -> None:
    client = signed_in_client(app)
    client.get(SETTINGS, query_string=IDENTITY)
    assert _stored(app) is None


# --- saving -------------------------------------------------------------------------------


def test_a_save_shows_at_once_and_is_in_the_audit_trail(app: Flask) -> None:
    client = signed_in_client(app)
    response = post_settings(client)
    assert response.status_code == 303
    assert response.headers["Location"] == SETTINGS
    page = client.get(SETTINGS).get_data(as_text=True)
    assert "Saved. Every page now shows the organization as below." in page
    form = parse(page)
    assert form.by_id("name").attrs["value"] == IDENTITY["name"]
    assert form.by_id("address").text().strip() == IDENTITY["address"]
    # On every page at once (in this process; the campaign page within its second).
    privacy = client.get("/privacy").get_data(as_text=True)
    assert "privacy@uda.example.org" in privacy
    # Who changed which field, never the values.
    assert _actions(app) == [f"organization {name}" for name in IDENTITY]
    history = parse(page).one("table", class_="org-table").squeezed()
    assert EMAIL in history and "privacy text" in history
    stored = _stored(app)
    assert stored is not None and stored.updated_by == EMAIL


def test_saving_the_same_again_changes_nothing(app: Flask) -> None:
    client = signed_in_client(app)
    post_settings(client)
    before = len(_actions(app))
    response = post_settings(client)
    assert response.status_code == 303
    assert "Nothing had changed" in client.get(SETTINGS).get_data(as_text=True)
    assert len(_actions(app)) == before


def test_clearing_an_optional_field_is_a_change(app: Flask) -> None:
    client = signed_in_client(app)
    post_settings(client)
    assert post_settings(client, website="", privacy_email="").status_code == 303
    stored = _stored(app)
    assert stored is not None and stored.website == "" and stored.privacy_email == ""
    assert _actions(app)[-2:] == ["organization privacy_email", "organization website"]


def test_typed_text_is_cleaned_as_everywhere(app: Flask) -> None:
    client = signed_in_client(app)
    response = post_settings(
        client,
        name="  Uyghur\u202e Diaspora\x00  Action ",
        address="PO Box 1\r\n\r\n\r\nWashington",
    )
    assert response.status_code == 303
    stored = _stored(app)
    assert stored is not None
    assert stored.name == "Uyghur Diaspora Action"  # no bidi override, no NUL, one space
    assert stored.address == "PO Box 1\n\nWashington"


# --- hostile and mistaken input ------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("name", "", "Enter the organization's name."),
        ("name", "   \u200b ", "Enter the organization's name."),
        ("email", "", "Enter an email address supporters can write to."),
        ("name", "x" * 121, "Keep the organization's name to 120 characters or fewer."),
        ("short_name", "x" * 31, "Keep the short name to 30 characters or fewer."),
        ("footer", "x" * 601, "to 600 characters or fewer"),
        ("privacy_text", "x" * 5001, "to 5,000 characters or fewer"),
        ("address", "\n".join("line"[:4] for _ in range(9)), "at most 8 lines"),
        ("email", "contact@", "Enter one email address"),
        ("email", "a@b.org, c@d.org", "Enter one email address"),
        ("email", SCRIPT, "Enter one email address"),
        ("privacy_email", "Privacy <p@example.org>", "Enter one email address"),
        ("website", "javascript:alert(1)", "starting with https://"),
        ("website", "uda.example.org", "starting with https://"),
        ("website", "https://user:pw@uda.example.org", "the website's address alone"),
        ("website", f"https://{SCRIPT}", "the website's address alone"),
        ("name", "Uyghur \ufffd Action", "did not arrive whole"),
    ],
    ids=[
        "no-name",
        "invisible-name",
        "no-email",
        "huge-name",
        "huge-short-name",
        "huge-footer",
        "huge-privacy-text",
        "address-lines",
        "half-email",
        "two-emails",
        "script-email",
        "display-name-email",
        "javascript-website",
        "website-without-scheme",
        "website-with-login",
        "script-website",
        "broken-character",
    ],
)
def test_a_field_that_cannot_be_saved_says_why_beside_it_and_keeps_the_rest(
    app: Flask, field: str, value: str, says: str
) -> None:
    client = signed_in_client(app)
    response = post_settings(client, **{field: value})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert says in _error(html, field)
    page = parse(html)
    assert page.by_id(field).attrs.get("aria-invalid") == "true"
    assert f"{field}-error" in page.by_id(field).attrs["aria-describedby"]
    assert page.by_id("error-summary").find_all("a", href=f"#{field}")
    # Everything else typed is still there.
    for other, typed in IDENTITY.items():
        if other == field:
            continue
        element = page.by_id(other)
        shown = element.text().strip() if element.tag == "textarea" else element.attrs["value"]
        assert shown == typed, other
    assert _stored(app) is None


def test_markup_in_every_field_comes_back_escaped_with_messages(app: Flask) -> None:
    client = signed_in_client(app)
    response = post_settings(client, **{name: f"{SCRIPT}" for name in IDENTITY})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    for field in ("email", "privacy_email", "website"):
        assert _error(html, field)
    assert _stored(app) is None
    # Where markup is only text (a name, the footer), it is saved, and shown as text.
    saved = post_settings(client, name=f"Org {SCRIPT}", footer=f"Words {SCRIPT}")
    assert saved.status_code == 303
    page = client.get(CAMPAIGN).get_data(as_text=True)
    assert "<script>alert" not in page and "Org &lt;script&gt;" in page


def test_right_to_left_text_and_emoji_are_kept(app: Flask) -> None:
    client = signed_in_client(app)
    uyghur = "ئۇيغۇر كىشىلىك ھوقۇق تۈرى 🌙"
    response = post_settings(client, name=uyghur, footer=f"بىز {uyghur}\n\nSecond ✊")
    assert response.status_code == 303
    html = client.get("/privacy").get_data(as_text=True)
    strong = parse(html).one("footer", class_="site-footer").one("strong")
    # Isolated, so it sets its own direction and never reorders the sentence around it.
    assert strong.one("bdi").text() == uyghur


def test_a_file_or_json_where_text_belongs_is_not_read_as_text(app: Flask) -> None:
    client = signed_in_client(app)
    data: dict[str, Any] = settings_fields(client)
    data["name"] = (io.BytesIO(b"My Organization"), "name.txt")
    response = client.post(SETTINGS, data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Enter the organization's name." in _error(response.get_data(as_text=True), "name")
    token = data["csrf_token"]
    as_json = client.post(
        SETTINGS, json={"name": {"a": 1}, "email": ["x"]}, headers={"X-CSRFToken": token}
    )
    assert as_json.status_code == 422
    assert _stored(app) is None


def test_a_post_over_the_size_limit_is_413_not_500(app: Flask) -> None:
    client = signed_in_client(app)
    response = client.post(SETTINGS, data=settings_fields(client, footer="x" * 70_000))
    assert response.status_code == 413
    assert "more text than we can take" in response.get_data(as_text=True)


# --- the logo page ------------------------------------------------------------------------


def test_a_logo_upload_shows_on_every_page_and_is_recorded(app: Flask) -> None:
    client = signed_in_client(app)
    response = upload_logo(client, jpeg_with_exif(), "photo.jpg", "image/jpeg")
    assert response.status_code == 303 and response.headers["Location"] == LOGO
    page = client.get(LOGO).get_data(as_text=True)
    assert "The new logo is in place (384 x 512 pixels)." in page
    stored = _stored(app)
    assert stored is not None and stored.logo_sha256 and stored.logo_png
    assert b"PhoneMaker" not in stored.logo_png
    assert f"logo.png?v={stored.logo_sha256[:16]}" in client.get("/privacy").get_data(as_text=True)
    assert _actions(app) == ["organization logo"]


@pytest.mark.parametrize(
    ("data", "filename", "content_type", "says"),
    [
        (b"<html><script>alert(1)</script></html>", "logo.png", "image/png", "a web page"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "logo.svg",
            "image/svg+xml",
            "SVG logos are not accepted",
        ),
        (png_declaring(100_000, 100_000), "bomb.png", "image/png", "far more pixels"),
        (png_declaring(6_000, 6_000), "big.png", "image/png", "at most 20 million"),
        (b"", "empty.png", "image/png", "Choose an image file"),
    ],
    ids=["html-named-png", "svg", "decompression-bomb", "too-many-pixels", "empty"],
)
def test_a_logo_that_is_not_one_gets_a_message_beside_the_field(
    app: Flask, data: bytes, filename: str, content_type: str, says: str
) -> None:
    client = signed_in_client(app)
    response = upload_logo(client, data, filename, content_type)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert says in _error(html, "logo")
    assert parse(html).by_id("logo").attrs.get("aria-invalid") == "true"
    assert _stored(app) is None or not _stored(app).logo_sha256  # type: ignore[union-attr]


def test_no_file_chosen_says_so(app: Flask) -> None:
    client = signed_in_client(app)
    token = hidden_value(client.get(LOGO).get_data(as_text=True), "csrf_token")
    response = client.post(LOGO, data={"csrf_token": token, "action": "upload"})
    assert response.status_code == 422
    assert "Choose an image file" in _error(response.get_data(as_text=True), "logo")


@pytest.mark.parametrize(
    ("size", "status"), [(LOGO_MAX_BYTES + 1, 422), (3 * LOGO_MAX_BYTES, 413)]
)
def test_an_oversized_logo_is_refused_beside_the_field(app: Flask, size: int, status: int) -> None:
    client = signed_in_client(app)
    response = upload_logo(client, png() + b"\x00" * (size - len(png())))
    assert response.status_code == status
    assert "2 MB" in _error(response.get_data(as_text=True), "logo")
    assert _stored(app) is None


def test_removing_the_logo(app: Flask) -> None:
    client = signed_in_client(app)
    upload_logo(client, png(20, 20))
    page = client.get(LOGO).get_data(as_text=True)
    forms = parse(page).find_all("form", method="post")
    remove = forms[-1]
    assert remove.one("input", name="action").attrs["value"] == "remove"
    token = remove.one("input", name="csrf_token").attrs["value"]
    response = client.post(LOGO, data={"csrf_token": token, "action": "remove"})
    assert response.status_code == 303
    assert "The logo is removed." in client.get(LOGO).get_data(as_text=True)
    assert client.get("/organization/logo.png").status_code == 404
    assert _actions(app) == ["organization logo", "organization logo"]


def test_an_unknown_logo_action_is_400(app: Flask) -> None:
    client = signed_in_client(app)
    token = hidden_value(client.get(LOGO).get_data(as_text=True), "csrf_token")
    response = client.post(LOGO, data={"csrf_token": token, "action": "delete-everything"})
    assert response.status_code == 400
