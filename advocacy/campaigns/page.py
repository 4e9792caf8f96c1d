"""Rendering the campaign page, with the pledge form as it stands (blank or with errors)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app, render_template

from advocacy import clock
from advocacy.campaigns.content import content_of
from advocacy.campaigns.lifecycle import page_copy
from advocacy.models import Campaign
from advocacy.web import formguard

# The signed start time tells which form a submission came from.
FORM_NAME = "campaign-pledge"


def render_campaign_page(campaign: Campaign, form: Any, status: int = 200) -> tuple[str, int]:
    """Return the campaign page with the given pledge form and a fresh fill-time token.

    The tagline, the bill's status and the ask are those in force by the app's clock:
    once the bill's Congress has ended, the page asks for the bill to be reintroduced.
    """
    token = formguard.issue_token(current_app.config["SECRET_KEY"], FORM_NAME)
    content = content_of(campaign)
    html = render_template(
        "campaigns/page.html",
        campaign=campaign,
        content=content,
        copy=page_copy(content, clock.now()),
        form=form,
        started_token=token,
    )
    return html, status


def longdate(value: Any) -> str:
    """Format an ISO date (or date) as "April 5, 1990" for people to read."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return str(value)
    if isinstance(value, date):
        return f"{value:%B} {value.day}, {value.year}"
    return str(value)
