"""Helpers to use the HTML pages as a browser would: read the form, send it back."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

SLUG = "uyghur-policy-act"


def hidden_value(html: str, name: str) -> str:
    """Return the value of the first hidden input with this name."""
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag:
            match = re.search(r'value="([^"]*)"', tag)
            return unescape(match.group(1)) if match else ""
    raise AssertionError(f"no input named {name!r} in the page")


def pledge_fields(**fields: Any) -> dict[str, Any]:
    """Return a valid set of pledge fields, with the given ones replaced."""
    data: dict[str, Any] = {
        "name": "Amina Tursun",
        "email": "amina@example.org",
        "zip": "98105",
        "city": "Seattle",
        "state": "WA",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def submit_pledge(
    client: FlaskClient, slug: str = SLUG, page_url: str | None = None, **fields: Any
) -> TestResponse:
    """Load the campaign page, then post its form with the given fields."""
    page = client.get(page_url or f"/c/{slug}")
    html = page.get_data(as_text=True)
    data = {
        "started": hidden_value(html, "started"),
        "ref": hidden_value(html, "ref"),
        **pledge_fields(**fields),
    }
    return client.post(f"/c/{slug}", data=data)


def session_csrf_token(client: FlaskClient, slug: str = SLUG) -> str:
    """Return a valid CSRF token for the client's session, from a page whose form has one.

    The campaign page has none (it is the same for everyone); the withdraw page asks
    before it acts, with a session-bound form.
    """
    page = client.get(f"/c/{slug}/withdraw").get_data(as_text=True)
    return hidden_value(page, "csrf_token")
