"""Security headers on every response."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING
from urllib.parse import quote

from flask import Flask

if TYPE_CHECKING:
    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


def content_security_policy(frame_ancestors: str = "'none'") -> str:
    """Return the site's policy, with frame_ancestors saying who may frame the page."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
            "base-uri 'none'",
            "object-src 'none'",
        ]
    )


CONTENT_SECURITY_POLICY = content_security_policy()


def allows_framing(policy: str) -> bool:
    """Tell whether a policy names frame-ancestors other than 'none' (the widget's)."""
    for directive in policy.split(";"):
        name, _, sources = directive.strip().partition(" ")
        if name.lower() == "frame-ancestors":
            return sources.strip() != "'none'"
    return False


Header = tuple[str, str]

# Sent with every response unless the view set its own value.
COMMON_HEADERS: tuple[Header, ...] = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "geolocation=(), camera=(), microphone=(), payment=()"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
DEFAULT_POLICY = ("Content-Security-Policy", CONTENT_SECURITY_POLICY)
NO_FRAMING = ("X-Frame-Options", "DENY")


class SecurityHeaders:
    """WSGI middleware adding the security headers to every response of the app.

    Added to the finished header list rather than through response.headers in an
    after_request hook: Werkzeug validates and copies each header set that way, which
    cost about an eighth of a cheap route's time (the stats API's, say).
    """

    def __init__(self, app: WSGIApplication, production: bool, onion_location: str = "") -> None:
        self.app = app
        self.onion_location = onion_location
        self.defaults = COMMON_HEADERS + ((HSTS,) if production else ())
        # What a response that sets none of these itself gets: nearly every one.
        self.everything = [DEFAULT_POLICY, NO_FRAMING, *self.defaults]
        self.names = frozenset(name.lower() for name, _ in self.everything)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        onion = self.onion_header(environ) if self.onion_location else None

        def add_headers(
            status: str, headers: list[Header], exc_info: OptExcInfo | None = None
        ) -> Callable[[bytes], object]:
            headers = self.added_to(headers)
            if onion is not None and _is_html(headers):
                headers.append(onion)
            return start_response(status, headers, exc_info)

        return self.app(environ, add_headers)

    def onion_header(self, environ: WSGIEnvironment) -> Header | None:
        """Return the Onion-Location header for this request's public page, if it is one.

        The same page at the onion address: Tor Browser offers the switch. Not for the
        organizers' locked room, whose sign-in is bound to the public address.
        """
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        if path == ORGANIZERS or path.startswith(ORGANIZERS + "/"):
            return None
        # WSGI hands the path decoded as Latin-1; the header carries it percent-encoded.
        encoded = quote(path.encode("latin-1"), safe="/:@!$&'()*+,;=-._~")
        return ("Onion-Location", self.onion_location + encoded)

    def added_to(self, headers: list[Header]) -> list[Header]:
        """Return the headers plus every security header the response does not set itself."""
        present = {name.lower() for name, _ in headers}
        if present.isdisjoint(self.names):
            return headers + self.everything
        # A view may set its own policy (the widget page, which partners frame).
        policy = CONTENT_SECURITY_POLICY
        added = []
        if "content-security-policy" in present:
            policy = next(v for n, v in headers if n.lower() == "content-security-policy")
        else:
            added.append(DEFAULT_POLICY)
        # X-Frame-Options is frame-ancestors for older browsers; DENY would override a
        # policy that deliberately lets the page be framed, so that page goes without.
        framed = policy != CONTENT_SECURITY_POLICY and allows_framing(policy)
        if not framed and "x-frame-options" not in present:
            added.append(NO_FRAMING)
        added.extend(header for header in self.defaults if header[0].lower() not in present)
        return headers + added


ORGANIZERS = "/organizers"


def _is_html(headers: list[Header]) -> bool:
    return any(
        name.lower() == "content-type" and value.startswith("text/html") for name, value in headers
    )


def init_app(app: Flask) -> None:
    """Add the headers to every response, errors included."""
    production = app.config["ENV"] == "production"
    app.wsgi_app = SecurityHeaders(  # type: ignore[method-assign]
        app.wsgi_app, production, app.config["ONION_LOCATION"]
    )
