"""Flask's signed-cookie sessions, without rebuilding the signer on every request.

Flask makes a new serializer (and its key derivation) for each request that opens the
session, whether or not the request carries a cookie; under load that is a measurable
share of a cheap route. The serializer depends only on the secret key, so it is kept.
"""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class CachedSignerSessionInterface(SecureCookieSessionInterface):
    """The standard session interface, with one serializer per secret key."""

    def __init__(self) -> None:
        self._serializer: tuple[object, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        key = (app.secret_key, app.config.get("SECRET_KEY_FALLBACKS"))
        cached = self._serializer
        if cached is None or cached[0] != key:
            cached = (key, super().get_signing_serializer(app))
            self._serializer = cached
        return cached[1]
