"""Flask's signed-cookie sessions, without work for requests that have no session.

Flask makes a new serializer (and its key derivation) for each request that opens the
session, parses the Cookie header of every request, and works out the cookie's settings
after every one, whether or not anything reads or writes the session. Most requests
(API clients, the cached campaign page) carry no cookie and touch no session: they
skip all of that. The serializer depends only on the secret key, so it is kept.
"""

from __future__ import annotations

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from itsdangerous import URLSafeTimedSerializer


class CachedSignerSessionInterface(SecureCookieSessionInterface):
    """The standard session interface: one serializer per secret key, no idle work."""

    def __init__(self) -> None:
        self._serializer: tuple[object, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        key = (app.secret_key, app.config.get("SECRET_KEY_FALLBACKS"))
        cached = self._serializer
        if cached is None or cached[0] != key:
            cached = (key, super().get_signing_serializer(app))
            self._serializer = cached
        return cached[1]

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if "HTTP_COOKIE" not in request.environ:
            # No cookie at all: what Flask would find is an empty session.
            if self.get_signing_serializer(app) is None:
                return None
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        # Flask would add nothing for a session that is empty, unread and unchanged.
        if not session and not session.accessed and not session.modified:
            return
        super().save_session(app, session, response)
