"""Guarding HTML forms without a cookie: a signed start time, a honeypot, the Origin check.

The widget's cross-site form gets no cookies in browsers that block third-party cookies,
and the campaign page is the same for every visitor so that it can be cached; so the
fill-time check travels in a hidden field signed with the secret key, and a post must come
from our own pages (the Origin header), which is what a CSRF token would otherwise prove.

Two kinds of token, both signed for one form (the salt) and one subject (the campaign):

- A *shared* token, in the pages every visitor shares (the blank campaign page and widget,
  cached by us and by any CDN in front). It names a short window of WINDOW_SECONDS, and a
  page carrying it is cached no longer than the window lasts, so the page may have been
  served at any moment up to the window's end: the fill time is measured from that end,
  the latest moment anyone could have received it. No bot gains by fetching late in a
  window; a person without JavaScript who loaded the page early in one waits at most
  WINDOW_SECONDS longer before a send is accepted (a quicker one gets the form back, kept,
  with a private token: one more press).
- A *private* token, stamped with the exact time it was issued (and a nonce): in every
  answer to a post (never cached), and fetched by a small script when the page loads
  (GET …/form-token, no cookie), so where JavaScript runs the fill time is measured from
  the real load.

Each token is good for a few sends only, counted per token in the rate-limit storage
(memory, or Redis shared by every process): a shared token for FORM_WINDOW_TOKEN_USES (all
the visitors of its window without JavaScript share it), a private one for
FORM_TOKEN_USES. With rate limits off (load tests), nothing is counted.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from dataclasses import dataclass
from typing import Any, TypeGuard

from flask import Response, current_app, has_request_context, jsonify, request
from flask_babel import lazy_gettext
from flask_babel.speaklater import LazyString
from itsdangerous import BadSignature, URLSafeSerializer
from limits import RateLimitItemPerSecond
from werkzeug.wrappers import Request

from advocacy.web.extensions import limiter

log = logging.getLogger(__name__)

# A shared token's window: pages served in one window are the same page, and a cache may
# share it until the window ends. Shorter means a shorter wait, at worst, for a person
# without JavaScript (this plus the minimum fill time), and a page rendered or fetched by
# a CDN that much more often (once per window per campaign, partner and process).
WINDOW_SECONDS = 10
# Tokens signed before windows were written into them had minute windows.
LEGACY_WINDOW_SECONDS = 60

# What the supporter is told, in the page's language (read when the page is made).
REFUSED = lazy_gettext("We could not accept this submission. Please try again.")
RESEND = lazy_gettext("Please check the form and send it again.")
TOO_OLD = lazy_gettext("This form was open for a long time. Please check it and send it again.")
FOREIGN_ORIGIN_MESSAGE = lazy_gettext(
    "This form can only be sent from the campaign's own pledge form. Nothing was recorded. "
    "Please add your name on the campaign page."
)
TOO_QUICK = lazy_gettext(
    "That was quicker than we expected. Please check the form and send it again."
)
USED_UP = lazy_gettext(
    "This form has already been sent several times. Please check it and send it again."
)


@dataclass(frozen=True)
class GuardVerdict:
    ok: bool
    message: str | LazyString = ""
    # An accepted token served to every visitor of a window (not one person's own).
    shared: bool = False


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
    """Return a shared token for one subject and the window starting at issued_at.

    The same subject and window always give the same token, so a page carrying it can be
    cached until the window ends (seconds_left_in_window).
    """
    payload = {"for": bound_to, "at": issued_at, "w": WINDOW_SECONDS}
    return URLSafeSerializer(secret_key, salt=salt).dumps(payload)


def issue_private_token(secret_key: str, salt: str, bound_to: str, issued_at: float) -> str:
    """Return a token for one subject stamped with the exact time, unique to one answer."""
    payload = {"for": bound_to, "at": round(issued_at, 3), "w": 0, "n": secrets.token_urlsafe(6)}
    return URLSafeSerializer(secret_key, salt=salt).dumps(payload)


def answer_is_shared() -> bool:
    """Tell whether the answer being made may be shared by every visitor (a GET page).

    An answer to a post holds what someone typed and is never cached, so its form can
    carry a private token, stamped with the moment it was made.
    """
    return not has_request_context() or request.method in ("GET", "HEAD")


def issue_form_token(secret_key: str, salt: str, bound_to: str, at: float) -> str:
    """Return the token for a form in the answer being made: shared or private (see above)."""
    if answer_is_shared():
        return issue_bound_token(secret_key, salt, bound_to, window_start(at))
    return issue_private_token(secret_key, salt, bound_to, at)


def token_answer(token: str) -> Response:
    """Return a private token as the page's script fetches it: JSON, never cached."""
    response = jsonify(started=token)
    response.headers["Cache-Control"] = "no-store"
    return response


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
    """Tell whether a submission carries a recent token issued for this subject, unhurried.

    The fill time runs from the latest moment the form could have been served: the end of
    a shared token's window, a private token's own time.
    """
    if honeypot.strip():
        return GuardVerdict(False, REFUSED)
    try:
        data = URLSafeSerializer(secret_key, salt=salt).loads(token)
    except BadSignature:
        return GuardVerdict(False, RESEND)
    # A token issued for another subject (another campaign's widget) is no token here.
    if not isinstance(data, dict) or data.get("for") != bound_to:
        return GuardVerdict(False, RESEND)
    issued, window = data.get("at"), data.get("w", LEGACY_WINDOW_SECONDS)
    if not _is_number(issued) or not _is_number(window) or window < 0:
        return GuardVerdict(False, RESEND)
    current = time.time() if now is None else now
    if current - issued > max_age_seconds:
        return GuardVerdict(False, TOO_OLD)
    if min_seconds > 0 and current - (issued + window) < min_seconds:
        return GuardVerdict(False, TOO_QUICK)
    return GuardVerdict(True, shared=window > 0)


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def spend_use(salt: str, token: str, verdict: GuardVerdict) -> GuardVerdict:
    """Count one send of an accepted token; refuse it once its sends are used up.

    Counted in the rate-limit storage (shared by every process with Redis), for as long
    as a token lives; nothing is counted while rate limits are off. If the storage fails,
    the send goes through (the per-client limits still hold) and the log says so.
    """
    config = current_app.config
    if not verdict.ok or not config["RATELIMIT_ENABLED"]:
        return verdict
    uses = config["FORM_WINDOW_TOKEN_USES"] if verdict.shared else config["FORM_TOKEN_USES"]
    item = RateLimitItemPerSecond(int(uses), int(config["FORM_MAX_AGE_SECONDS"]) + 1)
    # The storage keeps a digest, not the token.
    digest = hashlib.sha256(f"{salt}\n{token}".encode()).hexdigest()[:32]
    prefix = config.get("RATELIMIT_KEY_PREFIX") or ""
    identifiers = [prefix, "form-token", digest] if prefix else ["form-token", digest]
    try:
        allowed = limiter.limiter.hit(item, *identifiers)
    except Exception as error:  # any storage failure: fail open, loudly
        log.warning("form token uses not counted: %s", type(error).__name__)
        return verdict
    return verdict if allowed else GuardVerdict(False, USED_UP)
