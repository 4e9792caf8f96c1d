"""The pledge form's guard where no session cookie can be: a token signed for the campaign.

The pledge form is served in two places that carry no cookie: the campaign page, the same
for every visitor so that it can be cached, and the partner widget, in a cross-site frame
where browsers that block third-party cookies send none. So the session-based CSRF token
cannot guard it. Nothing there rests on a cookie either: a post has no ambient authority
to abuse. What is left to guard against is bots and other sites' forms, so a post must
carry a token signed for this campaign (which also records when the form was served, for
the minimum fill time, and is good for a few sends only), leave the honeypot empty, and,
when the browser says where it comes from, come from our own pages (the views check the
Origin: `formguard.is_foreign_post`).

The tokens are `advocacy.web.formguard`'s: a shared one in a blank page, which caches keep
for at most its window, and a private one in answers to posts and from the form-token
addresses (GET /c/<slug>/form-token, GET /c/<slug>/widget/form-token), which the page's
script fetches when it loads (a same-origin request, with no cookie).

Each place signs with a salt of its own (`CAMPAIGN_PAGE`, `WIDGET`): a token served in
one is no token in the other.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Response, current_app

from advocacy.web import formguard
from advocacy.web.formguard import GuardVerdict


def now() -> float:
    """Return the current time by the widget's clock (a seam for tests)."""
    return time.time()


@dataclass(frozen=True)
class FormGuard:
    """The guard of the pledge form in one place it is served, by that place's salt."""

    salt: str
    # The clock its tokens are stamped and checked by. The campaign page's blank form is
    # stamped when the page cache makes the page, by time.time(): its posts are checked
    # by the same clock.
    clock: Callable[[], float] = time.time

    def issue_token(self, secret_key: str, slug: str, at: float | None = None) -> str:
        """Return the form's token: the window's in a blank page, else the answer's own.

        at is when the page is made (now unless given): a cached page names its window.
        """
        return formguard.issue_form_token(
            secret_key, self.salt, slug, self.clock() if at is None else at
        )

    def issue_private_token(self, secret_key: str, slug: str) -> str:
        """Return a token of one visitor's own, stamped now (the page's script fetches it)."""
        return formguard.issue_private_token(secret_key, self.salt, slug, self.clock())

    def token_answer(self, slug: str) -> Response:
        """Return a private token as the page's script fetches it: JSON, never cached."""
        secret_key = current_app.config["SECRET_KEY"]
        return formguard.token_answer(self.issue_private_token(secret_key, slug))

    def check_submission(
        self,
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
            self.salt,
            slug,
            token,
            honeypot,
            min_seconds=min_seconds,
            max_age_seconds=max_age_seconds,
            now=self.clock(),
        )
        return formguard.spend_use(self.salt, token, verdict)

    def check(self, slug: str, token: str, honeypot: str) -> GuardVerdict:
        """Check a post as check_submission does, with the app's key and settings."""
        config = current_app.config
        return self.check_submission(
            config["SECRET_KEY"],
            slug,
            token,
            honeypot,
            min_seconds=config["MIN_FILL_SECONDS"],
            max_age_seconds=config["FORM_MAX_AGE_SECONDS"],
        )


# The pledge form on the campaign page (/c/<slug>) and in the partner widget (/c/<slug>/widget).
CAMPAIGN_PAGE = FormGuard("advocacy.campaign-form")
WIDGET = FormGuard("advocacy.widget-form", clock=lambda: now())
