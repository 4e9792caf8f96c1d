"""Rendering the campaign page: once per campaign, count and token window for everyone, and
with the supporter's own form (blank or with errors) when they send it.

The page carries no cookie and nothing personal: its pledge form is guarded by a token
signed for the campaign and the window it was served in, so one rendering serves every
visitor of that window, from this process's memory or a shared cache in front of it. A
small script swaps in a token of the visitor's own where JavaScript runs; an answer to a
post carries one too.

The form and its guard are pledges' (`advocacy.pledges.guard`): pledges renders the page
with the supporter's form when a post needs it back, and gives campaigns the blank one
through the app (BLANK_FORM_EXTENSION), so that campaigns import nothing of pledges.
"""

from __future__ import annotations

import string
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, TypeAlias

from flask import Flask, current_app, render_template
from markupsafe import Markup, escape

from advocacy import clock
from advocacy.cache import Cache
from advocacy.campaigns.content import CampaignContent, content_of
from advocacy.campaigns.lifecycle import PageCopy, page_copy
from advocacy.campaigns.service import stats_cache
from advocacy.campaigns.translated import PageText, explanations, page_text
from advocacy.congress.calendar import congress_on
from advocacy.models import Campaign
from advocacy.web import formguard
from advocacy.web.caching import etag_of
from advocacy.web.languages import (
    current_language,
    format_date,
    in_script,
)

# Blank pages kept per process: one per campaign and partner ref; refs are free text.
PAGE_CACHE_ENTRIES = 256


# Given the campaign's slug, the partner's ref and the moment the page is made: a blank
# pledge form and its token. Set by pledges.init_app (advocacy.pledges.views.blank_form).
BlankForm: TypeAlias = Callable[[str, str, float], tuple[Any, str]]
BLANK_FORM_EXTENSION = "advocacy.blank_pledge_form"


def render_blank_page(campaign: Campaign, ref: str, at: float) -> str:
    """Return the campaign page every visitor of at's token window shares: a blank form."""
    blank_form: BlankForm = current_app.extensions[BLANK_FORM_EXTENSION]
    form, started_token = blank_form(campaign.slug, ref, at)
    return render_campaign_page(campaign, form, started_token)[0]


def render_campaign_page(
    campaign: Campaign, form: Any, started_token: str, status: int = 200
) -> tuple[str, int]:
    """Return the campaign page with the given pledge form and its token.

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
        started_token=started_token,
    )
    return html, status


@dataclass(frozen=True, slots=True)
class CachedPage:
    html: bytes
    etag: str


# The blank campaign page by campaign, partner ref, the Congress sitting (a bill dies with
# its Congress, and the ask with it), the start of the form token's window, the address
# asked for ("/" or the campaign's; their language links differ), the page's language
# and the one its visitor is offered (web.languages.suggested_language), at most
# STATS_CACHE_SECONDS old: a spike of visitors costs one query and one rendering per
# second and process, and an entry never outlives its token's window, so the form it
# carries is always fresh.
PageCache: TypeAlias = Cache[tuple[str, str, int, int, str, str, str], CachedPage]
PAGES_EXTENSION = "advocacy.page_cache"
# The slug served at "/", asked of the database at most once per STATS_CACHE_SECONDS.
HomeSlug: TypeAlias = Cache[str, str | None]
HOME_EXTENSION = "advocacy.home_slug"


def init_caches(app: Flask) -> None:
    """Give the app its caches of blank pages and of the slug served at "/"."""
    max_age = float(app.config["STATS_CACHE_SECONDS"])
    app.extensions[PAGES_EXTENSION] = PageCache(max_size=PAGE_CACHE_ENTRIES, max_age=max_age)
    app.extensions[HOME_EXTENSION] = HomeSlug(max_size=1, max_age=max_age)


def _pages() -> PageCache:
    pages: PageCache = current_app.extensions[PAGES_EXTENSION]
    return pages


def cached_page(
    slug: str, ref: str, variant: tuple[str, str, str], render: Callable[[float], str]
) -> CachedPage:
    """Return the blank page for slug and ref, calling render(now) to make a missing one.

    variant: the address asked for, the page's language and the one offered to its
    visitor (see PageCache), as the view worked them out.
    """
    now = time.time()
    key = (slug, ref, congress_on(clock.now()), formguard.window_start(now), *variant)

    def make() -> CachedPage:
        html = render(now).encode()
        return CachedPage(html, etag_of(html))

    return _pages().get(key, make)


def home_slug(find: Callable[[], str | None]) -> str | None:
    """Return the slug served at "/", calling find() at most once per max age."""
    home: HomeSlug = current_app.extensions[HOME_EXTENSION]
    return home.get("/", find)


def forget_campaign(slug: str) -> None:
    """Forget this process's pages of a campaign, and the slug at "/", after it changed.

    Called through campaigns.service.campaign_changed when a version is published or
    the campaign is closed.
    """
    _pages().forget_where(lambda key: key[0] == slug)
    home: HomeSlug = current_app.extensions[HOME_EXTENSION]
    home.clear()


def counts_changed(slug: str) -> None:
    """Show a new count at once in this process: after a pledge or a withdrawal commits.

    Other processes catch up within their caches' max age (a second by default).
    """
    stats_cache().forget(slug)
    _pages().forget_where(lambda key: key[0] == slug)


def longdate(value: Any) -> str:
    """Format an ISO date (or date) for people to read, as the page's language writes it
    (CLDR's long format: "April 5, 1990", "5-ئاپرېل، 1990")."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return str(value)
    if isinstance(value, date):
        return format_date(value, "long")
    return str(value)


def campaign_text(content: CampaignContent, copy: PageCopy | None = None) -> PageText:
    """The campaign's text in the page's language, each field marked when English stands
    in for it (a template global: the campaign page, the ask, the results page, the
    widget). copy: the ask in force, as the page computed it; by the app's clock if not
    given."""
    if copy is None:
        copy = page_copy(content, clock.now())
    return page_text(content, copy, current_language().content)


class DraftedLetter(Protocol):
    """What the page needs of a drafted letter (advocacy.letters.drafting.Letter)."""

    @property
    def kind(self) -> str: ...

    @property
    def bill_current(self) -> bool: ...

    @property
    def values(self) -> Mapping[str, str]: ...


@dataclass(frozen=True, slots=True)
class Explained:
    """The letter and the call explained in the page's language, variables filled in;
    None where the campaign has no such explanation yet."""

    letter: Markup | None
    call: Markup | None


def letter_explained(content: CampaignContent, letter: DraftedLetter) -> Explained | None:
    """Explain an English letter and call in the page's language; None on English pages."""
    found = explanations(content, current_language().content, letter.kind, letter.bill_current)
    if found is None:
        return None
    return Explained(
        letter=_filled(found.letter_explanation, letter.values),
        call=_filled(found.call_explanation, letter.values),
    )


def _filled(template: str | None, values: Mapping[str, str]) -> Markup | None:
    # The text in the page's script, then each variable's value (a name, a bill number:
    # English) isolated in <bdi> so that it never reorders the sentence around it. The
    # rules allow only the letters' variables, so every one has a value.
    if template is None:
        return None
    isolated = {name: Markup("<bdi>%s</bdi>") % value for name, value in values.items()}
    return Markup(string.Template(str(escape(in_script(template)))).safe_substitute(isolated))
