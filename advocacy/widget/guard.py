"""The widget form's guard: a cookie-free token bound to the campaign, and the Origin check.

The widget lives in a cross-site frame, where browsers that block third-party cookies
send none, so the session-based CSRF token cannot work there. Nothing in the widget
rests on a cookie either: a cross-site request has no ambient authority to abuse. What
is left to guard against is bots and other sites' forms, so a post must carry a token
signed for this campaign (which also records when the form was served, for the
minimum fill time) and, when the browser says where it comes from, come from our own
origin: the form in our frame posts to us from our own page.
"""

from __future__ import annotations

import time

from advocacy.web import formguard
from advocacy.web.formguard import GuardVerdict

SALT = "advocacy.widget-form"


def now() -> float:
    """Return the current time (a seam for tests)."""
    return time.time()


def issue_token(secret_key: str, slug: str) -> str:
    """Return the widget form's token for this campaign, the same for a whole window."""
    return formguard.issue_bound_token(secret_key, SALT, slug, formguard.window_start(now()))


def check_submission(
    secret_key: str,
    slug: str,
    token: str,
    honeypot: str,
    *,
    min_seconds: float,
    max_age_seconds: int,
) -> GuardVerdict:
    """Tell whether a post carries this campaign's recent token and an empty honeypot."""
    return formguard.check_bound_submission(
        secret_key,
        SALT,
        slug,
        token,
        honeypot,
        min_seconds=min_seconds,
        max_age_seconds=max_age_seconds,
        now=now(),
    )
