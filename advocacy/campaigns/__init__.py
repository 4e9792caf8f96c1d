"""Campaigns: content files, their versions and status, the campaign page, and the public
counts."""

from __future__ import annotations

from flask import Flask

from advocacy.cache import Cache
from advocacy.campaigns import page
from advocacy.campaigns.page import campaign_text, letter_explained, longdate
from advocacy.campaigns.service import (
    CHANGED_EXTENSION,
    REFS_EXTENSION,
    REFS_MAX_AGE_SECONDS,
    STATS_CACHE_ENTRIES,
    STATS_EXTENSION,
)
from advocacy.campaigns.sharing import page_title, share_links_for
from advocacy.web.languages import language_filter


def init_app(app: Flask) -> None:
    """Register the campaign page, the app's caches of counts, pages and campaign ids, and
    the templates' share links."""
    from advocacy.campaigns import views

    app.extensions[STATS_EXTENSION] = Cache(
        max_size=STATS_CACHE_ENTRIES, max_age=float(app.config["STATS_CACHE_SECONDS"])
    )
    app.extensions[REFS_EXTENSION] = Cache(
        max_size=STATS_CACHE_ENTRIES, max_age=REFS_MAX_AGE_SECONDS
    )
    page.init_caches(app)
    app.extensions[CHANGED_EXTENSION] = (page.forget_campaign,)
    app.add_template_filter(language_filter(longdate), "longdate")
    # The campaign's text in the page's language (advocacy.campaigns.translated).
    app.jinja_env.globals["campaign_text"] = campaign_text
    app.jinja_env.globals["letter_explained"] = letter_explained
    app.jinja_env.globals["share_links"] = share_links_for
    app.jinja_env.globals["campaign_title"] = page_title
    app.register_blueprint(views.bp)
