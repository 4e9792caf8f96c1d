"""Campaigns: content files, the campaign page, and the public counts."""

from __future__ import annotations

from flask import Flask

from advocacy.campaigns.page import PageCache, longdate
from advocacy.campaigns.service import CampaignRefs, StatsCache


def init_app(app: Flask) -> None:
    """Register the campaign page and the per-process caches of counts and pages."""
    from advocacy.campaigns import views

    app.extensions["advocacy.stats_cache"] = StatsCache(app.config["STATS_CACHE_SECONDS"])
    app.extensions["advocacy.page_cache"] = PageCache(app.config["STATS_CACHE_SECONDS"])
    app.extensions["advocacy.campaign_refs"] = CampaignRefs()
    app.add_template_filter(longdate)
    app.register_blueprint(views.bp)
