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

# The token's issue time is rounded down to the window, so every widget page served in
# one window is the same page and a CDN may share it until the window ends. The fill
# time is then measured from the window's start: never shorter than the real one (no
# person is refused), but longer for a bot that fetches late in a window, so the
# honeypot, the Origin check and the rate limit carry more of the weight here.
WINDOW_SECONDS = 60


def now() -> float:
    """Return the current time (a seam for tests)."""
    return time.time()


def window_start(at: float) -> int:
    """Return the start of the window holding the time at."""
    return int(at) - int(at) % WINDOW_SECONDS


def seconds_left_in_window(at: float) -> int:
    """Return how long a page served at this time may be cached: until its window ends."""
    return WINDOW_SECONDS - int(at) % WINDOW_SECONDS


def issue_token(secret_key: str, slug: str) -> str:
    """Return the widget form's token for this campaign, the same for a whole window."""
    return formguard.issue_bound_token(secret_key, SALT, slug, window_start(now()))


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


def is_foreign_origin(origin: str | None, own_origin: str) -> bool:
    """Tell whether an Origin header names a site other than ours; an absent one does not."""
    if origin is None:
        return False
    return origin.strip().rstrip("/").lower() != own_origin.rstrip("/").lower()
