"""Rendering the campaign page: once per campaign, count and token window for everyone, and
with the supporter's own form (blank or with errors) when they send it.

The page carries no cookie and nothing personal: its form is guarded by a token signed
for the campaign and the window it was served in (formguard), so one rendering serves
every visitor of that window, from this process's memory or a shared cache in front of
it. A small script swaps in a token of the visitor's own (private_form_token) where
JavaScript runs; an answer to a post carries one too.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app, render_template

from advocacy import clock
from advocacy.campaigns.content import content_of
from advocacy.campaigns.lifecycle import page_copy
from advocacy.congress.calendar import congress_on
from advocacy.models import Campaign
from advocacy.web import formguard
from advocacy.web.caching import etag_of

# What the form's signed token is for: this campaign's pledge form.
FORM_SALT = "advocacy.campaign-form"
# Blank pages kept per process: one per campaign and partner ref; refs are free text.
PAGE_CACHE_ENTRIES = 256


def form_token(slug: str, at: float) -> str:
    """Return the pledge form's token: the window's in a shared page, else the answer's own."""
    secret = current_app.config["SECRET_KEY"]
    return formguard.issue_form_token(secret, FORM_SALT, slug, at)


def private_form_token(slug: str) -> str:
    """Return a token of one visitor's own, stamped now (the page's script fetches it)."""
    secret = current_app.config["SECRET_KEY"]
    return formguard.issue_private_token(secret, FORM_SALT, slug, time.time())


def check_form_token(slug: str, token: str, honeypot: str) -> formguard.GuardVerdict:
    """Tell whether a post carries this campaign's recent token, unused up, and no honeypot."""
    config = current_app.config
    verdict = formguard.check_bound_submission(
        config["SECRET_KEY"],
        FORM_SALT,
        slug,
        token,
        honeypot,
        min_seconds=config["MIN_FILL_SECONDS"],
        max_age_seconds=config["FORM_MAX_AGE_SECONDS"],
    )
    return formguard.spend_use(FORM_SALT, token, verdict)


def render_campaign_page(
    campaign: Campaign, form: Any, status: int = 200, at: float | None = None
) -> tuple[str, int]:
    """Return the campaign page with the given pledge form and the window's token.

    The tagline, the bill's status and the ask are those in force by the app's clock:
    once the bill's Congress has ended, the page asks for the bill to be reintroduced.
    """
    content = content_of(campaign)
    html = render_template(
        "campaigns/page.html",
        campaign=campaign,
        content=content,
        copy=page_copy(content, clock.now()),
        form=form,
        started_token=form_token(campaign.slug, time.time() if at is None else at),
    )
    return html, status


@dataclass(frozen=True, slots=True)
class CachedPage:
    html: bytes
    etag: str


class PageCache:
    """The blank campaign page per campaign and ref, at most max_age seconds old.

    A spike of visitors costs one query and one rendering per second and process; an entry
    never outlives its token's window, so the form it carries is always fresh.
    """

    def __init__(self, max_age: float) -> None:
        self.max_age = max_age
        self._entries: OrderedDict[tuple[str, str, int], tuple[float, int, CachedPage]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()
        self._default: tuple[float, str | None] | None = None

    def get(self, slug: str, ref: str, render: Callable[[float], str]) -> CachedPage:
        """Return the page for slug and ref, calling render(now) to make a missing one."""
        now = time.time()
        window = formguard.window_start(now)
        # The Congress sitting decides the ask (a bill dies with its Congress).
        key = (slug, ref, congress_on(clock.now()))
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[1] == window and now - entry[0] < self.max_age:
                self._entries.move_to_end(key)
                return entry[2]
        html = render(now).encode()
        page = CachedPage(html, etag_of(html))
        with self._lock:
            self._entries[key] = (now, window, page)
            self._entries.move_to_end(key)
            while len(self._entries) > PAGE_CACHE_ENTRIES:
                self._entries.popitem(last=False)
        return page

    def default_slug(self, find: Callable[[], str | None]) -> str | None:
        """Return the slug served at "/", calling find() at most once per max_age."""
        now = time.monotonic()
        with self._lock:
            cached = self._default
        if cached is not None and now - cached[0] < self.max_age:
            return cached[1]
        slug = find()
        with self._lock:
            self._default = (now, slug)
        return slug

    def forget(self, slug: str) -> None:
        """Drop the slug's pages: its count has changed in this process."""
        with self._lock:
            for key in [key for key in self._entries if key[0] == slug]:
                del self._entries[key]


def counts_changed(slug: str) -> None:
    """Show a new count at once in this process: after a pledge or a withdrawal commits.

    Other processes catch up within their caches' max age (a second by default).
    """
    current_app.extensions["advocacy.stats_cache"].forget(slug)
    current_app.extensions["advocacy.page_cache"].forget(slug)


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
