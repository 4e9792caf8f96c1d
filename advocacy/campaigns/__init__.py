"""Campaigns: content files, the campaign page, and the public counts."""

from __future__ import annotations

from flask import Flask

from advocacy.campaigns.page import longdate
from advocacy.campaigns.service import StatsCache


def init_app(app: Flask) -> None:
    """Register the campaign page and the per-process stats cache."""
    from advocacy.campaigns import views

    app.extensions["advocacy.stats_cache"] = StatsCache(app.config["STATS_CACHE_SECONDS"])
    app.add_template_filter(longdate)
    app.register_blueprint(views.bp)
