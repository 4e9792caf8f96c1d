"""The widget form's guard: a cookie-free token bound to the campaign, and the Origin check.

The widget lives in a cross-site frame, where browsers that block third-party cookies
send none, so the session-based CSRF token cannot work there. Nothing in the widget
rests on a cookie either: a cross-site request has no ambient authority to abuse. What
is left to guard against is bots and other sites' forms, so a post must carry a token
signed for this campaign (which also records when the form was served, for the
minimum fill time, and is good for a few sends only) and, when the browser says where it
comes from, come from our own origin: the form in our frame posts to us from our own page.
The tokens are formguard's: a shared one in the blank widget, which caches keep for at
most its window, and a private one in answers to posts and from GET …/widget/form-token,
which the widget's script fetches when it loads (a same-origin request from inside the
frame, with no cookie).
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
    """Return the widget form's token: the window's in the blank widget, else the answer's."""
    return formguard.issue_form_token(secret_key, SALT, slug, now())


def issue_private_token(secret_key: str, slug: str) -> str:
    """Return a token of one visitor's own, stamped now (the widget's script fetches it)."""
    return formguard.issue_private_token(secret_key, SALT, slug, now())


def check_submission(
    secret_key: str,
    slug: str,
    token: str,
    honeypot: str,
    *,
    min_seconds: float,
    max_age_seconds: int,
) -> GuardVerdict:
    """Tell whether a post carries this campaign's recent token, unused up, and no honeypot."""
    verdict = formguard.check_bound_submission(
        secret_key,
        SALT,
        slug,
        token,
        honeypot,
        min_seconds=min_seconds,
        max_age_seconds=max_age_seconds,
        now=now(),
    )
    return formguard.spend_use(SALT, token, verdict)
