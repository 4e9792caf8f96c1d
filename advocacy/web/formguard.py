"""Guarding HTML forms without a cookie: a signed start time, a honeypot, the Origin check.

The widget's cross-site form gets no cookies in browsers that block third-party cookies,
and the campaign page is the same for every visitor so that it can be cached; so the
fill-time check travels in a hidden field signed with the secret key, and a post must come
from our own pages (the Origin header), which is what a CSRF token would otherwise prove.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Request

# A token's issue time is rounded down to a window, so every page served in one window is
# the same page and a cache may share it until the window ends. The fill time is then
# measured from the window's start: never shorter than the real one (no person is
# refused), but longer for a bot that fetches late in a window.
WINDOW_SECONDS = 60

REFUSED = "We could not accept this submission. Please try again."
RESEND = "Please check the form and send it again."
TOO_OLD = "This form was open for a long time. Please check it and send it again."
FOREIGN_ORIGIN_MESSAGE = (
    "This form can only be sent from the campaign's own pledge form. Nothing was recorded. "
    "Please add your name on the campaign page."
)
TOO_QUICK = "That was quicker than we expected. Please check the form and send it again."


@dataclass(frozen=True)
class GuardVerdict:
    ok: bool
    message: str = ""


def window_start(at: float) -> int:
    """Return the start of the token window holding the time at."""
    return int(at) - int(at) % WINDOW_SECONDS


def seconds_left_in_window(at: float) -> int:
    """Return how long a page served at this time may be cached: until its window ends."""
    return WINDOW_SECONDS - int(at) % WINDOW_SECONDS


def is_foreign_post(request: Request) -> bool:
    """Tell whether a form post comes from another site's page (see is_foreign_origin)."""
    return is_foreign_origin(
        request.headers.get("Origin"), request.headers.get("Sec-Fetch-Site"), request.host_url
    )


def is_foreign_origin(origin: str | None, fetch_site: str | None, own_origin: str) -> bool:
    """Tell whether a post comes from another site's page.

    Browsers name the page's origin on every cross-site POST, and say "cross-site" in
    Sec-Fetch-Site; a request with neither (a script, an old browser) is not refused here:
    the signed token and the rate limit still apply.
    """
    if fetch_site is not None and fetch_site.strip().lower() == "cross-site":
        return True
    if origin is None:
        return False
    return origin.strip().rstrip("/").lower() != own_origin.rstrip("/").lower()


def issue_bound_token(secret_key: str, salt: str, bound_to: str, issued_at: int) -> str:
    """Return a signed token binding a form to one subject and the issue time given.

    Unlike issue_token, the same subject and time always give the same token, so a page
    carrying it can be cached: the caller chooses how coarse issued_at is.
    """
    return URLSafeSerializer(secret_key, salt=salt).dumps({"for": bound_to, "at": issued_at})


def check_bound_submission(
    secret_key: str,
    salt: str,
    bound_to: str,
    token: str,
    honeypot: str,
    *,
    min_seconds: float,
    max_age_seconds: int,
    now: float | None = None,
) -> GuardVerdict:
    """Tell whether a submission carries a recent token issued for this subject, unhurried."""
    if honeypot.strip():
        return GuardVerdict(False, REFUSED)
    try:
        data = URLSafeSerializer(secret_key, salt=salt).loads(token)
    except BadSignature:
        return GuardVerdict(False, RESEND)
    # A token issued for another subject (another campaign's widget) is no token here.
    if not isinstance(data, dict) or data.get("for") != bound_to:
        return GuardVerdict(False, RESEND)
    issued = data.get("at")
    current = time.time() if now is None else now
    if isinstance(issued, int | float) and current - issued > max_age_seconds:
        return GuardVerdict(False, TOO_OLD)
    return _fill_time(issued, current, min_seconds)


def _fill_time(started: Any, now: float, min_seconds: float) -> GuardVerdict:
    if not isinstance(started, int | float) or now - started < min_seconds:
        return GuardVerdict(False, TOO_QUICK)
    return GuardVerdict(True)
