"""A campaign's web addresses: its slug, and the slugs it had before (`campaign_slugs`).

A slug changes when an editor publishes a version with a new one. The old slug is kept
for the campaign, so that links, the API and partners' embedded widgets keep working: the
campaign page redirects, everything else serves the campaign itself. A slug is either one
campaign's own or one campaign's old one; a campaign may not take another's, old or
present (`slug_problem`). Publishing an old slug of the campaign's own back (a rollback)
takes it out of the old ones. Services here add and flush; the caller commits.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from advocacy.db import begin_write
from advocacy.models import Campaign, CampaignSlug, utcnow


class SlugTakenError(Exception):
    """The slug is another campaign's, now or before: nothing was changed."""


def campaign_id_of_old_slug(session: Session, slug: str) -> int | None:
    """Return the id of the campaign that had this slug before, if one did."""
    return session.scalar(sa.select(CampaignSlug.campaign_id).where(CampaignSlug.slug == slug))


def old_slugs(session: Session, campaign_id: int) -> list[str]:
    """Return the slugs the campaign had before, the latest first."""
    return list(
        session.scalars(
            sa.select(CampaignSlug.slug)
            .where(CampaignSlug.campaign_id == campaign_id)
            .order_by(CampaignSlug.created_at.desc(), CampaignSlug.id.desc())
        )
    )


def slug_problem(session: Session, slug: str, campaign_id: int | None = None) -> str | None:
    """Say why the campaign (None: a new one) may not take slug; None if it may."""
    holder = session.scalar(sa.select(Campaign.id).where(Campaign.slug == slug))
    if holder is not None and holder != campaign_id:
        return f"A campaign already has the address /c/{slug}. Choose another."
    owner = campaign_id_of_old_slug(session, slug)
    if owner is not None and owner != campaign_id:
        current = session.scalar(sa.select(Campaign.slug).where(Campaign.id == owner))
        return (
            f"/c/{slug} was the address of another campaign, and still takes its visitors "
            f"to /c/{current}. Choose another."
        )
    return None


def move_slug(session: Session, campaign: Campaign, slug: str) -> str | None:
    """Give the campaign a new slug, keeping its present one as an old one; return that.

    None when the slug does not change. A draft's slug was never public, so it is not
    kept. Raise SlugTakenError, changing nothing, when another campaign has the slug.
    """
    previous = campaign.slug
    if slug == previous:
        return None
    problem = slug_problem(session, slug, campaign.id)
    if problem is not None:
        raise SlugTakenError(problem)
    begin_write(session)
    session.execute(
        sa.delete(CampaignSlug).where(
            CampaignSlug.slug == slug, CampaignSlug.campaign_id == campaign.id
        )
    )
    campaign.slug = slug
    if campaign.status != "draft":
        session.add(CampaignSlug(slug=previous, campaign_id=campaign.id, created_at=utcnow()))
    session.flush()
    return previous
