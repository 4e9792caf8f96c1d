"""Helpers for the campaign editor's tests: read the editor's form as a browser would, change
some fields, post it; publish, roll back and close through the pages' own buttons."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from pages import Element, hidden_value, parse
from werkzeug.test import TestResponse

from advocacy.db import get_session
from advocacy.models import AuditEvent, Campaign, CampaignVersion


def edit_path(slug: str) -> str:
    return f"/organizers/c/{slug}/edit"


def _form(html: str, action_ends: str) -> Element:
    found = [
        f for f in parse(html).find_all("form") if f.attrs.get("action", "").endswith(action_ends)
    ]
    assert found, f"no form posting to …{action_ends} on the page"
    return found[0]


def form_values(html: str, action_ends: str = "/edit") -> dict[str, str]:
    """Return what a browser would send for the page's form: inputs, textareas, selects."""
    data: dict[str, str] = {}
    for element in _form(html, action_ends).iter():
        name = element.attrs.get("name")
        if not name:
            continue
        if element.tag == "input":
            kind = element.attrs.get("type", "text")
            if kind == "checkbox":
                if "checked" in element.attrs:
                    data[name] = element.attrs.get("value", "on")
            elif kind != "submit":
                data[name] = element.attrs.get("value", "")
        elif element.tag == "textarea":
            # The parser keeps the newline after <textarea>, which a browser drops.
            data[name] = element.text().removeprefix("\n")
        elif element.tag == "select":
            options = element.find_all("option")
            chosen = [o for o in options if "selected" in o.attrs] or options[:1]
            if chosen:
                data[name] = chosen[0].attrs.get("value", chosen[0].text())
    return data


def field_error(html: str, name: str) -> str:
    """Return the text of the error shown beside the editor's field `name` ("" if none)."""
    found = parse(html).find_all("*", id=f"f-{name}-error")
    return found[0].text().replace("Error:", "").strip() if found else ""


def field_value(html: str, name: str) -> str:
    element = parse(html).by_id(f"f-{name}")
    if element.tag == "textarea":
        return element.text().removeprefix("\n")
    return element.attrs.get("value", "")


def save(
    client: FlaskClient, slug: str, changes: dict[str, str], page: str | None = None
) -> TestResponse:
    """Open the editor (or use the page given), change some fields, press Save."""
    html = page if page is not None else client.get(edit_path(slug)).get_data(as_text=True)
    data = form_values(html)
    data.update(changes)
    return client.post(edit_path(slug), data=data)


def press(client: FlaskClient, page_path: str, action_ends: str, **fields: str) -> TestResponse:
    """Press the button of a form on a page (publish, roll back, close), as shown."""
    html = client.get(page_path).get_data(as_text=True)
    forms = [
        f
        for f in parse(html).find_all("form")
        if f.attrs.get("action", "").endswith(action_ends)
        and all(
            any(
                i.attrs.get("name") == k and i.attrs.get("value") == v for i in f.find_all("input")
            )
            for k, v in fields.items()
        )
    ]
    assert forms, f"no such button on {page_path}"
    data = {
        i.attrs["name"]: i.attrs.get("value", "")
        for i in forms[0].find_all("input")
        if i.attrs.get("name")
    }
    return client.post(forms[0].attrs["action"], data=data)


def new_campaign(client: FlaskClient, slug: str, title: str) -> TestResponse:
    html = client.get("/organizers/campaigns").get_data(as_text=True)
    data = {
        "csrf_token": hidden_value(html, "csrf_token"),
        "new-slug": slug,
        "new-title": title,
    }
    return client.post("/organizers/campaigns/new", data=data)


def copy_campaign(client: FlaskClient, source: str, slug: str, title: str) -> TestResponse:
    html = client.get("/organizers/campaigns").get_data(as_text=True)
    data = {
        "csrf_token": hidden_value(html, "csrf_token"),
        "copy-source": source,
        "copy-slug": slug,
        "copy-title": title,
    }
    return client.post("/organizers/campaigns/copy", data=data)


def version_numbers(app: Flask, slug: str) -> list[int]:
    with app.app_context():
        rows = get_session().scalars(
            sa.select(CampaignVersion.number)
            .join(Campaign, Campaign.id == CampaignVersion.campaign_id)
            .where(Campaign.slug == slug)
            .order_by(CampaignVersion.number)
        )
        return list(rows)


def stored(app: Flask, slug: str) -> dict[str, Any]:
    """Return the campaign row's state: status, live version and its (live) content."""
    with app.app_context():
        campaign = get_session().scalar(sa.select(Campaign).where(Campaign.slug == slug))
        assert campaign is not None
        return {
            "status": campaign.status,
            "published_version": campaign.published_version,
            "content": campaign.content,
            "title": campaign.title,
        }


def audit_actions(app: Flask, slug: str) -> list[str]:
    with app.app_context():
        return list(
            get_session().scalars(
                sa.select(AuditEvent.action)
                .where(AuditEvent.campaign_slug == slug)
                .order_by(AuditEvent.id)
            )
        )


def move_campaign(client: FlaskClient, slug: str, new_slug: str) -> TestResponse:
    """Change the campaign's web address in the editor, save, and publish that version."""
    saved = save(client, slug, {"slug": new_slug})
    assert saved.status_code == 303, saved.get_data(as_text=True)
    return press(client, edit_path(slug), "/publish")
