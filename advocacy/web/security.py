"""Security headers on every response."""

from __future__ import annotations

from flask import Flask, Response


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


def init_app(app: Flask) -> None:
    """Add the headers after each request."""
    production = app.config["ENV"] == "production"

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        headers = response.headers
        # A view may set its own policy (the widget page, which partners frame).
        policy = headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        # X-Frame-Options is frame-ancestors for older browsers; DENY would override a
        # policy that deliberately lets the page be framed, so that page goes without.
        if not allows_framing(policy):
            headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault(
            "Permissions-Policy", "geolocation=(), camera=(), microphone=(), payment=()"
        )
        if production:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
