"""Campaigns: stored from content files, looked up by slug, counted for the public."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.exceptions import NotFound

from advocacy.campaigns.content import (
    SLUG_PATTERN,
    load_campaign_file,
    shipped_campaign_files,
    to_stored,
)
from advocacy.models import Campaign, as_utc, utcnow


def upsert_campaign(session: Session, content: Mapping[str, Any]) -> tuple[Campaign, bool]:
    """Insert or update the campaign described by content; return it and whether it is new.

    content is the checked mapping load_campaign_file returns; it is stored with dates as
    ISO text (to_stored), which content_of reads back.
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
    session.commit()
    return campaign, created


def install_shipped_campaigns(session: Session) -> list[str]:
    """Add shipped campaigns that are not in the database yet; return their slugs.

    Campaigns already stored are left alone, so an organizer's edits loaded with
    `advocacy campaigns load` survive the next upgrade.
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


class CampaignRefs:
    """Each campaign's id by slug, asked of the database once a minute per process.

    A campaign's id never changes and campaigns are not deleted, so a pledge need not
    ask for it each time: under a spike that is one round trip fewer per pledge.
    """

    MAX_AGE_SECONDS = 60.0

    def __init__(self) -> None:
        self._refs: dict[str, tuple[float, CampaignRef]] = {}
        self._lock = threading.Lock()

    def get(self, session: Session, slug: str) -> CampaignRef:
        """Return the campaign's id and slug, or end the request with a 404."""
        now = time.monotonic()
        with self._lock:
            cached = self._refs.get(slug)
        if cached is not None and now - cached[0] < self.MAX_AGE_SECONDS:
            return cached[1]
        ref = campaign_ref_or_404(session, slug)  # unknown slugs are not kept
        with self._lock:
            self._refs[ref.slug] = (now, ref)
        return ref


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


class StatsCache:
    """Per-process cache of public stats, so a traffic spike costs one query per second."""

    def __init__(self, max_age: float) -> None:
        self.max_age = max_age
        self._entries: dict[str, tuple[float, dict[str, Any] | None]] = {}
        self._lock = threading.Lock()

    def forget(self, slug: str) -> None:
        """Drop the slug's stats: its count has changed in this process."""
        with self._lock:
            self._entries.pop(slug, None)

    def get(self, session: Callable[[], Session], slug: str) -> dict[str, Any] | None:
        """Return the stats for slug (None when no such campaign), at most max_age old.

        session is called only when the database must be asked: most calls need none.
        """
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(slug)
        if entry is not None and now - entry[0] < self.max_age:
            return entry[1]
        campaign = get_campaign(session(), slug)
        stats = public_stats(campaign) if campaign is not None else None
        with self._lock:
            if len(self._entries) > 1000:
                # Unknown slugs must not grow the cache without bound.
                self._entries.clear()
            self._entries[slug] = (now, stats)
        return stats
