"""Campaigns: stored from content files, looked up by slug, counted for the public."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session
from werkzeug.exceptions import NotFound

from advocacy.cache import Cache
from advocacy.campaigns.content import (
    SLUG_PATTERN,
    load_campaign_file,
    shipped_campaign_files,
    to_stored,
)
from advocacy.models import Campaign, as_utc, utcnow
from advocacy.web.caching import etag_of


def upsert_campaign(session: Session, content: Mapping[str, Any]) -> tuple[Campaign, bool]:
    """Insert or update the campaign described by content; return it and whether it is new.

    content is the checked mapping load_campaign_file returns; it is stored with dates as
    ISO text (to_stored), which content_of reads back. The caller commits.
    """
    stored = to_stored(content)
    campaign = session.scalar(sa.select(Campaign).where(Campaign.slug == stored["slug"]))
    created = campaign is None
    if campaign is None:
        campaign = Campaign(slug=stored["slug"])
        session.add(campaign)
    campaign.title = stored["title"]
    campaign.goal = int(stored["goal"])
    campaign.content = stored
    campaign.updated_at = utcnow()
    campaign.is_default = bool(stored.get("default", False))
    if campaign.is_default:
        # One campaign answers at "/": the one loaded last with default = true.
        session.execute(
            sa.update(Campaign).where(Campaign.slug != campaign.slug).values(is_default=False)
        )
    session.flush()
    return campaign, created


def install_shipped_campaigns(session: Session) -> list[str]:
    """Add shipped campaigns that are not in the database yet; return their slugs.

    Campaigns already stored are left alone, so an organizer's edits loaded with
    `advocacy campaigns load` survive the next upgrade. The caller commits.
    """
    added = []
    for path in shipped_campaign_files():
        content = load_campaign_file(path)
        exists = session.scalar(sa.select(Campaign.id).where(Campaign.slug == content["slug"]))
        if exists is None:
            upsert_campaign(session, content)
            added.append(str(content["slug"]))
    return added


def get_campaign(session: Session, slug: str) -> Campaign | None:
    """Return the campaign with this slug, if any."""
    # A slug that could never be stored (a NUL, which PostgreSQL refuses) is not asked.
    if not SLUG_PATTERN.match(slug):
        return None
    return session.scalar(sa.select(Campaign).where(Campaign.slug == slug))


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
        row = session.execute(
            sa.select(Campaign.id, Campaign.slug).where(Campaign.slug == slug)
        ).one_or_none()
    if row is None:
        raise NotFound("No campaign has that name.")
    return CampaignRef(row.id, row.slug)


# Each campaign's id and slug by slug (CampaignRefs): a campaign's id never changes and
# campaigns are not deleted, so a pledge need not ask for it each time; under a spike
# that is one round trip fewer per pledge. Asked again once a minute; unknown slugs are
# not kept.
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
    """Return the campaign with this slug, or end the request with a 404."""
    campaign = get_campaign(session, slug)
    if campaign is None:
        raise NotFound("No campaign has that name.")
    return campaign


def get_default_campaign(session: Session) -> Campaign | None:
    """Return the campaign served at "/", else the oldest one."""
    campaign = session.scalar(sa.select(Campaign).where(Campaign.is_default.is_(True)).limit(1))
    if campaign is None:
        campaign = session.scalar(sa.select(Campaign).order_by(Campaign.id).limit(1))
    return campaign


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
