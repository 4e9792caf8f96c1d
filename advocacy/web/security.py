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


# Sent with every response unless the view set its own value.
COMMON_HEADERS: tuple[tuple[str, str], ...] = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "geolocation=(), camera=(), microphone=(), payment=()"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def init_app(app: Flask) -> None:
    """Add the headers after each request."""
    defaults = COMMON_HEADERS + ((HSTS,) if app.config["ENV"] == "production" else ())

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        headers = response.headers
        # Every response pays for this: one pass over the headers, then appends.
        present = {key.lower() for key in headers.keys()}
        # A view may set its own policy (the widget page, which partners frame).
        policy = headers.get("Content-Security-Policy")
        if policy is None:
            policy = CONTENT_SECURITY_POLICY
            headers.add("Content-Security-Policy", policy)
        # X-Frame-Options is frame-ancestors for older browsers; DENY would override a
        # policy that deliberately lets the page be framed, so that page goes without.
        framed = policy is not CONTENT_SECURITY_POLICY and allows_framing(policy)
        if not framed and "x-frame-options" not in present:
            headers.add("X-Frame-Options", "DENY")
        for key, value in defaults:
            if key.lower() not in present:
                headers.add(key, value)
        return response
