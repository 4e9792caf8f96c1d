"""Campaigns: stored from content files, looked up by slug, counted for the public.

A campaign is a draft (never published: organizers alone see it), live, or closed (its
page says it has ended and it takes no pledges; its pledges can still be withdrawn or
confirmed, and its count stays in the stats API). The public look-ups here answer for
those states: `campaign_or_404` and `campaign_ref_or_404` serve live campaigns, answer
410 for a closed one and 404 for a draft; `get_campaign` and `published_campaign_or_404`
find live and closed ones; `stored_campaign_or_404` finds any, for the organizers. Each
finds a campaign by a slug it had before too (campaigns.slugs), so an old address keeps
answering.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session
from werkzeug.exceptions import Gone, NotFound

from advocacy.cache import Cache
from advocacy.campaigns import versions
from advocacy.campaigns.content import (
    SLUG_PATTERN,
    load_campaign_file,
    shipped_campaign_files,
    to_stored,
)
from advocacy.campaigns.slugs import SlugTakenError, campaign_id_of_old_slug, slug_problem
from advocacy.db import begin_write
from advocacy.models import Campaign, as_utc
from advocacy.web.caching import etag_of

NOT_FOUND_MESSAGE = "No campaign has that name."
ENDED_MESSAGE = (
    "This campaign has ended, and it no longer takes pledges. Thank you to everyone who "
    "added their name."
)


def upsert_campaign(
    session: Session,
    content: Mapping[str, Any],
    *,
    author: versions.Author = versions.BY_COMMAND_LINE,
    summary: str = "Loaded from a campaign file",
) -> tuple[Campaign, bool]:
    """Insert or update the campaign described by content, live; return it and whether it is new.

    content is the checked mapping load_campaign_file returns; it is stored with dates as
    ISO text (to_stored), which content_of reads back. It becomes a new version of the
    campaign, published at once (`advocacy campaigns load` puts a file live). The caller
    commits. Raise SlugTakenError, storing nothing, for a new campaign at a slug another
    campaign had before.
    """
    stored = to_stored(content)
    begin_write(session)
    campaign = session.scalar(sa.select(Campaign).where(Campaign.slug == stored["slug"]))
    created = campaign is None
    if campaign is None:
        # Another campaign's old address stays its own: a file may not take it over.
        problem = slug_problem(session, str(stored["slug"]))
        if problem is not None:
            raise SlugTakenError(problem)
        campaign = Campaign(
            slug=stored["slug"],
            title=stored["title"],
            goal=int(stored["goal"]),
            content=stored,
            status="live",
        )
        session.add(campaign)
        session.flush()
    versions.record_and_publish(session, campaign, stored, author=author, summary=summary)
    return campaign, created


def install_shipped_campaigns(session: Session) -> list[str]:
    """Add shipped campaigns that are not in the database yet; return their slugs.

    Campaigns already stored are left alone, so an organizer's edits loaded with
    `advocacy campaigns load` survive the next upgrade. The caller commits.
    """
    added = []
    for path in shipped_campaign_files():
        content = load_campaign_file(path)
        # At an old slug too: a shipped campaign whose slug an editor changed is stored.
        if get_stored_campaign(session, str(content["slug"])) is None:
            upsert_campaign(session, content, summary=f"Installed from {path.name}")
            added.append(str(content["slug"]))
    return added


def get_stored_campaign(session: Session, slug: str) -> Campaign | None:
    """Return the campaign with this slug whatever its status (drafts too), if any.

    A slug the campaign had before (campaigns.slugs) finds it too: its campaign.slug is
    then the present one, which a page compares to redirect.
    """
    # A slug that could never be stored (a NUL, which PostgreSQL refuses) is not asked.
    if not SLUG_PATTERN.match(slug):
        return None
    campaign = session.scalar(sa.select(Campaign).where(Campaign.slug == slug))
    if campaign is None:
        moved_to = campaign_id_of_old_slug(session, slug)
        if moved_to is not None:
            campaign = session.get(Campaign, moved_to)
    return campaign


def get_campaign(session: Session, slug: str) -> Campaign | None:
    """Return the published (live or closed) campaign with this slug, if any."""
    campaign = get_stored_campaign(session, slug)
    return campaign if campaign is not None and campaign.status != "draft" else None


def stored_campaign_or_404(session: Session, slug: str) -> Campaign:
    """Return the campaign with this slug whatever its status, or end the request with a 404.

    For the organizers' pages: drafts are theirs to see.
    """
    campaign = get_stored_campaign(session, slug)
    if campaign is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    return campaign


def published_campaign_or_404(session: Session, slug: str) -> Campaign:
    """Return the live or closed campaign with this slug, or end the request with a 404.

    For what a supporter may still do once a campaign has closed: withdraw or confirm.
    """
    campaign = get_campaign(session, slug)
    if campaign is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    return campaign


def campaign_slugs(session: Session) -> list[str]:
    """Return the slug of every stored campaign, in order."""
    return list(session.scalars(sa.select(Campaign.slug).order_by(Campaign.slug)))


@dataclass(frozen=True)
class CampaignRef:
    """A campaign's id and slug: all a write needs, without its content."""

    id: int
    slug: str


def campaign_ref_or_404(session: Session, slug: str) -> CampaignRef:
    """Return the campaign's id and slug, or end the request with a 404.

    Cheaper than the whole row, whose content (the story, the letters) is large JSON.
    """
    row = None
    if SLUG_PATTERN.match(slug):
        columns = sa.select(Campaign.id, Campaign.slug, Campaign.status)
        row = session.execute(columns.where(Campaign.slug == slug)).one_or_none()
        if row is None:
            # An old slug of a campaign: its pledges count for the campaign.
            moved_to = campaign_id_of_old_slug(session, slug)
            if moved_to is not None:
                row = session.execute(columns.where(Campaign.id == moved_to)).one_or_none()
    _refuse_unless_live(None if row is None else row.status)
    assert row is not None
    return CampaignRef(row.id, row.slug)


def _refuse_unless_live(status: str | None) -> None:
    # A draft is not there for the public; a closed campaign has ended (410), which a
    # supporter following an old link should be told rather than "not found".
    if status is None or status == "draft":
        raise NotFound(NOT_FOUND_MESSAGE)
    if status == "closed":
        raise Gone(ENDED_MESSAGE)


# Each campaign's id and slug by slug (CampaignRefs): a campaign's id never changes and
# campaigns are not deleted, so a pledge need not ask for it each time; under a spike
# that is one round trip fewer per pledge. Asked again once a minute; unknown slugs, and
# drafts and closed campaigns, are not kept. A campaign closed in another process takes
# pledges here until its entry is a minute old; this process forgets it at once
# (campaign_changed).
CampaignRefs: TypeAlias = Cache[str, CampaignRef]
REFS_MAX_AGE_SECONDS = 60.0
REFS_EXTENSION = "advocacy.campaign_refs"


def campaign_refs() -> CampaignRefs:
    """Return the current app's cache of campaign ids (campaigns.init_app makes it)."""
    refs: CampaignRefs = current_app.extensions[REFS_EXTENSION]
    return refs


def cached_campaign_ref(session: Session, slug: str) -> CampaignRef:
    """Return the campaign's id and slug, at most a minute old, or end the request with a 404."""
    return campaign_refs().get(slug, lambda: campaign_ref_or_404(session, slug))


def campaign_or_404(session: Session, slug: str) -> Campaign:
    """Return the live campaign with this slug; end the request with a 410 if it has
    closed, with a 404 if there is none or it is a draft."""
    campaign = get_stored_campaign(session, slug)
    _refuse_unless_live(None if campaign is None else campaign.status)
    assert campaign is not None
    return campaign


def get_default_campaign(session: Session) -> Campaign | None:
    """Return the live campaign served at "/", else the oldest live one."""
    live = Campaign.status == "live"
    campaign = session.scalar(
        sa.select(Campaign).where(Campaign.is_default.is_(True), live).limit(1)
    )
    if campaign is None:
        campaign = session.scalar(sa.select(Campaign).where(live).order_by(Campaign.id).limit(1))
    return campaign


# Functions the app calls when a campaign is published or closed, with its slug, to forget
# what it keeps of it (campaigns.init_app registers the page cache's).
CHANGED_EXTENSION = "advocacy.campaign_changed"


def campaign_changed(slug: str) -> None:
    """Serve a campaign just published or closed at once in this process.

    Other processes catch up as their caches age: pages and stats within
    STATS_CACHE_SECONDS (a second by default), pledges to a closed campaign within a
    minute (the campaign ids' cache).
    """
    stats_cache().forget(slug)
    campaign_refs().forget(slug)
    for forget in current_app.extensions.get(CHANGED_EXTENSION, ()):
        forget(slug)


def public_stats(campaign: Campaign) -> dict[str, Any]:
    """Return the public, personal-data-free summary of a campaign."""
    # When the campaign or its count last changed.
    changed = max(
        as_utc(moment) for moment in (campaign.updated_at, campaign.counted_at) if moment
    )
    updated = changed.replace(tzinfo=None, microsecond=0)
    return {
        "slug": campaign.slug,
        "title": campaign.title,
        "goal": campaign.goal,
        "pledge_count": campaign.pledge_count,
        "updated_at": updated.isoformat() + "Z",
    }


@dataclass(frozen=True)
class PublicStats:
    """A campaign's public summary, with its JSON body and ETag made once for every reader."""

    data: dict[str, Any]
    body: bytes
    etag: str

    @classmethod
    def of(cls, campaign: Campaign) -> PublicStats:
        data = public_stats(campaign)
        body = json.dumps(data, separators=(",", ":")).encode() + b"\n"
        return cls(data, body, etag_of(body))


# Public stats by slug (None: no such campaign), at most STATS_CACHE_SECONDS old, so a
# spike costs one query per second and process; unknown slugs must not grow it unbounded.
StatsCache: TypeAlias = Cache[str, PublicStats | None]
STATS_CACHE_ENTRIES = 1000
STATS_EXTENSION = "advocacy.stats_cache"


def stats_cache() -> StatsCache:
    """Return the current app's cache of public stats (campaigns.init_app makes it)."""
    cache: StatsCache = current_app.extensions[STATS_EXTENSION]
    return cache


def cached_stats(session: Callable[[], Session], slug: str) -> PublicStats | None:
    """Return the stats for slug (None when no such campaign), at most max_age old.

    session is called only when the database must be asked: most calls need none.
    """

    def load() -> PublicStats | None:
        campaign = get_campaign(session(), slug)
        return PublicStats.of(campaign) if campaign is not None else None

    return stats_cache().get(slug, load)
